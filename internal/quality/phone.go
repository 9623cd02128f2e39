package quality

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// parsePhone parses raw with libphonenumber, using region for numbers
// written without a "+country code". It recovers from panics because the
// parser is a large port of third-party code, and Compute promises never to
// panic on a lead, whatever was typed into its phone field.
func parsePhone(raw, region string) (num *phonenumbers.PhoneNumber, err error) {
	defer func() {
		if r := recover(); r != nil {
			num, err = nil, phonenumbers.ErrNotANumber
		}
	}()
	num = &phonenumbers.PhoneNumber{}
	err = phonenumbers.ParseToNumber(raw, region, num)
	return num, err
}

// phoneRegion turns a person's country into a libphonenumber region, or
// "ZZ" (unknown: only +numbers parse) when it is empty or not a country
// libphonenumber knows. "UK" is accepted for GB because people write it.
func phoneRegion(country string) (region string, known bool) {
	c := strings.ToUpper(trimSpace(country))
	if c == "UK" {
		c = "GB"
	}
	if len(c) != 2 || phonenumbers.GetCountryCodeForRegion(c) == 0 {
		return "ZZ", false
	}
	return c, true
}

// isValidPhone is NormalizePhone without building the E.164 string or an
// error sentence, for Compute.
func isValidPhone(raw, country string) bool {
	s := trimSpace(raw)
	if s == "" || len(s) > phonenumbers.MAX_INPUT_STRING_LENGTH || !utf8.ValidString(s) {
		return false
	}
	region, _ := phoneRegion(country)
	num, err := parsePhone(s, region)
	return err == nil && phonenumbers.IsValidNumber(num)
}

// NormalizePhone returns raw in E.164 form ("+573001234567"), the form
// pista stores, dedups and hands to dialers. Numbers without a "+country
// code" are read as numbers of defaultCountry (ISO 3166-1 alpha-2, usually
// the person's country). Valid means libphonenumber's metadata says the
// number can exist, not that it is in service. An extension is dropped:
// E.164 has no place for it. Errors are sentences for the person who typed
// the number.
func NormalizePhone(raw, defaultCountry string) (e164 string, err error) {
	s := trimSpace(raw)
	q := clip(s)
	switch {
	case s == "":
		return "", errors.New("phone number is empty")
	case !utf8.ValidString(s):
		return "", fmt.Errorf("phone number %q is not valid UTF-8 text", q)
	case len(s) > phonenumbers.MAX_INPUT_STRING_LENGTH:
		return "", fmt.Errorf("phone number %q is too long to be a phone number", q)
	}
	region, known := phoneRegion(defaultCountry)
	if !known && trimSpace(defaultCountry) != "" {
		return "", fmt.Errorf("default country %q for phone number %q is not a known two-letter country code", clip(defaultCountry), q)
	}
	num, err := parsePhone(s, region)
	switch {
	case err == nil:
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		if !known && !strings.HasPrefix(s, "+") {
			return "", fmt.Errorf("phone number %q has no country code: write it as +<country code> <number>, or set the person's country", q)
		}
		return "", fmt.Errorf("phone number %q starts with an unknown country code", q)
	case errors.Is(err, phonenumbers.ErrNotANumber):
		return "", fmt.Errorf("%q does not look like a phone number", q)
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return "", fmt.Errorf("phone number %q is too short", q)
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return "", fmt.Errorf("phone number %q is too long", q)
	default:
		return "", fmt.Errorf("phone number %q could not be read: %v", q, err)
	}
	if !phonenumbers.IsValidNumber(num) {
		where := phonenumbers.GetRegionCodeForCountryCode(int(num.GetCountryCode()))
		if where == "" || where == "ZZ" || where == "001" {
			return "", fmt.Errorf("phone number %q is not a valid number", q)
		}
		return "", fmt.Errorf("phone number %q is not a valid number for %s (+%d)", q, where, num.GetCountryCode())
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
