package dev.vegart.worker.scheduling.bench;

/** One (policy, load, mix) cell of the comparison; {@code settings} says how the policy was configured. */
record BenchRow(String policy, double load, String mix, double offeredImagesPerS, RunResult result, String settings) {}
