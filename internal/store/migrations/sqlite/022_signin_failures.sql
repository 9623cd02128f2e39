-- Failed sign-ins, so that their limits hold across the servers sharing
-- the database. key is "account+ip:...", "ip:..." or "account:...".
CREATE TABLE signin_failures (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures(key, at);
CREATE INDEX signin_failures_at ON signin_failures(at);
