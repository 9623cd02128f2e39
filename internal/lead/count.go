package lead

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// UnmarshalJSON reads a company as the lead model writes it, except that
// employees may also be text as people write it ("1.200", "500-1000",
// "1k+"; see ParseCount).
func (c *Company) UnmarshalJSON(b []byte) error {
	type plain Company
	aux := struct {
		*plain
		Employees json.RawMessage `json:"employees"`
	}{plain: (*plain)(c)}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	e := aux.Employees
	switch {
	case len(e) == 0 || string(e) == "null":
	case e[0] == '"':
		var s string
		if err := json.Unmarshal(e, &s); err != nil {
			return err
		}
		if strings.TrimSpace(s) == "" {
			break
		}
		n, ok := ParseCount(s)
		if !ok {
			return fmt.Errorf("employees: %q is not a count such as 1200, \"1.200\", \"500-1000\" or \"1k+\"", s)
		}
		c.Employees = n
	default:
		var n float64
		if err := json.Unmarshal(e, &n); err != nil || n != float64(int(n)) {
			return fmt.Errorf("employees: want an integer (a whole number) or a text such as \"1.200\" or \"500-1000\", got %s", e)
		}
		c.Employees = int(n)
	}
	return nil
}

// ParseCount reads a head count as forms offer and people type it:
// "1.200", "1,200", "1 200", "1000+", "1k+", "50-200", "10k", "10 mil",
// "más de 500". A range gives its lower bound; "<10" or "hasta 10" gives 1.
func ParseCount(s string) (int, bool) {
	start := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' })
	if start < 0 {
		return 0, false
	}
	end := start
	for end < len(s) {
		c := s[end]
		if c >= '0' && c <= '9' {
			end++
			continue
		}
		if (c == '.' || c == ',') && end+1 < len(s) && isDigit(s[end+1]) {
			end++
			continue
		}
		if c == ' ' && end+4 <= len(s) && isDigit(s[end+1]) && isDigit(s[end+2]) && isDigit(s[end+3]) &&
			(end+4 == len(s) || !isDigit(s[end+4])) { // "1 200"
			end++
			continue
		}
		break
	}
	num, rest := strings.ReplaceAll(s[start:end], " ", ""), strings.TrimSpace(s[end:])
	mult := 1.0
	if low := strings.ToLower(rest); strings.HasPrefix(low, "k") || strings.HasPrefix(low, "mil") && !strings.HasPrefix(low, "mill") {
		mult = 1000
	}
	f, ok := parseGrouped(num)
	if !ok {
		return 0, false
	}
	n := f * mult
	if n >= 1 && isUpTo(s[:start]) {
		return 1, true
	}
	if n < 0 || n > 100_000_000 {
		return 0, false
	}
	return int(n), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseGrouped reads "1.200", "1,200,000" or "1.5" (a decimal only when
// the digits after the one separator are not a group of three).
func parseGrouped(s string) (float64, bool) {
	if len(s) > 20 {
		return 0, false
	}
	f, err := strconv.ParseFloat(normaliseSeparators(s), 64)
	return f, err == nil
}

// upToFold drops the accents of the upper-bound words; built once (a
// Replacer built per call was 1 % of a large import's processor time).
var upToFold = strings.NewReplacer("é", "e", "á", "a")

// isUpTo reports whether the words before a number make it an upper bound.
func isUpTo(prefix string) bool {
	if prefix == "" {
		return false
	}
	p := upToFold.Replace(strings.ToLower(prefix))
	for _, w := range []string{"<", "menos de", "less than", "fewer than", "up to", "hasta", "ate", "under"} {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}
