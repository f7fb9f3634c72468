package dev.vegart.common.config;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the Kafka cluster is and how to talk to it. The one place that builds client properties, so
 * every producer is idempotent with {@code acks=all} and every consumer commits by hand.
 *
 * @param bootstrapServers {@code VEGART_KAFKA_BOOTSTRAP_SERVERS}
 * @param jobsTopic {@code VEGART_KAFKA_JOBS_TOPIC}, default {@code vegart.jobs}
 * @param eventsTopic {@code VEGART_KAFKA_EVENTS_TOPIC}, default {@code vegart.job-events}
 * @param security extra client properties for TLS/SASL, taken from {@code VEGART_KAFKA_SECURITY_PROTOCOL},
 *     {@code VEGART_KAFKA_SASL_MECHANISM}, {@code VEGART_KAFKA_SASL_JAAS_CONFIG},
 *     {@code VEGART_KAFKA_SSL_TRUSTSTORE_LOCATION}, {@code _PASSWORD}, {@code _TYPE} (server verification) and
 *     {@code VEGART_KAFKA_SSL_KEYSTORE_LOCATION}, {@code _PASSWORD}, {@code _TYPE}, {@code VEGART_KAFKA_SSL_KEY_PASSWORD}
 *     (the client's own certificate, for brokers that require mutual TLS); store types default to PKCS12
 */
public record KafkaSettings(String bootstrapServers, String jobsTopic, String eventsTopic, Map<String, String> security) {
  public static final String JOBS_TOPIC = "vegart.jobs";
  public static final String EVENTS_TOPIC = "vegart.job-events";

  public KafkaSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    security = Map.copyOf(security);
  }

  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, JOBS_TOPIC, EVENTS_TOPIC, Map.of());
  }

  public static KafkaSettings from(Env env) {
    return new KafkaSettings(
        env.string("VEGART_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
        env.string("VEGART_KAFKA_JOBS_TOPIC", JOBS_TOPIC),
        env.string("VEGART_KAFKA_EVENTS_TOPIC", EVENTS_TOPIC),
        KafkaSecurity.from(env));
  }

  private Properties base(String clientId) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("client.id", clientId);
    p.putAll(security);
    return p;
  }

  /** An idempotent producer that acknowledges only once every in-sync replica has the record. */
  public Properties producer(String clientId) {
    Properties p = base(clientId);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("linger.ms", "1");
    p.put("delivery.timeout.ms", "30000");
    p.put("request.timeout.ms", "10000");
    p.put("max.block.ms", "10000");
    p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    return p;
  }

  /** A consumer in {@code group} that commits offsets explicitly and starts from the earliest record. */
  public Properties consumer(String clientId, String group) {
    Properties p = base(clientId);
    p.put("group.id", group);
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", "read_committed");
    // A crashed consumer's partitions move to the others after 10 s, not the default 45 s.
    p.put("session.timeout.ms", "10000");
    p.put("heartbeat.interval.ms", "3000");
    p.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    p.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    return p;
  }

  /** Admin client properties, for topic creation and lag reads. */
  public Properties admin(String clientId) {
    return base(clientId);
  }
}
