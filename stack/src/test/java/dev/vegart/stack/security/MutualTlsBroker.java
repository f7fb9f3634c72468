package dev.vegart.stack.security;

import dev.vegart.stack.embedded.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (KRaft) in this JVM whose client listener speaks TLS and requires a client
 * certificate signed by the CA in its trust store ({@code ssl.client.auth=required}). The broker's own
 * traffic (inter-broker, controller) stays on plaintext loopback listeners that the tests never use.
 */
final class MutualTlsBroker implements AutoCloseable {
  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private MutualTlsBroker(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  static MutualTlsBroker start(Path dir, Path keyStore, Path trustStore, String password) throws Exception {
    Path logDir = dir.resolve("kafka-log");
    int tlsPort = Ports.free();
    int internalPort = Ports.free();
    int controllerPort = Ports.free();
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("listeners", "SSL://127.0.0.1:" + tlsPort + ",INTERNAL://127.0.0.1:" + internalPort
        + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "SSL://127.0.0.1:" + tlsPort + ",INTERNAL://127.0.0.1:" + internalPort);
    props.put("listener.security.protocol.map", "SSL:SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "INTERNAL");
    props.put("listener.name.ssl.ssl.client.auth", "required");
    props.put("listener.name.ssl.ssl.keystore.location", keyStore.toString());
    props.put("listener.name.ssl.ssl.keystore.password", password);
    props.put("listener.name.ssl.ssl.keystore.type", "PKCS12");
    props.put("listener.name.ssl.ssl.truststore.location", trustStore.toString());
    props.put("listener.name.ssl.ssl.truststore.password", password);
    props.put("listener.name.ssl.ssl.truststore.type", "PKCS12");
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    Files.createDirectories(logDir);
    new Formatter()
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .addDirectory(logDir.toString())
        .setMetadataLogDirectory(logDir.toString())
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setControllerListenerName("CONTROLLER")
        .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
        .run();
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    return new MutualTlsBroker(server, "127.0.0.1:" + tlsPort);
  }

  /** The TLS listener, the only one clients are given. */
  String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
