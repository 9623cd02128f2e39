package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/pistahq/pista/internal/problem"
)

// Argon2id parameters: OWASP's recommendation (19 MiB, 2 passes, 1
// thread), so that a burst of sign-ins does not exhaust a small server.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	// MinPassword is the shortest password accepted, in characters.
	MinPassword = 10
	maxPassword = 256
)

// CheckPassword says what is wrong with a new password, in a field named
// field, or nothing.
func CheckPassword(field, pw string) (problem.Field, bool) {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPassword:
		return problem.Field{Name: field, Reason: fmt.Sprintf("shorter than %d characters", MinPassword), Code: "password_short", Args: []any{MinPassword}}, false
	case len(pw) > maxPassword:
		return problem.Field{Name: field, Reason: fmt.Sprintf("longer than %d bytes", maxPassword), Code: "too_long", Args: []any{maxPassword}}, false
	}
	return problem.Field{}, true
}

// HashPassword returns the PHC-style argon2id encoding of a password, with
// its own random salt.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// errHash is a stored hash Pista cannot read.
var errHash = errors.New("access: unreadable password hash")

// PasswordMatches reports whether pw is the password of encoded. An empty
// hash (a user without a password) matches nothing.
func PasswordMatches(encoded, pw string) (bool, error) {
	if encoded == "" {
		return false, nil
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errHash
	}
	var version int
	var mem, t uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &threads); err != nil {
		return false, errHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
