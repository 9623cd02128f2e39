package webhook_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/webhook"
)

func TestSignVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"evt_1","type":"lead.created"}`)
	sig := webhook.Sign("whsec_a", now, body)
	// The signature is the HMAC-SHA256 of "1800000000.<body>" (computed
	// independently with openssl dgst -sha256 -hmac whsec_a).
	if want := "t=1800000000,v1=50c1200be69041b21823ad1e103c4bce295e068b2f34aa496ff8e171fc0d131d"; sig != want {
		t.Fatalf("Sign = %q, want %q", sig, want)
	}
	cases := []struct {
		name    string
		secret  string
		header  string
		body    []byte
		now     time.Time
		wantErr error
	}{
		{"good", "whsec_a", sig, body, now, nil},
		{"a minute later", "whsec_a", sig, body, now.Add(time.Minute), nil},
		{"rotated secret, both signatures sent", "whsec_a", webhook.Sign("whsec_old", now, body) + "," + sig[len("t=1800000000,"):], body, now, nil},
		{"other secret", "whsec_b", sig, body, now, webhook.ErrBadSignature},
		{"body changed", "whsec_a", sig, []byte(`{"id":"evt_2","type":"lead.created"}`), now, webhook.ErrBadSignature},
		{"replayed an hour later", "whsec_a", sig, body, now.Add(time.Hour), webhook.ErrTimestamp},
		{"timestamp changed", "whsec_a", "t=1800000100," + sig[len("t=1800000000,"):], body, now, webhook.ErrBadSignature},
		{"empty", "whsec_a", "", body, now, webhook.ErrNoSignature},
		{"no v1", "whsec_a", "t=1800000000", body, now, webhook.ErrNoSignature},
		{"not hex", "whsec_a", "t=1800000000,v1=zz", body, now, webhook.ErrNoSignature},
	}
	for _, c := range cases {
		if err := webhook.Verify(c.secret, c.header, c.body, c.now, 0); !errors.Is(err, c.wantErr) {
			t.Errorf("%s: Verify = %v, want %v", c.name, err, c.wantErr)
		}
	}
}
