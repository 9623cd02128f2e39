package lead

import "github.com/pistahq/pista/internal/jsonread"

// decodeFast reads a stored lead as json.Unmarshal into storedLead would,
// without reflection, or returns false, leaving l alone, and DecodeStored
// asks encoding/json (see package jsonread). A field added to Lead,
// Person, Company, Source, Action, Mapping or Money must be added to
// their ReadJSON too; until it is, a lead with it is simply read by
// encoding/json, and TestDecodeFast, which fills every field, fails.
func decodeFast(b []byte, l *Lead) bool {
	r := jsonread.New(b)
	var out Lead
	if !out.readJSON(r) || !r.End() {
		return false
	}
	*l = out
	return true
}

func (l *Lead) readJSON(r *jsonread.Reader) bool {
	return r.Object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return r.String(&l.ID)
		case "person":
			return l.Person.ReadJSON(r)
		case "company":
			return l.Company.ReadJSON(r)
		case "source":
			return l.Source.ReadJSON(r)
		case "actions":
			return jsonread.Slice(r, &l.Actions, (*Action).ReadJSON)
		case "mappings":
			return jsonread.Slice(r, &l.Mappings, (*Mapping).readJSON)
		}
		return false
	})
}

// ReadJSON reads a person as encoding/json does, or returns false (see
// package jsonread).
func (p *Person) ReadJSON(r *jsonread.Reader) bool {
	return r.Object(func(key []byte) bool {
		switch string(key) {
		case "email":
			return r.String(&p.Email)
		case "first_name":
			return r.String(&p.FirstName)
		case "last_name":
			return r.String(&p.LastName)
		case "phone":
			return r.String(&p.Phone)
		case "title":
			return r.String(&p.Title)
		case "seniority":
			return r.String(&p.Seniority)
		case "department":
			return r.String(&p.Department)
		case "gender":
			return r.String(&p.Gender)
		case "age":
			return r.Int(&p.Age)
		case "education":
			return r.String(&p.Education)
		case "years_experience":
			return r.Int(&p.YearsExperience)
		case "income":
			return p.Income.readJSON(r)
		case "specialties":
			return r.Strings(&p.Specialties)
		case "country":
			return r.String(&p.Country)
		case "region":
			return r.String(&p.Region)
		case "city":
			return r.String(&p.City)
		case "language":
			return r.String(&p.Language)
		case "attributes":
			return r.Map(&p.Attributes)
		}
		return false
	})
}

// ReadJSON reads a company as encoding/json reads it into a type without
// Company's UnmarshalJSON, or returns false (see package jsonread). What
// that UnmarshalJSON adds (a head count as text, a refused unknown field)
// is refused here, so that either decoding reads the rest.
func (c *Company) ReadJSON(r *jsonread.Reader) bool {
	return r.Object(func(key []byte) bool {
		switch string(key) {
		case "name":
			return r.String(&c.Name)
		case "domain":
			return r.String(&c.Domain)
		case "industry":
			return r.String(&c.Industry)
		case "employees":
			// Company's UnmarshalJSON reads a head count as a float64:
			// beyond 2^53 it would round.
			return r.Int(&c.Employees) && -1<<53 <= c.Employees && c.Employees <= 1<<53
		case "revenue":
			return c.Revenue.readJSON(r)
		case "country":
			return r.String(&c.Country)
		case "divisions":
			return r.Int(&c.Divisions)
		case "products":
			return r.Strings(&c.Products)
		case "markets":
			return r.Strings(&c.Markets)
		case "rankings":
			return r.Strings(&c.Rankings)
		case "attributes":
			return r.Map(&c.Attributes)
		}
		return false
	})
}

// ReadJSON reads a source as encoding/json does, or returns false.
func (s *Source) ReadJSON(r *jsonread.Reader) bool {
	return r.Object(func(key []byte) bool {
		switch string(key) {
		case "format":
			return r.String(&s.Format)
		case "channel":
			return r.String(&s.Channel)
		case "campaign":
			return r.String(&s.Campaign)
		case "referrer":
			return r.String(&s.Referrer)
		case "trusted":
			return r.Bool(&s.Trusted)
		case "external_id":
			return r.String(&s.ExternalID)
		}
		return false
	})
}

// ReadJSON reads an action as encoding/json does, or returns false.
func (a *Action) ReadJSON(r *jsonread.Reader) bool {
	return r.Object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return r.String(&a.Type)
		case "at":
			return r.Time(&a.At)
		case "props":
			return r.Map(&a.Props)
		}
		return false
	})
}

func (m *Mapping) readJSON(r *jsonread.Reader) bool {
	return r.Object(func(key []byte) bool {
		switch string(key) {
		case "field":
			return r.String(&m.Field)
		case "raw":
			return r.String(&m.Raw)
		case "code":
			return r.String(&m.Code)
		case "how":
			return r.String(&m.How)
		case "score":
			return r.Float(&m.Score)
		}
		return false
	})
}

// readJSON gives Money's own UnmarshalJSON what encoding/json would.
func (m *Money) readJSON(r *jsonread.Reader) bool {
	b, ok := r.Raw()
	return ok && m.UnmarshalJSON(b) == nil
}
