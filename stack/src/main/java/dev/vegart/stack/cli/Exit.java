package dev.vegart.stack.cli;

/** The client commands' exit codes; scripts may rely on them. */
public final class Exit {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The job ended without images: failed, expired or canceled. */
  public static final int JOB_UNSUCCESSFUL = 1;
  /** Bad arguments or a missing environment variable; nothing was sent. */
  public static final int USAGE = 2;
  /** The API refused the request: invalid field, unknown or revoked key, wrong admin token, not found. */
  public static final int REJECTED = 3;
  /** The key's daily quota is used up. */
  public static final int QUOTA = 4;
  /** The gateway could not be reached, was overloaded or failed (5xx); retrying later may work. */
  public static final int UNAVAILABLE = 5;
  /** A local file could not be written. */
  public static final int LOCAL_IO = 6;

  private Exit() {}
}
