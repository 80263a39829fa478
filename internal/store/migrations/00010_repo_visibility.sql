-- +goose Up
-- repo_visibility records whether each repository the App hears about is
-- private, as its webhooks say (repository.private), so the web pages
-- (SPEC §14) can decide who may see a cohort without asking GitHub. A
-- repository never heard of is treated as private (shown to nobody
-- anonymous). private is 0 or 1 on both dialects.
CREATE TABLE repo_visibility (
    repo_lower TEXT PRIMARY KEY,
    private    INTEGER NOT NULL,
    updated_at BIGINT NOT NULL
);

-- oauth_states are the pending GitHub sign-ins of the web pages: a state is
-- issued by /login and consumed (deleted) by the one callback that presents
-- it, so a replayed callback finds nothing, on whichever replica it lands.
CREATE TABLE oauth_states (
    state      TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE oauth_states;
DROP TABLE repo_visibility;
