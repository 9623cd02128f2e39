package jsonappendtest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
)

// Alter changes a JSON document in one of a few ways, most of which
// break it or change its meaning for encoding/json: a byte changed,
// removed or the document cut short; a letter escaped or put in upper
// case (a key then matches a field only without regard to case); a
// value replaced by null or by a number an integer cannot hold; a key
// given twice or no field's; text that is not UTF-8 or a broken
// surrogate; white space and text after the document. For the tests of
// the readers that must read a document as encoding/json does, or not at
// all (package jsonread).
func Alter(rng *rand.Rand, b []byte) []byte {
	b = bytes.Clone(b)
	if len(b) == 0 {
		return b
	}
	at := rng.IntN(len(b))
	switch rng.IntN(8) {
	case 0:
		const bytes = "{}[]:,\"\\ 0123456789.eE+-tfnul\x00\x1f\x80\xff"
		b[at] = bytes[rng.IntN(len(bytes))]
	case 1:
		return b[:at]
	case 2:
		return append(b[:at], b[at+1:]...)
	case 3:
		for i := at; i < len(b); i++ {
			if c := b[i]; 'a' <= c && c <= 'z' {
				if rng.IntN(2) == 0 {
					return append(b[:i], append(fmt.Appendf(nil, `\u%04x`, c), b[i+1:]...)...)
				}
				b[i] = c - 'a' + 'A'
				return b
			}
		}
	case 4:
		for i := at; i < len(b); i++ {
			if b[i] == ':' {
				v := []string{"null", "1.0", "1e2", "-0", "99999999999999999999", "9007199254740993", "1e400", `"x"`, `"1.200"`, "[]", "{}", "true"}[rng.IntN(12)]
				return append(b[:i+1], append([]byte(v+","), b[i+1:]...)...)
			}
		}
	case 5:
		for i := at; i < len(b); i++ {
			if b[i] == '{' {
				kv := []string{`"email":"a@b.co",`, `"name":"x",`, `"type":"y",`, `"nope":1,`, `"Email":"c@d.co",`, `"employees":12,`}[rng.IntN(6)]
				return append(b[:i+1], append([]byte(kv), b[i+1:]...)...)
			}
		}
	case 6:
		for i := at; i < len(b); i++ {
			if b[i] == '"' {
				s := []string{"\xff", `\ud800`, `\ud83d\ude00`, `\udc00x`, `\ud800\u0041`, "\u00e9", `\/`}[rng.IntN(7)]
				return append(b[:i+1], append([]byte(s), b[i+1:]...)...)
			}
		}
	default:
		return append(append([]byte(" \n"), b...), []string{" ", "x", "{}", "\t\r\n"}[rng.IntN(4)]...)
	}
	return b
}
