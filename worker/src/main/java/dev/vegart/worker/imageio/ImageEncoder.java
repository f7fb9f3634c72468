package dev.vegart.worker.imageio;

import com.luciad.imageio.webp.WebPWriteParam;
import com.pngencoder.PngEncoder;
import dev.vegart.common.job.OutputFormat;
import dev.vegart.worker.pipeline.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes decoded rasters: PNG with pngencoder (multi-threaded deflate), JPEG with ImageIO at quality
 * {@value #JPEG_QUALITY}, WebP (lossy, quality {@value #WEBP_QUALITY}) with webp-imageio's bundled libwebp.
 *
 * <p>Thread-safe: holds no state; call it from encoding threads, never from the device thread or an event loop
 * (a 1024x1024 PNG takes ~40 ms).
 */
public final class ImageEncoder {
  public static final float JPEG_QUALITY = 0.9f;
  public static final float WEBP_QUALITY = 0.9f;

  public EncodedImage encode(RgbImage image, OutputFormat format) {
    BufferedImage raster = toBufferedImage(image);
    byte[] bytes = switch (format) {
      case PNG -> new PngEncoder().withBufferedImage(raster).toBytes();
      case JPEG -> write(raster, "image/jpeg", jpegParam());
      case WEBP -> write(raster, "image/webp", webpParam());
    };
    return new EncodedImage(bytes, sha256(bytes), format);
  }

  /** RGB bytes straight into a TYPE_3BYTE_BGR raster's backing array (BGR order), no per-pixel setRGB. */
  static BufferedImage toBufferedImage(RgbImage image) {
    BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    byte[] rgb = image.rgb();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    return out;
  }

  private static ImageWriteParam jpegParam() {
    ImageWriteParam param = writer("image/jpeg").getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(JPEG_QUALITY);
    return param;
  }

  private static ImageWriteParam webpParam() {
    WebPWriteParam param = new WebPWriteParam(null);
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionType(param.getCompressionTypes()[WebPWriteParam.LOSSY_COMPRESSION]);
    param.setCompressionQuality(WEBP_QUALITY);
    return param;
  }

  private static ImageWriter writer(String mediaType) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByMIMEType(mediaType);
    if (!writers.hasNext()) {
      throw new IllegalStateException("no ImageIO writer for " + mediaType + " on the classpath");
    }
    return writers.next();
  }

  private static byte[] write(BufferedImage raster, String mediaType, ImageWriteParam param) {
    ImageWriter writer = writer(mediaType);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raster.getWidth() * raster.getHeight());
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding " + mediaType + " failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
