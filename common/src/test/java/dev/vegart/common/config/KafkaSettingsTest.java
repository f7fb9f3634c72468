package dev.vegart.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {
  @TempDir Path dir;
  private String keystore;
  private String truststore;

  @BeforeEach
  void stores() throws Exception {
    keystore = Files.writeString(dir.resolve("client.p12"), "k").toString();
    truststore = Files.writeString(dir.resolve("ca.p12"), "t").toString();
  }

  private static KafkaSettings settings(Map<String, String> vars) {
    return KafkaSettings.from(new Env(vars));
  }

  private Map<String, String> mutualTls() {
    Map<String, String> vars = new HashMap<>();
    vars.put("VEGART_KAFKA_SECURITY_PROTOCOL", "SSL");
    vars.put("VEGART_KAFKA_SSL_TRUSTSTORE_LOCATION", truststore);
    vars.put("VEGART_KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-secret");
    vars.put("VEGART_KAFKA_SSL_KEYSTORE_LOCATION", keystore);
    vars.put("VEGART_KAFKA_SSL_KEYSTORE_PASSWORD", "key-secret");
    return vars;
  }

  @Test
  void noSecuritySettingsAddNoProperties() {
    assertThat(settings(Map.of()).security()).isEmpty();
  }

  @Test
  void mutualTlsReachesProducerConsumerAndAdminAlike() {
    KafkaSettings s = settings(mutualTls());
    Map<String, String> expected = Map.of(
        "security.protocol", "SSL",
        "ssl.truststore.location", truststore,
        "ssl.truststore.password", "trust-secret",
        "ssl.truststore.type", "PKCS12",
        "ssl.keystore.location", keystore,
        "ssl.keystore.password", "key-secret",
        "ssl.keystore.type", "PKCS12");
    for (Properties p : new Properties[] {s.producer("p"), s.consumer("c", "g"), s.admin("a")}) {
      assertThat(p).containsAllEntriesOf(expected);
    }
  }

  @Test
  void storeTypesAndKeyPasswordAreReadWhenGiven() {
    Map<String, String> vars = mutualTls();
    vars.put("VEGART_KAFKA_SECURITY_PROTOCOL", "sasl_ssl");
    vars.put("VEGART_KAFKA_SSL_KEYSTORE_TYPE", "jks");
    vars.put("VEGART_KAFKA_SSL_TRUSTSTORE_TYPE", "JKS");
    vars.put("VEGART_KAFKA_SSL_KEY_PASSWORD", "inner");
    assertThat(settings(vars).security()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.keystore.type", "JKS")
        .containsEntry("ssl.truststore.type", "JKS")
        .containsEntry("ssl.key.password", "inner");
  }

  @Test
  void aPemKeyStoreNeedsNoPasswordButAPkcs12OneDoes() {
    Map<String, String> vars = mutualTls();
    vars.remove("VEGART_KAFKA_SSL_KEYSTORE_PASSWORD");
    assertThatThrownBy(() -> settings(vars)).isInstanceOf(ConfigException.class)
        .hasMessage("VEGART_KAFKA_SSL_KEYSTORE_PASSWORD is required with VEGART_KAFKA_SSL_KEYSTORE_LOCATION (a PKCS12 keystore)");
    vars.put("VEGART_KAFKA_SSL_KEYSTORE_TYPE", "PEM");
    assertThat(settings(vars).security()).containsEntry("ssl.keystore.type", "PEM").doesNotContainKey("ssl.keystore.password");
  }

  @Test
  void aTrustStoreWithoutPasswordIsAllowed() {
    Map<String, String> vars = mutualTls();
    vars.remove("VEGART_KAFKA_SSL_TRUSTSTORE_PASSWORD");
    assertThat(settings(vars).security()).containsEntry("ssl.truststore.location", truststore)
        .doesNotContainKey("ssl.truststore.password");
  }

  @Test
  void storesWithoutTlsAreRefused() {
    Map<String, String> vars = mutualTls();
    vars.put("VEGART_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    assertThatThrownBy(() -> settings(vars)).isInstanceOf(ConfigException.class)
        .hasMessage("VEGART_KAFKA_SSL_TRUSTSTORE_LOCATION needs VEGART_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL, got 'SASL_PLAINTEXT'");
    assertThatThrownBy(() -> settings(Map.of("VEGART_KAFKA_SSL_KEYSTORE_LOCATION", keystore, "VEGART_KAFKA_SSL_KEYSTORE_PASSWORD", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VEGART_KAFKA_SSL_KEYSTORE_LOCATION needs VEGART_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL, got none");
  }

  @Test
  void anUnreadableStoreIsRefused() {
    Map<String, String> vars = mutualTls();
    String missing = dir.resolve("missing.p12").toString();
    vars.put("VEGART_KAFKA_SSL_KEYSTORE_LOCATION", missing);
    assertThatThrownBy(() -> settings(vars)).isInstanceOf(ConfigException.class)
        .hasMessage("VEGART_KAFKA_SSL_KEYSTORE_LOCATION names " + missing + ", which is not a readable file");
  }

  @Test
  void storeDetailsWithoutALocationAreRefused() {
    assertThatThrownBy(() -> settings(Map.of("VEGART_KAFKA_SECURITY_PROTOCOL", "SSL", "VEGART_KAFKA_SSL_KEYSTORE_PASSWORD", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VEGART_KAFKA_SSL_KEYSTORE_PASSWORD has no effect without VEGART_KAFKA_SSL_KEYSTORE_LOCATION");
    assertThatThrownBy(() -> settings(Map.of("VEGART_KAFKA_SECURITY_PROTOCOL", "SSL", "VEGART_KAFKA_SSL_KEY_PASSWORD", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VEGART_KAFKA_SSL_KEY_PASSWORD has no effect without VEGART_KAFKA_SSL_KEYSTORE_LOCATION");
  }
}
