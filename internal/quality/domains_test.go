package quality

import (
	"slices"
	"strings"
	"testing"
)

func TestIsDisposableDomain(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"mailinator.com", true},
		{"MAILINATOR.COM", true},
		{" yopmail.com ", true},
		{"guerrillamail.com", true},
		{"10minutemail.com", true},
		{"anything.33mail.com", true}, // subdomain of a listed domain
		{"a.b.c.mailinator.com", true},
		{"refeição.online", true}, // listed in Unicode upstream, stored as punycode
		{"xn--refeio-7ta5a.online", true},
		{"mailinator.com.", true}, // trailing dot from DNS tools
		{"gmail.com", false},
		{"empresa.com.co", false},
		{"acmemailinator.com", false},  // only whole labels match
		{"yopmail.empresa.com", false}, // a listed name under another domain
		{"mailinator.com.co", false},
		{"com", false},
		{"edu.pl", false}, // public suffix dropped from the upstream list
		{"uw.edu.pl", false},
		{"", false},
		{"not a domain", false},
		{"\xff\xfe", false},
		{strings.Repeat("a.", 1<<19) + "com", false},
	}
	for _, tc := range tests {
		if got := IsDisposableDomain(tc.in); got != tc.want {
			t.Errorf("IsDisposableDomain(%.60q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// The embedded file is what the README promises: sorted, lower-case,
// ASCII, one domain a line, no blank lines, no duplicates.
func TestDisposableListFormat(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(disposableList, "\n"), "\n")
	if len(lines) < 100000 {
		t.Fatalf("disposable list has %d domains; the refresh probably failed", len(lines))
	}
	if !slices.IsSorted(lines) {
		t.Error("disposable list is not sorted")
	}
	for i, d := range lines {
		if i > 0 && lines[i-1] == d {
			t.Errorf("line %d: duplicate %q", i+1, d)
		}
		if n, p, _ := normalizeDomain(d); p != emailOK || n != d {
			t.Errorf("line %d: %q is not a normalised domain", i+1, d)
		}
	}
}

// domainSet answers as a map of its lines would, for every listed domain
// and for near misses around each, whether its text comes sorted or not,
// with blank lines, spaces, a carriage return and no final newline.
func TestDomainSet(t *testing.T) {
	listed := strings.Split(strings.TrimSuffix(disposableList, "\n"), "\n")
	shuffled := slices.Clone(listed[:2000])
	slices.Reverse(shuffled)
	for _, tc := range []struct {
		name string
		text string
	}{
		{"embedded list", disposableList},
		{"unsorted, untidy", "\n  " + strings.Join(shuffled, " \n\n") + "\r\n\t zz.example\t"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := map[string]bool{}
			for line := range strings.Lines(tc.text) {
				if d := strings.TrimSpace(line); d != "" {
					want[d] = true
				}
			}
			set := newDomainSet(tc.text)
			if len(set.spans) != len(want) {
				t.Fatalf("%d domains indexed, want %d", len(set.spans), len(want))
			}
			for d := range want {
				for _, probe := range []string{d, d[1:], d[:len(d)-1], d + "a", "a" + d, "." + d, ""} {
					if got := set.has(probe); got != want[probe] {
						t.Fatalf("has(%q) = %v, want %v", probe, got, want[probe])
					}
				}
			}
		})
	}
}

func TestFreeDomainsAreNotDisposable(t *testing.T) {
	for d := range freeDomains {
		if isDisposable(d) {
			t.Errorf("free provider %s is in the disposable list", d)
		}
	}
	for _, b := range freeBrands {
		for _, suffix := range []string{"com", "es", "com.br", "com.mx", "com.co", "com.ar", "cl"} {
			if d := b + "." + suffix; isDisposable(d) {
				t.Errorf("free provider %s is in the disposable list", d)
			}
		}
	}
}

func TestIsFreeDomain(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"gmail.com", true},
		{"Gmail.COM", true},
		{"hotmail.com", true},
		{"hotmail.es", true},
		{"hotmail.com.mx", true},
		{"hotmail.com.ar", true},
		{"outlook.com", true},
		{"outlook.com.br", true},
		{"outlook.es", true},
		{"yahoo.com", true},
		{"yahoo.com.mx", true},
		{"yahoo.es", true},
		{"live.com", true},
		{"live.com.mx", true},
		{"icloud.com", true},
		{"uol.com.br", true},
		{"bol.com.br", true},
		{"terra.com.br", true},
		{"terra.com.co", true},
		{"prodigy.net.mx", true},
		{"protonmail.com", true},
		{"hotmail.empresa.com", false}, // someone else's subdomain
		{"mail.gmail.com", false},
		{"yahoo", false},
		{"empresa.com.co", false},
		{"microsoft.com", false},
		{"terra.com", false}, // a company site, not the mailbox provider
		{"", false},
		{"\xff", false},
		{strings.Repeat("hotmail.", 1<<17) + "com", false},
	}
	for _, tc := range tests {
		if got := IsFreeDomain(tc.in); got != tc.want {
			t.Errorf("IsFreeDomain(%.60q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestIsRoleAddress(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"info@empresa.com", true},
		{"INFO@empresa.com", true},
		{"ventas@empresa.com.co", true},
		{"ventas2@empresa.com.co", true},
		{"ventas.bogota@empresa.com.co", true},
		{"ventas-mx@empresa.mx", true},
		{"contacto@empresa.mx", true},
		{"contato@empresa.com.br", true},
		{"faleconosco@empresa.com.br", true},
		{"sales@company.com", true},
		{"admin@company.com", true},
		{"noreply@company.com", true},
		{"no-reply@company.com", true},
		{"no_reply@company.com", true},
		{"do-not-reply@company.com", true},
		{"info+leads@empresa.com", true},
		{"rh@empresa.com.br", true},
		{"pqrs@empresa.com.co", true},
		{"juan.perez@empresa.com", false},
		{"juan.ventas@empresa.com", false}, // a person in sales
		{"ola@empresa.pl", false},          // Ola is a name
		{"ana@empresa.com", false},
		{"rh.silva@empresa.com.br", false}, // two-letter words match only whole
		{"information.technology.lead@x.com", false},
		{"infoteca@empresa.com", false},
		{"info", false},
		{"info@", false},
		{"@empresa.com", false},
		{"", false},
		{"\xff@\xfe", false},
		{strings.Repeat("info", 1<<18) + "@x.com", false},
	}
	for _, tc := range tests {
		if got := IsRoleAddress(tc.in); got != tc.want {
			t.Errorf("IsRoleAddress(%.60q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
