-- Who activated a definition version (a user's e-mail or a token's name),
-- shown beside when; '' for activations before this was recorded.
ALTER TABLE definitions ADD COLUMN activated_by TEXT NOT NULL DEFAULT '';

-- One-time links that set a user's password (pista user reset-password).
-- Only the SHA-256 of the link's secret is kept; a link works once and
-- until expires_at.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX password_resets_user ON password_resets(user_id);
