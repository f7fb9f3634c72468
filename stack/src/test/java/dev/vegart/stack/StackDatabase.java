package dev.vegart.stack;

import dev.vegart.gateway.db.Database;
import dev.vegart.gateway.db.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** A pool on the shared stack's PostgreSQL, for tests that set up or read what the API does not show. */
public final class StackDatabase implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;

  public StackDatabase(LocalStack stack) {
    this.pool = Database.pool(vertx, DatabaseSettings.from(stack.env()));
  }

  public Pool pool() {
    return pool;
  }

  /** The outcome of a database call, waited for up to 30 s (test threads may block). */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    pool.close();
    await(vertx.close());
  }
}
