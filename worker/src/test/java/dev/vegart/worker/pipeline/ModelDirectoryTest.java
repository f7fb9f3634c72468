package dev.vegart.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {
  @TempDir
  Path temp;

  @Test
  void readsTheTinyModelManifest() {
    ModelDirectory dir = ModelDirectory.open(Golden.tinyModel());
    ModelManifest m = dir.manifest();
    assertThat(m.model()).isEqualTo("tiny-random");
    assertThat(m.sizes()).contains(new ModelInfo.Size(1024, 1024), new ModelInfo.Size(64, 64));
    assertThat(m.defaultSteps()).isEqualTo(4);
    assertThat(m.vaeScalingFactor()).isEqualTo(0.13025);
    assertThat(m.tokenizer("text_encoder").padId()).isEqualTo(49407);
    assertThat(m.tokenizer("text_encoder_2").padId()).isZero();
    assertThat(m.component("unet", "cpu", null)).get().extracting(ModelManifest.Component::dtype).isEqualTo("float32");
    assertThat(m.component("vae_decoder", "cpu", null).orElseThrow().latentDivisor()).isEqualTo(0.13025);
    for (ModelManifest.Component c : m.components()) {
      assertThat(dir.verified(c)).exists();
    }
  }

  @Test
  void theCommittedTinyModelStaysUnderFiveMegabytes() throws IOException {
    try (Stream<Path> files = Files.walk(Golden.tinyModel())) {
      long bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      assertThat(bytes).isLessThan(5L << 20);
    }
  }

  @Test
  void refusesADirectoryWithoutManifest() {
    assertThatThrownBy(() -> ModelDirectory.open(temp))
        .isInstanceOf(ModelDirectoryException.class)
        .hasMessageContaining("has no manifest.json");
  }

  @Test
  void namesAMissingComponentFile() throws IOException {
    Path copy = copyTinyModel();
    Files.delete(copy.resolve("cpu/unet.float32.pt"));
    assertThatThrownBy(() -> Pipelines.load(copy, "cpu"))
        .isInstanceOf(ModelDirectoryException.class)
        .hasMessageContaining("unet.float32.pt is missing")
        .hasMessageContaining("sha256");
  }

  @Test
  void namesACorruptFileWithBothHashes() throws IOException {
    Path copy = copyTinyModel();
    Path tokenizer = copy.resolve("tokenizer/tokenizer.json");
    byte[] bytes = Files.readAllBytes(tokenizer);
    bytes[bytes.length / 2] ^= 1;
    Files.write(tokenizer, bytes);
    String expected = ModelDirectory.open(Golden.tinyModel()).manifest().tokenizer("text_encoder").sha256();
    assertThatThrownBy(() -> Pipelines.load(copy, "cpu"))
        .isInstanceOf(ModelDirectoryException.class)
        .hasMessageContaining("tokenizer.json is corrupt")
        .hasMessageContaining("manifest.json expects " + expected);
  }

  @Test
  void refusesAnUnknownFormatVersionNamingTheKey() throws IOException {
    Path copy = copyTinyModel();
    Path manifest = copy.resolve("manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"format_version\": 1", "\"format_version\": 9"));
    assertThatThrownBy(() -> ModelDirectory.open(copy)).hasMessageContaining("format_version is 9");
  }

  @Test
  void refusesCudaWhenTheDirectoryHasOnlyCpuFiles() {
    assertThatThrownBy(() -> Pipelines.load(Golden.tinyModel(), "cuda:0"))
        .isInstanceOf(ModelDirectoryException.class)
        .hasMessageContaining("lists no cuda file for component text_encoder");
  }

  @Test
  void refusesAMalformedDeviceName() {
    assertThatThrownBy(() -> Pipelines.load(Golden.tinyModel(), "gpu0")).hasMessageContaining("cpu, cuda or cuda:N");
  }

  private Path copyTinyModel() throws IOException {
    Path source = Golden.tinyModel();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path target = temp.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return temp;
  }
}
