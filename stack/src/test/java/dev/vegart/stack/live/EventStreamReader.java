package dev.vegart.stack.live;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** Reads a whole {@code text/event-stream} response (until the server ends it) into its events. */
final class EventStreamReader {
  record Event(String name, JsonObject data) {}

  record Result(int status, String contentType, List<Event> events, String body) {}

  private EventStreamReader() {}

  static Result read(String url, String apiKey, Duration timeout) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("x-api-key", apiKey)
        .header("Accept", "text/event-stream").GET().build();
    HttpResponse<Stream<String>> response = client.send(req, HttpResponse.BodyHandlers.ofLines());
    String type = response.headers().firstValue("Content-Type").orElse("");
    List<Event> events = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      String name = "message";
      StringBuilder data = new StringBuilder();
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        all.append(line).append('\n');
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(name, new JsonObject(data.toString())));
          }
          name = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    }
    return new Result(response.statusCode(), type, events, all.toString());
  }
}
