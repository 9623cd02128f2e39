package i18n_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/problem"
)

func catalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.New("")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestNoMissingKeys fails when a message exists in one language and not
// in another, or when a translation drops one of its arguments.
func TestNoMissingKeys(t *testing.T) {
	c := catalog(t)
	en := c.Keys("en")
	for _, lang := range i18n.Languages {
		keys := c.Keys(lang)
		for _, k := range en {
			if !slices.Contains(keys, k) {
				t.Errorf("%s: missing %q", lang, k)
			}
		}
		for _, k := range keys {
			if !slices.Contains(en, k) {
				t.Errorf("%s: %q is not in en", lang, k)
			}
		}
	}
	for _, k := range en {
		for _, lang := range []string{"es", "pt"} {
			if verbs(c.Raw("en", k)) != verbs(c.Raw(lang, k)) {
				t.Errorf("%s: %q has other arguments than in en", lang, k)
			}
		}
	}
}

// verbs lists a format's verbs in order.
func verbs(f string) string {
	var out []string
	for i := 0; i < len(f)-1; i++ {
		if f[i] == '%' {
			out = append(out, f[i+1:i+2])
			i++
		}
	}
	return strings.Join(out, "")
}

func TestMatch(t *testing.T) {
	c := catalog(t)
	for _, tc := range []struct{ user, accept, want string }{
		{"pt", "en-US", "pt"},
		{"", "es-CO,es;q=0.9", "es"},
		{"", "es-MX", "es"},
		{"", "pt-BR,pt;q=0.9,en;q=0.8", "pt"},
		{"", "en-US,en;q=0.9", "en"},
		{"", "fr-FR", "es"},
		{"", "", "es"},
		{"de", "de-DE", "es"},
	} {
		if got := c.Match(tc.user, tc.accept); got != tc.want {
			t.Errorf("Match(%q, %q) = %q, want %q", tc.user, tc.accept, got, tc.want)
		}
	}
	en, err := i18n.New("en")
	if err != nil {
		t.Fatal(err)
	}
	if got := en.Match("", "fr"); got != "en" {
		t.Errorf("server default en: %q", got)
	}
	if _, err := i18n.New("fr"); err == nil {
		t.Error("default language fr accepted")
	}
}

func TestFormats(t *testing.T) {
	c := catalog(t)
	bogota, _ := time.LoadLocation("America/Bogota")
	at := time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)
	for _, tc := range []struct{ lang, num, money, date, queue, percent string }{
		{"es", "1.234,56", "USD 1.234,56", "04/12/2026 10:30", "1.500 leads · vencen hoy: 2", "12,5\u00a0%"},
		{"pt", "1.234,56", "USD 1.234,56", "04/12/2026 10:30", "1.500 leads · vencem hoje: 2", "12,5%"},
		{"en", "1,234.56", "USD 1,234.56", "Dec 4, 2026 10:30", "1,500 leads · due today: 2", "12.5%"},
	} {
		p := c.Printer(tc.lang)
		if got := p.Number(1234.56, 2); got != tc.num {
			t.Errorf("%s: Number = %q, want %q", tc.lang, got, tc.num)
		}
		if got := p.Percent(0.125, 1); got != tc.percent {
			t.Errorf("%s: Percent = %q, want %q", tc.lang, got, tc.percent)
		}
		if got := p.Money(1234.56, "USD"); got != tc.money {
			t.Errorf("%s: Money = %q, want %q", tc.lang, got, tc.money)
		}
		if got := p.DateTime(at, bogota); got != tc.date {
			t.Errorf("%s: DateTime = %q, want %q", tc.lang, got, tc.date)
		}
		if got := p.T("queue.summary", 1500, 2); got != tc.queue {
			t.Errorf("%s: queue.summary = %q, want %q", tc.lang, got, tc.queue)
		}
	}
	if got := c.Printer("es").Duration(3*time.Hour + 20*time.Minute); got != "3 h 20 min" {
		t.Errorf("Duration = %q", got)
	}
}

func TestProblems(t *testing.T) {
	c := catalog(t)
	err := problem.Coded(problem.Forbidden, "signin_throttled", []any{15}, "too many failed sign-ins; try again in %d min", 15)
	if got := c.Printer("es").Problem(err); got != "Demasiados intentos fallidos. Inténtalo de nuevo en 15 min." {
		t.Errorf("es: %q", got)
	}
	if got := c.Printer("en").Problem(problem.New(problem.Conflict, "plain detail")); got != "plain detail" {
		t.Errorf("uncoded: %q", got)
	}
	f := problem.Field{Name: "password", Reason: "short", Code: "password_short", Args: []any{10}}
	if got := c.Printer("pt").Field(f); got != "pelo menos 10 caracteres" {
		t.Errorf("field: %q", got)
	}
}

// TestPlurals: a message with plural forms picks the one the language's
// CLDR rules give for the count.
func TestPlurals(t *testing.T) {
	c := catalog(t)
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 lead on this page"}, {"en", 0, "0 leads on this page"}, {"en", 1234, "1,234 leads on this page"},
		{"es", 1, "1 lead en esta página"}, {"es", 2, "2 leads en esta página"},
		{"pt", 1, "1 lead nesta página"}, {"pt", 3, "3 leads nesta página"},
		{"es", 1, "1 evento"}, {"pt", 2, "2 eventos"},
	} {
		key := "leads.count"
		if strings.Contains(tc.want, "evento") {
			key = "why.events"
		}
		if got := c.Printer(tc.lang).T(key, tc.n); got != tc.want {
			t.Errorf("%s %s(%d) = %q, want %q", tc.lang, key, tc.n, got, tc.want)
		}
	}
}
