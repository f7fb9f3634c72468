package dev.vegart.worker.pipeline;

/** Process-wide DJL settings the worker needs before the engine starts. */
final class DjlRuntime {
  private DjlRuntime() {}

  /**
   * Keeps DJL from reaching the network (model zoo lookups, usage tracking, the cloud metadata address) unless the
   * operator asked for it: the natives come from the pytorch-native jar or a baked-in libtorch.
   */
  static void configureOffline() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
