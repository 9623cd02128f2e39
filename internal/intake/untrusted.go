package intake

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"

	"github.com/pistahq/pista/internal/jsonread"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/stage"
)

// What an unauthenticated inquiry may do to a known lead.
//
// A web form is public and an intake-scoped (integration) token speaks for
// a website, not for the person: anyone who knows a lead's e-mail address
// can send either. Such an inquiry is Untrusted. It adds its action and
// fills the lead's blanks, but values that differ from what is known stay
// on the inquiry as "reported" (on its timeline entry and in the merge
// record) instead of replacing them, and if the evaluation that follows
// would lower the lead's stage or take it from its owner, the lead keeps
// what it had and the inquiry is recorded only. docs/security.md states
// the rule for users.

// fill copies onto dst (a struct) the fields of src that dst lacks and
// returns, keyed by prefix and JSON name, the values src gives that differ
// from dst's. Objects (attributes) are filled key by key.
func fill[T any](dst, src *T, prefix string, reported map[string]any) error {
	switch d := any(dst).(type) {
	case *lead.Person:
		if fillPerson(d, any(src).(*lead.Person), prefix, reported) {
			return nil
		}
	case *lead.Company:
		if fillCompany(d, any(src).(*lead.Company), prefix, reported) {
			return nil
		}
	}
	return fillThroughJSON(dst, src, prefix, reported)
}

// fillThroughJSON is fill on dst and src as JSON objects.
func fillThroughJSON[T any](dst, src *T, prefix string, reported map[string]any) error {
	d, s, err := asMaps(dst, src)
	if err != nil {
		return err
	}
	if d == nil {
		d = map[string]any{}
	}
	fillMap(d, s, prefix, reported)
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	var out T
	if !readFast(b, &out) {
		out = *new(T) // what the fast reader left
		if err := json.Unmarshal(b, &out); err != nil {
			return err
		}
	}
	*dst = out
	return nil
}

// readFast reads a person or a company without reflection, as
// encoding/json would (lead's ReadJSON), or reports false.
func readFast(b []byte, v any) bool {
	r := jsonread.New(b)
	switch v := v.(type) {
	case *lead.Person:
		return v.ReadJSON(r) && r.End()
	case *lead.Company:
		return v.ReadJSON(r) && r.End()
	}
	return false
}

func fillMap(dst, src map[string]any, prefix string, reported map[string]any) {
	for k, v := range src {
		cur, ok := dst[k]
		if !ok || cur == nil {
			dst[k] = v
			continue
		}
		cm, curIsMap := cur.(map[string]any)
		vm, vIsMap := v.(map[string]any)
		switch {
		case curIsMap && vIsMap && !isValue(cm):
			fillMap(cm, vm, prefix+k+".", reported)
		case !reflect.DeepEqual(cur, v):
			reported[prefix+k] = v
		}
	}
}

// isValue reports an object that is one value (an amount and its
// currency), compared whole rather than filled key by key.
func isValue(m map[string]any) bool {
	_, amount := m["amount"]
	return amount
}

// asMaps are dst and src as JSON objects, for fillMap: read without
// reflection (numbers as float64, which hold every number a person or a
// company has), which took a third of the processor time of an untrusted
// known person's inquiry through encoding/json; or, if either is a
// document that reader declines, both through encoding/json (numbers as
// json.Number), so that fillMap compares like with like.
func asMaps(dst, src any) (d, s map[string]any, err error) {
	db, err := json.Marshal(dst)
	if err != nil {
		return nil, nil, err
	}
	sb, err := json.Marshal(src)
	if err != nil {
		return nil, nil, err
	}
	var dok, sok bool
	if d, dok = fastMap(db); dok {
		s, sok = fastMap(sb)
	}
	if dok && sok {
		return d, s, nil
	}
	d, s = nil, nil
	if err := decodeMap(db, &d); err != nil {
		return nil, nil, err
	}
	return d, s, decodeMap(sb, &s)
}

// fastMap reads a JSON object (or null) without reflection.
func fastMap(b []byte) (map[string]any, bool) {
	r := jsonread.New(b)
	v, ok := r.Value()
	if !ok || !r.End() {
		return nil, false
	}
	m, ok := v.(map[string]any)
	return m, ok || v == nil
}

// decodeMap reads a JSON object as encoding/json does, numbers as
// json.Number.
func decodeMap(b []byte, out *map[string]any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(out)
}

// lowers reports whether an evaluation an untrusted inquiry caused takes
// something from the lead: a lower stage, its owner's team, or sales'
// attention (a routed lead no longer routed).
func lowers(prev, next flowState) bool {
	switch {
	case stage.Rank(next.stage) < stage.Rank(prev.stage):
		return true
	case prev.owned && next.team != prev.team:
		return true
	case prev.action == "route" && next.action != "route":
		return true
	}
	return false
}

// heldNote is a held inquiry's note on its timeline entry.
const heldNote = "an unauthenticated inquiry does not lower a lead's stage or take it from its owner: recorded only"

// withReported adds what an untrusted inquiry reported to its timeline
// entry.
func withReported(entry map[string]any, reported map[string]any, held bool) map[string]any {
	if len(reported) > 0 {
		entry["reported"] = maps.Clone(reported)
	}
	if held {
		entry["held"] = heldNote
	}
	return entry
}
