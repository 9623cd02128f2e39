package engine

import (
	"encoding/json"

	"github.com/pistahq/pista/internal/jsonappend"
)

// AppendJSON appends r as json.Marshal(r) writes it, byte for byte (the
// tests compare the two), without reflection, in 0.4 of json.Marshal's
// time: every inquiry's evaluation is encoded once to be stored. A field
// added to Result, Step or the others
// must be added here too; TestResultJSONMatchesEncodingJSON fills every
// field and fails until it is.
func (r *Result) AppendJSON(dst []byte) ([]byte, error) {
	var err error
	dst = append(dst, '{')
	if r.LeadID != "" {
		dst = jsonappend.String(append(dst, `"lead_id":`...), r.LeadID)
		dst = append(dst, ',')
	}
	dst = r.Definition.AppendJSON(append(dst, `"definition":`...))
	if dst, err = jsonappend.Time(append(dst, `,"evaluated_at":`...), r.EvaluatedAt); err != nil {
		return dst, err
	}
	dst = jsonappend.Bool(append(dst, `,"inquiry":`...), r.Inquiry)
	dst = jsonappend.String(append(dst, `,"quality":`...), r.Quality)
	if r.Anonymous {
		dst = append(dst, `,"anonymous":true`...)
	}
	if dst, err = jsonappend.Float(append(dst, `,"fit":`...), r.Fit); err != nil {
		return dst, err
	}
	if r.Grade != "" {
		dst = jsonappend.String(append(dst, `,"grade":`...), r.Grade)
	}
	if dst, err = jsonappend.Float(append(dst, `,"engagement":`...), r.Engagement); err != nil {
		return dst, err
	}
	if dst, err = r.BANT.appendJSON(append(dst, `,"bant":`...)); err != nil {
		return dst, err
	}
	dst = jsonappend.Bool(append(dst, `,"lead":`...), r.Lead)
	if dst, err = jsonappend.Float(append(dst, `,"total":`...), r.Total); err != nil {
		return dst, err
	}
	dst = jsonappend.String(append(dst, `,"band":`...), r.Band)
	dst = jsonappend.String(append(dst, `,"action":`...), r.Action)
	if r.RecontactAt != nil {
		if dst, err = jsonappend.Time(append(dst, `,"recontact_at":`...), *r.RecontactAt); err != nil {
			return dst, err
		}
	}
	dst = jsonappend.String(append(dst, `,"stage":`...), r.Stage)
	if r.Team != "" {
		dst = jsonappend.String(append(dst, `,"team":`...), r.Team)
	}
	if r.SLA != nil {
		if dst, err = r.SLA.appendJSON(append(dst, `,"sla":`...)); err != nil {
			return dst, err
		}
	}
	dst = append(dst, `,"explanation":`...)
	if r.Explanation == nil {
		dst = append(dst, "null"...)
	} else {
		dst, err = jsonappend.Array(dst, len(r.Explanation), func(dst []byte, i int) ([]byte, error) {
			return r.Explanation[i].appendJSON(dst)
		})
		if err != nil {
			return dst, err
		}
	}
	if len(r.Errors) > 0 {
		dst = jsonappend.Strings(append(dst, `,"errors":`...), r.Errors)
	}
	return append(dst, '}'), nil
}

// AppendJSON appends d as json.Marshal(d) writes it.
func (d *DefinitionRef) AppendJSON(dst []byte) []byte {
	dst = jsonappend.String(append(dst, `{"name":`...), d.Name)
	if d.Version != "" {
		dst = jsonappend.String(append(dst, `,"version":`...), d.Version)
	}
	dst = jsonappend.String(append(dst, `,"hash":`...), d.Hash)
	return append(dst, '}')
}

func (b *BANTResult) appendJSON(dst []byte) ([]byte, error) {
	var err error
	dst = jsonappend.Bool(append(dst, `{"recorded":`...), b.Recorded)
	dst = jsonappend.Bool(append(dst, `,"human":`...), b.Human)
	for _, f := range []struct {
		key string
		v   float64
	}{{`,"score":`, b.Score}, {`,"threshold":`, b.Threshold}} {
		if dst, err = jsonappend.Float(append(dst, f.key...), f.v); err != nil {
			return dst, err
		}
	}
	dst = jsonappend.Bool(append(dst, `,"qualified":`...), b.Qualified)
	for _, f := range []struct {
		key string
		v   float64
	}{{`,"budget_points":`, b.Budget}, {`,"authority_points":`, b.Authority}, {`,"need_points":`, b.Need}, {`,"timing_points":`, b.Timing}} {
		if dst, err = jsonappend.Float(append(dst, f.key...), f.v); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func (s *SLAResult) appendJSON(dst []byte) ([]byte, error) {
	var err error
	dst = jsonappend.String(append(dst, `{"policy":`...), s.Policy)
	dst = jsonappend.String(append(dst, `,"first_touch":`...), s.FirstTouch)
	if dst, err = jsonappend.Time(append(dst, `,"due":`...), s.Due); err != nil {
		return dst, err
	}
	if s.EscalateAt != nil {
		if dst, err = jsonappend.Time(append(dst, `,"escalate_at":`...), *s.EscalateAt); err != nil {
			return dst, err
		}
	}
	if s.Calendar != "" {
		dst = jsonappend.String(append(dst, `,"calendar":`...), s.Calendar)
	}
	return append(dst, '}'), nil
}

func (s *Step) appendJSON(dst []byte) ([]byte, error) {
	var err error
	dst = jsonappend.String(append(dst, `{"kind":`...), s.Kind)
	if s.Rule != "" {
		dst = jsonappend.String(append(dst, `,"rule":`...), s.Rule)
	}
	if s.Line != 0 {
		dst = jsonappend.Int(append(dst, `,"line":`...), int64(s.Line))
	}
	if s.Points != 0 {
		if dst, err = jsonappend.Float(append(dst, `,"points":`...), s.Points); err != nil {
			return dst, err
		}
	}
	if s.Count != 0 {
		dst = jsonappend.Int(append(dst, `,"count":`...), int64(s.Count))
	}
	if s.Value != "" {
		dst = jsonappend.String(append(dst, `,"value":`...), s.Value)
	}
	if s.Note != "" {
		dst = jsonappend.String(append(dst, `,"note":`...), s.Note)
	}
	if len(s.Inputs) > 0 {
		dst, err = jsonappend.Array(append(dst, `,"inputs":`...), len(s.Inputs), func(dst []byte, i int) ([]byte, error) {
			dst = jsonappend.String(append(dst, `{"name":`...), s.Inputs[i].Name)
			dst, err := appendAny(append(dst, `,"value":`...), s.Inputs[i].Value)
			return append(dst, '}'), err
		})
		if err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendAny writes an input's value: the kinds formulas read directly,
// anything else through encoding/json.
func appendAny(dst []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return jsonappend.String(dst, v), nil
	case float64:
		return jsonappend.Float(dst, v)
	case bool:
		return jsonappend.Bool(dst, v), nil
	case int:
		return jsonappend.Int(dst, int64(v)), nil
	case int64:
		return jsonappend.Int(dst, v), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}
