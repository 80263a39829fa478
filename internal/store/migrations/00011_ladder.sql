-- +goose Up
-- ladder_measurements is each active mentee's ladder progress (SPEC §10):
-- one row per cohort, mentee and requirement, with the search that counts
-- it. pending = 1 while the measurement is due (a week boundary or
-- /progress asked for it and the search API has not answered yet): a sweep
-- interrupted by the search limit, or by a restart, resumes from these rows
-- in queued_ms order. total/incomplete/failure/measured_ms are the last
-- answer (measured_ms 0: never measured; failure: why it could not be, e.g.
-- a renamed account).
CREATE TABLE ladder_measurements (
    cohort_id    BIGINT  NOT NULL,
    mentee_lower TEXT    NOT NULL,
    requirement  TEXT    NOT NULL,
    installation BIGINT  NOT NULL,
    handle       TEXT    NOT NULL,
    target       INTEGER NOT NULL,
    query        TEXT    NOT NULL,
    pending      INTEGER NOT NULL DEFAULT 0,
    queued_ms    BIGINT  NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL DEFAULT 0,
    incomplete   INTEGER NOT NULL DEFAULT 0,
    failure      TEXT    NOT NULL DEFAULT '',
    measured_ms  BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, mentee_lower, requirement)
);
CREATE INDEX ladder_measurements_pending ON ladder_measurements (installation, pending, queued_ms);

-- +goose Down
DROP TABLE ladder_measurements;
