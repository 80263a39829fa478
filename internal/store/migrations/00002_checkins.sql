-- +goose Up
-- checkins: one recorded check-in per mentee per week; a later one in the
-- same week replaces the text (and the comment it came from).
CREATE TABLE checkins (
    cohort_id    BIGINT NOT NULL,
    mentee_lower TEXT NOT NULL,
    week         INTEGER NOT NULL,
    comment_id   BIGINT NOT NULL,
    comment_url  TEXT NOT NULL,
    author       TEXT NOT NULL,
    sections     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (cohort_id, mentee_lower, week)
);
CREATE INDEX checkins_comment ON checkins (comment_id);

-- aways: weeks a mentee said /away for; skipped_weeks: weeks an organizer
-- marked /skip-week. Neither counts as missed.
CREATE TABLE aways (
    cohort_id    BIGINT NOT NULL,
    mentee_lower TEXT NOT NULL,
    week         INTEGER NOT NULL,
    PRIMARY KEY (cohort_id, mentee_lower, week)
);
CREATE TABLE skipped_weeks (
    cohort_id BIGINT NOT NULL,
    week      INTEGER NOT NULL,
    PRIMARY KEY (cohort_id, week)
);

-- The scheduler's progress per cohort: the last week whose boundary work is
-- done, and when it next has something to do (so an idle tick over many
-- cohorts reads one index and touches nothing).
ALTER TABLE cohorts ADD COLUMN boundary_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cohorts ADD COLUMN next_due BIGINT NOT NULL DEFAULT 0;
CREATE INDEX cohorts_due ON cohorts (state, next_due);

-- The first week a mentee is expected to check in (later for mentees added
-- while the cohort runs).
ALTER TABLE members ADD COLUMN joined_week INTEGER NOT NULL DEFAULT 1;

-- renders coalesce re-renders of a bot-owned region: each request bumps
-- wanted; a render job records the generation it wrote in done.
CREATE TABLE renders (
    key    TEXT PRIMARY KEY,
    wanted BIGINT NOT NULL,
    done   BIGINT NOT NULL
);

-- +goose Down
DROP TABLE renders;
DROP INDEX cohorts_due;
DROP TABLE skipped_weeks;
DROP TABLE aways;
DROP TABLE checkins;
