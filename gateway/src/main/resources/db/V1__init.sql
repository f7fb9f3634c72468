-- API keys: only an HMAC of the key is stored (see KeyHasher).
CREATE TABLE api_keys (
  id             text PRIMARY KEY,
  key_hash       text NOT NULL UNIQUE,
  tier           text NOT NULL,
  name           text,
  webhook_secret text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at     timestamptz
);

-- Images granted per key per UTC day; the row is the unit of atomic reservation.
CREATE TABLE quota_usage (
  key_id text    NOT NULL REFERENCES api_keys (id),
  day    date    NOT NULL,
  used   integer NOT NULL CHECK (used >= 0),
  PRIMARY KEY (key_id, day)
);

-- Jobs: the durable record. published_at IS NULL marks a job the outbox relay must still publish.
CREATE TABLE jobs (
  id               text PRIMARY KEY,
  key_id           text        NOT NULL REFERENCES api_keys (id),
  status           text        NOT NULL,
  request          jsonb       NOT NULL,
  num_images       integer     NOT NULL,
  quota_day        date        NOT NULL,
  created_at       timestamptz NOT NULL,
  published_at     timestamptz,
  started_at       timestamptz,
  finished_at      timestamptz,
  inference_ms     bigint,
  truncated_tokens integer,
  images           jsonb,
  error_code       text,
  error_message    text,
  worker_id        text
);
CREATE INDEX jobs_unpublished ON jobs (created_at) WHERE published_at IS NULL;
CREATE INDEX jobs_by_key ON jobs (key_id, created_at DESC);
