package webform

import (
	"strings"
	"testing"
)

func TestSplitName(t *testing.T) {
	tests := []struct{ in, first, last string }{
		{"Ana", "Ana", ""},
		{"Ana Pérez", "Ana", "Pérez"},
		{"Juan García López", "Juan", "García López"},
		{"María José García López", "María José", "García López"},
		{"Ana  Maria   de Souza Lima", "Ana Maria", "de Souza Lima"},
		{"Pérez,  Ana", "Ana", "Pérez"},
		{"a, b, c", "a,", "b, c"}, // two commas: not surname-first
		{"", "", ""},
	}
	for _, tt := range tests {
		if f, l := splitName(tt.in); f != tt.first || l != tt.last {
			t.Errorf("splitName(%q) = %q, %q; want %q, %q", tt.in, f, l, tt.first, tt.last)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		in        string
		multiline bool
		limit     int
		want      string
		cut       int
	}{
		{"  Ana  ", false, 100, "Ana", 0},
		{"a\r\nb\n\tc", false, 100, "a b c", 0},
		{"a\r\nb", true, 100, "a\nb", 0},
		{"\u00a0Ana\u200b", false, 100, "Ana", 0},
		{"N/A", false, 100, "", 0},
		{" n.a. ", false, 100, "", 0},
		{"Não tenho", false, 100, "", 0},
		{"NONE", false, 100, "", 0},
		{"Nadal", false, 100, "Nadal", 0},
		{"abcdef", false, 3, "abc", 6},
		{"ñññññ", false, 4, "ññññ", 5},
		{"a\x00b\x7fc", false, 100, "abc", 0},
		{"\xff", false, 100, "\uFFFD", 0},
	}
	for _, tt := range tests {
		got, cut := clean(tt.in, tt.multiline, tt.limit)
		if got != tt.want || cut != tt.cut {
			t.Errorf("clean(%q) = %q, %d; want %q, %d", tt.in, got, cut, tt.want, tt.cut)
		}
	}
}

func TestCountryCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"CO", "CO", true}, {"co", "CO", true}, {"COL", "CO", true}, {"Colombia", "CO", true},
		{"México", "MX", true}, {"MEXICO", "MX", true}, {"Brasil", "BR", true}, {"Brazil", "BR", true},
		{"Estados Unidos", "US", true}, {"United States", "US", true}, {"EE. UU.", "US", true},
		{"USA", "US", true}, {"U.S.A.", "US", true}, {"UK", "GB", true}, {"España", "ES", true},
		{"Perú", "PE", true}, {"República Dominicana", "DO", true}, {"Narnia", "", false},
		{"XX", "", false}, {"EU", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		if got, ok := countryCode(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("countryCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCleanDomain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"acme.com", "acme.com"},
		{"https://www.Acme.com/contacto?x=1", "acme.com"},
		{"http://acme.com.br:8080/", "acme.com.br"},
		{"ana@acme.co", "acme.co"},
		{"www.acme.mx.", "acme.mx"},
	}
	for _, tt := range tests {
		if got := cleanDomain(tt.in); got != tt.want {
			t.Errorf("cleanDomain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"person.emial", "person.email"},
		{"person.firstname", "person.first_name"},
		{"company.employes", "company.employees"},
		{"action.prop.message", "action.props.message"},
		{"email", ""},
		{strings.Repeat("z", 30), ""},
	}
	for _, tt := range tests {
		if got := suggestPath(tt.in); got != tt.want {
			t.Errorf("suggestPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBlank(t *testing.T) {
	for _, s := range []string{"", "  ", "N/A", "n/a", "-", "none", "ninguno", "Select", "unknown", "Não informado",
		"sin dato", "null", "#N/A", "Seleccione", "\u00a0NONE", ".N.A.", "\tDesconocido ", "NADA"} {
		if !Blank(s) || Clean(s) != "" {
			t.Errorf("Blank(%q) = %v, Clean = %q; want blank", s, Blank(s), Clean(s))
		}
	}
	for _, s := range []string{"Ana", "no", "0", "Selección Colombia", "unknown soldier", "Nadal", "Ñandú", "Sindicato"} {
		if Blank(s) || Clean(s) == "" {
			t.Errorf("Blank(%q) = true; want a value", s)
		}
	}
}
