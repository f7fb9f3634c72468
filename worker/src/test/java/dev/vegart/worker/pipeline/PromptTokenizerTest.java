package dev.vegart.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PromptTokenizerTest {
  private static PromptTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = new PromptTokenizer(ModelDirectory.open(Golden.tinyModel()));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void aPhotoOfACatHasTheKnownClipIds() {
    TokenizedPrompt t = tokenizer.tokenize("a photo of a cat");
    assertThat(t.ids(0)).startsWith(49406, 320, 1125, 539, 320, 2368, 49407, 49407);
    assertThat(t.ids(1)).startsWith(49406, 320, 1125, 539, 320, 2368, 49407, 0);
    assertThat(t.ids(0)).hasSize(77);
    assertThat(t.truncatedTokens()).isZero();
  }

  @Test
  void matchesThePythonReferenceTokenizerOnEveryGoldenPrompt() {
    JsonNode golden = Golden.read("tokenizer.json");
    for (JsonNode row : golden) {
      TokenizedPrompt t = tokenizer.tokenize(row.get("prompt").asText());
      assertThat(t.ids(0)).as(row.get("prompt").asText()).containsExactly(Golden.longs(row.get("text_encoder")));
      assertThat(t.ids(1)).as(row.get("prompt").asText()).containsExactly(Golden.longs(row.get("text_encoder_2")));
      assertThat(t.truncatedTokens()).as(row.get("prompt").asText()).isEqualTo(row.get("truncated_tokens").asInt());
    }
    assertThat(golden.size()).isGreaterThanOrEqualTo(8);
  }

  @Test
  void longPromptKeepsBosAndEosAndReportsWhatWasDropped() {
    String prompt = "red fox ".repeat(60);
    TokenizedPrompt t = tokenizer.tokenize(prompt);
    long[] ids = t.ids(1);
    assertThat(ids[0]).isEqualTo(49406);
    assertThat(ids[76]).isEqualTo(49407);
    assertThat(ids).doesNotContain(0L);
    assertThat(t.truncatedTokens()).isEqualTo(120 + 2 - 77);
  }

  @Test
  void whitespaceOnlyPromptIsBosEosThenPadding() {
    TokenizedPrompt t = tokenizer.tokenize(" \t\n ");
    assertThat(t.ids(0)).startsWith(49406, 49407, 49407);
    assertThat(t.ids(1)).startsWith(49406, 49407, 0, 0);
    assertThat(t.truncatedTokens()).isZero();
  }

  @Test
  void givesTheSameIdsFromManyThreadsAtOnce() throws Exception {
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      prompts.add("prompt number " + i + " with a café and a 🐱 " + "word ".repeat(i));
    }
    List<TokenizedPrompt> expected = prompts.stream().map(tokenizer::tokenize).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<TokenizedPrompt>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> prompts.stream().map(tokenizer::tokenize).toList()));
      }
      for (Future<List<TokenizedPrompt>> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fitTruncatesToMaxKeepingTheLastIdAndPadsShortRows() {
    assertThat(PromptTokenizer.fit(new long[] {1, 2, 3, 4, 5, 9}, 4, 0)).containsExactly(1, 2, 3, 9);
    assertThat(PromptTokenizer.fit(new long[] {1, 9}, 4, 7)).containsExactly(1, 9, 7, 7);
  }
}
