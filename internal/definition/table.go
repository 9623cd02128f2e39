package definition

import (
	"strconv"
	"strings"
)

// Table gives a fit rule its points from one field of the lead: a value →
// points table for text (job: student 12, retired 10), or numeric tiers
// (age below 25: 8, below 60: 0, the rest: 10). One rule replaces the one
// rule per value a table would otherwise need, and the explanation names the
// value and the points it gave. Other is for a value the table does not
// list (or a field that is not a number, for tiers); Missing, when given,
// for a field that is empty, zero-valued or absent.
type Table struct {
	Field *Program // the value looked up; any type
	// Values maps a lower-cased value to its points. Keys keeps the file's
	// order, for explanations and for writing the table back.
	Values     map[string]float64
	Keys       []string
	Tiers      []Tier
	Other      float64
	Missing    float64
	HasMissing bool
}

// Tier is one step of numeric tiers: values below Below (or, for the last
// tier when HasBelow is false, every value) get Points.
type Tier struct {
	Below    float64
	HasBelow bool
	Points   float64
}

// TableHit is what a table gave one lead: the points and why, in words an
// explanation can show ("student", "37 (below 60)", "other").
type TableHit struct {
	Points float64
	Value  string
	Note   string
}

// Lookup returns the points for the value v the field read.
func (t *Table) Lookup(v any) TableHit {
	text, num, isNum, missing := DescribeValue(v)
	if missing {
		if t.HasMissing {
			return TableHit{Points: t.Missing, Note: "missing"}
		}
		return TableHit{Points: t.Other, Note: "missing, other"}
	}
	if len(t.Tiers) > 0 {
		if !isNum {
			return TableHit{Points: t.Other, Value: text, Note: "other"}
		}
		for _, tier := range t.Tiers {
			if !tier.HasBelow || num < tier.Below {
				note := "the rest"
				if tier.HasBelow {
					note = "below " + formatNumber(tier.Below)
				}
				return TableHit{Points: tier.Points, Value: text, Note: note}
			}
		}
		return TableHit{Points: t.Other, Value: text, Note: "other"}
	}
	if p, ok := t.Values[strings.ToLower(text)]; ok {
		return TableHit{Points: p, Value: text}
	}
	return TableHit{Points: t.Other, Value: text, Note: "other"}
}

// DescribeValue reads a field's value as text and, when it is one, a
// number. Empty text, nil and zero numbers of the lead's own numeric
// fields are missing (the lead model writes unknown numbers as 0), but a
// zero read from a free attribute is a real zero: attributes are absent
// (nil) when unknown.
func DescribeValue(v any) (text string, num float64, isNum, missing bool) {
	switch v := v.(type) {
	case nil:
		return "", 0, false, true
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return "", 0, false, true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return s, f, true, false
		}
		return s, 0, false, false
	case bool:
		return strconv.FormatBool(v), 0, false, false
	case int:
		return strconv.Itoa(v), float64(v), true, v == 0
	case int64:
		return strconv.FormatInt(v, 10), float64(v), true, v == 0
	case float64:
		return formatNumber(v), v, true, false
	}
	return "", 0, false, true
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
