package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/suggest"
)

// locate finds the first place in a JSON document that does not fit the Go
// type it is decoded into, and says why, with a path such as
// "person.emial" or "events[3].at". encoding/json's own errors name neither
// nested unknown fields nor the field of a bad time, and users need both.
func locate(raw json.RawMessage, t reflect.Type, path string) (string, string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	raw = bytes.TrimSpace(raw)
	name := path
	if name == "" {
		name = "body"
	}
	if string(raw) == "null" {
		return "", ""
	}
	if t == reflect.TypeFor[time.Time]() {
		var v time.Time
		if err := json.Unmarshal(raw, &v); err != nil {
			return name, "want a time in RFC 3339, like 2026-11-20T15:04:05Z or 2026-11-20T10:04:05-05:00"
		}
		return "", ""
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			msg := strings.TrimPrefix(err.Error(), "json: ")
			// A struct's own decoder (lead.Company's) names the field it
			// refused as "employees: ...", or its fields as encoding/json does.
			if t.Kind() == reflect.Struct {
				fields := jsonFields(t)
				if f, why, ok := strings.Cut(msg, ": "); ok && fields[f] != nil {
					return join(path, f), why
				}
				if key, ok := strings.CutPrefix(msg, "unknown field "); ok {
					key = strings.Trim(key, `"`)
					return join(path, key), "unknown field" + suggest.Hint(key, sortedFieldNames(fields)) + " (see /api/v1/openapi.json)"
				}
				if p, why := locateFields(raw, t, path); p != "" {
					return p, why
				}
			}
			return name, msg
		}
		return "", ""
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
			return name, "want an object"
		}
		fields := jsonFields(t)
		for _, key := range sortedJSONKeys(obj) {
			ft, ok := fields[key]
			if !ok {
				return join(path, key), "unknown field" + suggest.Hint(key, sortedFieldNames(fields)) + " (see /api/v1/openapi.json)"
			}
			if p, why := locate(obj[key], ft, join(path, key)); p != "" {
				return p, why
			}
		}
	case reflect.Slice:
		var items []json.RawMessage
		if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
			return name, "want a list"
		}
		for i, item := range items {
			if p, why := locate(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p, why
			}
		}
	case reflect.Map:
		var obj map[string]json.RawMessage
		if raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
			return name, "want an object"
		}
		for _, key := range sortedJSONKeys(obj) {
			if p, why := locate(obj[key], t.Elem(), join(path, key)); p != "" {
				return p, why
			}
		}
	case reflect.Interface:
	default:
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			return name, "want " + jsonType(t.Kind().String()) + ", got " + clipJSON(raw)
		}
	}
	return "", ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func clipJSON(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:37]) + "..."
	}
	return string(raw)
}

// jsonFields maps a struct's JSON names (embedded structs included) to types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func sortedJSONKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// sortedFieldNames lists a struct's JSON names, for "did you mean".
func sortedFieldNames(fields map[string]reflect.Type) []string {
	out := make([]string, 0, len(fields))
	for k := range fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// locateFields looks inside a struct that decodes itself for a field of
// the wrong type.
func locateFields(raw json.RawMessage, t reflect.Type, path string) (string, string) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return "", ""
	}
	fields := jsonFields(t)
	for _, key := range sortedJSONKeys(obj) {
		if ft, ok := fields[key]; ok {
			if p, why := locate(obj[key], ft, join(path, key)); p != "" {
				return p, why
			}
		}
	}
	return "", ""
}
