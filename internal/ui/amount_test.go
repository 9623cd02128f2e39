package ui

import "testing"

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in, lang string
		want     float64
	}{
		{"25000", "es", 25000}, {"25.000", "es", 25000}, {"25.000,50", "es", 25000.5}, {"25,5", "pt", 25.5},
		{"1.234.567", "pt", 1234567}, {"25,000", "en", 25000}, {"25,000.50", "en", 25000.5}, {"25.5", "en", 25.5},
		{"25.000,50", "en", 25000.5}, {" 3 500 ", "es", 3500}, {"25.00", "es", 25},
	} {
		got, err := parseAmount(tc.in, tc.lang)
		if err != nil || got != tc.want {
			t.Errorf("parseAmount(%q, %s) = %v, %v; want %v", tc.in, tc.lang, got, err, tc.want)
		}
	}
	if _, err := parseAmount("abc", "en"); err == nil {
		t.Error("abc parsed")
	}
}
