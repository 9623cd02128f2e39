package importer

import (
	"regexp"
	"strconv"
)

// valueType is what the values of an attribute or prop column become, so
// that a definition can compare person.attributes.balance > 1000 or test
// person.attributes.subscribed without quoting.
type valueType uint8

const (
	typeText valueType = iota
	typeNumber
	typeBool
)

// plainNumber is a number as exports write it: no thousands separators,
// no leading zeros (a code like 007 stays text), at most 15 digits.
var plainNumber = regexp.MustCompile(`^-?(?:0|[1-9][0-9]{0,14})(?:\.([0-9]+))?$`)

var boolWords = map[string]bool{
	"yes": true, "y": true, "true": true, "si": true, "sim": true, "verdadero": true, "verdadeiro": true,
	"no": false, "n": false, "false": false, "nao": false, "falso": false,
}

// typeStats gathers what the first pass saw in a column.
type typeStats struct {
	seen, numbers, bools int
	dotted, dotted3      int // numbers with a decimal point; with exactly three decimals
}

func (s *typeStats) add(v string) {
	if v == "" {
		return
	}
	s.seen++
	if m := plainNumber.FindStringSubmatch(v); m != nil {
		s.numbers++
		if m[1] != "" {
			s.dotted++
			if len(m[1]) == 3 {
				s.dotted3++
			}
		}
	}
	if _, ok := boolWords[squash(v)]; ok {
		s.bools++
	}
}

// kind is number when every value seen is a plain number, unless every
// decimal point is followed by three digits ("1.200" may be a thousand
// two hundred); bool when every value is yes/no, sí/no, sim/não or
// true/false; else text.
func (s *typeStats) kind() valueType {
	switch {
	case s.seen == 0:
		return typeText
	case s.numbers == s.seen && !(s.dotted > 0 && s.dotted3 == s.dotted):
		return typeNumber
	case s.bools == s.seen:
		return typeBool
	}
	return typeText
}

// convert reads v as t; ok is false when it does not fit.
func (t valueType) convert(v string) (any, bool) {
	switch t {
	case typeNumber:
		if !plainNumber.MatchString(v) {
			return v, false
		}
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	case typeBool:
		b, ok := boolWords[squash(v)]
		return b, ok
	}
	return v, true
}

func (t valueType) String() string {
	return [...]string{"text", "a number", "yes or no"}[t]
}
