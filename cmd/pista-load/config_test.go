package main

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	env := func(token string) func(string) string {
		return func(k string) string {
			if k == "PISTA_TOKEN" {
				return token
			}
			return ""
		}
	}
	tests := []struct {
		name  string
		args  []string
		token string // PISTA_TOKEN
		check func(*config) bool
		err   string // part of the error; "" = valid
	}{
		{"defaults", nil, "envtok", func(c *config) bool {
			return c.url == "http://127.0.0.1:8080" && c.token == "envtok" && c.rate == 0 && c.duration == 10*time.Second &&
				c.concurrency == 64 && c.batchEvents == 0 && c.duplicates == 0.05 && c.retrySameKey == 0.01 &&
				c.endpoint() == "http://127.0.0.1:8080/api/v1/inquiries"
		}, ""},
		{"flag token wins", []string{"--token", "flagtok"}, "envtok", func(c *config) bool { return c.token == "flagtok" }, ""},
		{"events", []string{"--batch-events", "100", "--url", "https://pista.example.com/"}, "t", func(c *config) bool {
			return c.endpoint() == "https://pista.example.com/api/v1/events"
		}, ""},
		{"all flags", []string{"--rate", "250.5", "--duration", "1m", "--concurrency", "8", "--seed", "42", "--duplicates", "0.2",
			"--retry-same-key", "0", "--json", "--timeout", "5s"}, "t", func(c *config) bool {
			return c.rate == 250.5 && c.duration == time.Minute && c.concurrency == 8 && c.seed == 42 && c.duplicates == 0.2 &&
				c.retrySameKey == 0 && c.json && c.timeout == 5*time.Second
		}, ""},
		{"no token", nil, "", nil, "PISTA_TOKEN"},
		{"bad url", []string{"--url", "127.0.0.1:8080"}, "t", nil, "--url"},
		{"negative rate", []string{"--rate", "-5"}, "t", nil, "--rate"},
		{"zero duration", []string{"--duration", "0s"}, "t", nil, "--duration"},
		{"zero concurrency", []string{"--concurrency", "0"}, "t", nil, "--concurrency"},
		{"huge batch", []string{"--batch-events", "1000000"}, "t", nil, "--batch-events"},
		{"duplicates > 1", []string{"--duplicates", "1.5"}, "t", nil, "--duplicates"},
		{"fractions sum > 1", []string{"--duplicates", "0.6", "--retry-same-key", "0.6"}, "t", nil, "at most 1"},
		{"stray argument", []string{"extra"}, "t", nil, "unexpected argument"},
		{"unknown flag", []string{"--rat", "5"}, "t", nil, "rat"},
	}
	for _, tt := range tests {
		c, err := parseConfig(tt.args, env(tt.token), io.Discard)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.err == "" && !tt.check(c):
			t.Errorf("%s: config %+v", tt.name, c)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, errUsage)):
			t.Errorf("%s: error %v, want a usage error mentioning %q", tt.name, err, tt.err)
		}
	}
}
