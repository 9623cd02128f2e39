package lead

import (
	"encoding/json"
	"slices"

	"github.com/pistahq/pista/internal/jsonappend"
	"github.com/pistahq/pista/internal/jsonpack"
)

// AppendJSON appends l as json.Marshal(l) writes it, byte for byte (the
// tests compare the two), without reflection: every inquiry's lead is
// encoded once to be stored. A field added to Lead, Person, Company,
// Source, Action, Mapping or Money must be added here too;
// TestLeadJSONMatchesEncodingJSON fills every field and fails until it is.
func (l *Lead) AppendJSON(dst []byte) ([]byte, error) {
	var err error
	dst = append(dst, '{')
	if l.ID != "" {
		dst = append(jsonappend.String(append(dst, `"id":`...), l.ID), ',')
	}
	if dst, err = l.Person.AppendJSON(append(dst, `"person":`...)); err != nil {
		return dst, err
	}
	if dst, err = l.Company.AppendJSON(append(dst, `,"company":`...)); err != nil {
		return dst, err
	}
	dst = l.Source.AppendJSON(append(dst, `,"source":`...))
	if len(l.Actions) > 0 {
		dst, err = jsonappend.Array(append(dst, `,"actions":`...), len(l.Actions), func(dst []byte, i int) ([]byte, error) {
			return l.Actions[i].AppendJSON(dst)
		})
		if err != nil {
			return dst, err
		}
	}
	if len(l.Mappings) > 0 {
		dst, err = jsonappend.Array(append(dst, `,"mappings":`...), len(l.Mappings), func(dst []byte, i int) ([]byte, error) {
			return l.Mappings[i].appendJSON(dst)
		})
		if err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// fields writes an object's members, each after a comma but the first.
type fields struct {
	dst   []byte
	first bool
	err   error
}

func (f *fields) key(k string) {
	if !f.first {
		f.dst = append(f.dst, ',')
	}
	f.first = false
	f.dst = append(append(append(f.dst, '"'), k...), `":`...)
}

func (f *fields) str(k, v string) {
	if v != "" {
		f.key(k)
		f.dst = jsonappend.String(f.dst, v)
	}
}

func (f *fields) whole(k string, v int) {
	if v != 0 {
		f.key(k)
		f.dst = jsonappend.Int(f.dst, int64(v))
	}
}

func (f *fields) strs(k string, v []string) {
	if len(v) > 0 {
		f.key(k)
		f.dst = jsonappend.Strings(f.dst, v)
	}
}

func (f *fields) money(k string, m Money) {
	if !m.IsZero() && f.err == nil {
		f.key(k)
		f.dst, f.err = m.appendJSON(f.dst)
	}
}

func (f *fields) attrs(k string, m map[string]any) {
	if len(m) > 0 && f.err == nil {
		f.key(k)
		f.dst, f.err = appendMap(f.dst, m)
	}
}

// AppendObject appends m as json.Marshal(m) writes it (keys sorted).
func AppendObject(dst []byte, m map[string]any) ([]byte, error) {
	if m == nil {
		return append(dst, "null"...), nil
	}
	return appendMap(dst, m)
}

// AppendJSON appends p as json.Marshal(p) writes it.
func (p *Person) AppendJSON(dst []byte) ([]byte, error) {
	f := fields{dst: append(dst, '{'), first: true}
	f.str("email", p.Email)
	f.str("first_name", p.FirstName)
	f.str("last_name", p.LastName)
	f.str("phone", p.Phone)
	f.str("title", p.Title)
	f.str("seniority", p.Seniority)
	f.str("department", p.Department)
	f.str("gender", p.Gender)
	f.whole("age", p.Age)
	f.str("education", p.Education)
	f.whole("years_experience", p.YearsExperience)
	f.money("income", p.Income)
	f.strs("specialties", p.Specialties)
	f.str("country", p.Country)
	f.str("region", p.Region)
	f.str("city", p.City)
	f.str("language", p.Language)
	f.attrs("attributes", p.Attributes)
	return append(f.dst, '}'), f.err
}

// AppendJSON appends c as json.Marshal(c) writes it.
func (c *Company) AppendJSON(dst []byte) ([]byte, error) {
	f := fields{dst: append(dst, '{'), first: true}
	f.str("name", c.Name)
	f.str("domain", c.Domain)
	f.str("industry", c.Industry)
	f.whole("employees", c.Employees)
	f.money("revenue", c.Revenue)
	f.str("country", c.Country)
	f.whole("divisions", c.Divisions)
	f.strs("products", c.Products)
	f.strs("markets", c.Markets)
	f.strs("rankings", c.Rankings)
	f.attrs("attributes", c.Attributes)
	return append(f.dst, '}'), f.err
}

// AppendJSON appends s as json.Marshal(s) writes it.
func (s *Source) AppendJSON(dst []byte) []byte {
	f := fields{dst: append(dst, '{'), first: true}
	f.str("format", s.Format)
	f.str("channel", s.Channel)
	f.str("campaign", s.Campaign)
	f.str("referrer", s.Referrer)
	if s.Trusted {
		f.key("trusted")
		f.dst = append(f.dst, "true"...)
	}
	f.str("external_id", s.ExternalID)
	return append(f.dst, '}')
}

// AppendJSON appends a as json.Marshal(a) writes it.
func (a *Action) AppendJSON(dst []byte) ([]byte, error) {
	var err error
	dst = jsonappend.String(append(dst, `{"type":`...), a.Type)
	if !a.At.IsZero() {
		if dst, err = jsonappend.Time(append(dst, `,"at":`...), a.At); err != nil {
			return dst, err
		}
	}
	if len(a.Props) > 0 {
		if dst, err = appendMap(append(dst, `,"props":`...), a.Props); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func (m *Mapping) appendJSON(dst []byte) ([]byte, error) {
	dst = jsonappend.String(append(dst, `{"field":`...), m.Field)
	dst = jsonappend.String(append(dst, `,"raw":`...), m.Raw)
	if m.Code != "" {
		dst = jsonappend.String(append(dst, `,"code":`...), m.Code)
	}
	dst = jsonappend.String(append(dst, `,"how":`...), m.How)
	if m.Score != 0 {
		var err error
		if dst, err = jsonappend.Float(append(dst, `,"score":`...), m.Score); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func (m Money) appendJSON(dst []byte) ([]byte, error) {
	dst, err := jsonappend.Float(append(dst, `{"amount":`...), m.Amount)
	if err != nil {
		return dst, err
	}
	if m.Currency != "" {
		dst = jsonappend.String(append(dst, `,"currency":`...), m.Currency)
	}
	return append(dst, '}'), nil
}

// appendMap writes free attributes or properties, keys sorted as
// encoding/json sorts them; values of the kinds JSON decoding makes
// directly, anything else through encoding/json.
func appendMap(dst []byte, m map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	var err error
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(jsonappend.String(dst, k), ':')
		switch v := m[k].(type) {
		case nil:
			dst = append(dst, "null"...)
		case string:
			dst = jsonappend.String(dst, v)
		case float64:
			dst, err = jsonappend.Float(dst, v)
		case bool:
			dst = jsonappend.Bool(dst, v)
		default:
			var b []byte
			if b, err = json.Marshal(v); err == nil {
				dst = append(dst, b...)
			}
		}
		if err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// DecodeStored reads a lead as it was stored (Lead.AppendJSON). It is
// json.Unmarshal without Company's checks for what people send (a head
// count as text, a field the model does not have): a stored lead was
// checked when it came in, and a field an older version stored is
// ignored rather than refused. Those checks decoded the company a second
// time, with a decoder of its own: a third of reading a lead, which
// every known person's inquiry, list and re-evaluation does.
//
// The stored text may be packed (jsonpack); it is unpacked first. It is
// read without reflection where it can be (decodeFast): a purchased-list
// row in 2.1-2.4 µs instead of 8.3 (BenchmarkLeadJSON).
func DecodeStored(b []byte, l *Lead) error {
	b, err := jsonpack.JSON(b)
	if err != nil {
		return err
	}
	if decodeFast(b, l) {
		return nil
	}
	return decodeSlow(b, l)
}

// decodeSlow is DecodeStored through encoding/json: what decodeFast
// leaves, and what the tests compare it with.
func decodeSlow(b []byte, l *Lead) error {
	var s storedLead
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*l = Lead{ID: s.ID, Person: s.Person, Company: Company(s.Company), Source: s.Source, Actions: s.Actions, Mappings: s.Mappings}
	return nil
}

// storedLead is Lead with a Company that has no UnmarshalJSON;
// TestStoredLeadIsLead checks that the two have the same fields.
type storedLead struct {
	ID       string        `json:"id,omitempty"`
	Person   Person        `json:"person"`
	Company  storedCompany `json:"company"`
	Source   Source        `json:"source"`
	Actions  []Action      `json:"actions,omitempty"`
	Mappings []Mapping     `json:"mappings,omitempty"`
}

type storedCompany Company
