package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/mail"
	"strconv"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/notify"
	"github.com/pistahq/pista/internal/store"
)

// mailConfig is the mail server notifications are sent through; with no
// --smtp-host they are only shown in the app.
type mailConfig struct {
	host, port, tls, user, from, publicURL string
	password                               string // PISTA_SMTP_PASSWORD only: a flag would show in ps
}

func (c *mailConfig) flags(fs *flag.FlagSet, getenv func(string) string) {
	env := func(name, def string) string { return envOr(getenv, name, def) }
	fs.StringVar(&c.host, "smtp-host", env("PISTA_SMTP_HOST", ""), "mail server for notification e-mails; none: notifications are shown in the app only (PISTA_SMTP_HOST)")
	fs.StringVar(&c.port, "smtp-port", env("PISTA_SMTP_PORT", "587"), "mail server port (PISTA_SMTP_PORT)")
	fs.StringVar(&c.tls, "smtp-tls", env("PISTA_SMTP_TLS", notify.TLSStartTLS), "starttls, tls (implicit, port 465) or none (PISTA_SMTP_TLS)")
	fs.StringVar(&c.user, "smtp-user", env("PISTA_SMTP_USER", ""), "mail server user name; the password is read from PISTA_SMTP_PASSWORD (PISTA_SMTP_USER)")
	fs.StringVar(&c.from, "smtp-from", env("PISTA_SMTP_FROM", ""), `sender of notification e-mails, e.g. "Pista <pista@example.com>" (PISTA_SMTP_FROM)`)
	fs.StringVar(&c.publicURL, "public-url", env("PISTA_PUBLIC_URL", ""), "the app's address as users reach it, for links in e-mails, e.g. https://pista.example.com (PISTA_PUBLIC_URL); default: http:// and --addr")
	c.password = getenv("PISTA_SMTP_PASSWORD")
}

// mailer returns the notification mailer, or nil when no mail server is
// set; a setting that cannot work is an error at start, not at the first
// e-mail. E-mails are in the recipient's language, else in the server's
// default language (--default-language).
func (c *mailConfig) mailer(db *store.DB, addr, language string, log *slog.Logger) (*notify.Mailer, error) {
	if c.host == "" {
		return nil, nil
	}
	port, err := strconv.Atoi(c.port)
	if err != nil {
		port = -1
	}
	s := notify.SMTP{Host: c.host, Port: port, TLS: c.tls, Username: c.user, Password: c.password}
	if err := s.Check(); err != nil {
		return nil, err
	}
	if c.from == "" {
		return nil, errors.New("--smtp-from is needed with --smtp-host: the address notification e-mails come from")
	}
	if _, err := mail.ParseAddress(c.from); err != nil {
		return nil, fmt.Errorf("--smtp-from %q: %w", c.from, err)
	}
	public := c.publicURL
	if public == "" {
		public = "http://" + addr
	}
	cat, err := i18n.New(language)
	if err != nil {
		return nil, fmt.Errorf("--default-language: %w", err)
	}
	return notify.New(db, notify.Config{SMTP: s, From: c.from, PublicURL: public, Catalog: cat}, log, nil), nil
}

// runMailer sends notification e-mails until ctx ends; done is closed
// when it has stopped.
func runMailer(ctx context.Context, m *notify.Mailer, done chan<- struct{}) {
	defer close(done)
	if m != nil {
		m.Run(ctx)
	}
}
