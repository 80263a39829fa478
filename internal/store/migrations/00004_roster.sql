-- +goose Up
-- Roster changes while a cohort runs (SPEC §5). outcome_link is the link
-- given with /graduate (e.g. the OWNERS PR), shown in the final report.
-- left_week is the week a mentee withdrew or was removed in (0: still on the
-- roster): from that week on they are no longer expected to check in, while
-- the weeks before keep counting as they did.
ALTER TABLE members ADD COLUMN outcome_link TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN left_week INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE members DROP COLUMN left_week;
ALTER TABLE members DROP COLUMN outcome_link;
