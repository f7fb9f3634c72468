-- Webhooks (see gateway/src/main/java/dev/vegart/gateway/webhooks/DESIGN.md).

-- Secret rotation: until webhook_secret_previous_until, the previous secret signs too.
ALTER TABLE api_keys
  ADD COLUMN webhook_secret_previous       text,
  ADD COLUMN webhook_secret_previous_until timestamptz;

-- A job's webhook, written just before the job row (hence no foreign key to jobs).
CREATE TABLE job_webhooks (
  job_id     text PRIMARY KEY,
  key_id     text        NOT NULL REFERENCES api_keys (id),
  url        text        NOT NULL,
  host       text        NOT NULL,
  events     text[]      NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One message per (job, event); id is the stable webhook-id. state: pending | delivered | failed | disabled.
-- A gateway claims a due row by setting lease_owner/lease_until; its result only lands while it holds the lease.
CREATE TABLE webhook_deliveries (
  id              text PRIMARY KEY,
  job_id          text        NOT NULL,
  key_id          text        NOT NULL REFERENCES api_keys (id),
  event_type      text        NOT NULL,
  event_at        timestamptz NOT NULL,
  url             text        NOT NULL,
  host            text        NOT NULL,
  state           text        NOT NULL DEFAULT 'pending',
  attempts        integer     NOT NULL DEFAULT 0,
  round_attempts  integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_owner     text,
  lease_until     timestamptz,
  last_status     integer,
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (job_id, event_type)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';

-- Every attempt, for the delivery log.
CREATE TABLE webhook_attempts (
  id              bigserial PRIMARY KEY,
  delivery_id     text        NOT NULL REFERENCES webhook_deliveries (id),
  attempt         integer     NOT NULL,
  started_at      timestamptz NOT NULL,
  duration_ms     integer     NOT NULL,
  http_status     integer,
  error           text,
  next_attempt_at timestamptz,
  gateway         text        NOT NULL
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, id);

-- Endpoints that answered 410 Gone: nothing more is sent to them for that key until a redeliver.
CREATE TABLE webhook_disabled_endpoints (
  key_id      text        NOT NULL REFERENCES api_keys (id),
  url         text        NOT NULL,
  disabled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key_id, url)
);

-- Every status change of a job records its webhook delivery in the same transaction, whichever code path
-- (event applier, cancel, expiry) makes the change.
CREATE FUNCTION vegart_record_webhook() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  event text := CASE NEW.status
    WHEN 'running' THEN 'job.started'
    WHEN 'succeeded' THEN 'job.succeeded'
    WHEN 'failed' THEN 'job.failed'
    WHEN 'canceled' THEN 'job.canceled'
    WHEN 'expired' THEN 'job.expired'
  END;
BEGIN
  IF event IS NOT NULL THEN
    INSERT INTO webhook_deliveries (id, job_id, key_id, event_type, event_at, url, host, next_attempt_at)
    SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), w.job_id, w.key_id, event,
           COALESCE(CASE WHEN event = 'job.started' THEN NEW.started_at ELSE NEW.finished_at END, now()),
           w.url, w.host, now()
      FROM job_webhooks w
     WHERE w.job_id = NEW.id AND event = ANY (w.events)
    ON CONFLICT (job_id, event_type) DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER jobs_record_webhook AFTER UPDATE OF status ON jobs
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION vegart_record_webhook();
