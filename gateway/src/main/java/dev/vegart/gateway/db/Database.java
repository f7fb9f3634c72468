package dev.vegart.gateway.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The PostgreSQL pool and the schema migrations. Migrations are SQL files applied in order, each once,
 * under an advisory lock so several gateways starting together do not race.
 */
public final class Database {
  private static final List<String> MIGRATIONS = List.of("V1__init.sql", "V2__api.sql", "V3__webhooks.sql",
      "V4__webhook_trace.sql");
  private static final long MIGRATION_LOCK = 0x7665676172L;

  private Database() {}

  /**
   * How to reach the database: also used by the gateway's LISTEN connection. Under {@code verify-ca} and
   * {@code verify-full} the server's certificate must chain to {@link DatabaseSettings#sslRootCert}; under
   * {@code verify-full} it must also name the host of the URL (HTTPS rules: a DNS name or an IP address SAN).
   */
  public static PgConnectOptions connectOptions(DatabaseSettings settings) {
    PgConnectOptions connect = PgConnectOptions.fromUri(settings.url());
    settings.user().ifPresent(connect::setUser);
    settings.password().ifPresent(connect::setPassword);
    if (settings.sslMode() != null) {
      connect.setSslMode(SslMode.of(settings.sslMode()));
    }
    settings.sslRootCert().ifPresent(ca -> connect.setSslOptions(new ClientSSLOptions()
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
        // The pg client refuses verify-full without an algorithm; "" turns the host name check off for verify-ca.
        .setHostnameVerificationAlgorithm(settings.verifiesHostName() ? "HTTPS" : "")));
    return connect;
  }

  public static Pool pool(Vertx vertx, DatabaseSettings settings) {
    PgConnectOptions connect = connectOptions(settings);
    PoolOptions pool = new PoolOptions()
        .setMaxSize(settings.poolSize())
        .setMaxWaitQueueSize(settings.poolSize() * 64)
        .setConnectionTimeout(5)
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  public static Future<Void> migrate(Pool pool) {
    return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")").execute()
        .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(v -> applyAll(conn, 0)));
  }

  private static Future<Void> applyAll(SqlConnection conn, int index) {
    if (index == MIGRATIONS.size()) {
      return Future.succeededFuture();
    }
    String name = MIGRATIONS.get(index);
    return conn.preparedQuery("SELECT 1 FROM schema_migrations WHERE name = $1").execute(Tuple.of(name))
        .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture() : apply(conn, name))
        .compose(v -> applyAll(conn, index + 1));
  }

  private static Future<Void> apply(SqlConnection conn, String name) {
    return conn.query(read(name)).execute()
        .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (name) VALUES ($1)").execute(Tuple.of(name)))
        .mapEmpty();
  }

  private static String read(String name) {
    try (InputStream in = Database.class.getResourceAsStream("/db/" + name)) {
      if (in == null) {
        throw new IllegalStateException("migration " + name + " missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
