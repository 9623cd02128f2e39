-- The web app: users' passwords (argon2id, PHC string; '' = none yet) and
-- sign-in sessions kept on the server. A session is known by the SHA-256
-- of its cookie's secret; its CSRF token is checked on every form.
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    seen_at    BIGINT NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- A team's queue: the leads routed to it that nobody holds.
CREATE INDEX assignments_unassigned ON assignments(team, lead_id) WHERE user_id IS NULL AND ended_at IS NULL;
