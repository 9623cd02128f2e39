// Package jsonread reads JSON without reflection, the other half of
// jsonappend: for the few types Pista decodes on every inquiry (a stored
// lead, an inquiry or a batch of website events as it is sent). It reads a value only as encoding/json
// would read it into the same Go type, and otherwise says no: every
// method returns false at the first thing whose meaning it does not
// repeat exactly (a null, a number an integer cannot hold, text that is
// not UTF-8, a key given twice, ...), and the caller then decodes the
// whole document with encoding/json, which also gives the error people
// see. So a reader built on it is never wrong, only sometimes not faster;
// each is tested against encoding/json on random and altered documents.
package jsonread

import (
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Reader reads JSON from a document.
type Reader struct {
	b     []byte
	i     int
	depth int // objects and arrays open in Value; refused past MaxDepth
}

// MaxDepth is well under encoding/json's limit (10,000), which refuses
// a deeper document.
const MaxDepth = 1000

// New returns a Reader at the start of doc.
func New(doc []byte) *Reader { return &Reader{b: doc} }

// Slice reads an array into *v, each element with elem ([] is an empty
// slice, as encoding/json makes it).
func Slice[T any](r *Reader, v *[]T, elem func(*T, *Reader) bool) bool {
	out := []T{}
	ok := r.Array(func() bool {
		out = append(out, *new(T))
		return elem(&out[len(out)-1], r)
	})
	*v = out
	return ok
}

// End reports whether only white space is left.
func (r *Reader) End() bool {
	r.ws()
	return r.i == len(r.b)
}

func (r *Reader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// next skips white space and takes c if it comes next.
func (r *Reader) next(c byte) bool {
	r.ws()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// Object reads an object, calling member with each key (the reader then
// at its value), which must read the value. A key given twice is refused:
// encoding/json would merge or overwrite. The key's bytes are valid until
// member returns.
func (r *Reader) Object(member func(key []byte) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	// The keys so far: compared one by one while few, then in a map, so
	// that an object of many keys (the API reads what anyone sends) is not
	// checked in quadratic time.
	var seenBuf [16][]byte
	seen := seenBuf[:0]
	var many map[string]struct{}
	for {
		r.ws()
		key, ok := r.strBytes()
		if !ok || !r.next(':') {
			return false
		}
		if many != nil {
			if _, dup := many[string(key)]; dup {
				return false
			}
			many[string(key)] = struct{}{}
		} else {
			for _, s := range seen {
				if string(s) == string(key) {
					return false
				}
			}
			if seen = append(seen, key); len(seen) == len(seenBuf) {
				many = make(map[string]struct{}, 2*len(seenBuf))
				for _, s := range seen {
					many[string(s)] = struct{}{}
				}
			}
		}
		r.ws()
		if !member(key) {
			return false
		}
		if r.next(',') {
			continue
		}
		return r.next('}')
	}
}

// Array reads an array, calling elem for each element (the reader then
// at it), which must read it.
func (r *Reader) Array(elem func() bool) bool {
	if !r.next('[') {
		return false
	}
	if r.next(']') {
		return true
	}
	for {
		r.ws()
		if !elem() {
			return false
		}
		if r.next(',') {
			continue
		}
		return r.next(']')
	}
}

// String reads a string into v as encoding/json unquotes it.
func (r *Reader) String(v *string) bool {
	b, ok := r.strBytes()
	*v = string(b)
	return ok
}

// strBytes reads a string without copying it: its bytes are the
// document's, or new ones if it has escapes. Text that is not UTF-8 is
// refused (encoding/json replaces it).
func (r *Reader) strBytes() ([]byte, bool) {
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		return nil, false
	}
	start := r.i + 1
	plain, ascii := true, true
	i := start
	for ; i < len(r.b); i++ {
		c := r.b[i]
		if c == '"' {
			break
		}
		switch {
		case c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		case c == '\\':
			plain = false
			i++ // the escaped byte; checked by unescape
		}
	}
	if i >= len(r.b) {
		return nil, false
	}
	raw := r.b[start:i]
	r.i = i + 1
	if !ascii && !utf8.Valid(raw) {
		return nil, false
	}
	if plain {
		return raw, true
	}
	return unescape(raw)
}

// unescape is encoding/json's unquote of a string with backslashes: a
// lone or broken surrogate becomes U+FFFD.
func unescape(raw []byte) ([]byte, bool) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(raw) {
			return nil, false
		}
		switch raw[i+1] {
		case '"', '\\', '/':
			out = append(out, raw[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			ch, ok := hex4(raw[i+2:])
			if !ok {
				return nil, false
			}
			i += 6
			if utf16.IsSurrogate(ch) {
				if len(raw) >= i+6 && raw[i] == '\\' && raw[i+1] == 'u' {
					if ch2, ok := hex4(raw[i+2:]); ok {
						if dec := utf16.DecodeRune(ch, ch2); dec != utf8.RuneError {
							out = utf8.AppendRune(out, dec)
							i += 6
							continue
						}
					}
				}
				ch = utf8.RuneError
			}
			out = utf8.AppendRune(out, ch)
			continue
		default:
			return nil, false
		}
		i += 2
	}
	return out, true
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var ch rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		ch = ch*16 + rune(c)
	}
	return ch, true
}

// number reads a JSON number, its grammar checked (strconv accepts
// more), and returns its text.
func (r *Reader) number() ([]byte, bool) {
	start, i, b := r.i, r.i, r.b
	digits := func() bool {
		n := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return nil, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return nil, false
		}
	}
	r.i = i
	return b[start:i], true
}

// Int reads a number into an int: an integer in int's range.
func (r *Reader) Int(v *int) bool {
	n, ok := r.integer(strconv.IntSize)
	*v = int(n)
	return ok
}

// Int64 reads a number into an int64: an integer in its range.
func (r *Reader) Int64(v *int64) bool {
	n, ok := r.integer(64)
	*v = n
	return ok
}

// integer reads a number that is an integer of the given bits.
func (r *Reader) integer(bits int) (int64, bool) {
	s, ok := r.number()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(s), 10, bits)
	return n, err == nil
}

// Float reads a number into a float64.
func (r *Reader) Float(v *float64) bool {
	s, ok := r.number()
	if !ok {
		return false
	}
	f, err := strconv.ParseFloat(string(s), 64)
	*v = f
	return err == nil
}

// Bool reads true or false.
func (r *Reader) Bool(v *bool) bool {
	switch {
	case r.literal("true"):
		*v = true
	case r.literal("false"):
		*v = false
	default:
		return false
	}
	return true
}

func (r *Reader) literal(word string) bool {
	if len(r.b)-r.i >= len(word) && string(r.b[r.i:r.i+len(word)]) == word {
		r.i += len(word)
		return true
	}
	return false
}

// Strings reads an array of strings ([] is an empty slice, as
// encoding/json makes it). It does not use Slice: passing the string
// reader as a function value there lets the decoded value escape to the
// heap (an inquiry in 2.4 µs instead of 1.5, BenchmarkDecodeInquiry).
func (r *Reader) Strings(v *[]string) bool {
	out := []string{}
	ok := r.Array(func() bool {
		var s string
		ok := r.String(&s)
		out = append(out, s)
		return ok
	})
	*v = out
	return ok
}

// Value reads any value as encoding/json reads it into an any: objects
// as map[string]any, arrays as []any, numbers as float64.
func (r *Reader) Value() (any, bool) {
	r.ws()
	if r.i >= len(r.b) {
		return nil, false
	}
	switch c := r.b[r.i]; {
	case c == '"':
		b, ok := r.strBytes()
		return string(b), ok
	case (c == '{' || c == '[') && r.depth >= MaxDepth:
		return nil, false
	case c == '{':
		r.depth++
		defer func() { r.depth-- }()
		var m map[string]any
		ok := r.Map(&m)
		return m, ok
	case c == '[':
		r.depth++
		defer func() { r.depth-- }()
		a := []any{}
		ok := r.Array(func() bool {
			v, ok := r.Value()
			a = append(a, v)
			return ok
		})
		return a, ok
	case c == 't':
		return true, r.literal("true")
	case c == 'f':
		return false, r.literal("false")
	case c == 'n':
		return nil, r.literal("null")
	default:
		var f float64
		ok := r.Float(&f)
		return f, ok
	}
}

// Map reads an object into a new map[string]any.
func (r *Reader) Map(v *map[string]any) bool {
	m := map[string]any{}
	ok := r.Object(func(key []byte) bool {
		x, ok := r.Value()
		m[string(key)] = x
		return ok
	})
	*v = m
	return ok
}

// Raw reads a value and returns its text, for a type that decodes itself
// (its UnmarshalJSON gets what encoding/json would give it). null is
// refused: encoding/json may not call the type's decoding for it.
func (r *Reader) Raw() ([]byte, bool) {
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == 'n' {
		return nil, false
	}
	if _, ok := r.Value(); !ok {
		return nil, false
	}
	return r.b[start:r.i], true
}

// Time reads a time as time.Time's UnmarshalJSON does (RFC 3339).
func (r *Reader) Time(t *time.Time) bool {
	b, ok := r.Raw()
	return ok && len(b) > 0 && b[0] == '"' && t.UnmarshalJSON(b) == nil
}
