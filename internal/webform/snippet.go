package webform

import (
	"encoding/json"
	"fmt"
	"github.com/pistahq/pista/internal/vocab"
	"html"
	"net/url"
	"slices"
	"strings"
)

// Snippet returns HTML a company pastes into any page: the form posting to
// baseURL/f/{name}, its fields labelled in lang (en, es or pt; "es-CO"
// counts as es), the honeypot hidden with CSS (bots skip type=hidden
// fields but fill visible-looking ones), and a hidden timestamp field that
// a small script fills from GET baseURL/f/{name}/stamp when the page loads.
// Without JavaScript the field stays empty and Map marks the submission
// "no timestamp": stored, only marked.
func Snippet(c *Config, baseURL, lang string) string {
	return SnippetStamped(c, baseURL, lang, "")
}

// SnippetStamped is Snippet with the timestamp field already holding
// stamp, for a page the pista server renders itself (the hosted form at
// GET /f/{name}), which then works without JavaScript too.
func SnippetStamped(c *Config, baseURL, lang, stamp string) string {
	cfg := c.withDefaults()
	lang = snippetLang(lang)
	action := strings.TrimRight(baseURL, "/") + "/f/" + url.PathEscape(cfg.Name)
	w := &snippetWriter{lang: lang, id: "pista-" + esc(cfg.Name)}
	w.line(0, `<form class="pista-form" action="%s" method="post" accept-charset="UTF-8">`, esc(action))
	for _, f := range snippetFields(&cfg) {
		w.field(&cfg, f.name, f.t)
	}
	if cfg.Honeypot != Off {
		w.line(1, `<div style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden" aria-hidden="true">`)
		id := w.nextID()
		w.line(2, `<label for="%s">%s</label>`, id, esc(wordHoneypot.in(lang)))
		w.line(2, `<input id="%s" name="%s" type="text" value="" tabindex="-1" autocomplete="off">`, id, esc(cfg.Honeypot))
		w.line(1, `</div>`)
	}
	if cfg.TimestampField != Off {
		w.line(1, `<input type="hidden" name="%s" value="%s">`, esc(cfg.TimestampField), esc(stamp))
	}
	if cfg.utm() {
		for _, u := range utmFields[:3] {
			if _, mapped := cfg.Fields[u]; !mapped {
				w.line(1, `<input type="hidden" name="%s" value="">`, u)
			}
		}
	}
	w.line(1, `<button type="submit">%s</button>`, esc(wordSubmit.in(lang)))
	w.line(0, `</form>`)
	w.script(&cfg, action)
	return w.b.String()
}

type snippetField struct {
	name string
	t    target
}

// snippetFields lists the mapped fields in lead order: names, contact,
// company, then free-form keys.
func snippetFields(c *Config) []snippetField {
	var fs []snippetField
	for _, name := range sortedKeys(c.Fields) {
		if t, err := parseTarget(c.Fields[name]); err == nil && fieldNameProblem(name) == "" {
			fs = append(fs, snippetField{name, t})
		}
	}
	slices.SortStableFunc(fs, func(a, b snippetField) int { return a.t.order - b.t.order })
	return fs
}

type snippetWriter struct {
	b    strings.Builder
	lang string
	id   string
	n    int
}

func (w *snippetWriter) line(indent int, format string, args ...any) {
	w.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

func (w *snippetWriter) nextID() string {
	w.n++
	return fmt.Sprintf("%s-%d", w.id, w.n)
}

// field writes one labelled control.
func (w *snippetWriter) field(c *Config, name string, t target) {
	n := esc(name)
	if strings.HasPrefix(t.path, "source.") {
		w.line(1, `<input type="hidden" name="%s" value=""><!-- %s: set the value -->`, n, t.path)
		return
	}
	label := humanize(t.key)
	if l, ok := labels[t.path]; ok {
		label = l.in(w.lang)
	}
	req := ""
	if slices.Contains(c.Required, t.path) {
		req, label = " required", label+" *"
	}
	id := w.nextID()
	w.line(1, `<p>`)
	w.line(2, `<label for="%s">%s</label>`, id, esc(label))
	switch {
	case t.kind == kindSeniority:
		w.line(2, `<select id="%s" name="%s"%s>`, id, n, req)
		w.line(3, `<option value="">%s</option>`, esc(wordChoose.in(w.lang)))
		for _, s := range vocab.Default().Codes("person.seniority") {
			label := vocab.Default().Label("person.seniority", s, w.lang)
			if l, ok := seniorityLabels[s]; ok {
				label = l.in(w.lang)
			}
			w.line(3, `<option value="%s">%s</option>`, s, esc(label))
		}
		w.line(2, `</select>`)
	case t.kind == kindEmployees:
		w.line(2, `<select id="%s" name="%s"%s>`, id, n, req)
		w.line(3, `<option value="">%s</option>`, esc(wordChoose.in(w.lang)))
		for _, r := range employeeRanges {
			w.line(3, `<option value="%s">%s</option>`, r, r)
		}
		w.line(2, `</select>`)
	case t.kind == kindProp && textareaKeys[t.key]:
		w.line(2, `<textarea id="%s" name="%s" rows="5" maxlength="%d"%s></textarea>`, id, n, maxPropChars, req)
	default:
		typ, auto := inputKind(t)
		limit := maxLeadChars
		if t.kind == kindProp || t.kind == kindAttr {
			limit = maxPropChars
		}
		w.line(2, `<input id="%s" name="%s" type="%s"%s maxlength="%d"%s>`, id, n, typ, auto, limit, req)
	}
	w.line(1, `</p>`)
}

// inputKind gives the input type and autocomplete attribute, so phones
// get a phone keypad and browsers can fill in what they know.
func inputKind(t target) (typ, auto string) {
	if ac := autocomplete[t.path]; ac != "" {
		auto = fmt.Sprintf(` autocomplete="%s"`, ac)
	}
	switch t.kind {
	case kindEmail:
		return "email", auto
	case kindPhone:
		return "tel", auto
	}
	return "text", auto
}

// script fills the timestamp from the stamp endpoint and copies utm_*
// parameters of the page's URL into the hidden fields. It finds its form
// as the element just before it, so a page can hold two copies.
func (w *snippetWriter) script(c *Config, action string) {
	if c.TimestampField == Off && !c.utm() {
		return
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) } // escapes <, > and &
	w.line(0, `<script>`)
	w.line(0, `(function (f) {`)
	if c.TimestampField != Off {
		w.line(1, `fetch(%s).then(function (r) { return r.ok ? r.text() : ""; }).then(function (v) {`, js(action+"/stamp"))
		w.line(2, `if (v) f.elements[%s].value = v.trim();`, js(c.TimestampField))
		w.line(1, `}).catch(function () {});`)
	}
	if c.utm() {
		w.line(1, `var q = new URLSearchParams(location.search);`)
		w.line(1, `%s.forEach(function (k) { if (q.get(k) && f.elements[k]) f.elements[k].value = q.get(k); });`, js(utmFields[:3]))
	}
	w.line(0, `})(document.currentScript.previousElementSibling);`)
	w.line(0, `</script>`)
}

func esc(s string) string { return html.EscapeString(s) }
