-- +goose Up
-- issue_writes told a check-in whether the webhook's copy of an issue could
-- be trusted instead of a read, and let a repair put back a human edit or
-- label change that a write computed from such a copy had undone. cohortbot
-- now reads an issue just before writing its body and changes labels one at
-- a time (SPEC §3 "Never overwrite people"), so nothing reads the table.
DROP TABLE issue_writes;

-- +goose Down
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
