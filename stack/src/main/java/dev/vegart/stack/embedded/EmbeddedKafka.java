package dev.vegart.stack.embedded;

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
 * A real single-node Kafka (KRaft, combined broker and controller) inside this JVM. Its log lives under
 * {@code dir} and survives a restart; the storage is formatted once, on first start.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  public static EmbeddedKafka start(Path dir, int partitions) throws Exception {
    int brokerPort = Ports.remembered(dir.resolve("broker.port"));
    int controllerPort = Ports.remembered(dir.resolve("controller.port"));
    Properties listeners = new Properties();
    listeners.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    listeners.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    listeners.put("inter.broker.listener.name", "PLAINTEXT");
    listeners.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    return start(dir.resolve("log"), partitions, controllerPort, listeners, "127.0.0.1:" + brokerPort);
  }

  /**
   * Starts a node with the given listeners ({@code listeners}, {@code advertised.listeners},
   * {@code listener.security.protocol.map}, {@code inter.broker.listener.name} and any per-listener settings),
   * which must include {@code CONTROLLER} on {@code controllerPort}; clients are given {@code bootstrapServers}.
   */
  public static EmbeddedKafka start(Path logDir, int partitions, int controllerPort, Properties listeners,
      String bootstrapServers) throws Exception {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", Integer.toString(partitions));
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    props.put("log.flush.interval.messages", "1");
    props.putAll(listeners);
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
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
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    return new EmbeddedKafka(server, bootstrapServers);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
