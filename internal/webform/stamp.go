package webform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Timestamp rules. The skew allows for clocks of several pista servers
// disagreeing a little; a day is longer than anyone keeps a form open.
const (
	maxStampAge  = 24 * time.Hour
	maxStampSkew = time.Minute
	// MinKeyBytes is the shortest key Map trusts to verify stamps.
	MinKeyBytes = 16
)

// stampContext separates these MACs from anything else signed with the
// same key.
const stampContext = "pista/webform/stamp/v1:"

// Stamp returns the value for the hidden timestamp field: the render time
// in Unix milliseconds and an HMAC-SHA256 of it, "1767225600000.<mac>".
// Map rejects a stamp it did not make, so a bot cannot claim it spent a
// minute on the form. It does not stop a bot from reusing a fresh stamp;
// the Limiter is for that.
func Stamp(key []byte, renderedAt time.Time) string {
	ms := strconv.FormatInt(renderedAt.UnixMilli(), 10)
	return ms + "." + stampMAC(key, ms)
}

func stampMAC(key []byte, ms string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(stampContext))
	m.Write([]byte(ms))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkStamp returns the suspicion a stamp raises, or "".
func checkStamp(stamp string, now time.Time, key []byte, minFill int) string {
	if stamp == "" {
		return "no timestamp"
	}
	if len(key) < MinKeyBytes {
		return fmt.Sprintf("timestamp not verified: the server key is shorter than %d bytes", MinKeyBytes)
	}
	ms, mac, ok := strings.Cut(stamp, ".")
	if !ok || len(ms) > 16 || !hmac.Equal([]byte(mac), []byte(stampMAC(key, ms))) {
		return "timestamp forged"
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return "timestamp forged"
	}
	took := now.Sub(time.UnixMilli(n))
	switch {
	case took < -maxStampSkew:
		return "timestamp in the future"
	case took > maxStampAge:
		return fmt.Sprintf("timestamp too old (form rendered %dh ago; maximum %dh)", int(took.Hours()), int(maxStampAge.Hours()))
	case minFill > 0 && took < time.Duration(minFill)*time.Second:
		return fmt.Sprintf("filled in %ds (minimum %ds)", max(0, int(took.Seconds())), minFill)
	}
	return ""
}
