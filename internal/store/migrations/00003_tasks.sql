-- +goose Up
-- tasks: issues and pull requests a mentor labelled as mentoring tasks, in
-- any repository of the installation (not only the mentoring repo), keyed by
-- the task's repository (lower-cased) and number so events about the task
-- find it without scanning anything.
--
-- state: pending (the labelling mentor is in several cohorts; a
-- /task-cohort answer is awaited and candidates lists the cohort ids), open,
-- done or cancelled. round counts (re)assignments: effect keys carry it, so
-- a retry never repeats a request and a reassignment makes a fresh one. seq
-- orders assignments within a cohort ("least recently assigned" must not
-- depend on the clock, which tests and `tick --at` move). cause names the
-- command that made the current assignment, so a retried command does not
-- reassign twice. passed lists the mentees who passed it on.
CREATE TABLE tasks (
    repo_lower      TEXT NOT NULL,
    number          INTEGER NOT NULL,
    repo            TEXT NOT NULL,
    installation_id BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    label           TEXT NOT NULL,
    cohort_id       BIGINT NOT NULL DEFAULT 0,
    candidates      TEXT NOT NULL DEFAULT '',
    mentor          TEXT NOT NULL,
    mentee          TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,
    round           INTEGER NOT NULL DEFAULT 0,
    seq             BIGINT NOT NULL DEFAULT 0,
    cause           TEXT NOT NULL DEFAULT '',
    passed          TEXT NOT NULL DEFAULT '',
    assigned_at     BIGINT NOT NULL DEFAULT 0,
    closed_at       BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (repo_lower, number)
);
CREATE INDEX tasks_cohort ON tasks (cohort_id, state);

-- +goose Down
DROP INDEX tasks_cohort;
DROP TABLE tasks;
