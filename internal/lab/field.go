package lab

import (
	"reflect"
	"strings"

	"github.com/pistahq/pista/internal/lead"
)

// notFeatures are lead fields that identify a person rather than describe
// them: a learned definition never scores a name or an address.
var notFeatures = map[string]bool{
	"person.email": true, "person.phone": true, "person.first_name": true, "person.last_name": true,
	"person.name": true, "source.external_id": true, "action.type": true, "action.at": true,
	"company.name": true, "company.domain": true, "source.referrer": true,
}

// fieldValue reads a lead field by the path a mapping names
// (person.age, person.attributes.job, company.industry, action.props.x),
// as a definition's expression would read it. ok is false for paths a
// table cannot read (lists, money, unknown paths).
func fieldValue(l *lead.Lead, path string) (v any, ok bool) {
	root, rest, _ := strings.Cut(path, ".")
	var obj reflect.Value
	switch root {
	case "person":
		if k, found := strings.CutPrefix(rest, "attributes."); found {
			return l.Person.Attributes[k], true
		}
		obj = reflect.ValueOf(l.Person)
	case "company":
		if k, found := strings.CutPrefix(rest, "attributes."); found {
			return l.Company.Attributes[k], true
		}
		obj = reflect.ValueOf(l.Company)
	case "source":
		obj = reflect.ValueOf(l.Source)
	case "action":
		if k, found := strings.CutPrefix(rest, "props."); found {
			if len(l.Actions) == 0 {
				return nil, true
			}
			return l.Actions[len(l.Actions)-1].Props[k], true
		}
		return nil, false
	default:
		return nil, false
	}
	t := obj.Type()
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("expr") != rest {
			continue
		}
		f := obj.Field(i)
		switch f.Kind() {
		case reflect.String:
			return f.String(), true
		case reflect.Int:
			return int(f.Int()), true
		case reflect.Bool:
			return f.Bool(), true
		case reflect.Float64:
			return f.Float(), true
		}
		return nil, false
	}
	return nil, false
}
