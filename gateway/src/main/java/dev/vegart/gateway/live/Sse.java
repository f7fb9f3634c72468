package dev.vegart.gateway.live;

/** Server-sent events framing (the WHATWG EventSource format). */
final class Sse {
  private Sse() {}

  /** One event: {@code event: NAME} and one {@code data:} line per line of {@code data}, then a blank line. */
  static String event(String name, String data) {
    StringBuilder sb = new StringBuilder(data.length() + name.length() + 16);
    sb.append("event: ").append(name).append('\n');
    for (String line : data.split("\r\n|\r|\n", -1)) {
      sb.append("data: ").append(line).append('\n');
    }
    return sb.append('\n').toString();
  }

  /** A comment line: ignored by clients, keeps proxies and load balancers from closing an idle stream. */
  static String comment(String text) {
    return ": " + text.replace('\n', ' ').replace('\r', ' ') + "\n\n";
  }

  /** How long a client waits before reconnecting after the stream ends or breaks. */
  static String retry(long millis) {
    return "retry: " + millis + "\n\n";
  }
}
