package notify

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// compose writes a notification as an RFC 5322 message in the
// recipient's language: plain text, UTF-8, quoted-printable, with the link
// to the lead. The Message-ID is stable per notification, so a retried
// send that did reach the server is recognisable as the same message.
func (m *Mailer) compose(d *store.DueMail, now time.Time) ([]byte, error) {
	p := m.cfg.Catalog.Printer(m.cfg.Catalog.Match(d.To.Language, ""))
	loc := Location(d.To.Timezone)
	subject, line := Text(p, &d.Notification, loc)
	var body strings.Builder
	body.WriteString(p.T("notify.mail.greeting", d.To.Name) + "\r\n\r\n")
	body.WriteString(line + "\r\n\r\n")
	if d.LeadID != 0 {
		body.WriteString(p.T("notify.mail.open") + "\r\n" + m.link(fmt.Sprintf("/app/leads/%d", d.LeadID)) + "\r\n\r\n")
	}
	body.WriteString(p.T("notify.mail.all") + "\r\n" + m.link("/app/notifications") + "\r\n\r\n-- \r\nPista\r\n")

	from, err := mail.ParseAddress(m.cfg.From)
	if err != nil {
		return nil, fmt.Errorf("--smtp-from %q: %w", m.cfg.From, err)
	}
	to := mail.Address{Name: d.To.Name, Address: d.To.Email}
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", now.In(loc).Format(time.RFC1123Z))
	header("Message-ID", fmt.Sprintf("<notification-%d@%s>", d.ID, domainOf(from.Address)))
	header("Content-Language", p.Lang)
	header("Auto-Submitted", "auto-generated")
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="utf-8"`)
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(body.String())); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// link is an absolute URL of the app, for e-mails read outside it.
func (m *Mailer) link(path string) string {
	return strings.TrimRight(m.cfg.PublicURL, "/") + path
}

func domainOf(addr string) string {
	if _, d, ok := strings.Cut(addr, "@"); ok && d != "" {
		return d
	}
	return "pista.invalid"
}

// senderAddress is the envelope sender: the bare address of From.
func senderAddress(from string) (string, error) {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return "", fmt.Errorf("--smtp-from %q: %w", from, err)
	}
	return a.Address, nil
}
