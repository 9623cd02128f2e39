package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TLS modes of the connection to the mail server.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS (port 587); refused if the server cannot
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: a relay on the same host or network only
)

// SMTP is the mail server messages are handed to.
type SMTP struct {
	Host string
	Port int
	// TLS is starttls, tls or none.
	TLS string
	// Username and Password authenticate with PLAIN when set (only over
	// TLS, or to a server on the loopback interface).
	Username, Password string
	// Timeout bounds one conversation (default 30 s).
	Timeout time.Duration
	// TLSConfig overrides the default (verify the server's certificate
	// for Host); tests use it to trust their own certificate.
	TLSConfig *tls.Config
}

// Check reports a setting that cannot work, naming the flag.
func (s SMTP) Check() error {
	if s.Host == "" {
		return fmt.Errorf("--smtp-host is empty")
	}
	if s.Port <= 0 || s.Port > 65535 {
		return fmt.Errorf("--smtp-port %d is not a port number", s.Port)
	}
	switch s.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("--smtp-tls %q: use starttls, tls or none", s.TLS)
	}
	return nil
}

// send holds one SMTP conversation that delivers msg to one recipient.
func (s SMTP) send(ctx context.Context, from, to string, msg []byte) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	tlsConfig := s.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	}
	var c *smtp.Client
	switch s.TLS {
	case TLSImplicit:
		c = smtp.NewClient(tls.Client(conn, tlsConfig))
	case TLSStartTLS:
		if c, err = smtp.NewClientStartTLS(conn, tlsConfig); err != nil {
			conn.Close()
			return fmt.Errorf("STARTTLS with %s: %w", addr, err)
		}
	default:
		c = smtp.NewClient(conn)
	}
	defer c.Close()
	if s.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.Username, s.Password)); err != nil {
			return fmt.Errorf("sign-in to %s as %s: %w", addr, s.Username, err)
		}
	}
	sender, err := senderAddress(from)
	if err != nil {
		return err
	}
	if err := c.SendMail(sender, []string{to}, bytes.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}
