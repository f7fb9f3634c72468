package dev.vegart.worker.pipeline;

import java.util.Arrays;
import java.util.List;

/**
 * A prompt as both text encoders read it: for each encoder (manifest order: text_encoder, text_encoder_2) exactly
 * {@code max_length} ids starting with BOS, ending the text with EOS, then that encoder's pad id.
 *
 * @param ids one id row per encoder
 * @param truncatedTokens text tokens dropped to fit max_length (0 when it fit); reported to the user
 */
public record TokenizedPrompt(List<long[]> ids, int truncatedTokens) {
  public TokenizedPrompt {
    ids = ids.stream().map(long[]::clone).toList();
  }

  /** A copy of the ids for encoder {@code index}. */
  public long[] ids(int index) {
    return ids.get(index).clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenizedPrompt t && truncatedTokens == t.truncatedTokens
        && ids.size() == t.ids.size()
        && java.util.stream.IntStream.range(0, ids.size()).allMatch(i -> Arrays.equals(ids.get(i), t.ids.get(i)));
  }

  @Override
  public int hashCode() {
    return ids.stream().mapToInt(Arrays::hashCode).reduce(truncatedTokens, (a, b) -> 31 * a + b);
  }

  @Override
  public String toString() {
    return "TokenizedPrompt" + ids.stream().map(Arrays::toString).toList() + " truncated=" + truncatedTokens;
  }
}
