-- A running import's last sign of life: an import whose server died (a
-- crash, kill -9) stops beating and is marked interrupted. Its upload is
-- kept under the data directory so that it can be resumed.
ALTER TABLE imports ADD COLUMN heartbeat_at INTEGER;
ALTER TABLE imports ADD COLUMN upload TEXT;
ALTER TABLE imports ADD COLUMN resumed_from INTEGER;
CREATE INDEX imports_running ON imports(status) WHERE status = 'running';
