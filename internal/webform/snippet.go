package webform

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/vocab"
)

// Snippet returns HTML a company pastes into any page: the form posting to
// baseURL/f/{name}, its fields labelled in p's language (the form's own
// Labels first, then the catalog's), the honeypot hidden with CSS (bots
// skip type=hidden fields but fill visible-looking ones), and a hidden
// timestamp field that a small script fills from GET baseURL/f/{name}/stamp
// when the page loads. Without JavaScript the field stays empty and Map
// marks the submission "no timestamp": stored, only marked.
func Snippet(c *Config, baseURL string, p *i18n.Printer) string {
	return render(c, baseURL, p, nil, nil)
}

// SnippetIn is Snippet with the select options labelled from vt (the
// active definition's vocabulary: its own labels first, then the
// built-in ones); a nil vt is the built-in vocabulary.
func SnippetIn(c *Config, baseURL string, p *i18n.Printer, vt *vocab.Table) string {
	return render(c, baseURL, p, vt, nil)
}

// Hosted is the form as a page of the pista server shows it (the hosted
// form at GET /f/{name}, the preview in the web app): the timestamp field
// already holds stamp and the utm_* fields the values in query (the
// page's own address), so it needs no script; the honeypot is hidden by
// the page's stylesheet (class HoneypotClass), since such pages allow no
// inline styles. values, if any, fill the fields again (a post sent back
// for a missing field), and the hidden LangField says the post came from
// a hosted page, in which language.
func Hosted(c *Config, baseURL string, p *i18n.Printer, stamp string, query, values url.Values) string {
	return render(c, baseURL, p, nil, &hosted{stamp: stamp, query: query, values: values})
}

// HostedIn is Hosted with the select options labelled from vt, as
// SnippetIn.
func HostedIn(c *Config, baseURL string, p *i18n.Printer, vt *vocab.Table, stamp string, query, values url.Values) string {
	return render(c, baseURL, p, vt, &hosted{stamp: stamp, query: query, values: values})
}

// HoneypotClass is the class of the honeypot's box in Hosted forms; the
// page's stylesheet moves it off screen.
const HoneypotClass = "pista-hp"

// LangField is the hidden field of a Hosted form holding its language:
// the server answers such a post with its own pages in that language.
// Map ignores it, as every field named _pista*.
const LangField = "_pista_lang"

type hosted struct {
	stamp         string
	query, values url.Values
}

// value is what a field held in the post being sent back, or "".
func (h *hosted) value(name string) string {
	if h == nil {
		return ""
	}
	return clip(h.values.Get(name))
}

func render(c *Config, baseURL string, p *i18n.Printer, vt *vocab.Table, h *hosted) string {
	cfg := c.withDefaults()
	action := strings.TrimRight(baseURL, "/") + "/f/" + url.PathEscape(cfg.Name)
	w := &snippetWriter{p: p, id: "pista-" + esc(cfg.Name), h: h, vt: vt}
	w.line(0, `<form class="pista-form" action="%s" method="post" accept-charset="UTF-8">`, esc(action))
	for _, f := range snippetFields(&cfg) {
		w.field(&cfg, f.name, f.t)
	}
	if cfg.Honeypot != Off {
		if h != nil {
			w.line(1, `<div class="%s" aria-hidden="true">`, HoneypotClass)
		} else {
			w.line(1, `<div style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden" aria-hidden="true">`)
		}
		id := w.nextID()
		w.line(2, `<label for="%s">%s</label>`, id, esc(p.T("webform.honeypot")))
		w.line(2, `<input id="%s" name="%s" type="text" value="" tabindex="-1" autocomplete="off">`, id, esc(cfg.Honeypot))
		w.line(1, `</div>`)
	}
	if cfg.TimestampField != Off {
		stamp := ""
		if h != nil {
			stamp = h.stamp
		}
		w.line(1, `<input type="hidden" name="%s" value="%s">`, esc(cfg.TimestampField), esc(stamp))
	}
	if cfg.utm() {
		for _, u := range utmFields[:3] {
			if _, mapped := cfg.Fields[u]; !mapped {
				v := ""
				if h != nil {
					v = clip(h.query.Get(u))
				}
				w.line(1, `<input type="hidden" name="%s" value="%s">`, u, esc(v))
			}
		}
	}
	if h != nil {
		w.line(1, `<input type="hidden" name="%s" value="%s">`, LangField, p.Lang)
	}
	w.line(1, `<button type="submit">%s</button>`, esc(p.T("webform.submit")))
	w.line(0, `</form>`)
	if h == nil {
		w.script(&cfg, action)
	}
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
	b  strings.Builder
	p  *i18n.Printer
	h  *hosted      // nil for the copy-paste snippet
	vt *vocab.Table // labels of select options; nil: the built-in ones
	id string
	n  int
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

// optionLabel is a select option's label in the page's language: the
// definition's vocabulary's, else the built-in one's, else the code.
func (w *snippetWriter) optionLabel(field, code string) string {
	if l := w.vt.Label(field, code, w.p.Lang); l != "" {
		return l
	}
	if l := vocab.Default().Label(field, code, w.p.Lang); l != "" {
		return l
	}
	return code
}

// field writes one labelled control.
func (w *snippetWriter) field(c *Config, name string, t target) {
	n := esc(name)
	if strings.HasPrefix(t.path, "source.") {
		if w.h != nil {
			w.line(1, `<input type="hidden" name="%s" value="%s">`, n, esc(clip(w.h.query.Get(name))))
		} else {
			w.line(1, `<input type="hidden" name="%s" value=""><!-- %s: set the value -->`, n, t.path)
		}
		return
	}
	typed := w.h.value(name)
	label := c.Label(w.p, name)
	req := ""
	if slices.Contains(c.Required, t.path) {
		req, label = " required", label+" *"
	}
	id := w.nextID()
	w.line(1, `<p>`)
	w.line(2, `<label for="%s">%s</label>`, id, esc(label))
	switch {
	case len(c.Options[name]) > 0:
		w.selectStart(id, n, req)
		for _, o := range c.Options[name] {
			w.option(o, w.optionLabel(t.path, o), typed)
		}
		w.line(2, `</select>`)
	case t.kind == kindSeniority:
		w.selectStart(id, n, req)
		for _, s := range vocab.Default().Codes("person.seniority") {
			label := w.p.Maybe("webform.seniority."+s, vocab.Default().Label("person.seniority", s, w.p.Lang))
			w.option(s, label, typed)
		}
		w.line(2, `</select>`)
	case t.kind == kindEmployees:
		w.selectStart(id, n, req)
		for _, r := range employeeRanges {
			w.option(r, r, typed)
		}
		w.line(2, `</select>`)
	case t.kind == kindProp && textareaKeys[t.key]:
		w.line(2, `<textarea id="%s" name="%s" rows="5" maxlength="%d"%s>%s</textarea>`, id, n, maxPropChars, req, esc(typed))
	default:
		typ, auto := inputKind(t)
		limit := maxLeadChars
		if t.kind == kindProp || t.kind == kindAttr {
			limit = maxPropChars
		}
		val := ""
		if typed != "" {
			val = fmt.Sprintf(` value="%s"`, esc(typed))
		}
		w.line(2, `<input id="%s" name="%s" type="%s"%s maxlength="%d"%s%s>`, id, n, typ, auto, limit, req, val)
	}
	w.line(1, `</p>`)
}

// option writes one choice of a select, chosen if it is what was typed.
func (w *snippetWriter) option(value, label, typed string) {
	sel := ""
	if typed != "" && typed == value {
		sel = " selected"
	}
	w.line(3, `<option value="%s"%s>%s</option>`, esc(value), sel, esc(label))
}

// selectStart opens a select with its empty first choice.
func (w *snippetWriter) selectStart(id, name, req string) {
	w.line(2, `<select id="%s" name="%s"%s>`, id, name, req)
	w.line(3, `<option value="">%s</option>`, esc(w.p.T("webform.choose")))
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
