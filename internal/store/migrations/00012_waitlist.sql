-- +goose Up
-- waitlist holds the valid open interests (join-cohort form) and mentor
-- offers (offer-mentoring form) of SPEC §11, keyed by the issue that is the
-- person's place on the waitlist. A row exists while its issue is open and
-- valid; closing, transferring or deleting the issue removes it. A person
-- has at most one open interest and one open offer per repository, which
-- the unique index enforces across workers and replicas. since is the
-- issue's creation time (Unix seconds): the waitlist is served oldest first.
CREATE TABLE waitlist (
    issue_id        BIGINT PRIMARY KEY,
    installation_id BIGINT NOT NULL,
    repo_lower      TEXT NOT NULL,
    repo            TEXT NOT NULL,
    number          INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    handle_lower    TEXT NOT NULL,
    handle          TEXT NOT NULL,
    step            TEXT NOT NULL,
    areas           TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    capacity        INTEGER NOT NULL,
    since           BIGINT NOT NULL
);
CREATE UNIQUE INDEX waitlist_person ON waitlist (repo_lower, kind, handle_lower);
CREATE INDEX waitlist_step ON waitlist (repo_lower, step, since);

-- +goose Down
DROP TABLE waitlist;
