-- The trace of the request that submitted a job goes with its webhooks: each delivery attempt sends a
-- traceparent with this trace id and a span id of its own (docs/WEBHOOKS.md). NULL for rows written before.
ALTER TABLE job_webhooks ADD COLUMN traceparent text;
ALTER TABLE webhook_deliveries ADD COLUMN traceparent text;

-- As in V3, and the delivery takes the job's traceparent from its webhook.
CREATE OR REPLACE FUNCTION vegart_record_webhook() RETURNS trigger LANGUAGE plpgsql AS $$
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
    INSERT INTO webhook_deliveries (id, job_id, key_id, event_type, event_at, url, host, next_attempt_at, traceparent)
    SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), w.job_id, w.key_id, event,
           COALESCE(CASE WHEN event = 'job.started' THEN NEW.started_at ELSE NEW.finished_at END, now()),
           w.url, w.host, now(), w.traceparent
      FROM job_webhooks w
     WHERE w.job_id = NEW.id AND event = ANY (w.events)
    ON CONFLICT (job_id, event_type) DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
