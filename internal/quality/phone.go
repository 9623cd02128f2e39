package quality

import (
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync/atomic"
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
	if a := phones.get(askValid, raw, country); a != nil {
		return a.valid
	}
	valid := parseValidPhone(raw, country)
	phones.put(&phoneAnswer{phoneQuestion: phoneQuestion{askValid, raw, country}, valid: valid})
	return valid
}

// parseValidPhone is isValidPhone without the memo.
func parseValidPhone(raw, country string) bool {
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
	if a := phones.get(askNormal, raw, defaultCountry); a != nil {
		return a.e164, a.err
	}
	e164, err = parsePhoneE164(raw, defaultCountry)
	phones.put(&phoneAnswer{phoneQuestion: phoneQuestion{askNormal, raw, defaultCountry}, e164: e164, err: err})
	if err == nil {
		// Evaluating the lead checks the number stored, this one, again
		// (TestNormalizedPhonesAreValid).
		phones.put(&phoneAnswer{phoneQuestion: phoneQuestion{askValid, e164, defaultCountry}, valid: true})
	}
	return e164, err
}

// parsePhoneE164 is NormalizePhone without the memo.
func parsePhoneE164(raw, defaultCountry string) (e164 string, err error) {
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

// phones remembers the latest answers about phone numbers, so that a
// number is parsed once where it is asked about several times: pista
// import checks a row's phone, intake normalises it, and every evaluation
// of the lead checks the normalised number again (a known person's
// inquiry evaluates twice). A libphonenumber parse costs about 10 µs; a
// lead's whole evaluation, 20.
//
// It is a table of phoneSlots slots, each holding the last answer whose
// question hashed to it; a question is answered from a slot only if the
// slot holds that very question. Answers never change (libphonenumber's
// metadata is compiled in), so an old one is as good as a new one.
var phones phoneMemo

const phoneSlots = 4096

// phoneMemoMax is the longest number or country remembered: a phone
// is short, and a long text held in the table would hold its memory.
const phoneMemoMax = 64

var phoneSeed = maphash.MakeSeed()

type phoneMemo struct {
	slots [phoneSlots]atomic.Pointer[phoneAnswer]
}

type phoneAsk uint8

const (
	askValid  phoneAsk = iota + 1 // isValidPhone
	askNormal                     // NormalizePhone
)

type phoneQuestion struct {
	ask          phoneAsk
	raw, country string
}

type phoneAnswer struct {
	phoneQuestion
	valid bool   // isValidPhone's
	e164  string // NormalizePhone's
	err   error
}

func (m *phoneMemo) slot(q phoneQuestion) *atomic.Pointer[phoneAnswer] {
	return &m.slots[maphash.Comparable(phoneSeed, q)%phoneSlots]
}

func (m *phoneMemo) get(ask phoneAsk, raw, country string) *phoneAnswer {
	q := phoneQuestion{ask, raw, country}
	if len(raw) > phoneMemoMax || len(country) > phoneMemoMax {
		return nil
	}
	if a := m.slot(q).Load(); a != nil && a.phoneQuestion == q {
		return a
	}
	return nil
}

func (m *phoneMemo) put(a *phoneAnswer) {
	if len(a.raw) <= phoneMemoMax && len(a.country) <= phoneMemoMax {
		m.slot(a.phoneQuestion).Store(a)
	}
}
