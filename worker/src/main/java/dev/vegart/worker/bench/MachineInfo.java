package dev.vegart.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark ran on, so numbers from different hosts are never compared by accident. */
public record MachineInfo(String os, String cpu, int cores, String java, String device, String engine) {

  static MachineInfo describe(String device, String engine) {
    return new MachineInfo(System.getProperty("os.name") + " " + System.getProperty("os.arch"), cpuModel(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version"), device, engine);
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
