package dev.vegart.stack.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for the bytes a real client refuses to send: invalid UTF-8, CR/LF inside a
 * header value, bad header lines, absurd methods. Every exchange sends {@code Connection: close} (unless the
 * caller wrote its own head) and reads until the server closes, within a hard deadline: a read that stalls
 * past it is a hang and fails the property. Not thread-safe per exchange; one socket per call.
 */
final class RawHttp {
  /** The longest a hostile request may take before the server is said to hang. */
  static final Duration DEADLINE = Duration.ofSeconds(15);
  /** The Segmind endpoint waits for the image up to {@code VEGART_SYNC_TIMEOUT} (60 s) by design, then answers 504. */
  static final Duration SYNC_DEADLINE = Duration.ofSeconds(75);
  private static final int MAX_RESPONSE_BYTES = 4 << 20;

  private final int port;

  RawHttp(int port) {
    this.port = port;
  }

  /** A parsed answer; {@code status} 0 means the server closed the connection without one. */
  record Response(int status, List<String[]> headers, byte[] body, String rawHead) {
    Optional<String> header(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      String text = bodyText();
      return rawHead + (text.length() > 400 ? text.substring(0, 400) + "..." : text);
    }
  }

  /** Sends a request built from parts; {@code headerLines} are written verbatim, each followed by CRLF. */
  Response send(String method, byte[] target, List<byte[]> headerLines, byte[] body) {
    return send(method, target, headerLines, body, DEADLINE);
  }

  /** As {@link #send(String, byte[], List, byte[])} with its own deadline. */
  Response send(String method, byte[] target, List<byte[]> headerLines, byte[] body, Duration deadline) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(method.getBytes(StandardCharsets.ISO_8859_1));
    out.write(' ');
    out.writeBytes(target);
    out.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII));
    for (byte[] line : headerLines) {
      out.writeBytes(line);
      out.writeBytes(CRLF);
    }
    if (body != null) {
      out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(CRLF);
    if (body != null) {
      out.writeBytes(body);
    }
    return exchange(out.toByteArray(), deadline);
  }

  static final byte[] CRLF = {'\r', '\n'};

  static byte[] line(String name, String value) {
    return (name + ": " + value).getBytes(StandardCharsets.UTF_8);
  }

  /** Writes {@code request} as is and reads the answer until the server closes or the deadline passes. */
  Response exchange(byte[] request) {
    return exchange(request, DEADLINE);
  }

  Response exchange(byte[] request, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout((int) limit.toMillis());
      OutputStream os = socket.getOutputStream();
      try {
        os.write(request);
        os.flush();
      } catch (IOException e) {
        // The server may refuse and close before reading everything (a huge body): read what it answered.
      }
      return parse(readAll(socket.getInputStream(), deadline));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within " + limit + " (a hang) to: " + preview(request), e);
    } catch (IOException e) {
      throw new AssertionError("exchange failed: " + e + " for: " + preview(request), e);
    }
  }

  private static byte[] readAll(InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (true) {
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("deadline passed with " + got.size() + " bytes read");
      }
      int n;
      try {
        n = in.read(buf);
      } catch (java.net.SocketException e) {
        // A reset after the answer (the server closed while our body was still in flight) ends the read.
        break;
      }
      if (n < 0) {
        break;
      }
      got.write(buf, 0, n);
      if (got.size() > MAX_RESPONSE_BYTES) {
        throw new AssertionError("answer larger than " + MAX_RESPONSE_BYTES + " bytes");
      }
      if (isEventStreamHead(got)) {
        // A stream that stays open by design: its head is the answer.
        break;
      }
    }
    return got.toByteArray();
  }

  private static boolean isEventStreamHead(ByteArrayOutputStream got) {
    String text = got.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    return end > 0 && text.substring(0, end).toLowerCase(Locale.ROOT).contains("content-type: text/event-stream");
  }

  private static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (raw.length == 0 || end < 0) {
      return new Response(0, List.of(), raw, text);
    }
    String[] lines = text.substring(0, end).split("\r\n", -1);
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    boolean chunked = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Transfer-Encoding")
        && h[1].toLowerCase(Locale.ROOT).contains("chunked"));
    return new Response(status, headers, chunked ? dechunk(body) : body, text.substring(0, end + 4));
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < body.length) {
      int lineEnd = indexOfCrlf(body, i);
      if (lineEnd < 0) {
        break;
      }
      String sizeText = new String(body, i, lineEnd - i, StandardCharsets.US_ASCII).split(";")[0].trim();
      int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
      if (size == 0) {
        break;
      }
      int start = lineEnd + 2;
      out.write(body, start, Math.min(size, body.length - start));
      i = start + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String preview(byte[] request) {
    String text = new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1);
    return text.replace("\r", "\\r").replace("\n", "\\n") + (request.length > 300 ? "... (" + request.length + " bytes)" : "");
  }
}
