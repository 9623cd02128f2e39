package quality

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
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

// TestNormalizedPhonesAreValid: a number NormalizePhone accepted is valid
// when the lead is evaluated, whatever its country, which NormalizePhone
// tells the phone memo so that evaluating does not parse it again. Checked
// without the memo, on libphonenumber's example numbers (fixed line,
// mobile, toll free) of every region it knows, written as its people
// write them, with the region's code and with others.
func TestNormalizedPhonesAreValid(t *testing.T) {
	regions := slices.Sorted(maps.Keys(phonenumbers.GetSupportedRegions()))
	checked := 0
	for _, region := range regions {
		for _, typ := range []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE} {
			num := phonenumbers.GetExampleNumberForType(region, typ)
			if num == nil {
				continue
			}
			for _, raw := range []string{phonenumbers.Format(num, phonenumbers.NATIONAL), phonenumbers.Format(num, phonenumbers.INTERNATIONAL)} {
				for _, country := range []string{region, "", "US", "IT", "BR", strings.ToLower(region)} {
					e164, err := parsePhoneE164(raw, country)
					if err != nil {
						continue
					}
					checked++
					if !parseValidPhone(e164, country) {
						t.Errorf("%s %q read as %s with country %q, which is then not valid", region, raw, e164, country)
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d numbers normalised", checked)
	}
}

// TestPhoneMemoAnswersAsParsing: answered from the memo or not, both
// questions get the answers parsing gives, also after more questions
// than the memo holds have pushed each other out; a long text is not
// remembered.
func TestPhoneMemoAnswersAsParsing(t *testing.T) {
	type question struct{ raw, country string }
	var qs []question
	for _, raw := range []string{"300 123 4567", "+57 300 123 4567", "(11) 91234-5678", "300 123", "abc", "", "+999 123 4567",
		"020 7946 0958", "+39 06 1234 5678", "300\xff123", strings.Repeat("3", 100)} {
		for _, c := range []string{"CO", "", "BR", "XX", "uk", "IT"} {
			qs = append(qs, question{raw, c})
		}
	}
	for i := range 2 * phoneSlots {
		qs = append(qs, question{fmt.Sprintf("+57 300 %03d %04d", i/10000, i%10000), "CO"}, question{fmt.Sprint(1000 + i), "MX"})
	}
	check := func(pass string) {
		t.Helper()
		for _, q := range qs {
			e164, err := NormalizePhone(q.raw, q.country)
			we164, werr := parsePhoneE164(q.raw, q.country)
			if e164 != we164 || fmt.Sprint(err) != fmt.Sprint(werr) {
				t.Fatalf("%s: NormalizePhone(%q, %q) = %q, %v; parsing gives %q, %v", pass, q.raw, q.country, e164, err, we164, werr)
			}
			if got, want := isValidPhone(q.raw, q.country), parseValidPhone(q.raw, q.country); got != want {
				t.Fatalf("%s: isValidPhone(%q, %q) = %v; parsing gives %v", pass, q.raw, q.country, got, want)
			}
		}
	}
	check("first")
	check("again")
	slices.Reverse(qs)
	check("backwards")
	long := strings.Repeat("3", phoneMemoMax+1)
	isValidPhone(long, "CO")
	if phones.get(askValid, long, "CO") != nil {
		t.Errorf("a text of %d bytes was remembered", len(long))
	}
}
