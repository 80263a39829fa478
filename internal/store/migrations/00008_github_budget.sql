-- +goose Up
-- github_budget is each installation's budget of content-creating requests
-- (GitHub's secondary limits: 80 a minute and 500 an hour), shared by every
-- replica on the database (SPEC §8). Two token buckets, refilled lazily from
-- updated_ms: short_tokens (the per-minute limit) and long_tokens (the
-- per-hour limit); a write takes one token of each, in a transaction that
-- holds the row (SELECT … FOR UPDATE on PostgreSQL, SQLite's single writer).
-- paused_until_ms: a 403/429 secondary-limit answer with Retry-After pauses
-- the whole installation, every replica, until then (reason says why).
CREATE TABLE github_budget (
    installation    BIGINT  NOT NULL PRIMARY KEY,
    short_tokens    DOUBLE PRECISION NOT NULL,
    long_tokens     DOUBLE PRECISION NOT NULL,
    updated_ms      BIGINT  NOT NULL,
    paused_until_ms BIGINT  NOT NULL DEFAULT 0,
    pause_reason    TEXT    NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE github_budget;
