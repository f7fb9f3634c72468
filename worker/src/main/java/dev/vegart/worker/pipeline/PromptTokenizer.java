package dev.vegart.worker.pipeline;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CLIP tokenization for both text encoders with the model directory's tokenizer.json files (Hugging Face tokenizers
 * through DJL). Each row is cut to max_length keeping BOS and EOS (CLIP's rule: the first max_length-2 text tokens),
 * then padded with the encoder's own pad id from manifest.json.
 *
 * <p>Thread-safe (the native tokenizer is immutable): call it off the device thread, e.g. when a job is admitted,
 * and hand the result to {@link Generation#tokens(TokenizedPrompt)}.
 */
public final class PromptTokenizer implements AutoCloseable {
  private static final String[] ENCODERS = {ModelManifest.TEXT_ENCODER, ModelManifest.TEXT_ENCODER_2};
  private final Map<Path, HuggingFaceTokenizer> byFile = new LinkedHashMap<>();
  private final List<HuggingFaceTokenizer> tokenizers = new ArrayList<>();
  private final List<ModelManifest.Tokenizer> specs = new ArrayList<>();

  /** Loads (and sha256-checks) the tokenizer of each encoder; encoders sharing one file share one tokenizer. */
  public PromptTokenizer(ModelDirectory dir) {
    DjlRuntime.configureOffline();
    for (String encoder : ENCODERS) {
      ModelManifest.Tokenizer spec = dir.manifest().tokenizer(encoder);
      Path file = dir.verified(spec);
      tokenizers.add(byFile.computeIfAbsent(file, PromptTokenizer::load));
      specs.add(spec);
    }
  }

  private static HuggingFaceTokenizer load(Path file) {
    try {
      return HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optAddSpecialTokens(true)
          .optTruncation(false)
          .optPadding(false)
          .build();
    } catch (IOException | RuntimeException e) {
      throw new ModelDirectoryException("tokenizer " + file + " cannot be loaded as a Hugging Face tokenizer.json: "
          + e.getMessage(), e);
    }
  }

  public TokenizedPrompt tokenize(String prompt) {
    List<long[]> rows = new ArrayList<>(ENCODERS.length);
    int truncated = 0;
    Map<HuggingFaceTokenizer, long[]> encoded = new java.util.IdentityHashMap<>(2);
    for (int i = 0; i < ENCODERS.length; i++) {
      // SDXL's two tokenizers differ only in padding: encode once per distinct tokenizer file
      long[] raw = encoded.computeIfAbsent(tokenizers.get(i), t -> t.encode(prompt, true, false).getIds());
      ModelManifest.Tokenizer spec = specs.get(i);
      truncated = Math.max(truncated, Math.max(0, raw.length - spec.maxLength()));
      rows.add(fit(raw, spec.maxLength(), spec.padId()));
    }
    return new TokenizedPrompt(rows, truncated);
  }

  /** BOS + the first max-2 text tokens + EOS when too long; padded with {@code padId} when short. */
  static long[] fit(long[] raw, int maxLength, int padId) {
    long[] out = new long[maxLength];
    java.util.Arrays.fill(out, padId);
    if (raw.length <= maxLength) {
      System.arraycopy(raw, 0, out, 0, raw.length);
    } else {
      System.arraycopy(raw, 0, out, 0, maxLength - 1);
      out[maxLength - 1] = raw[raw.length - 1];
    }
    return out;
  }

  @Override
  public void close() {
    byFile.values().forEach(HuggingFaceTokenizer::close);
  }
}
