package dev.vegart.worker.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.common.job.OutputFormat;
import dev.vegart.worker.pipeline.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageEncoderTest {
  private final ImageEncoder encoder = new ImageEncoder();

  /** A smooth gradient with a little noise: lossy codecs should stay close, PNG must be exact. */
  static RgbImage gradient(int width, int height) {
    byte[] rgb = new byte[width * height * 3];
    Random random = new Random(1);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        rgb[i] = (byte) (x * 255 / width);
        rgb[i + 1] = (byte) (y * 255 / height);
        rgb[i + 2] = (byte) (128 + random.nextInt(8));
      }
    }
    return new RgbImage(width, height, rgb);
  }

  @Test
  void pngRoundTripsExactly() throws IOException {
    RgbImage image = gradient(96, 64);
    EncodedImage png = encoder.encode(image, OutputFormat.PNG);
    assertThat(png.format()).isEqualTo(OutputFormat.PNG);
    assertThat(png.bytes()).startsWith(0x89, 'P', 'N', 'G');
    assertThat(maxChannelDiff(image, ImageIO.read(new ByteArrayInputStream(png.bytes())))).isZero();
  }

  @Test
  void jpegAndWebpDecodeCloseToTheSource() throws IOException {
    RgbImage image = gradient(96, 64);
    EncodedImage jpeg = encoder.encode(image, OutputFormat.JPEG);
    assertThat(jpeg.bytes()).startsWith(0xFF, 0xD8, 0xFF);
    assertThat(meanChannelDiff(image, ImageIO.read(new ByteArrayInputStream(jpeg.bytes())))).isLessThan(3.0);
    EncodedImage webp = encoder.encode(image, OutputFormat.WEBP);
    assertThat(new String(webp.bytes(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    assertThat(new String(webp.bytes(), 8, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("WEBP");
    assertThat(meanChannelDiff(image, ImageIO.read(new ByteArrayInputStream(webp.bytes())))).isLessThan(4.0);
  }

  @Test
  void sha256IsOfTheEncodedBytesAndEncodingIsDeterministic() {
    RgbImage image = gradient(32, 32);
    EncodedImage a = encoder.encode(image, OutputFormat.PNG);
    EncodedImage b = encoder.encode(image, OutputFormat.PNG);
    assertThat(a.sha256()).isEqualTo(ImageEncoder.sha256(a.bytes())).hasSize(64);
    assertThat(a.bytes()).isEqualTo(b.bytes());
    assertThat(ImageEncoder.sha256(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void rasterIsFilledInBgrOrder() {
    RgbImage red = new RgbImage(1, 1, new byte[] {(byte) 255, 0, 0});
    assertThat(ImageEncoder.toBufferedImage(red).getRGB(0, 0) & 0xffffff).isEqualTo(0xff0000);
  }

  private static int maxChannelDiff(RgbImage image, BufferedImage decoded) {
    int max = 0;
    for (int[] d : diffs(image, decoded)) {
      max = Math.max(max, d[0]);
    }
    return max;
  }

  private static double meanChannelDiff(RgbImage image, BufferedImage decoded) {
    long sum = 0;
    int[][] d = diffs(image, decoded);
    for (int[] v : d) {
      sum += v[0];
    }
    return (double) sum / d.length;
  }

  private static int[][] diffs(RgbImage image, BufferedImage decoded) {
    assertThat(decoded.getWidth()).isEqualTo(image.width());
    assertThat(decoded.getHeight()).isEqualTo(image.height());
    int[][] out = new int[image.width() * image.height() * 3][1];
    byte[] rgb = image.rgb();
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int p = decoded.getRGB(x, y);
        int i = (y * image.width() + x) * 3;
        out[i][0] = Math.abs((rgb[i] & 0xff) - ((p >> 16) & 0xff));
        out[i + 1][0] = Math.abs((rgb[i + 1] & 0xff) - ((p >> 8) & 0xff));
        out[i + 2][0] = Math.abs((rgb[i + 2] & 0xff) - (p & 0xff));
      }
    }
    return out;
  }
}
