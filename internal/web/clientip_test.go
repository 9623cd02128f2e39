package web

import (
	"crypto/tls"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestClientIP: behind trusted proxies a request counts as from the
// nearest forwarded address that is not a proxy; anyone else's
// X-Forwarded-For is ignored, as are the addresses a client put before
// the ones the proxies added.
func TestClientIP(t *testing.T) {
	s := &Server{proxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}
	for _, c := range []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"no proxy", "203.0.113.7:5123", nil, "203.0.113.7"},
		{"untrusted peer's header is ignored", "203.0.113.7:5123", []string{"198.51.100.1"}, "203.0.113.7"},
		{"one proxy", "10.0.0.2:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"two proxies", "10.0.0.2:443", []string{"198.51.100.1, 10.1.1.1"}, "198.51.100.1"},
		{"a forged first hop", "10.0.0.2:443", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"several headers", "10.0.0.2:443", []string{"1.2.3.4", "198.51.100.1"}, "198.51.100.1"},
		{"garbage stops the walk", "10.0.0.2:443", []string{"198.51.100.1, junk"}, "10.0.0.2"},
		{"proxy without header", "10.0.0.2:443", nil, "10.0.0.2"},
		{"IPv6 proxy, mapped IPv4 client", "[::1]:443", []string{"::ffff:198.51.100.9"}, "198.51.100.9"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/f/demo", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientIP(r); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	for _, c := range []struct {
		remote, proto string
		tls           bool
		want          string
	}{
		{"10.0.0.2:443", "https", false, "https"},
		{"203.0.113.7:80", "https", false, "http"},
		{"203.0.113.7:443", "", true, "https"},
		{"10.0.0.2:443", "gopher", false, "http"},
	} {
		r := httptest.NewRequest("GET", "/f/demo/snippet", nil)
		r.RemoteAddr = c.remote
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if got := s.scheme(r); got != c.want {
			t.Errorf("scheme from %s with %q: %s, want %s", c.remote, c.proto, got, c.want)
		}
	}
}
