package quality

import (
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/lead"
)

// FuzzCompute feeds arbitrary contact data through every fact. Compute
// must not panic. Every exported judgement must agree with what Compute
// reports. A normalised email must normalise to itself, because intake
// stores the normal form and dedups on it.
func FuzzCompute(f *testing.F) {
	seeds := []struct{ email, first, last, phone, country, company string }{
		{"Ana.Gomez@Empresa.com.co", "Ana", "Gómez", "300 123 4567", "CO", "Empresa S.A.S."},
		{"test@mailinator.com", "Mickey", "Mouse", "123", "", "N/A"},
		{"josé@café.com.co", "José", "da Silva", "+55 11 91234-5678", "br", "Café Ltda"},
		{"a@@b", "asdf", "asdf", "abc", "XX", "qwerty"},
		{"\xff@\xfe.com", "\xff", "\xfe", "\xff", "\xff", "\xff"},
		{"ventas@hotmail.com.mx", "Szczepański", "Nguyễn", "55 1234 5678", "MX", "王伟"},
		{"x@xn--caf-dma.com", "Ó", "Súilleabháin", "+1 202 456 1111", "UK", "Jkljkl"},
		{"İ@ǅ.com", "ǅ", "ﬀ", "０３００", "co", "ß"},
		{"a@ab--cd.com", "", "", "", "", ""},
		{strings.Repeat("a", 300) + "@x.com", strings.Repeat("q", 200), "", strings.Repeat("9", 300), "", ""},
	}
	for _, s := range seeds {
		f.Add(s.email, s.first, s.last, s.phone, s.country, s.company)
	}
	f.Fuzz(func(t *testing.T, email, first, last, phone, country, company string) {
		p := &lead.Person{Email: email, FirstName: first, LastName: last, Phone: phone, Country: country}
		c := &lead.Company{Name: company, Country: country}
		facts := Compute(p, c, NeedAll)

		if n, err := NormalizeEmail(email); err == nil {
			if again, err := NormalizeEmail(n); err != nil || again != n {
				t.Fatalf("NormalizeEmail(%q) = %q, but NormalizeEmail(%q) = %q, %v", email, n, n, again, err)
			}
			if !facts.EmailValid {
				t.Fatalf("NormalizeEmail(%q) succeeds but email_valid is false", email)
			}
			if d := EmailDomain(n); d != facts.EmailDomain {
				t.Fatalf("EmailDomain(%q) = %q, email_domain = %q", n, d, facts.EmailDomain)
			}
		} else if facts.EmailValid {
			t.Fatalf("NormalizeEmail(%q) fails (%v) but email_valid is true", email, err)
		}
		if facts.EmailDomain != "" {
			if IsDisposableDomain(facts.EmailDomain) != facts.EmailDisposable {
				t.Fatalf("email_disposable disagrees with IsDisposableDomain(%q)", facts.EmailDomain)
			}
			if IsFreeDomain(facts.EmailDomain) != facts.EmailFree {
				t.Fatalf("email_free disagrees with IsFreeDomain(%q)", facts.EmailDomain)
			}
		}
		if fake, _ := IsFakeName(first, last); fake != facts.FakeName {
			t.Fatalf("IsFakeName(%q, %q) = %v, fake_name = %v", first, last, fake, facts.FakeName)
		}
		_ = IsKeyboardMash(email)
		_ = IsTestValue(email)
		_ = IsRoleAddress(email)
	})
}

// FuzzNormalizePhone: no panics, and a number that normalises reads back
// as itself from its E.164 form without a default country.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range [][2]string{
		{"300 123 4567", "CO"}, {"+57 300 123 4567", ""}, {"(11) 91234-5678", "BR"},
		{"55 1234 5678", "MX"}, {"+1 202 456 1111 ext 5", "US"}, {"020 7946 0958", "UK"},
		{"0057 300 123 4567", "US"}, {"+", ""}, {"\xff", "\xff"}, {"++--()..", "ZZ"},
		{"１２３４５６７８９０", "JP"}, {"+800 1234 5678", ""}, {strings.Repeat("9", 249), "DE"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, raw, country string) {
		e164, err := NormalizePhone(raw, country)
		if err != nil {
			if e164 != "" {
				t.Fatalf("NormalizePhone(%q, %q) = %q with error %v", raw, country, e164, err)
			}
			return
		}
		if !strings.HasPrefix(e164, "+") {
			t.Fatalf("NormalizePhone(%q, %q) = %q, not E.164", raw, country, e164)
		}
		if again, err := NormalizePhone(e164, ""); err != nil || again != e164 {
			t.Fatalf("NormalizePhone(%q, %q) = %q, but NormalizePhone(%q, \"\") = %q, %v", raw, country, e164, e164, again, err)
		}
	})
}
