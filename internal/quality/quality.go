// Package quality judges a lead's contact data: is the email deliverable in
// shape, disposable, a free mailbox or a shared role address; does the phone
// number exist; is the name a person's or a test, a cartoon or keyboard
// mashing. Definition rules read the verdicts as facts.<name>
// (facts.fake_name), and intake uses the same functions to normalise emails
// and phones before dedup. So a lead is judged the same way wherever it
// comes from.
//
// Everything here is a pure function of its arguments: no I/O, no clock,
// no configuration. The lists are embedded and immutable, so the verdict
// for a lead changes only when pista is upgraded.
//
// The lists and heuristics favour missing a junk lead over rejecting a real
// one. A junk lead that slips through costs a tele-qualifier one call. A
// real buyer marked fake may never be called.
package quality

import (
	"strings"

	"github.com/pistahq/pista/internal/lead"
)

// Facts are built-in observations about a lead's contact data; rule
// expressions read them as facts.<name>. A fact whose Need was not asked
// for is left false/empty.
type Facts struct {
	// EmailValid: the address is syntactically valid and its domain is
	// plausible (a dot, valid IDNA, a top-level domain of two or more
	// letters). Nothing is looked up in DNS.
	EmailValid bool `json:"email_valid" expr:"email_valid"`
	// EmailDisposable: the domain, or a domain it is under, is a
	// throw-away mailbox service (data/disposable_domains.txt).
	EmailDisposable bool `json:"email_disposable" expr:"email_disposable"`
	// EmailFree: a consumer mailbox (gmail.com, hotmail.*, uol.com.br, ...).
	EmailFree bool `json:"email_free" expr:"email_free"`
	// EmailRole: a shared mailbox such as info@, ventas@, contato@, noreply@.
	EmailRole bool `json:"email_role" expr:"email_role"`
	// EmailDomain: lower-case ASCII (punycode) domain, "" if there is none.
	EmailDomain string `json:"email_domain" expr:"email_domain"`
	// PhoneValid: the number parses and is valid per libphonenumber, read
	// in the person's country (or the company's when the person has none).
	PhoneValid bool `json:"phone_valid" expr:"phone_valid"`
	// FakeName: the name is not a real person's; see IsFakeName.
	FakeName bool `json:"fake_name" expr:"fake_name"`
	// KeyboardMash: the first name, last name or company name is keyboard
	// mashing, or the email's local part is a keyboard run or repetition
	// ("asdfgh@", "jajaja@").
	KeyboardMash bool `json:"keyboard_mash" expr:"keyboard_mash"`
	// TestValue: the name, email or company name is a test or placeholder
	// value (test, prueba, N/A, test@…, …@example.com); see IsTestValue.
	TestValue bool `json:"test_value" expr:"test_value"`
	// NameMissing: both first and last name are blank.
	NameMissing bool `json:"name_missing" expr:"name_missing"`
	// EmailMissing: the email is blank.
	EmailMissing bool `json:"email_missing" expr:"email_missing"`
}

// Need selects the facts to compute. Phone parsing costs far more than
// everything else together, so the engine asks only for what the active
// definition reads (see NeedOf).
type Need uint16

const (
	// NeedEmail: email_valid, email_disposable, email_free, email_role,
	// email_domain, email_missing.
	NeedEmail Need = 1 << iota
	// NeedPhone: phone_valid.
	NeedPhone
	// NeedName: fake_name, keyboard_mash, name_missing.
	NeedName
	// NeedTest: test_value.
	NeedTest

	NeedAll = NeedEmail | NeedPhone | NeedName | NeedTest
)

// NeedOf returns the Need that computes the fact a rule names (its expr
// tag, "fake_name"), so the definition compiler can collect what a
// definition reads. ok is false for a name that is not a fact.
func NeedOf(fact string) (need Need, ok bool) {
	switch fact {
	case "email_valid", "email_disposable", "email_free", "email_role", "email_domain", "email_missing":
		return NeedEmail, true
	case "phone_valid":
		return NeedPhone, true
	case "fake_name", "keyboard_mash", "name_missing":
		return NeedName, true
	case "test_value":
		return NeedTest, true
	}
	return 0, false
}

// Compute returns the facts in need about a person and their company;
// either may be nil. It is pure and never panics, whatever the fields hold.
// Without NeedPhone it does not allocate for typical leads, because it runs
// on every evaluation.
func Compute(p *lead.Person, c *lead.Company, need Need) Facts {
	var none lead.Person
	if p == nil {
		p = &none
	}
	companyName, companyCountry := "", ""
	if c != nil {
		companyName, companyCountry = c.Name, c.Country
	}
	var f Facts

	var e emailParts
	switch {
	case need&(NeedEmail|NeedTest) != 0:
		e = parseEmail(p.Email)
	case need&NeedName != 0:
		// keyboard_mash only reads the local part; skip the domain's
		// validation, which costs microseconds for an IDN.
		if s := trimSpace(p.Email); len(s) <= maxEmailLen {
			if at := strings.LastIndexByte(s, '@'); at > 0 {
				e.rawLocal = s[:at]
			}
		}
	}
	if need&NeedEmail != 0 {
		f.EmailMissing = e.problem == emailEmpty
		f.EmailValid = e.problem == emailOK
		f.EmailDomain = e.domain
		if e.domain != "" {
			f.EmailDisposable = isDisposable(e.domain)
			f.EmailFree = isFree(e.domain)
			f.EmailRole = isRoleLocal(e.rawLocal)
		}
	}

	if need&NeedPhone != 0 {
		country := p.Country
		if trimSpace(country) == "" {
			country = companyCountry
		}
		f.PhoneValid = isValidPhone(p.Phone, country)
	}

	first, last := trimSpace(p.FirstName), trimSpace(p.LastName)
	var why string
	if need&(NeedName|NeedTest) != 0 {
		why = fakeName(first, last)
	}
	if need&NeedName != 0 {
		f.NameMissing = first == "" && last == ""
		f.FakeName = why != ""
		// fakeName stops at its first reason, so a name that is fake for
		// another reason ("asdf asdf" is a test value) is checked again.
		nameMash := why == whyMash || why != "" && (isMash(first, mashName) || isMash(last, mashName))
		f.KeyboardMash = nameMash || isMash(companyName, mashCompany) || isMash(e.rawLocal, mashLocal)
	}

	if need&NeedTest != 0 {
		f.TestValue = why == whyTest ||
			e.rawLocal != "" && isTestEmail(e.rawLocal, e.domain) ||
			IsTestValue(companyName)
	}
	return f
}
