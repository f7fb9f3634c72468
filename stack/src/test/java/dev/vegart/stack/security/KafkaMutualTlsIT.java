package dev.vegart.stack.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vegart.common.config.Env;
import dev.vegart.common.config.KafkaSettings;
import dev.vegart.stack.embedded.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka clients built from {@link KafkaSettings} against a real broker that requires a client certificate:
 * with {@code VEGART_KAFKA_SSL_KEYSTORE_*} they get in; without it, or with a certificate from another CA,
 * the broker refuses the handshake.
 */
class KafkaMutualTlsIT {
  private static final String PASSWORD = "changeit";
  private static final String TOPIC = "tls-check";
  @TempDir static Path dir;
  private static EmbeddedKafka broker;
  private static Path trustStore;
  private static Path clientKeyStore;
  private static Path strangerKeyStore;

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = new TestPki(dir);
    pki.authority("ca");
    pki.authority("other-ca");
    pki.issue("ca", "broker", "DNS:localhost,IP:127.0.0.1");
    pki.issue("ca", "client", "DNS:client");
    pki.issue("other-ca", "stranger", "DNS:stranger");
    trustStore = pki.trustStore("ca", PASSWORD);
    clientKeyStore = pki.keyStore("ca", "client", PASSWORD);
    strangerKeyStore = pki.keyStore("other-ca", "stranger", PASSWORD);
    broker = MutualTlsBroker.start(dir, pki.keyStore("ca", "broker", PASSWORD), trustStore, PASSWORD);
    try (Admin admin = Admin.create(settings(clientKeyStore).admin("tls-it-admin"))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aProducerWithTheKeyStoreSends() throws Exception {
    assertThat(send(settings(clientKeyStore)).offset()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aProducerWithoutAKeyStoreIsRefused() {
    assertThatThrownBy(() -> send(settings(null))).hasCauseInstanceOf(SslAuthenticationException.class);
  }

  @Test
  void aProducerWithACertificateFromAnotherCaIsRefused() {
    assertThatThrownBy(() -> send(settings(strangerKeyStore))).hasCauseInstanceOf(SslAuthenticationException.class);
  }

  /** Settings as a gateway or worker reads them from its environment; no key store when {@code keyStore} is null. */
  private static KafkaSettings settings(Path keyStore) {
    Map<String, String> env = new HashMap<>();
    env.put("VEGART_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("VEGART_KAFKA_SECURITY_PROTOCOL", "SSL");
    env.put("VEGART_KAFKA_SSL_TRUSTSTORE_LOCATION", trustStore.toString());
    env.put("VEGART_KAFKA_SSL_TRUSTSTORE_PASSWORD", PASSWORD);
    if (keyStore != null) {
      env.put("VEGART_KAFKA_SSL_KEYSTORE_LOCATION", keyStore.toString());
      env.put("VEGART_KAFKA_SSL_KEYSTORE_PASSWORD", PASSWORD);
    }
    return KafkaSettings.from(new Env(env));
  }

  private static RecordMetadata send(KafkaSettings settings) throws Exception {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("tls-it"))) {
      return producer.send(new ProducerRecord<>(TOPIC, "k", "v".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }
  }
}
