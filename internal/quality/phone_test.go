package quality

import (
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		raw, country string
		want         string
		wantErr      string // substring of the error; "" means success
	}{
		{"300 123 4567", "CO", "+573001234567", ""},
		{"(300) 123-4567", "co", "+573001234567", ""},
		{"+57 300 123 4567", "", "+573001234567", ""},
		{"+57 300 123 4567", "MX", "+573001234567", ""}, // an explicit code wins
		{"0057 300 123 4567", "US", "", "not a valid number"},
		{"601 234 5678", "CO", "+576012345678", ""}, // Bogotá landline, 2021 numbering
		{"55 1234 5678", "MX", "+525512345678", ""},
		{"(11) 91234-5678", "BR", "+5511912345678", ""},
		{"+55 11 91234-5678", "", "+5511912345678", ""},
		{"+54 9 11 1234-5678", "", "+5491112345678", ""},
		{"612 34 56 78", "ES", "+34612345678", ""},
		{"(202) 456-1111", "US", "+12024561111", ""},
		{"020 7946 0958", "UK", "+442079460958", ""},
		{"+57 300 123 4567 ext. 12", "", "+573001234567", ""},
		{"\u200b300 123 4567 ", "CO", "+573001234567", ""},
		{"300 123 4567", "", "", "no country code"},
		{"300 123 4567", "XX", "", `default country "XX"`},
		{"+999 123 4567", "", "", "unknown country code"},
		{"300 123", "CO", "", "not a valid number for CO"},
		{"1", "CO", "", "does not look like a phone number"},
		{"abc", "CO", "", "does not look like a phone number"},
		{"", "CO", "", "phone number is empty"},
		{"   ", "CO", "", "phone number is empty"},
		{"300\xff123", "CO", "", "not valid UTF-8"},
		{strings.Repeat("3", 300), "CO", "", "too long"},
		{strings.Repeat("3", 1<<20), "CO", "", "too long"},
		{"+57 " + strings.Repeat("3", 20), "", "", "too long"},
	}
	for _, tc := range tests {
		got, err := NormalizePhone(tc.raw, tc.country)
		if tc.wantErr == "" {
			if err != nil || got != tc.want {
				t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q", tc.raw, tc.country, got, err, tc.want)
			}
			if again, err := NormalizePhone(got, ""); err != nil || again != got {
				t.Errorf("NormalizePhone(%q, \"\") = %q, %v; E.164 output must read back as itself", got, again, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("NormalizePhone(%.40q, %q) = %q, %v; want error containing %q", tc.raw, tc.country, got, err, tc.wantErr)
		}
		if err != nil && len(err.Error()) > 300 {
			t.Errorf("NormalizePhone(%.40q): error is %d bytes; long input must be clipped", tc.raw, len(err.Error()))
		}
	}
}

func TestIsValidPhoneAgreesWithNormalizePhone(t *testing.T) {
	for _, tc := range []struct{ raw, country string }{
		{"300 123 4567", "CO"}, {"300 123 4567", ""}, {"+57 300 123 4567", "ZZ"},
		{"55 1234 5678", "MX"}, {"abc", "BR"}, {"", ""}, {"+1 202 456 1111", "uk"},
	} {
		_, err := NormalizePhone(tc.raw, tc.country)
		// An unknown default country is an error for NormalizePhone (the
		// caller passed bad input) but just "no default" for a lead.
		if _, known := phoneRegion(tc.country); !known && trimSpace(tc.country) != "" {
			continue
		}
		if got := isValidPhone(tc.raw, tc.country); got != (err == nil) {
			t.Errorf("isValidPhone(%q, %q) = %v, NormalizePhone error %v", tc.raw, tc.country, got, err)
		}
	}
}
