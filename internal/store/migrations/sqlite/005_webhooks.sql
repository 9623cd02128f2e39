-- Outgoing webhooks: subscriptions, the events they receive, one delivery
-- per subscription and event (the retry queue), and every attempt.
-- Times are Unix milliseconds (UTC); JSON is TEXT.
CREATE TABLE webhook_subscriptions (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    types       TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- An event is stored only when some subscription wants it; public_id is
-- the stable "evt_..." a receiver deduplicates on.
CREATE TABLE webhook_events (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,
    lead_id    INTEGER,
    data       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhook_events_created ON webhook_events(created_at);

-- status: pending (due at next_at), delivered, failed (gave up at
-- give_up_at). A dispatcher claims a pending row by setting lease_until and
-- lease_token; the HTTP call happens after that commit, and a crashed
-- dispatcher's lease simply runs out.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL REFERENCES webhook_events(id),
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         INTEGER NOT NULL,
    give_up_at      INTEGER NOT NULL,
    lease_until     INTEGER,
    lease_token     TEXT,
    last_status     INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    delivered_at    INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(subscription_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries(event_id);
CREATE INDEX webhook_deliveries_lease ON webhook_deliveries(lease_token) WHERE lease_token IS NOT NULL;

CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    status      INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, id);
