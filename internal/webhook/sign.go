// Package webhook delivers Pista's events to subscribers over HTTP: signed
// JSON bodies, retried with exponential backoff for up to 72 hours, every
// attempt logged. Receivers verify a delivery with Verify.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The headers of every delivery.
const (
	HeaderEventID   = "Pista-Event-Id"   // the event's stable ID, the same on every retry
	HeaderEventType = "Pista-Event-Type" // e.g. lead.created
	HeaderTimestamp = "Pista-Timestamp"  // Unix seconds of this attempt
	HeaderSignature = "Pista-Signature"  // t=<unix>,v1=<hex HMAC-SHA256>
)

// Event is the JSON body of a delivery. Receivers may decode into it.
type Event struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt time.Time       `json:"created_at"`
	LeadID    int64           `json:"lead_id"`
	Data      json.RawMessage `json:"data"`
}

// DefaultTolerance is how far a signature's timestamp may be from the
// receiver's clock: a captured delivery cannot be replayed later than
// this, and clocks a little apart still agree.
const DefaultTolerance = 5 * time.Minute

// Verification errors.
var (
	ErrNoSignature  = errors.New("webhook: no Pista-Signature header, or one without t= and v1=")
	ErrBadSignature = errors.New("webhook: the signature does not match the body")
	ErrTimestamp    = errors.New("webhook: the signature's timestamp is outside the tolerance (a replay, or clocks far apart)")
)

// Sign returns the Pista-Signature value for body sent at t: the
// HMAC-SHA256, keyed with the subscription's secret, of
// "<unix seconds>.<body>". The timestamp is signed so that a captured
// delivery cannot be replayed with a fresh one.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a Pista-Signature header value against the raw body as
// received (before any JSON decoding), and that its timestamp is within
// tolerance of now (DefaultTolerance when 0). Several v1= values are
// accepted, any one matching, so that a secret can be rotated.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	var (
		ts   string
		sigs [][]byte
	)
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrNoSignature
	}
	want := mac(secret, ts, body)
	ok := false
	for _, s := range sigs {
		ok = hmac.Equal(s, want) || ok // check every one: no early exit
	}
	if !ok {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return ErrTimestamp
	}
	return nil
}
