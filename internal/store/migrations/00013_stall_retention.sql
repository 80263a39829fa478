-- +goose Up
-- Tasks that stall (SPEC §13). last_activity_at is the latest review,
-- comment or commit by the task's current assignee on the task (0: none
-- since it was handed out); the stall clock runs from the later of it and
-- assigned_at. stalled lists the mentees the task was taken from because it
-- stalled, as "handle:days" (lower-cased handle, release_after_days then),
-- comma-separated, so both boards can say "released after N days".
ALTER TABLE tasks ADD COLUMN last_activity_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN stalled TEXT NOT NULL DEFAULT '';

-- Retention follow-ups (SPEC §12). retention_due is when a completed
-- cohort's next follow-up is due: 0 until the scheduler first plans them
-- after the close, -1 when none is left.
ALTER TABLE cohorts ADD COLUMN retention_due BIGINT NOT NULL DEFAULT 0;

-- retention_followups: one row per cohort and follow-up (days after the
-- close). state: measured (figures kept, comment not yet posted), posted or
-- skipped (the hub was deleted or locked; figures kept when measured).
-- figures is the per-mentee result as JSON; the totals are columns so the
-- pages can show "still active N/M" without decoding it.
CREATE TABLE retention_followups (
    cohort_id        BIGINT NOT NULL,
    day              INTEGER NOT NULL,
    due_at           BIGINT NOT NULL,
    state            TEXT NOT NULL,
    mentees          INTEGER NOT NULL DEFAULT 0,
    active           INTEGER NOT NULL DEFAULT 0,
    graduated        INTEGER NOT NULL DEFAULT 0,
    graduated_active INTEGER NOT NULL DEFAULT 0,
    figures          TEXT NOT NULL DEFAULT '',
    measured_at      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, day)
);
CREATE INDEX cohorts_retention_due ON cohorts (state, retention_due);

-- +goose Down
DROP INDEX cohorts_retention_due;
DROP TABLE retention_followups;
ALTER TABLE cohorts DROP COLUMN retention_due;
ALTER TABLE tasks DROP COLUMN stalled;
ALTER TABLE tasks DROP COLUMN last_activity_at;
