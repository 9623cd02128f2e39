package web

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/problem"
)

// FuzzDecodeInquiry feeds request bodies to the JSON decoding every
// inquiry goes through: it must answer with a problem (a 4xx) or a
// decoded inquiry, never panic, and never pass text the databases cannot
// store. Run longer with: go test -fuzz FuzzDecodeInquiry ./internal/web/
func FuzzDecodeInquiry(f *testing.F) {
	for _, seed := range []string{
		`{"person": {"email": "a@b.co", "first_name": "Ana"}, "action": {"type": "price_request"}}`,
		`{"person": {"first_name": "An\u0000a"}}`,
		"{\"company\": {\"name\": \"\xff\"}}",
		`{"person": {"attributes": {"a": [1, {"b": null}]}}, "company": {"revenue": "5M USD", "employees": 1.5}}`,
		`{"action": {"type": "x", "props": {"k\u0000": 1}}}`,
		`{"person": {`,
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/inquiries", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in intake.Inquiry
		err := decodeJSON(r, &in)
		if err != nil {
			if _, ok := problem.As(err); !ok {
				t.Fatalf("not a problem: %v", err)
			}
			return
		}
		if bad := textProblems(body, 1); len(bad) > 0 {
			t.Fatalf("accepted a body with %v", bad)
		}
	})
}
