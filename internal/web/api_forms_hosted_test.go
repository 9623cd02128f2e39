package web_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHostedForm is a company without a website: its form has no
// thank-you page of its own, a visitor opens the hosted page in their
// language, forgets the e-mail, is asked for it with what they typed kept,
// sends it, and lands on the hosted thank-you page; the lead arrives
// unsuspicious, with the form's campaign and the page's utm_source.
func TestHostedForm(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		cfg := contacto("")
		delete(cfg, "thank_you_url")
		cfg["title"] = map[string]string{"es": "Pida su cotización"}
		cfg["labels"] = map[string]map[string]string{"empresa": {"pt": "Sua empresa"}}
		cfg["campaign"] = "feria-2026"
		e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/contacto", cfg)

		get := func(path, accept string) apiResp {
			req, _ := http.NewRequest("GET", e.URL+path, nil)
			if accept != "" {
				req.Header.Set("Accept-Language", accept)
			}
			return e.send(req)
		}
		pt := get("/f/contacto", "pt-BR,pt;q=0.9")
		body := string(pt.Body)
		if pt.Status != 200 || !strings.HasPrefix(pt.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("hosted page: %s", pt)
		}
		for _, want := range []string{`<html lang="pt">`, "<h1>Fale conosco</h1>", ">Sua empresa</label>", ">Nome completo</label>",
			`name="_pista_lang" value="pt"`, ">Enviar</button>", `class="pista-hp"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the Portuguese page lacks %s:\n%s", want, body)
			}
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "style=") {
			t.Errorf("the hosted page has a script or an inline style:\n%s", body)
		}
		// The page's one style is allowed by its hash, and nothing else is.
		csp := pt.Header.Get("Content-Security-Policy")
		style := regexp.MustCompile(`(?s)<style>(.*)</style>`).FindStringSubmatch(body)
		if len(style) != 2 {
			t.Fatalf("no style in the page")
		}
		sum := sha256.Sum256([]byte(style[1]))
		if !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") || strings.Contains(csp, "unsafe-inline") ||
			!strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("Content-Security-Policy %q does not allow exactly the page's style", csp)
		}

		es := get("/f/contacto?lang=es-CO&utm_source=Google", "en")
		body = string(es.Body)
		if !strings.Contains(body, "<h1>Pida su cotización</h1>") || !strings.Contains(body, `name="utm_source" value="Google"`) {
			t.Fatalf("?lang=es-CO with utm_source: the form's Spanish title and the carried utm_source, got\n%s", body)
		}
		stamp := regexp.MustCompile(`name="_pista_ts" value="([^"]+)"`).FindStringSubmatch(body)
		if len(stamp) != 2 {
			t.Fatalf("the hosted page's timestamp is not filled in:\n%s", body)
		}

		// Forgot both ways to be reached: asked again, in Spanish, what was typed kept.
		e.Clock.Advance(10 * time.Second)
		form := url.Values{"nombre": {"Inés <b>Ruiz</b>"}, "empresa": {"Lácteos del Valle"}, "_pista_ts": {stamp[1]}, "website_url": {""},
			"utm_source": {"Google"}, "_pista_lang": {"es"}}
		r := e.postForm(t, form)
		body = string(r.Body)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(body, "Complete por favor: Correo electrónico o Teléfono.") ||
			!strings.Contains(body, `value="Inés &lt;b&gt;Ruiz&lt;/b&gt;"`) || !strings.Contains(body, `name="utm_source" value="Google"`) {
			t.Fatalf("a missing e-mail on the hosted form: %d\n%s", r.Status, body)
		}
		if found := e.leads(query("q", "Lácteos")); len(found) != 0 {
			t.Errorf("a submission without contact data was stored: %v", found)
		}

		form.Set("email", "ines.ruiz@lacteosdelvalle.co")
		r = e.postForm(t, form)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/f/contacto/thanks?lang=es" {
			t.Fatalf("submission: %s → %q", r, r.Header.Get("Location"))
		}
		ines := e.formLead(t, "ines.ruiz@lacteosdelvalle.co")
		if ines.Source.Campaign != "feria-2026" || ines.Source.Channel != "google" || ines.Person.FirstName != "Inés" {
			t.Errorf("lead from the hosted form: %+v", ines)
		}
		if s := inquirySuspicion(t, ines); len(s) != 0 {
			t.Errorf("a person's hosted submission is suspicious: %v", s)
		}
		thanks := get("/f/contacto/thanks?lang=es", "")
		if thanks.Status != 200 || !strings.Contains(string(thanks.Body), "<h1>Gracias</h1>") || !strings.Contains(string(thanks.Body), `href="/f/contacto?lang=es"`) {
			t.Errorf("thank-you page: %s", thanks)
		}

		for _, path := range []string{"/f/nada", "/f/nada/thanks"} {
			nf := get(path, "es-MX")
			if nf.Status != 404 || !strings.Contains(string(nf.Body), "Formulario no encontrado") || !strings.Contains(string(nf.Body), "«nada»") {
				t.Errorf("%s: %s", path, nf)
			}
		}
	})
}
