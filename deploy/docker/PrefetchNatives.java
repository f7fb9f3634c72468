import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run once while the image is built ({@code java -cp '/app/lib/*' PrefetchNatives.java}): lets DJL put
 * libtorch of {@code PYTORCH_FLAVOR} (downloaded for cu128, extracted from the jar for cpu), its JNI
 * glue and the tokenizers library into {@code DJL_CACHE_DIR}, so pods start offline and never write
 * there. Fails the build when a library is missing.
 */
public class PrefetchNatives {
  public static void main(String[] args) throws IOException {
    Path cache = Path.of(System.getenv("DJL_CACHE_DIR"));
    String flavor = System.getenv().getOrDefault("PYTORCH_FLAVOR", "cpu");
    ai.djl.pytorch.jni.LibUtils.loadLibrary();
    ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
    System.out.println("libtorch " + ai.djl.pytorch.jni.LibUtils.getVersion() + " at " + ai.djl.pytorch.jni.LibUtils.getLibtorchPath());

    List<String> files;
    try (Stream<Path> walk = Files.walk(cache)) {
      files = walk.filter(Files::isRegularFile).map(p -> cache.relativize(p).toString()).sorted().toList();
    }
    files.forEach(f -> System.out.println("  " + f));
    require(files, "libtorch for " + flavor, f -> f.contains("-" + flavor + "-") && f.contains("libtorch"));
    if (!flavor.equals("cpu")) {
      require(files, "libtorch_cuda", f -> f.contains("libtorch_cuda"));
    }
    require(files, "the DJL JNI library", f -> f.endsWith("libdjl_torch.so"));
    require(files, "the tokenizers library", f -> f.endsWith("libtokenizers.so"));
  }

  private static void require(List<String> files, String what, java.util.function.Predicate<String> test) {
    if (files.stream().noneMatch(test)) {
      System.err.println("missing " + what + " in DJL_CACHE_DIR");
      System.exit(1);
    }
  }
}
