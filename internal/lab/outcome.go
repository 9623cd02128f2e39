package lab

import (
	"fmt"
	"strings"
	"time"
)

// yes and no words an outcome column may hold when no --positive is
// given: yes/no columns in the three product languages, and the
// waterfall's own outcomes.
var outcomeWords = map[string]bool{
	"yes": true, "y": true, "true": true, "1": true, "si": true, "sí": true, "sim": true,
	"won": true, "converted": true, "subscribed": true, "positive": true,
	"no": false, "n": false, "false": false, "0": false, "não": false, "nao": false,
	"lost": false, "not converted": false, "negative": false,
}

// Outcome reads one outcome cell. positive, when given, is the value that
// counts as converted (any other non-empty value does not). ok is false
// for an empty cell: that lead's outcome is unknown, and it is left out.
func Outcome(cell, positive string) (converted, ok bool, err error) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return false, false, nil
	}
	if positive != "" {
		return strings.EqualFold(cell, strings.TrimSpace(positive)), true, nil
	}
	v, known := outcomeWords[strings.ToLower(cell)]
	if !known {
		return false, false, fmt.Errorf("outcome %q is neither yes nor no (nor won/lost, converted, true/false, 1/0); say which value means converted with --positive", cell)
	}
	return v, true, nil
}

// splitmix64 is a fast, well-mixed hash of one number.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// unit maps (seed, row) to [0, 1): the same row always draws the same
// number for a seed, whichever command reads the file.
func unit(seed uint64, row int) float64 {
	return float64(splitmix64(seed*0x100000001b3^uint64(row))>>11) / (1 << 53)
}

// Split says which rows are held out for testing: a random share (by
// seed), or the rows on or after a date in a time column, so that what is
// learned never sees the future it is tested on.
type Split struct {
	Holdout    float64 // share of rows held out at random; 0: none
	Seed       uint64
	TimeColumn string    // header of the rows' date
	At         time.Time // rows dated at or after it are held out
}

// Test reports whether a row is held out. date is the row's date (zero
// when there is no time column).
func (s Split) Test(row int, date time.Time) bool {
	if s.TimeColumn != "" {
		return !date.Before(s.At)
	}
	return s.Holdout > 0 && unit(s.Seed, row) < s.Holdout
}

// Describe says in words what is held out.
func (s Split) Describe() string {
	switch {
	case s.TimeColumn != "":
		return fmt.Sprintf("time split: learning on rows whose %s is before %s, testing on the rows from that date on", s.TimeColumn, s.At.Format("2006-01-02"))
	case s.Holdout > 0:
		return fmt.Sprintf("random split: %.0f%% of the rows held out for testing (seed %d)", s.Holdout*100, s.Seed)
	}
	return "no split: every row is used"
}

// dateLayouts are the dates a time column may hold.
var dateLayouts = []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"}

// ParseDate reads a date in ISO 8601 form (2009-05-31, with or without a
// time); the time split needs no guessing about 03/04.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q: write it as 2009-05-31 (or 2009-05-31T14:00:00Z)", s)
}
