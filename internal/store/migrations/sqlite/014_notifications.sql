-- Notifications: what a user is told (a lead assigned or reassigned, a
-- first touch about to fall due, a breach for the manager). Each row is
-- shown in the app until read and is also the e-mail outbox: mail_status
-- pending (due at mail_next_at), sent, failed (gave up at mail_give_up_at).
-- A mailer claims a pending row with mail_lease_until and mail_lease_token;
-- the SMTP conversation happens after that commit, and a crashed mailer's
-- lease simply runs out. Times are Unix milliseconds (UTC); data is JSON.
CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    kind             TEXT NOT NULL,
    lead_id          INTEGER,
    data             TEXT NOT NULL DEFAULT '{}',
    created_at       INTEGER NOT NULL,
    read_at          INTEGER,
    mail_status      TEXT NOT NULL,
    mail_attempts    INTEGER NOT NULL DEFAULT 0,
    mail_next_at     INTEGER NOT NULL,
    mail_give_up_at  INTEGER NOT NULL,
    mail_lease_until INTEGER,
    mail_lease_token TEXT,
    mail_error       TEXT NOT NULL DEFAULT '',
    mailed_at        INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_mail_due ON notifications(mail_next_at) WHERE mail_status = 'pending';
CREATE INDEX notifications_mail_lease ON notifications(mail_lease_token) WHERE mail_lease_token IS NOT NULL;
