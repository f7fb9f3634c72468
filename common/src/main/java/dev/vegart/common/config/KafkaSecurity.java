package dev.vegart.common.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS and SASL client properties every Kafka client of the fleet gets (producers, consumers, admin
 * clients), read from {@code VEGART_KAFKA_*}. Settings that Kafka would ignore or reject at the first
 * connection are refused here, at startup, naming the variable to change.
 */
final class KafkaSecurity {
  static final String PROTOCOL = "VEGART_KAFKA_SECURITY_PROTOCOL";
  static final String TRUSTSTORE_LOCATION = "VEGART_KAFKA_SSL_TRUSTSTORE_LOCATION";
  static final String TRUSTSTORE_PASSWORD = "VEGART_KAFKA_SSL_TRUSTSTORE_PASSWORD";
  static final String TRUSTSTORE_TYPE = "VEGART_KAFKA_SSL_TRUSTSTORE_TYPE";
  static final String KEYSTORE_LOCATION = "VEGART_KAFKA_SSL_KEYSTORE_LOCATION";
  static final String KEYSTORE_PASSWORD = "VEGART_KAFKA_SSL_KEYSTORE_PASSWORD";
  static final String KEYSTORE_TYPE = "VEGART_KAFKA_SSL_KEYSTORE_TYPE";
  static final String KEY_PASSWORD = "VEGART_KAFKA_SSL_KEY_PASSWORD";
  private static final String DEFAULT_STORE_TYPE = "PKCS12";

  private KafkaSecurity() {}

  static Map<String, String> from(Env env) {
    Map<String, String> p = new HashMap<>();
    Optional<String> protocol = env.get(PROTOCOL).map(v -> v.toUpperCase(Locale.ROOT));
    protocol.ifPresent(v -> p.put("security.protocol", v));
    env.get("VEGART_KAFKA_SASL_MECHANISM").ifPresent(v -> p.put("sasl.mechanism", v));
    env.get("VEGART_KAFKA_SASL_JAAS_CONFIG").ifPresent(v -> p.put("sasl.jaas.config", v));
    boolean tls = protocol.filter(v -> v.equals("SSL") || v.equals("SASL_SSL")).isPresent();
    store(env, p, tls, "truststore", TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE);
    store(env, p, tls, "keystore", KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE);
    env.get(KEY_PASSWORD).ifPresent(v -> {
      requireSet(env, KEYSTORE_LOCATION, KEY_PASSWORD);
      p.put("ssl.key.password", v);
    });
    return p;
  }

  /** One store: its location, password and type (PKCS12 unless told), only under SSL or SASL_SSL. */
  private static void store(Env env, Map<String, String> p, boolean tls, String kind, String location, String password,
      String type) {
    Optional<String> path = env.get(location);
    if (path.isEmpty()) {
      requireUnset(env, password, location);
      requireUnset(env, type, location);
      return;
    }
    if (!tls) {
      // Kafka silently skips stores under PLAINTEXT or SASL_PLAINTEXT: the operator meant TLS.
      throw new ConfigException(location, "needs " + PROTOCOL + "=SSL or SASL_SSL, got "
          + env.get(PROTOCOL).map(v -> "'" + v + "'").orElse("none"));
    }
    if (!Files.isReadable(Path.of(path.get()))) {
      throw new ConfigException(location, "names " + path.get() + ", which is not a readable file");
    }
    String storeType = env.string(type, DEFAULT_STORE_TYPE).toUpperCase(Locale.ROOT);
    // A trust store may be readable without its password; a key store's private key never is.
    if (kind.equals("keystore") && !storeType.equals("PEM") && env.get(password).isEmpty()) {
      throw new ConfigException(password, "is required with " + location + " (a " + storeType + " " + kind + ")");
    }
    p.put("ssl." + kind + ".location", path.get());
    p.put("ssl." + kind + ".type", storeType);
    env.get(password).ifPresent(v -> p.put("ssl." + kind + ".password", v));
  }

  private static void requireUnset(Env env, String name, String needs) {
    if (env.get(name).isPresent()) {
      throw new ConfigException(name, "has no effect without " + needs);
    }
  }

  private static void requireSet(Env env, String name, String user) {
    if (env.get(name).isEmpty()) {
      throw new ConfigException(user, "has no effect without " + name);
    }
  }
}
