package webform

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pistahq/pista/internal/lead"
)

// Submission is what one POST to a form amounts to.
type Submission struct {
	// Lead has Source.Format, Channel and Campaign and one Action of the
	// form's type at the time of the POST. Its action.props hold the mapped
	// props, the raw utm_* values, the unmapped fields, extra_values,
	// spam_signals and form_notes, so the stored lead loses nothing.
	Lead lead.Lead `json:"lead"`
	// Suspicious lists why it looks like spam. Suspicious submissions are
	// stored and marked, never dropped: a human decides. Use Flag to add.
	Suspicious []string `json:"suspicious,omitempty"`
	// Missing lists the Required entries nobody filled, as configured
	// ("person.email|person.phone"). If any, store nothing; see ErrorLocation.
	Missing []string `json:"missing,omitempty"`
	// Unmapped holds fields the config does not map, and mapped values
	// that could not be read ("muchos" employees), by HTML field name. They
	// are also in action.props. Honeypot, timestamp, utm_* and fields
	// named _pista* are not listed.
	Unmapped map[string]string `json:"unmapped,omitempty"`
	// Notes say what Map changed or could not read: cut values, a
	// defaulted country, a phone kept as typed. For people, not for spam
	// scoring.
	Notes []string `json:"notes,omitempty"`
}

// RateLimited is the reason the handler passes to Flag when the Limiter
// denies an address.
const RateLimited = "too many submissions from this address"

// Caps on what one POST can add to a lead.
const (
	maxUnmapped    = 50 // unmapped fields kept
	maxValues      = 20 // values kept of a field sent several times
	maxNotes       = 20
	maxSuspicious  = 20
	utmFieldPrefix = "utm_"
)

var utmFields = []string{"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"}

// Flag marks the submission suspicious for reason, in Suspicious and in
// the lead's action.props.spam_signals.
func (s *Submission) Flag(reason string) {
	if len(s.Suspicious) >= maxSuspicious {
		return
	}
	s.Suspicious = append(s.Suspicious, reason)
	if len(s.Lead.Actions) == 0 {
		return
	}
	a := &s.Lead.Actions[0]
	if a.Props == nil {
		a.Props = map[string]any{}
	}
	signals := make([]any, len(s.Suspicious))
	for i, r := range s.Suspicious {
		signals[i] = r
	}
	a.Props[propSpam] = signals
}

// ErrorLocation is where to redirect (303) a browser whose submission
// lacks required fields: c.ErrorURL with error=missing and one missing=
// parameter per Missing entry, keeping the URL's own query. It is "" when
// the form has no ErrorURL; answer 422 with a problem listing the fields.
func ErrorLocation(c *Config, missing []string) string {
	if c.ErrorURL == "" {
		return ""
	}
	u, err := url.Parse(c.ErrorURL)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("error", "missing")
	q["missing"] = append([]string(nil), missing...)
	u.RawQuery = q.Encode()
	return u.String()
}

// Map reads one POST into a Submission. It never fails: what it cannot read
// it keeps in action.props and explains in Notes; what looks like spam is
// marked in Suspicious. form is r.PostForm (urlencoded or multipart; files
// are ignored), key verifies the timestamp (see Stamp). c should have passed
// Validate; Map applies the defaults itself either way.
func Map(c *Config, form url.Values, now time.Time, key []byte) Submission {
	cfg := c.withDefaults()
	m := &mapper{
		cfg:      &cfg,
		mapped:   map[string]any{},
		unmapped: map[string]string{},
		utm:      map[string]string{},
		extra:    map[string]any{},
	}
	m.spam(form, now, key)
	skipped := 0
	for _, name := range sortedKeys(form) {
		if !m.field(name, form[name]) {
			skipped++
		}
	}
	if skipped > 0 {
		m.note("%d fields not kept: more than %d unmapped fields, or names longer than %d bytes or with spaces or control characters", skipped, maxUnmapped, maxNameBytes)
	}
	m.finish(now)
	return m.sub
}

type mapper struct {
	cfg      *Config
	sub      Submission
	fullName string            // person.name, split in finish
	phone    string            // person.phone as typed
	country  bool              // person.country was typed, readable or not
	mapped   map[string]any    // action.props.<key> from mapped fields
	unmapped map[string]string // by field name, including unreadable values
	utm      map[string]string
	extra    map[string]any // field name → []any of its second and later values
}

func (m *mapper) note(format string, args ...any) {
	if len(m.sub.Notes) < maxNotes {
		m.sub.Notes = append(m.sub.Notes, fmt.Sprintf(format, args...))
	}
}

// spam runs the honeypot and timestamp checks.
func (m *mapper) spam(form url.Values, now time.Time, key []byte) {
	if hp := m.cfg.Honeypot; hp != Off {
		for _, v := range form[hp] {
			if strings.TrimSpace(v) != "" {
				m.sub.Suspicious = append(m.sub.Suspicious, "honeypot filled")
				break
			}
		}
	}
	if ts := m.cfg.TimestampField; ts != Off {
		stamp := ""
		for _, v := range form[ts] {
			if v = strings.TrimSpace(v); v != "" {
				stamp = v
				break
			}
		}
		if why := checkStamp(stamp, now, key, m.cfg.MinFillSeconds); why != "" {
			m.sub.Suspicious = append(m.sub.Suspicious, why)
		}
	}
}

// field reads the values of one form field; false if it was not kept.
func (m *mapper) field(name string, raw []string) bool {
	if name == m.cfg.Honeypot || name == m.cfg.TimestampField || strings.HasPrefix(name, "_pista") {
		return true
	}
	path, mapped := m.cfg.Fields[name]
	var t target
	if mapped {
		var err error
		if t, err = parseTarget(path); err != nil {
			mapped = false // a config that skipped Validate: keep the value
		}
	}
	utm := !mapped && m.cfg.utm() && strings.HasPrefix(name, utmFieldPrefix) && isUTM(name)
	free := !mapped && !utm || t.kind == kindProp || t.kind == kindAttr
	limit := maxLeadChars
	if free {
		limit = maxPropChars
	}
	var values []any
	first := ""
	for i, r := range raw {
		if i == maxValues {
			m.note("%q: sent %d times; kept the first %d values", name, len(raw), maxValues)
			break
		}
		v, cut := clean(r, free, limit)
		if v == "" && mapped && strings.HasPrefix(t.path, "source.") {
			v = unknownWord(r)
		}
		if cut > 0 {
			m.note("%q: %d characters; kept the first %d", name, cut, utf8.RuneCountInString(v))
		}
		switch {
		case v == "":
		case first == "":
			first = v
		default:
			values = append(values, v)
		}
	}
	if first == "" {
		return true
	}
	if !mapped && !utm && (len(m.unmapped) >= maxUnmapped || fieldNameProblem(name) != "") {
		return false
	}
	if len(values) > 0 {
		m.extra[name] = values
	}
	switch {
	case utm:
		m.utm[name] = first
	case !mapped:
		m.unmapped[name] = first
	default:
		m.assign(t, name, first)
	}
	return true
}

func isUTM(name string) bool {
	for _, u := range utmFields {
		if name == u {
			return true
		}
	}
	return false
}
