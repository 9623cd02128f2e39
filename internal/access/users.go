package access

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/quality"
	"github.com/pistahq/pista/internal/store"
)

// Languages are the languages Pista speaks to users in.
var Languages = []string{"es", "pt", "en"}

// NewUser checks a new user's fields and returns the user to store, with
// the e-mail normalised and the language defaulted to es. Every bad field
// is named in the returned problem. The API and the CLI use it.
func NewUser(name, email, role, language, timezone string, now time.Time) (*store.User, error) {
	pe := problem.Fields("the user has invalid fields")
	u := &store.User{Name: strings.TrimSpace(name), Role: role, Language: language, Timezone: strings.TrimSpace(timezone),
		Active: true, CreatedAt: now, UpdatedAt: now}
	if f, ok := CheckUserName(u.Name); !ok {
		pe.Fields = append(pe.Fields, f)
	}
	if strings.TrimSpace(email) == "" {
		pe.Fields = append(pe.Fields, problem.Field{Name: "email", Reason: "missing", Code: "missing"})
	} else if e, err := quality.NormalizeEmail(email); err != nil {
		pe.Fields = append(pe.Fields, problem.Field{Name: "email", Reason: err.Error(), Code: "email"})
	} else {
		u.Email = strings.ToLower(e)
	}
	if f, ok := CheckRole(role); !ok {
		pe.Fields = append(pe.Fields, f)
	}
	if u.Language == "" {
		u.Language = "es"
	}
	if f, ok := CheckLanguage(u.Language); !ok {
		pe.Fields = append(pe.Fields, f)
	}
	if f, ok := CheckTimezone("timezone", u.Timezone); !ok {
		pe.Fields = append(pe.Fields, f)
	}
	if len(pe.Fields) > 0 {
		return nil, pe
	}
	return u, nil
}

// CheckUserName checks a person's name.
func CheckUserName(name string) (problem.Field, bool) {
	switch {
	case name == "":
		return problem.Field{Name: "name", Reason: "missing", Code: "missing"}, false
	case len(name) > 200:
		return problem.Field{Name: "name", Reason: "longer than 200 bytes", Code: "too_long", Args: []any{200}}, false
	}
	return problem.Field{}, true
}

// CheckRole checks a user's role.
func CheckRole(role string) (problem.Field, bool) {
	if slices.Contains(UserRoles, role) {
		return problem.Field{}, true
	}
	return problem.Field{Name: "role", Reason: fmt.Sprintf("%q is not a role; want one of %s", role, strings.Join(UserRoles, ", ")),
		Code: "role", Args: []any{role}}, false
}

// CheckLanguage checks a user's language.
func CheckLanguage(lang string) (problem.Field, bool) {
	if slices.Contains(Languages, lang) {
		return problem.Field{}, true
	}
	return problem.Field{Name: "language", Reason: fmt.Sprintf("%q is not a language Pista speaks; want one of %s", lang, strings.Join(Languages, ", ")),
		Code: "language", Args: []any{lang}}, false
}

// CheckTimezone accepts "" (none) or an IANA zone name; "Local" would mean
// whatever zone the server happens to run in.
func CheckTimezone(field, tz string) (problem.Field, bool) {
	if tz == "" {
		return problem.Field{}, true
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
		return problem.Field{Name: field, Reason: fmt.Sprintf("%q is not an IANA time zone name such as America/Bogota", tz),
			Code: "timezone", Args: []any{tz}}, false
	}
	return problem.Field{}, true
}

// MayGrant refuses to let anyone but an admin make an admin or change one
// (its role, or deactivate it): managers manage their people, they do not
// hand out or take away the keys.
func MayGrant(actorRole string, roles ...string) error {
	if actorRole != Admin && slices.Contains(roles, Admin) {
		return &problem.Error{Kind: problem.Forbidden, Detail: "only an admin may create or change a user with role admin", Code: "grant_admin"}
	}
	return nil
}
