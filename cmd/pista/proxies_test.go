package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrustedProxies: --trusted-proxies takes addresses and CIDR ranges,
// and refuses anything else by name before the server opens anything.
func TestTrustedProxies(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // the prefixes, or the error's text
	}{
		{"", "[]"},
		{"10.0.0.0/8", "[10.0.0.0/8]"},
		{" 10.1.2.3 , 192.168.0.0/16,::1", "[10.1.2.3/32 192.168.0.0/16 ::1/128]"},
		{"10.1.2.3/8", "[10.0.0.0/8]"},
		{"::ffff:10.1.2.3", "[10.1.2.3/32]"},
		{"10.0.0.0/8,proxy.local", `"proxy.local" is neither an address nor a CIDR range`},
	} {
		got, err := parseProxies(c.in)
		text := fmt.Sprint(got)
		if err != nil {
			text = err.Error()
		}
		if !strings.Contains(text, c.want) {
			t.Errorf("%q: got %s, want %s", c.in, text, c.want)
		}
	}
	db := filepath.Join(t.TempDir(), "p.db")
	code, _, stderr := runCLI(t, "", "serve", "--db", db, "--trusted-proxies", "10.0.0.0/33")
	if code == 0 || !strings.Contains(stderr, "--trusted-proxies") || !strings.Contains(stderr, "10.0.0.0/33") {
		t.Errorf("serve with a bad --trusted-proxies: exit %d, %s", code, stderr)
	}
	if matches, _ := filepath.Glob(db + "*"); len(matches) != 0 {
		t.Errorf("serve opened %v before refusing its flags", matches)
	}
}
