package webform

import (
	"strings"
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/quality"
)

// text returns the string lead field at path, or nil for the fields that
// are not plain strings.
func text(l *lead.Lead, path string) *string {
	switch path {
	case "person.first_name":
		return &l.Person.FirstName
	case "person.last_name":
		return &l.Person.LastName
	case "person.email":
		return &l.Person.Email
	case "person.phone":
		return &l.Person.Phone
	case "person.title":
		return &l.Person.Title
	case "person.seniority":
		return &l.Person.Seniority
	case "person.department":
		return &l.Person.Department
	case "person.country":
		return &l.Person.Country
	case "person.region":
		return &l.Person.Region
	case "person.city":
		return &l.Person.City
	case "person.language":
		return &l.Person.Language
	case "company.name":
		return &l.Company.Name
	case "company.domain":
		return &l.Company.Domain
	case "company.industry":
		return &l.Company.Industry
	case "company.country":
		return &l.Company.Country
	case "source.campaign":
		return &l.Source.Campaign
	case "source.channel":
		return &l.Source.Channel
	case "source.referrer":
		return &l.Source.Referrer
	}
	return nil
}

// assign puts the first value of a mapped field into the lead. When two
// form fields fill the same lead field, the first by name wins and the
// other is kept in extra_values.
func (m *mapper) assign(t target, name, v string) {
	l := &m.sub.Lead
	switch t.kind {
	case kindName:
		if m.fullName != "" {
			m.addExtra(name, v)
			return
		}
		m.fullName = v
		return
	case kindPhone:
		if m.phone != "" {
			m.addExtra(name, v)
			return
		}
		m.phone = v
		return
	case kindCountry:
		if t.path == "person.country" {
			m.country = true
		}
		// A name pista knows becomes its code here, for the phone; any
		// other is kept as typed for the definition's vocabulary (intake
		// maps it, or counts it in coverage).
		if code, ok := countryCode(v); ok {
			v = code
		}
	case kindSeniority:
		// Kept as typed: intake maps it through the definition's
		// vocabulary, which may have its own levels.
	case kindDomain:
		if v = cleanDomain(v); v == "" {
			return
		}
	case kindChannel:
		v = strings.ToLower(v)
	case kindEmployees:
		n, ok := lead.ParseCount(v)
		if !ok {
			m.unreadable(t, name, v, "not a number of employees")
			return
		}
		if l.Company.Employees != 0 {
			m.addExtra(name, v)
			return
		}
		l.Company.Employees = n
		return
	case kindMoney:
		money, err := lead.ParseMoney(v)
		if err != nil || money.Amount < 0 {
			m.unreadable(t, name, v, "not an amount such as \"5M USD\"")
			return
		}
		if !l.Company.Revenue.IsZero() {
			m.addExtra(name, v)
			return
		}
		l.Company.Revenue = money
		return
	case kindAttr:
		attrs := &l.Person.Attributes
		if strings.HasPrefix(t.path, "company.") {
			attrs = &l.Company.Attributes
		}
		if *attrs == nil {
			*attrs = map[string]any{}
		}
		if _, dup := (*attrs)[t.key]; dup {
			m.addExtra(name, v)
			return
		}
		(*attrs)[t.key] = v
		return
	case kindProp:
		if _, dup := m.mapped[t.key]; dup {
			m.addExtra(name, v)
			return
		}
		m.mapped[t.key] = v
		return
	}
	p := text(l, t.path)
	if p == nil {
		return
	}
	if *p != "" {
		m.addExtra(name, v)
		return
	}
	*p = v
}

// unreadable keeps a value Map could not read as its lead field in
// Unmapped, so it reaches action.props, and says so.
func (m *mapper) unreadable(t target, name, v, why string) {
	m.note("%s: %q is %s; kept as action.props.%s", t.path, clip(v), why, name)
	if _, dup := m.unmapped[name]; !dup {
		m.unmapped[name] = v
	}
}

func (m *mapper) addExtra(name, v string) {
	prev, _ := m.extra[name].([]any)
	m.extra[name] = append([]any{v}, prev...)
}

// finish does what needs every field read: names, the default country,
// phones (which need the country), UTM, required fields and props.
func (m *mapper) finish(now time.Time) {
	l := &m.sub.Lead
	if m.fullName != "" {
		first, last := splitName(m.fullName)
		if l.Person.FirstName == "" {
			l.Person.FirstName = first
		}
		if l.Person.LastName == "" {
			l.Person.LastName = last
		}
	}
	if l.Person.Country == "" && !m.country && isAlpha2(m.cfg.DefaultCountry) {
		l.Person.Country = m.cfg.DefaultCountry
		m.note("person.country: not given; set to the form's default_country %s", m.cfg.DefaultCountry)
	}
	if m.phone != "" {
		l.Person.Phone = m.phone
		region := l.Person.Country
		if region == "" {
			region = m.cfg.DefaultCountry
		}
		if e164, err := quality.NormalizePhone(m.phone, region); err == nil {
			l.Person.Phone = e164
		} else {
			m.note("person.phone: kept as typed: %v", err)
		}
	}
	if l.Source.Channel == "" {
		l.Source.Channel = strings.ToLower(m.utm["utm_source"])
		if l.Source.Channel == "" {
			l.Source.Channel = strings.ToLower(m.utm["utm_medium"])
		}
	}
	if l.Source.Campaign == "" {
		l.Source.Campaign = m.utm["utm_campaign"]
	}
	if l.Source.Campaign == "" {
		l.Source.Campaign = m.cfg.Campaign
	}
	l.Source.Format = m.cfg.SourceFormat
	for _, req := range m.cfg.Required {
		if !m.present(req) {
			m.sub.Missing = append(m.sub.Missing, req)
		}
	}
	m.sub.Unmapped = m.unmapped
	l.Actions = []lead.Action{{Type: m.cfg.Action, At: now, Props: m.props()}}
	if len(m.sub.Suspicious) > 0 {
		reasons := m.sub.Suspicious
		m.sub.Suspicious = nil
		for _, r := range reasons {
			m.sub.Flag(r)
		}
	}
}

// present reports whether any alternative of a Required entry was filled.
func (m *mapper) present(req string) bool {
	l := &m.sub.Lead
	for _, path := range strings.Split(req, "|") {
		path = strings.TrimSpace(path)
		t, err := parseTarget(path)
		if err != nil {
			continue
		}
		var ok bool
		switch t.kind {
		case kindName:
			ok = l.Person.FirstName != "" || l.Person.LastName != ""
		case kindEmployees:
			ok = l.Company.Employees > 0
		case kindMoney:
			ok = !l.Company.Revenue.IsZero()
		case kindAttr:
			attrs := l.Person.Attributes
			if strings.HasPrefix(path, "company.") {
				attrs = l.Company.Attributes
			}
			_, ok = attrs[t.key]
		case kindProp:
			_, ok = m.mapped[t.key]
		default:
			p := text(l, path)
			ok = p != nil && *p != "" || path == "source.format"
		}
		if ok {
			return true
		}
	}
	return false
}

// props assembles action.props: mapped keys first, then raw utm_* values,
// then unmapped fields by their HTML name (as unmapped_<name> if the name
// is taken), then extra_values and form_notes.
func (m *mapper) props() map[string]any {
	p := make(map[string]any, len(m.mapped)+len(m.utm)+len(m.unmapped)+2)
	for k, v := range m.mapped {
		p[k] = v
	}
	for k, v := range m.utm {
		p[k] = v
	}
	for _, name := range sortedKeys(m.unmapped) {
		k := name
		if _, taken := p[k]; taken || isReservedProp(k) {
			k = "unmapped_" + name
		}
		if _, taken := p[k]; !taken {
			p[k] = m.unmapped[name]
		}
	}
	if len(m.extra) > 0 {
		p[propExtra] = m.extra
	}
	if m.cfg.Name != "" {
		p[propForm] = m.cfg.Name
	}
	if len(m.sub.Notes) > 0 {
		notes := make([]any, len(m.sub.Notes))
		for i, n := range m.sub.Notes {
			notes[i] = n
		}
		p[propNotes] = notes
	}
	if len(p) == 0 {
		return nil
	}
	return p
}

func isReservedProp(k string) bool {
	for _, r := range reservedProps {
		if k == r {
			return true
		}
	}
	return false
}
