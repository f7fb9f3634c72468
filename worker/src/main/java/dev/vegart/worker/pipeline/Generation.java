package dev.vegart.worker.pipeline;

import dev.vegart.common.job.Decoder;

/**
 * One image being generated: what was asked (prompt, seed, steps, size, decoder) and the state carried
 * between pipeline stages. Owned by the device thread while in the pipeline; read by others only after
 * {@link #image()} is set.
 */
public final class Generation {
  private final String id;
  private final String prompt;
  private final long seed;
  private final int steps;
  private final int width;
  private final int height;
  private final Decoder decoder;
  private int stepIndex;
  private RgbImage image;
  private volatile TokenizedPrompt tokens;
  private GenerationState state;

  public Generation(String id, String prompt, long seed, int steps, int width, int height, Decoder decoder) {
    this.id = id;
    this.prompt = prompt;
    this.seed = seed;
    this.steps = steps;
    this.width = width;
    this.height = height;
    this.decoder = decoder;
  }

  public String id() {
    return id;
  }

  public String prompt() {
    return prompt;
  }

  public long seed() {
    return seed;
  }

  public int steps() {
    return steps;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public Decoder decoder() {
    return decoder;
  }

  /** Steps already run. */
  public int stepIndex() {
    return stepIndex;
  }

  void advance() {
    stepIndex++;
  }

  public boolean stepsDone() {
    return stepIndex >= steps;
  }

  /** The prompt's token ids, or null until set by the caller or by {@link Pipeline#encodeText}. */
  public TokenizedPrompt tokens() {
    return tokens;
  }

  /** Sets the token ids (any thread, before the generation enters the pipeline); see {@link PromptTokenizer}. */
  public void tokens(TokenizedPrompt tokens) {
    this.tokens = tokens;
  }

  /** Prompt tokens dropped to fit the encoders' 77 tokens; 0 before tokenization. */
  public int truncatedTokens() {
    TokenizedPrompt t = tokens;
    return t == null ? 0 : t.truncatedTokens();
  }

  /**
   * Frees this generation's device memory (conditioning, latents). {@link Pipeline#decode} does it; a scheduler that
   * drops a generation early (cancel, failure) must call it on the device thread. Idempotent.
   */
  public void release() {
    if (state != null) {
      state.close();
      state = null;
    }
  }

  GenerationState state() {
    return state;
  }

  void state(GenerationState state) {
    this.state = state;
  }

  /** The decoded raster, or null before {@link Pipeline#decode}. */
  public RgbImage image() {
    return image;
  }

  void image(RgbImage image) {
    this.image = image;
  }
}
