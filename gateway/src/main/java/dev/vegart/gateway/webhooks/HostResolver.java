package dev.vegart.gateway.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;

/** Resolves a host name to every address it has. Implementations must not block the calling event loop. */
@FunctionalInterface
public interface HostResolver {
  Future<List<InetAddress>> resolve(String host);

  /**
   * The system resolver (hosts file, then DNS) on a worker thread: {@link InetAddress#getAllByName} blocks.
   * Name lookups cached by the JVM for {@code networkaddress.cache.ttl} seconds (30 by default).
   */
  static HostResolver system(Vertx vertx) {
    return host -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(DestinationPolicy.bare(host))), false);
  }
}
