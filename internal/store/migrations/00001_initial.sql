-- +goose Up
-- One schema for SQLite and PostgreSQL: no autoincrement (ids are GitHub's or
-- derived keys), times as Unix seconds, JSON as TEXT.

-- deliveries remembers every webhook delivery id that was stored, so a
-- redelivery of the same id is acknowledged and dropped.
CREATE TABLE deliveries (
    id          TEXT PRIMARY KEY,
    event       TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

-- cohorts: one row per new-cohort request that became (or is becoming) a
-- cohort; id is the GitHub id of the request issue, so a repeated event can
-- never create a second cohort.
CREATE TABLE cohorts (
    id              BIGINT PRIMARY KEY,
    installation_id BIGINT NOT NULL,
    repo            TEXT NOT NULL,
    request_number  INTEGER NOT NULL,
    slug            TEXT NOT NULL,
    name            TEXT NOT NULL,
    state           TEXT NOT NULL,
    spec            TEXT NOT NULL,
    hub_number      INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX cohorts_repo_state ON cohorts (repo, state);

-- members: the roster. role is mentor or mentee; status active, withdrawn
-- or removed.
CREATE TABLE members (
    cohort_id    BIGINT NOT NULL,
    handle_lower TEXT NOT NULL,
    handle       TEXT NOT NULL,
    role         TEXT NOT NULL,
    mentor       TEXT NOT NULL DEFAULT '',
    issue_number INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'active',
    outcome      TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL,
    PRIMARY KEY (cohort_id, role, handle_lower)
);
CREATE INDEX members_handle ON members (handle_lower, role, status);

-- effects records side effects on GitHub by a key of their own, so a retry
-- after a crash finds what was already done instead of doing it twice.
-- state is pending (attempt started) or done; value is the result (an
-- issue number, a comment id).
CREATE TABLE effects (
    key        TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    value      TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- locks are leases that serialise the writes to one GitHub issue across
-- workers and replicas; an expired lease may be taken over.
CREATE TABLE locks (
    key        TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE locks;
DROP TABLE effects;
DROP TABLE members;
DROP TABLE cohorts;
DROP TABLE deliveries;
