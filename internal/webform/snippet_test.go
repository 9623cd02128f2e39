package webform

import (
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/vocab"
	"golang.org/x/net/html"
)

// element is a parsed control or label of a snippet.
type element struct {
	tag   string
	attrs map[string]string
	text  string
	// hiddenByCSS: inside an element whose style moves it off screen.
	hiddenByCSS bool
}

// parseSnippet checks the snippet's tags nest properly and returns its
// elements and script text.
func parseSnippet(t *testing.T, s string) (els []element, script string) {
	t.Helper()
	void := map[string]bool{"input": true, "br": true, "img": true, "meta": true, "link": true, "hr": true}
	z := html.NewTokenizer(strings.NewReader(s))
	var stack []string
	hiddenDepth := -1
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("tokenizer: %v", z.Err())
			}
			if len(stack) != 0 {
				t.Fatalf("unclosed tags %v in\n%s", stack, s)
			}
			return els, script
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			e := element{tag: tok.Data, attrs: map[string]string{}, hiddenByCSS: hiddenDepth >= 0}
			for _, a := range tok.Attr {
				if _, dup := e.attrs[a.Key]; dup {
					t.Errorf("<%s> has attribute %s twice", tok.Data, a.Key)
				}
				e.attrs[a.Key] = a.Val
			}
			els = append(els, e)
			if void[tok.Data] || tt == html.SelfClosingTagToken {
				continue
			}
			if strings.Contains(e.attrs["style"], "left:-10000px") {
				hiddenDepth = len(stack)
			}
			stack = append(stack, tok.Data)
		case html.EndTagToken:
			tok := z.Token()
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				t.Fatalf("</%s> closes %v in\n%s", tok.Data, stack, s)
			}
			stack = stack[:len(stack)-1]
			if hiddenDepth == len(stack) {
				hiddenDepth = -1
			}
		case html.TextToken:
			if len(stack) > 0 && stack[len(stack)-1] == "script" {
				script += string(z.Text())
			} else if len(els) > 0 {
				els[len(els)-1].text += strings.TrimSpace(string(z.Text()))
			}
		}
	}
}

func byName(els []element, name string) *element {
	for i := range els {
		if els[i].attrs["name"] == name {
			return &els[i]
		}
	}
	return nil
}

func TestSnippet(t *testing.T) {
	cfg := testConfig()
	cfg.Required = []string{"person.email", "company.name"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s := Snippet(cfg, "https://pista.example.com/", printer(t, "es-CO"))
	els, script := parseSnippet(t, s)

	if f := els[0]; f.tag != "form" || f.attrs["action"] != "https://pista.example.com/f/contacto" || f.attrs["method"] != "post" {
		t.Errorf("form element = %+v", f)
	}
	for name := range cfg.Fields {
		if byName(els, name) == nil {
			t.Errorf("no control named %q", name)
		}
	}
	if e := byName(els, "email"); e.attrs["type"] != "email" || e.attrs["autocomplete"] != "email" || !has(e.attrs, "required") {
		t.Errorf("email control = %+v", e)
	}
	if e := byName(els, "telefono"); e.attrs["type"] != "tel" || has(e.attrs, "required") {
		t.Errorf("phone control = %+v", e)
	}
	if e := byName(els, "mensaje"); e.tag != "textarea" {
		t.Errorf("message control is <%s>, want textarea", e.tag)
	}
	if e := byName(els, "nivel"); e.tag != "select" {
		t.Errorf("seniority control is <%s>, want select", e.tag)
	}
	if e := byName(els, "campana"); e.attrs["type"] != "hidden" {
		t.Errorf("source.campaign control = %+v, want hidden", e)
	}
	hp := byName(els, "website_url")
	if hp == nil || hp.attrs["type"] == "hidden" || !hp.hiddenByCSS || hp.attrs["tabindex"] != "-1" || hp.attrs["autocomplete"] != "off" {
		t.Errorf("honeypot = %+v, want a text input hidden with CSS, out of the tab order", hp)
	}
	if ts := byName(els, "_pista_ts"); ts == nil || ts.attrs["type"] != "hidden" || ts.attrs["value"] != "" {
		t.Errorf("timestamp field = %+v", ts)
	}
	for _, u := range []string{"utm_source", "utm_medium", "utm_campaign"} {
		if byName(els, u) == nil {
			t.Errorf("no hidden %s field", u)
		}
	}
	for _, want := range []string{`"https://pista.example.com/f/contacto/stamp"`, `f.elements["_pista_ts"]`, "URLSearchParams"} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %s:\n%s", want, script)
		}
	}
	// Every control but hidden ones has a label pointing at it.
	labels := map[string]string{}
	for _, e := range els {
		if e.tag == "label" {
			labels[e.attrs["for"]] = e.text
		}
	}
	for _, e := range els {
		if (e.tag == "input" && e.attrs["type"] != "hidden" || e.tag == "select" || e.tag == "textarea") && labels[e.attrs["id"]] == "" {
			t.Errorf("control %q has no label", e.attrs["name"])
		}
	}
	if got := labels[byName(els, "email").attrs["id"]]; got != "Correo electrónico *" {
		t.Errorf("email label = %q", got)
	}
}

func has(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func TestSnippetLanguages(t *testing.T) {
	tests := []struct{ lang, label, submit string }{
		{"es", "Teléfono", "Enviar"},
		{"pt-BR", "Telefone", "Enviar"},
		{"en", "Phone", "Send"},
		{"", "Phone", "Send"},
		{"fr", "Phone", "Send"},
	}
	for _, tt := range tests {
		s := Snippet(testConfig(), "https://pista.example.com", printer(t, tt.lang))
		if !strings.Contains(s, ">"+tt.label+"</label>") || !strings.Contains(s, ">"+tt.submit+"</button>") {
			t.Errorf("lang %q: want label %q and button %q in\n%s", tt.lang, tt.label, tt.submit, s)
		}
	}
}

func TestSnippetEscapes(t *testing.T) {
	cfg := testConfig()
	cfg.Fields = map[string]string{`x"><script>alert(1)</script>`: "person.email", "y</script>": "action.props.note"}
	cfg.Honeypot = `hp"`
	s := Snippet(cfg, `https://pista.example.com/"onmouseover="x`, printer(t, "en"))
	els, script := parseSnippet(t, s)
	for name := range cfg.Fields {
		if byName(els, name) == nil {
			t.Errorf("field %q lost in escaping", name)
		}
	}
	if byName(els, `hp"`) == nil {
		t.Error("honeypot name lost in escaping")
	}
	if has(els[0].attrs, "onmouseover") || strings.Contains(script, "</") {
		t.Errorf("injection through the base URL or a field name:\n%s", s)
	}
}

func TestSnippetStamped(t *testing.T) {
	stamp := Stamp(testKey, testNow)
	els, _ := parseSnippet(t, Hosted(testConfig(), "https://p.example", printer(t, "es"), stamp, nil, nil))
	if ts := byName(els, "_pista_ts"); ts == nil || ts.attrs["value"] != stamp {
		t.Errorf("timestamp field = %+v, want value %s", ts, stamp)
	}
}

func TestSnippetChecksOff(t *testing.T) {
	cfg := testConfig()
	cfg.Honeypot, cfg.TimestampField, cfg.UTM = Off, Off, new(false)
	s := Snippet(cfg, "https://p.example", printer(t, "en"))
	els, script := parseSnippet(t, s)
	if byName(els, Off) != nil || byName(els, "website_url") != nil || byName(els, "utm_source") != nil || script != "" {
		t.Errorf("checks off, yet:\n%s", s)
	}
}

// TestSnippetOwnLabels: a form's own label in the visitor's language wins
// over the catalog's; another language falls back to the catalog; select
// options come from the form, labelled by the vocabulary.
func TestSnippetOwnLabels(t *testing.T) {
	cfg := testConfig()
	cfg.Labels = map[string]map[string]string{"email": {"es": "Su correo de trabajo"}, "producto": {"en": "Product you need"}}
	cfg.Fields["industria"] = "company.industry"
	cfg.Options = map[string][]string{"industria": {"life_sciences", "otra_cosa"}}
	tests := []struct{ lang, email, product, industry string }{
		{"es", "Su correo de trabajo", "Product", "Ciencias de la vida"},
		{"en", "Work email", "Product you need", "Life sciences"},
		{"pt", "E-mail", "Product", "Ciências da vida"},
	}
	for _, tt := range tests {
		els, _ := parseSnippet(t, Snippet(cfg, "https://p.example", printer(t, tt.lang)))
		labels := map[string]string{}
		for _, e := range els {
			if e.tag == "label" {
				labels[e.attrs["for"]] = e.text
			}
		}
		for name, want := range map[string]string{"email": tt.email, "producto": tt.product} {
			if got := labels[byName(els, name).attrs["id"]]; got != want {
				t.Errorf("%s: label of %s = %q, want %q", tt.lang, name, got, want)
			}
		}
		var opts []string
		for _, e := range els {
			if e.tag == "option" {
				opts = append(opts, e.attrs["value"]+"="+e.text)
			}
		}
		if want := "life_sciences=" + tt.industry; !slices.Contains(opts, want) || !slices.Contains(opts, "otra_cosa=otra_cosa") {
			t.Errorf("%s: options %q, want %q and the unknown code as itself", tt.lang, opts, want)
		}
	}
}

// TestHosted: the server's own page needs no script and no inline style;
// utm_* of its address are carried into the post.
func TestHosted(t *testing.T) {
	s := Hosted(testConfig(), "https://p.example", printer(t, "pt-BR"), "STAMP", url.Values{"utm_source": {"google"}, "utm_campaign": {`"><x`}}, nil)
	els, script := parseSnippet(t, s)
	if script != "" || strings.Contains(s, "style=") || strings.Contains(s, "<script") {
		t.Errorf("hosted form with a script or an inline style:\n%s", s)
	}
	if byName(els, "utm_source").attrs["value"] != "google" || byName(els, "utm_campaign").attrs["value"] != `"><x` || byName(els, "utm_medium").attrs["value"] != "" {
		t.Errorf("utm fields not carried:\n%s", s)
	}
	if !strings.Contains(s, `<div class="`+HoneypotClass+`" aria-hidden="true">`) || !strings.Contains(s, ">Enviar</button>") {
		t.Errorf("honeypot box or Portuguese button missing:\n%s", s)
	}
}

// TestSnippetDefinitionLabels: select options are labelled from the
// active definition's vocabulary first (its own labels, es/pt/en), then
// the built-in one, then shown as the code; the hosted page the same.
func TestSnippetDefinitionLabels(t *testing.T) {
	cfg := testConfig()
	cfg.Fields["industria"] = "company.industry"
	cfg.Options = map[string][]string{"industria": {"life_sciences", "mineria", "otra_cosa"}}
	vt := vocab.Compile([]vocab.Vocabulary{{Field: "company.industry", Codes: []vocab.Code{
		{Code: "life_sciences", Labels: map[string]string{"es": "Biotecnología y farma", "pt": "Biotecnologia e farma", "en": "Biotech and pharma"}},
		{Code: "mineria", Labels: map[string]string{"es": "Minería", "pt": "Mineração", "en": "Mining"}},
	}}}, nil)
	tests := []struct{ lang, life, mining string }{
		{"es", "Biotecnología y farma", "Minería"},
		{"pt", "Biotecnologia e farma", "Mineração"},
		{"en", "Biotech and pharma", "Mining"},
	}
	for _, tt := range tests {
		for kind, out := range map[string]string{
			"snippet": SnippetIn(cfg, "https://p.example", printer(t, tt.lang), vt),
			"hosted":  HostedIn(cfg, "https://p.example", printer(t, tt.lang), vt, "stamp", nil, nil),
		} {
			els, _ := parseSnippet(t, out)
			var opts []string
			for _, e := range els {
				if e.tag == "option" {
					opts = append(opts, e.attrs["value"]+"="+e.text)
				}
			}
			for _, want := range []string{"life_sciences=" + tt.life, "mineria=" + tt.mining, "otra_cosa=otra_cosa"} {
				if !slices.Contains(opts, want) {
					t.Errorf("%s %s: options %q, want %q", kind, tt.lang, opts, want)
				}
			}
		}
	}
}
