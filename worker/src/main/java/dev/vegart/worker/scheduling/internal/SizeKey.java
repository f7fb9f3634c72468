package dev.vegart.worker.scheduling.internal;

/** An image size: one UNet lane, since one device call holds one resolution. */
record SizeKey(int width, int height) {
  static SizeKey of(Item item) {
    return new SizeKey(item.width(), item.height());
  }

  static SizeKey of(Job job) {
    return new SizeKey(job.width(), job.height());
  }
}
