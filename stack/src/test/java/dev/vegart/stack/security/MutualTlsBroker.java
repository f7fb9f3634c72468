package dev.vegart.stack.security;

import dev.vegart.stack.embedded.EmbeddedKafka;
import dev.vegart.stack.embedded.Ports;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real single-node Kafka (KRaft) in this JVM whose client listener speaks TLS and requires a client
 * certificate signed by the CA in its trust store ({@code ssl.client.auth=required}). The broker's own
 * traffic (inter-broker, controller) stays on plaintext loopback listeners that the tests never use.
 */
final class MutualTlsBroker {
  private MutualTlsBroker() {}

  static EmbeddedKafka start(Path dir, Path keyStore, Path trustStore, String password) throws Exception {
    int tlsPort = Ports.free();
    int internalPort = Ports.free();
    int controllerPort = Ports.free();
    Properties listeners = new Properties();
    listeners.put("listeners", "SSL://127.0.0.1:" + tlsPort + ",INTERNAL://127.0.0.1:" + internalPort
        + ",CONTROLLER://127.0.0.1:" + controllerPort);
    listeners.put("advertised.listeners", "SSL://127.0.0.1:" + tlsPort + ",INTERNAL://127.0.0.1:" + internalPort);
    listeners.put("listener.security.protocol.map", "SSL:SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
    listeners.put("inter.broker.listener.name", "INTERNAL");
    listeners.put("listener.name.ssl.ssl.client.auth", "required");
    listeners.put("listener.name.ssl.ssl.keystore.location", keyStore.toString());
    listeners.put("listener.name.ssl.ssl.keystore.password", password);
    listeners.put("listener.name.ssl.ssl.keystore.type", "PKCS12");
    listeners.put("listener.name.ssl.ssl.truststore.location", trustStore.toString());
    listeners.put("listener.name.ssl.ssl.truststore.password", password);
    listeners.put("listener.name.ssl.ssl.truststore.type", "PKCS12");
    return EmbeddedKafka.start(dir.resolve("kafka-log"), 1, controllerPort, listeners, "127.0.0.1:" + tlsPort);
  }
}
