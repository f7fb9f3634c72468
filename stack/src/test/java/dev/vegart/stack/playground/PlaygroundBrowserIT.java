package dev.vegart.stack.playground;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The playground in a real browser: runs {@code src/test/browser/playground.mjs} (playwright-core driving Debian's
 * chromium) against the shared stack with a fresh key of the {@code tiny} tier (2 images a day). The script checks
 * the page; this test checks it passed and left its screenshots in {@code target/}.
 */
class PlaygroundBrowserIT {
  private static final Path SCRIPT_DIR = Path.of("src/test/browser");
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

  @Test
  void aPromptBecomesAnImageOfTheRequestedSizeUntilTheQuotaIsUsedUp() throws Exception {
    assertThat(SCRIPT_DIR.resolve("node_modules/playwright-core")).as(
        "playwright-core is not installed: npm ci --prefix stack/src/test/browser (.ci/run does it)").isDirectory();
    assertThat(CHROMIUM).as("chromium is not installed: apt-get install chromium (.ci/run does it)").exists();
    LocalStack stack = SharedStack.get();
    String key = new Http(stack.url()).createKey(stack.adminToken(), "tiny");
    Path out = Path.of("target").toAbsolutePath();
    Files.createDirectories(out);
    Path log = out.resolve("playground-browser.log");
    for (String shot : new String[] {"playground.png", "playground-quota.png", "playground-phone.png"}) {
      Files.deleteIfExists(out.resolve(shot));
    }

    Process node = new ProcessBuilder("node", SCRIPT_DIR.resolve("playground.mjs").toString(), stack.url(), key, out.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = node.waitFor(240, TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    String output = read(log);
    assertThat(finished).as("the browser test did not finish in 240 s:\n" + output).isTrue();
    assertThat(node.exitValue()).as("the browser test failed:\n" + output).isZero();
    for (String shot : new String[] {"playground.png", "playground-quota.png", "playground-phone.png"}) {
      byte[] png = Files.readAllBytes(out.resolve(shot));
      assertThat(png).as(shot).startsWith(0x89, 'P', 'N', 'G');
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no output)";
  }
}
