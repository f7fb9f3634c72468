-- Public API (issue 5): deadlines, cancel requests, idempotency keys, queue statistics.

ALTER TABLE jobs ADD COLUMN deadline timestamptz;
ALTER TABLE jobs ADD COLUMN cancel_requested_at timestamptz;

-- Queue position and backlog: the queued jobs in arrival order.
CREATE INDEX jobs_queued ON jobs (created_at, id) WHERE status = 'queued';
-- The expiry sweep: queued jobs with a deadline.
CREATE INDEX jobs_queued_deadline ON jobs (deadline) WHERE status = 'queued' AND deadline IS NOT NULL;
-- Fleet throughput: recently finished jobs.
CREATE INDEX jobs_succeeded_recent ON jobs (finished_at) WHERE status = 'succeeded';

-- Idempotency-Key: one row per (API key, client key), kept 24 h. request_hash tells a replay from a misuse.
-- Deleting a job (a submit Kafka refused) deletes its key, so a retry submits afresh.
CREATE TABLE idempotency_keys (
  key_id          text        NOT NULL REFERENCES api_keys (id),
  idempotency_key text        NOT NULL,
  request_hash    text        NOT NULL,
  -- Deferred: the key is claimed before the job row is inserted, in the same transaction.
  job_id          text        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key_id, idempotency_key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

-- Wakes the gateways' sync waiters (Prefer: wait, the Segmind endpoint) when a job ends, whichever path ended it
-- (a worker event applied by any gateway, a cancel, the expiry sweep). Delivered at commit.
CREATE FUNCTION vegart_notify_job_ended() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('vegart_job_ended', NEW.id);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER jobs_ended AFTER UPDATE OF status ON jobs
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('succeeded', 'failed', 'canceled', 'expired'))
  EXECUTE FUNCTION vegart_notify_job_ended();
