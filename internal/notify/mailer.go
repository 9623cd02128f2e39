// Package notify sends users' notifications by e-mail. The waterfall
// stores a notification in the transaction of the change it tells of
// (store.Tx.Notify); that row is shown in the app and is also the e-mail's
// outbox entry, which the Mailer sends over SMTP and retries until it is
// accepted or a day has passed. Intake never waits for a mail server.
package notify

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/store"
)

// Config is the mail server and how messages link back to the app.
type Config struct {
	// SMTP is the server messages are handed to.
	SMTP SMTP
	// From is the sender, e.g. "Pista <pista@example.com>".
	From string
	// PublicURL is the app's address as users reach it, e.g.
	// https://pista.example.com; links in messages start with it.
	PublicURL string
	// Catalog holds the messages; its default language is for users whose
	// own is not one Pista speaks.
	Catalog *i18n.Catalog
}

// Mailer sends due notification e-mails. Several may run against one
// PostgreSQL database; each e-mail is leased to one of them while sent.
type Mailer struct {
	db    *store.DB
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	poll  time.Duration
	lease time.Duration
	batch int
}

// New returns a mailer; call Run to start it. now may be nil (time.Now).
func New(db *store.DB, cfg Config, log *slog.Logger, now func() time.Time) *Mailer {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Mailer{db: db, cfg: cfg, log: log, now: now, poll: 2 * time.Second, lease: 2 * time.Minute, batch: 20}
}

// Run sends due e-mails until ctx ends.
func (m *Mailer) Run(ctx context.Context) {
	t := time.NewTicker(m.poll)
	defer t.Stop()
	for {
		if _, err := m.SendDue(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("notification mail", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendDue sends the e-mails due now, one SMTP conversation each, and
// reports how many the server accepted.
func (m *Mailer) SendDue(ctx context.Context) (int, error) {
	sent := 0
	for {
		due, err := m.db.ClaimMail(ctx, m.now(), m.lease, m.batch)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		for i, d := range due {
			if ctx.Err() != nil {
				for _, rest := range due[i:] {
					_ = m.db.ReleaseMail(context.WithoutCancel(ctx), rest)
				}
				return sent, ctx.Err()
			}
			ok, err := m.send(ctx, d)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
		if len(due) < m.batch {
			return sent, nil
		}
	}
}

// send tries one e-mail and records the outcome: sent, retried later with
// backoff, or failed for good when the server refused it permanently (a
// 5xx reply, such as an unknown mailbox) or the retry window is over.
func (m *Mailer) send(ctx context.Context, d *store.DueMail) (bool, error) {
	now := m.now()
	msg, err := m.compose(d, now)
	if err == nil {
		err = m.cfg.SMTP.send(ctx, m.cfg.From, d.To.Email, msg)
	}
	status, next, text := store.MailSent, now, ""
	if err != nil {
		text = err.Error()
		next = now.Add(backoff(d.Attempts))
		status = store.MailPending
		var se *smtp.SMTPError
		if (errors.As(err, &se) && se.Code >= 500) || !next.Before(d.GiveUpAt) {
			status = store.MailFailed
		}
		m.log.Warn("notification mail not sent", "notification", d.ID, "to", d.To.Email, "attempt", d.Attempts+1, "status", status, "err", err)
	}
	kept, ferr := m.db.FinishMail(context.WithoutCancel(ctx), d, status, text, now, next)
	return err == nil && kept, ferr
}

// backoff is the wait before attempt n+1: 30 s doubling, at most 30 min.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for range min(attempts, 6) {
		d *= 2
	}
	return min(d, 30*time.Minute)
}
