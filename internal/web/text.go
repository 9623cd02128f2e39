package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
)

// checkBodyText refuses a JSON body with a string, key or value, that the
// databases cannot store (lead.TextProblem), naming it by its path, e.g.
// "inquiries[2].person.first_name". encoding/json would quietly turn bytes
// that are not UTF-8 into U+FFFD, so they are looked for in the raw body;
// most bodies are plain UTF-8 without an escaped NUL and skip the walk.
func checkBodyText(body []byte) error {
	if bad := textProblems(body, 1); len(bad) > 0 {
		return problem.Fields("the request has text that cannot be stored", bad...)
	}
	return nil
}

// textProblems lists up to max strings of a JSON body that cannot be
// stored (see checkBodyText).
func textProblems(body []byte, max int) []problem.Field {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\u0000`)) {
		return nil
	}
	var out []problem.Field
	type frame struct {
		array bool
		key   string // object: the current member's key
		index int    // array: the current element
		value bool   // object: the next token is the member's value
	}
	var stack []*frame
	path := func(stack []*frame) string {
		p := ""
		for _, f := range stack {
			if f.array {
				p += fmt.Sprintf("[%d]", f.index)
			} else {
				p = join(p, f.key)
			}
		}
		if p == "" {
			return "body"
		}
		return p
	}
	advance := func() {
		if n := len(stack); n > 0 {
			if f := stack[n-1]; f.array {
				f.index++
			} else {
				f.value = false
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	start := int64(0)
	for {
		tok, err := dec.Token()
		if err != nil || len(out) >= max {
			return out // decodeJSON reported any syntax error already
		}
		raw := body[start:dec.InputOffset()]
		start = dec.InputOffset()
		var top *frame
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, &frame{array: t == '['})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			isKey := top != nil && !top.array && !top.value
			why := lead.TextProblem(t)
			if why == "" && !utf8.Valid(raw) {
				why = "is not valid UTF-8; send text in UTF-8"
			}
			if isKey {
				if why != "" { // named by the object that has the key
					out = append(out, problem.Field{Name: path(stack[:len(stack)-1]), Reason: "has a key that " + why})
				}
				top.key, top.value = t, true
				continue
			}
			if why != "" {
				out = append(out, problem.Field{Name: path(stack), Reason: why})
			}
			advance()
		default:
			advance()
		}
	}
}

func textProblem(field, why string) error {
	return problem.Fields("the request has text that cannot be stored", problem.Field{Name: field, Reason: why})
}

// checkURLText refuses a path or query parameter that the databases
// cannot store, before any handler looks it up.
func checkURLText(r *http.Request) error {
	if why := lead.TextProblem(r.URL.Path); why != "" {
		return textProblem("path", why)
	}
	for k, vs := range r.URL.Query() {
		if why := lead.TextProblem(k); why != "" {
			return textProblem("query", why)
		}
		for _, v := range vs {
			if why := lead.TextProblem(v); why != "" {
				return textProblem(k, why)
			}
		}
	}
	return nil
}
