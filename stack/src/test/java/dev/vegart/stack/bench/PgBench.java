package dev.vegart.stack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code pgbench} (Debian's {@code postgresql-client}) with the gateway's submit transaction, as
 * {@code JobStore.submit} sends it for a key without an idempotency key: the quota upsert, then the job insert
 * with a request document of the gateway's size, in one transaction, prepared statements, on 16 unlimited keys.
 */
final class PgBench {
  /** A request document of the gateway's size; ": " after every key, since pgbench reads ":name" as a variable. */
  private static final String REQUEST = "{\"id\": \"job_01kbench0000000000000000000\", \"keyId\": \"pgb_0\", "
      + "\"prompt\": \"a red cube on a wooden table, studio light\", \"steps\": 4, \"seed\": 123456789, \"width\": 1024, "
      + "\"height\": 1024, \"numImages\": 1, \"outputFormat\": \"png\", \"decoder\": \"full\", "
      + "\"submittedAt\": \"2026-11-26T07:00:00.000000Z\", \"deadline\": null}";

  record Result(double tps, double latencyMs, List<String> script) {}

  private PgBench() {}

  static Result run(int port, String user, int clients, int seconds) throws IOException, InterruptedException {
    psql(port, user, "INSERT INTO api_keys (id, key_hash, tier, name) SELECT 'pgb_' || i, 'pgbench-' || i, 'unlimited', "
        + "'pgbench' FROM generate_series(0, 15) i ON CONFLICT DO NOTHING");
    List<String> script = List.of(
        "\\set k :client_id % 16",
        "BEGIN;",
        "INSERT INTO quota_usage (key_id, day, used) SELECT 'pgb_' || :k, current_date, 1::int WHERE 1::int <= 2147483647 "
            + "ON CONFLICT (key_id, day) DO UPDATE SET used = quota_usage.used + EXCLUDED.used "
            + "WHERE quota_usage.used + EXCLUDED.used <= 2147483647 RETURNING used;",
        "INSERT INTO jobs (id, key_id, status, request, num_images, quota_day, created_at, deadline) VALUES "
            + "('pgb_' || gen_random_uuid(), 'pgb_' || :k, 'queued', '" + REQUEST + "'::text::jsonb, 1, current_date, now(), NULL);",
        "COMMIT;");
    Path file = Files.createTempFile("vegart-pgbench-", ".sql");
    Files.write(file, script, StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", user,
        "-c", Integer.toString(clients), "-j", "2", "-T", Integer.toString(seconds), "-M", "prepared", "-f", file.toString(),
        "postgres"));
    String out = exec(command);
    Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
    Matcher latency = Pattern.compile("latency average = ([0-9.]+) ms").matcher(out);
    if (!tps.find()) {
      throw new IllegalStateException("pgbench printed no tps:\n" + out);
    }
    return new Result(Double.parseDouble(tps.group(1)), latency.find() ? Double.parseDouble(latency.group(1)) : Double.NaN, script);
  }

  private static void psql(int port, String user, String sql) throws IOException, InterruptedException {
    exec(List.of("psql", "-q", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", user, "-d", "postgres",
        "-v", "ON_ERROR_STOP=1", "-c", sql));
  }

  private static String exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }
}
