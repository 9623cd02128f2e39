// Package jsonpack stores Pista's JSON columns smaller and gives them back
// byte for byte. A stored lead's evaluation is about 1.2 KB of JSON and
// half of it is key names ("kind", "rule", "budget_points", ...) and
// true/false, the same in every row; its lead data a third. Pack replaces
// each key, boolean and common short value listed in fragments with one
// or two bytes JSON never holds as such (control characters, which JSON
// text escapes inside strings and has no use for outside them, besides
// white space); Unpack puts them back. A stored evaluation shrinks to
// about half, so a lead's row from about 2 KB to 1.4, which is less to
// write, to copy through the write-ahead log and to cache.
//
// Packed text starts with the byte marker, so text stored before packing
// (or that Pack gave back as it was) still reads: Unpack returns what does
// not start with marker unchanged. Packed text is valid UTF-8 without NUL
// bytes, so PostgreSQL's text columns hold it as SQLite's do.
//
// fragments is a storage format: stored rows name its entries by
// position. Entries may be added at the end only (TestFragmentsOnlyGrow).
package jsonpack

import (
	"errors"
	"fmt"
	"slices"
)

// marker starts every packed text; a JSON text starts with '{', '[', a
// value or white space, never with it.
const marker = 0x02

// long precedes the index of a fragment past the single-byte codes.
const long = 0x01

// single are the bytes that stand for the first len(single) fragments:
// the control characters but NUL, long, marker and JSON's white space
// (tab, line feed, carriage return), which JSON text may hold between
// values.
var single = []byte{0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0b, 0x0c, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f}

// longFirst is the byte after long that names fragment len(single); the
// next ones follow, up to longLast.
const longFirst, longLast = 0x20, 0x7e

// fragments are the texts Pack replaces: a key with its quotes and colon,
// a true or false, or a whole string value with its quotes. The most
// frequent come first (one byte each). Append only: see the package doc.
var fragments = []string{
	// An evaluation's explanation steps (engine.Step), ten or so a lead.
	`"kind":`, `"rule":`, `"value":`, `"line":`, `"note":`, `"points":`, `"count":`,
	`true`, `false`, `"false"`, `"true"`, `"lead"`,
	// The evaluation's own fields (engine.Result).
	`"definition":`, `"name":`, `"version":`, `"hash":`, `"evaluated_at":`, `"inquiry":`, `"quality":`,
	`"fit":`, `"grade":`, `"engagement":`, `"bant":`, `"lead":`, `"total":`, `"band":`,
	// Two bytes each from here on (len(single) above).
	`"action":`, `"stage":`, `"team":`, `"explanation":`,
	`"recorded":`, `"human":`, `"score":`, `"threshold":`, `"qualified":`,
	`"budget_points":`, `"authority_points":`, `"need_points":`, `"timing_points":`,
	`"recontact_at":`, `"sla":`, `"policy":`, `"first_touch":`, `"due":`, `"escalate_at":`, `"calendar":`,
	`"inputs":`, `"errors":`, `"lead_id":`, `"anonymous":`,
	`"vocabulary"`, `"band"`, `"stage"`, `"routing"`, `"grade"`, `"inquiry"`, `"quality"`, `"signal"`,
	`"fit"`, `"engagement"`, `"total"`, `"sla"`, `"none"`, `"nurture"`, `"ok"`,
	// A lead's data (lead.Lead).
	`"person":`, `"email":`, `"first_name":`, `"last_name":`, `"phone":`, `"title":`, `"seniority":`,
	`"department":`, `"country":`, `"region":`, `"city":`, `"language":`, `"company":`, `"domain":`,
	`"industry":`, `"employees":`, `"revenue":`, `"amount":`, `"currency":`, `"source":`, `"format":`,
	`"channel":`, `"campaign":`, `"actions":`, `"type":`, `"at":`, `"props":`, `"attributes":`,
	`"mappings":`, `"id":`, `"external_id":`, `"form":`,
}

// codeOf is each fragment's code, by index: one byte of single, or long
// and the fragment's place after them.
var codeOf = func() []string {
	if len(fragments) > len(single)+longLast-longFirst+1 {
		panic("jsonpack: more fragments than codes")
	}
	c := make([]string, len(fragments))
	for i := range fragments {
		if i < len(single) {
			c[i] = string(single[i])
		} else {
			c[i] = string([]byte{long, byte(longFirst + i - len(single))})
		}
	}
	return c
}()

var codeTrue, codeFalse = codeOf[slices.Index(fragments, "true")], codeOf[slices.Index(fragments, "false")]

// longest is the length of the longest fragment: a longer string (most
// values: names, e-mails, notes) is not looked up.
var longest = func() (n int) {
	for _, f := range fragments {
		n = max(n, len(f))
	}
	return n
}()

// lookup is the code of fragment f, if it is one. It runs for every key
// and short value packed: a map's lookup was two thirds of Pack's time,
// so fragments sit in a small open-addressed table by a hash of a few of
// their bytes.
func lookup(f []byte) (string, bool) {
	if len(f) < 4 || len(f) > longest {
		return "", false
	}
	for h := slotOf(f); ; h = (h + 1) & (len(slots) - 1) {
		i := slots[h]
		if i == 0 {
			return "", false
		}
		if fragments[i-1] == string(f) {
			return codeOf[i-1], true
		}
	}
}

// slots holds each fragment's index + 1 at slotOf(it), or the next free
// slot after; 0 is free. A quarter full, so most lookups read one slot.
var slots = func() (t [512]uint8) {
	if len(fragments) > 255 || len(fragments) > len(t)/4 {
		panic("jsonpack: too many fragments for the lookup table")
	}
	for i, f := range fragments {
		h := slotOf([]byte(f))
		for t[h] != 0 {
			h = (h + 1) & (len(t) - 1)
		}
		t[h] = uint8(i + 1)
	}
	return t
}()

func slotOf(f []byte) int {
	n := len(f)
	h := uint32(n)*0x9e3779b1 ^ uint32(f[1])<<24 ^ uint32(f[2])<<16 ^ uint32(f[n-3])<<8 ^ uint32(f[n-2])
	return int((h * 0x85ebca6b) >> (32 - 9))
}

// bySingle is the fragment each single-byte code stands for ("" for
// bytes that are not codes).
var bySingle = func() (t [0x20]string) {
	for i, b := range single {
		if i < len(fragments) {
			t[b] = fragments[i]
		}
	}
	return t
}()

// Pack appends src, a JSON text, packed to dst. Text Pack cannot pack
// without loss (it holds a control character, or does not start with '{'
// or '[') is appended as it is; Unpack gives either back as src was.
func Pack(dst, src []byte) []byte {
	if len(src) == 0 || (src[0] != '{' && src[0] != '[') {
		return append(dst, src...)
	}
	start := len(dst)
	dst = append(dst, marker)
	for i := 0; i < len(src); {
		b := src[i]
		switch {
		case b < 0x20:
			return append(dst[:start], src...)
		case b == '"':
			end, ok := stringEnd(src, i)
			if !ok {
				return append(dst[:start], src...)
			}
			if end < len(src) && src[end] == ':' {
				end++ // a key: its fragment holds the colon
			}
			if c, ok := lookup(src[i:end]); ok {
				dst = append(dst, c...)
			} else {
				dst = append(dst, src[i:end]...)
			}
			i = end
		case b == 't' && hasAt(src, i, "true"):
			dst, i = append(dst, codeTrue...), i+4
		case b == 'f' && hasAt(src, i, "false"):
			dst, i = append(dst, codeFalse...), i+5
		default:
			dst = append(dst, b)
			i++
		}
	}
	return dst
}

// PackMembers is members, a piece of a JSON object (`"key":value`, such
// as a query looks for in stored text), as it reads inside a packed
// object: the same text when Pack would leave it as it is.
func PackMembers(members []byte) []byte {
	packed := Pack(nil, append(append([]byte{'{'}, members...), '}'))
	if !Packed(packed) {
		return members
	}
	return packed[2 : len(packed)-1] // without the marker, '{' and '}'
}

// stringEnd is the index just past the JSON string starting at src[i]
// (a quote), and false if it holds a control character or does not end.
func stringEnd(src []byte, i int) (int, bool) {
	for j := i + 1; j < len(src); j++ {
		switch c := src[j]; {
		case c == '"':
			return j + 1, true
		case c == '\\':
			j++ // the escaped byte; a \u's digits are plain text
		case c < 0x20:
			return 0, false
		}
	}
	return 0, false
}

func hasAt(src []byte, i int, s string) bool {
	return len(src)-i >= len(s) && string(src[i:i+len(s)]) == s
}

// ErrCorrupt is Unpack's error for packed text naming no fragment.
var ErrCorrupt = errors.New("jsonpack: packed text names no fragment")

// Unpack appends src to dst as it was before Pack: unchanged when it is
// not packed.
func Unpack(dst, src []byte) ([]byte, error) {
	if !Packed(src) {
		return append(dst, src...), nil
	}
	for i := 1; i < len(src); i++ {
		b := src[i]
		switch {
		case b >= 0x20:
			// Copy the run of plain bytes at once.
			j := i + 1
			for j < len(src) && src[j] >= 0x20 {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j - 1
		case b == long:
			if i+1 >= len(src) || src[i+1] < longFirst || int(src[i+1]-longFirst)+len(single) >= len(fragments) {
				return dst, fmt.Errorf("%w at byte %d", ErrCorrupt, i)
			}
			dst = append(dst, fragments[int(src[i+1]-longFirst)+len(single)]...)
			i++
		case bySingle[b] != "":
			dst = append(dst, bySingle[b]...)
		default:
			return dst, fmt.Errorf("%w at byte %d", ErrCorrupt, i)
		}
	}
	return dst, nil
}

// JSON is stored text as JSON: b itself when it is not packed, else b
// unpacked into a new buffer.
func JSON(b []byte) ([]byte, error) {
	if !Packed(b) {
		return b, nil
	}
	return Unpack(make([]byte, 0, len(b)*2), b)
}

// Packed reports whether b is packed text (else it is stored as it came).
func Packed(b []byte) bool { return len(b) > 0 && b[0] == marker }
