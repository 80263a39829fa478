-- +goose Up
-- issue_writes remembers, per issue, what cohortbot last did to it on GitHub.
-- written_ms: when cohortbot last sent a write to the issue (body, labels,
-- state, assignees: every non-GET request to /repos/{owner}/{repo}/issues/{n}),
-- in milliseconds of the service's clock, recorded before the request leaves.
-- A check-in may then trust the copy of the mentee issue that came with the
-- comment's webhook, instead of reading the issue again, when no write of ours
-- can be missing from that copy.
-- base_ms and outside_sha describe the last body cohortbot wrote: the GitHub
-- updated_at of the copy it was based on, and a hash of the text outside the
-- bot-owned regions. A human edit newer than that base, overwritten by that
-- write, is put back (internal/bot/issue_repair.go).
-- labels_base_ms and labels do the same for the last write that replaced the
-- issue's whole label set (a check-in's): the copy's updated_at, and the set
-- written (names joined by newlines).
CREATE TABLE issue_writes (
    repo        TEXT    NOT NULL,
    number      INTEGER NOT NULL,
    written_ms  BIGINT  NOT NULL DEFAULT 0,
    base_ms     BIGINT  NOT NULL DEFAULT 0,
    outside_sha TEXT    NOT NULL DEFAULT '',
    labels_base_ms BIGINT NOT NULL DEFAULT 0,
    labels      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (repo, number)
);

-- +goose Down
DROP TABLE issue_writes;
