package web

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// duplicateKey finds the first object in a JSON document that has the
// same key twice, and returns that member's path (e.g.
// "person.email", "inquiries[3].company.name") or "". encoding/json keeps
// the last of two equal keys without a word, so {"email": "a", "email":
// "b"} would be read differently by Pista and by whatever checked the
// body before it. doc must be valid JSON (it is scanned after decoding).
// Most objects are small: their keys are compared as written, and only a
// key with an escape is decoded.
func duplicateKey(doc []byte) string {
	type frame struct {
		object bool
		keys   [][]byte            // the keys so far, while few
		many   map[string]struct{} // then all of them
		index  int
		key    []byte // the member being read
	}
	// stack[:depth] are the open objects and arrays; the frames above
	// keep their key slices for the next ones (a batch of 100 inquiries
	// opens hundreds of objects).
	var stack []frame
	depth := 0
	pathOf := func(last []byte) string {
		p := ""
		for _, f := range stack[:depth-1] {
			if f.object {
				p = join(p, string(f.key))
			} else {
				p += "[" + strconv.Itoa(f.index) + "]"
			}
		}
		return join(p, string(last))
	}
	for i := 0; i < len(doc); i++ {
		switch c := doc[i]; c {
		case '{', '[':
			if depth == len(stack) {
				stack = append(stack, frame{})
			}
			f := &stack[depth]
			*f = frame{object: c == '{', keys: f.keys[:0]}
			depth++
		case '}', ']':
			depth--
		case ',':
			if f := &stack[depth-1]; !f.object {
				f.index++
			}
		case '"':
			start, end, escaped := i, i+1, false
			for doc[end] != '"' {
				if doc[end] == '\\' {
					escaped = true
					end++
				}
				end++
			}
			raw := doc[start+1 : end]
			i = end
			if depth == 0 || !stack[depth-1].object {
				continue
			}
			j := end + 1
			for j < len(doc) && (doc[j] == ' ' || doc[j] == '\t' || doc[j] == '\n' || doc[j] == '\r') {
				j++
			}
			if j == len(doc) || doc[j] != ':' {
				continue // a value, not a key
			}
			key := raw
			if escaped {
				var s string
				if json.Unmarshal(doc[start:end+1], &s) == nil {
					key = []byte(s)
				}
			}
			f := &stack[depth-1]
			f.key = key
			if f.many != nil {
				if _, dup := f.many[string(key)]; dup {
					return pathOf(key)
				}
				f.many[string(key)] = struct{}{}
				continue
			}
			for _, k := range f.keys {
				if bytes.Equal(k, key) {
					return pathOf(key)
				}
			}
			if f.keys = append(f.keys, key); len(f.keys) > 16 {
				f.many = make(map[string]struct{}, 64)
				for _, k := range f.keys {
					f.many[string(k)] = struct{}{}
				}
				f.keys = nil
			}
		}
	}
	return ""
}
