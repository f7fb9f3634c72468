package dev.vegart.stack.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loopback ports for embedded servers: remembered in the data directory so a restart reuses them. */
public final class Ports {
  private Ports() {}

  public static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean available(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The port stored in {@code file} if it is still free, else a new free one, stored. */
  public static int remembered(Path file) {
    try {
      if (Files.exists(file)) {
        int port = Integer.parseInt(Files.readString(file).trim());
        if (available(port)) {
          return port;
        }
      }
      int port = free();
      Files.createDirectories(file.getParent());
      Files.writeString(file, Integer.toString(port));
      return port;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
