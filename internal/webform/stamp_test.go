package webform

import (
	"strings"
	"testing"
	"time"
)

func TestStampRoundTrip(t *testing.T) {
	rendered := testNow.Add(-42 * time.Second)
	s := Stamp(testKey, rendered)
	if got := checkStamp(s, testNow, testKey, 3); got != "" {
		t.Fatalf("checkStamp(Stamp) = %q, want no suspicion", got)
	}
	if Stamp(testKey, rendered) != s {
		t.Error("Stamp is not deterministic")
	}
	if strings.ContainsAny(s, "+/= \"<>&") {
		t.Errorf("stamp %q needs escaping in a form field or URL", s)
	}
}

func TestStampForgery(t *testing.T) {
	good := Stamp(testKey, testNow.Add(-time.Minute))
	ms, mac, _ := strings.Cut(good, ".")
	older := Stamp(testKey, testNow.Add(-time.Hour))
	_, olderMAC, _ := strings.Cut(older, ".")
	tests := []struct {
		name, stamp string
	}{
		{"other key", Stamp([]byte("a-different-key-16"), testNow.Add(-time.Minute))},
		{"time changed, MAC kept", ms[:len(ms)-4] + "9999." + mac},
		{"MAC of another time", ms + "." + olderMAC},
		{"MAC cut", ms + "." + mac[:20]},
		{"no MAC", ms},
		{"empty MAC", ms + "."},
		{"not a number", "abc." + mac},
		{"huge number", strings.Repeat("9", 40) + "." + mac},
		{"garbage", "\x00\xff"},
	}
	for _, tt := range tests {
		if got := checkStamp(tt.stamp, testNow, testKey, 3); got != "timestamp forged" {
			t.Errorf("%s: checkStamp = %q, want timestamp forged", tt.name, got)
		}
	}
}

func TestStampAge(t *testing.T) {
	tests := []struct {
		ago     time.Duration
		minFill int
		want    string
	}{
		{10 * time.Second, 3, ""},
		{3 * time.Second, 3, ""},
		{2999 * time.Millisecond, 3, "filled in 2s (minimum 3s)"},
		{0, 3, "filled in 0s (minimum 3s)"},
		{-30 * time.Second, 3, "filled in 0s (minimum 3s)"}, // within clock skew
		{-2 * time.Minute, 3, "timestamp in the future"},
		{24 * time.Hour, 3, ""},
		{24*time.Hour + time.Second, 3, "timestamp too old (form rendered 24h ago; maximum 24h)"},
		{time.Second, -1, ""}, // check off
		{5 * time.Second, 10, "filled in 5s (minimum 10s)"},
	}
	for _, tt := range tests {
		got := checkStamp(Stamp(testKey, testNow.Add(-tt.ago)), testNow, testKey, tt.minFill)
		if got != tt.want {
			t.Errorf("rendered %v ago, minimum %ds: %q, want %q", tt.ago, tt.minFill, got, tt.want)
		}
	}
}
