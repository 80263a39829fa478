-- +goose Up
-- A stored delivery's payload lives in its deliveries row until its job has
-- finished, and River's job carries only the event and the delivery id: the
-- payload is written once instead of being re-encoded into River's args
-- (and rewritten with the job row at every state change). Jobs stored by
-- earlier versions still carry their payload in their args and leave this
-- column NULL. The worker clears it once the job is done; see
-- internal/store/deliveries.go for the sweep that clears what is left.
--
-- BYTEA is PostgreSQL's byte string; SQLite accepts the name (NUMERIC
-- affinity, which stores a bound blob as it is).
ALTER TABLE deliveries ADD COLUMN payload BYTEA;

-- deliveries_payload finds the payloads not yet cleared (few: the jobs in
-- flight) for the sweep, without scanning every delivery id ever stored.
CREATE INDEX deliveries_payload ON deliveries (received_at) WHERE payload IS NOT NULL;

-- +goose Down
DROP INDEX deliveries_payload;
ALTER TABLE deliveries DROP COLUMN payload;
