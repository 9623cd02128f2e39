package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// contacto is the form of the scenarios: a contact form in Spanish.
func contacto(errorURL string) map[string]any {
	c := map[string]any{
		"fields":           map[string]string{"email": "person.email", "nombre": "person.name", "empresa": "company.name", "telefono": "person.phone"},
		"action":           "contact_form",
		"thank_you_url":    "https://example.com/gracias",
		"min_fill_seconds": 3,
	}
	if errorURL != "" {
		c["error_url"] = errorURL
	}
	return c
}

// stamp renders the form's timestamp as a browser would fetch it.
func (e *apiEnv) stamp(t *testing.T) string {
	t.Helper()
	r := e.call("", "GET", "/f/contacto/stamp", nil)
	if r.Status != 200 || r.Header.Get("Cache-Control") != "no-store" || len(bytes.TrimSpace(r.Body)) == 0 {
		t.Fatalf("stamp: %s (Cache-Control %q)", r, r.Header.Get("Cache-Control"))
	}
	return string(bytes.TrimSpace(r.Body))
}

// postForm sends a browser's urlencoded form post.
func (e *apiEnv) postForm(t *testing.T, form url.Values) apiResp {
	t.Helper()
	req, err := http.NewRequest("POST", e.URL+"/f/contacto", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.send(req)
}

// formLead finds the one lead with an e-mail address.
func (e *apiEnv) formLead(t *testing.T, email string) leadJSON {
	t.Helper()
	found := e.leads(query("q", email))
	if len(found) != 1 {
		t.Fatalf("%d leads for %s, want 1", len(found), email)
	}
	return e.lead(found[0].ID)
}

// inquirySuspicion is what the lead's latest inquiry entry says was suspicious.
func inquirySuspicion(t *testing.T, l leadJSON) []string {
	t.Helper()
	for i := len(l.Timeline) - 1; i >= 0; i-- {
		if l.Timeline[i].Kind == "inquiry" {
			var d struct {
				Suspicious []string `json:"suspicious"`
			}
			if err := json.Unmarshal(l.Timeline[i].Data, &d); err != nil {
				t.Fatal(err)
			}
			return d.Suspicious
		}
	}
	t.Fatalf("lead %d has no inquiry on its timeline", l.ID)
	return nil
}

func TestAPIWebForms(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		var cfg struct {
			Name     string   `json:"name"`
			Honeypot string   `json:"honeypot"`
			Stamp    string   `json:"timestamp_field"`
			Required []string `json:"required"`
		}
		e.mustCall(200, &cfg, "marketing", "PUT", "/api/v1/forms/contacto", contacto(""))
		if cfg.Name != "contacto" || cfg.Honeypot != "website_url" || cfg.Stamp != "_pista_ts" || !slices.Equal(cfg.Required, []string{"person.email|person.phone"}) {
			t.Errorf("stored config with defaults: %+v", cfg)
		}
		e.mustCall(200, &cfg, "rep", "GET", "/api/v1/forms/contacto", nil)
		if cfg.Name != "contacto" {
			t.Errorf("GET form: %+v", cfg)
		}

		// The list: every form by name, for those who make forms (as the
		// web app's Forms page); the others are refused.
		e.mustCall(200, nil, "admin", "PUT", "/api/v1/forms/ayuda", contacto("https://example.com/ayuda"))
		var list struct {
			Forms []struct {
				Name      string            `json:"name"`
				Action    string            `json:"action"`
				Fields    map[string]string `json:"fields"`
				ErrorURL  string            `json:"error_url"`
				CreatedAt time.Time         `json:"created_at"`
				UpdatedAt time.Time         `json:"updated_at"`
			} `json:"forms"`
		}
		for _, role := range []string{"admin", "marketing"} {
			e.mustCall(200, &list, role, "GET", "/api/v1/forms", nil)
			if len(list.Forms) != 2 || list.Forms[0].Name != "ayuda" || list.Forms[1].Name != "contacto" ||
				list.Forms[0].ErrorURL != "https://example.com/ayuda" || list.Forms[1].Action != "contact_form" ||
				list.Forms[1].Fields["email"] != "person.email" || list.Forms[1].UpdatedAt.IsZero() || list.Forms[1].CreatedAt.IsZero() {
				t.Errorf("%s lists %+v", role, list.Forms)
			}
		}
		for _, role := range []string{"manager", "bdr", "rep", "integration"} {
			checkProblem(t, e.call(role, "GET", "/api/v1/forms", nil), 403)
		}
		checkProblem(t, e.call("", "GET", "/api/v1/forms", nil), 401)
		checkProblem(t, e.call("marketing", "GET", "/api/v1/forms?limit=5", nil), 422, "limit")

		// A person: renders the form, takes ten seconds, sends it.
		ts := e.stamp(t)
		e.Clock.Advance(10 * time.Second)
		r := e.postForm(t, url.Values{"email": {"Juana.Perez@AndesQuimica.co"}, "nombre": {"Juana Pérez"}, "empresa": {"Andes Química"},
			"telefono": {"+57 300 123 4567"}, "mensaje": {"Necesito una cotización"}, "_pista_ts": {ts}, "website_url": {""}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "https://example.com/gracias" {
			t.Fatalf("submission: %s → %q", r, r.Header.Get("Location"))
		}
		juana := e.formLead(t, "juana.perez@andesquimica.co")
		if juana.Person.FirstName != "Juana" || juana.Person.LastName != "Pérez" || juana.Company.Name != "Andes Química" ||
			juana.Phone != "+573001234567" || juana.Source.Format != "web_form" || len(juana.Actions) != 1 {
			t.Errorf("lead from the form: %+v", juana)
		}
		if a := string(juana.Actions[0]); !strings.Contains(a, `"type":"contact_form"`) || !strings.Contains(a, "Necesito una cotización") {
			t.Errorf("action %s", a)
		}
		if s := inquirySuspicion(t, juana); len(s) != 0 {
			t.Errorf("a person's submission is suspicious: %v", s)
		}

		// A bot fills the honeypot: stored, marked, and redirected all the same.
		ts = e.stamp(t)
		e.Clock.Advance(10 * time.Second)
		r = e.postForm(t, url.Values{"email": {"bot@andesquimica.co"}, "nombre": {"Bot"}, "_pista_ts": {ts}, "website_url": {"http://spam.example"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "https://example.com/gracias" {
			t.Fatalf("honeypot: %s → %q", r, r.Header.Get("Location"))
		}
		if s := inquirySuspicion(t, e.formLead(t, "bot@andesquimica.co")); !slices.Contains(s, "honeypot filled") {
			t.Errorf("honeypot submission: suspicious %v", s)
		}

		// Too fast, and without a timestamp.
		ts = e.stamp(t)
		e.Clock.Advance(time.Second)
		e.postForm(t, url.Values{"email": {"fast@andesquimica.co"}, "_pista_ts": {ts}})
		if s := inquirySuspicion(t, e.formLead(t, "fast@andesquimica.co")); len(s) != 1 || !strings.HasPrefix(s[0], "filled in 1s") {
			t.Errorf("fast submission: suspicious %v", s)
		}
		e.Clock.Advance(10 * time.Second)
		e.postForm(t, url.Values{"email": {"nojs@andesquimica.co"}})
		if s := inquirySuspicion(t, e.formLead(t, "nojs@andesquimica.co")); !slices.Equal(s, []string{"no timestamp"}) {
			t.Errorf("submission without a timestamp: suspicious %v", s)
		}

		// No way to reach the person: nothing stored, 422 naming what is missing.
		e.Clock.Advance(10 * time.Second)
		before := len(e.leads(""))
		r = e.postForm(t, url.Values{"nombre": {"Sin Correo"}, "empresa": {"Andes"}, "_pista_ts": {e.stamp(t)}})
		checkProblem(t, r, 422, "person.email|person.phone")
		if n := len(e.leads("")); n != before {
			t.Errorf("a submission missing required fields was stored: %d leads, was %d", n, before)
		}
		// With an error page, the browser goes there instead.
		e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/contacto", contacto("https://example.com/contacto?lang=es"))
		e.Clock.Advance(10 * time.Second)
		r = e.postForm(t, url.Values{"nombre": {"Sin Correo"}, "_pista_ts": {e.stamp(t)}})
		loc, err := url.Parse(r.Header.Get("Location"))
		if r.Status != http.StatusSeeOther || err != nil || loc.Host != "example.com" || loc.Path != "/contacto" ||
			loc.Query().Get("lang") != "es" || !strings.HasPrefix(loc.Query().Get("error"), "missing") {
			t.Errorf("missing fields with error_url: %s → %q", r, r.Header.Get("Location"))
		}

		// Multipart works too.
		e.Clock.Advance(10 * time.Second)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range map[string]string{"email": "carlos@andesquimica.co", "nombre": "Carlos Ruiz", "telefono": "+57 301 555 0101", "_pista_ts": e.stamp(t)} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("adjunto", "cv.txt")
		fw.Write([]byte("a file is ignored"))
		mw.Close()
		e.Clock.Advance(10 * time.Second)
		req, _ := http.NewRequest("POST", e.URL+"/f/contacto", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if r := e.send(req); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "https://example.com/gracias" {
			t.Fatalf("multipart: %s", r)
		}
		if carlos := e.formLead(t, "carlos@andesquimica.co"); carlos.Person.LastName != "Ruiz" || len(inquirySuspicion(t, carlos)) != 0 {
			t.Errorf("multipart lead: %+v, suspicious %v", carlos.Person, inquirySuspicion(t, carlos))
		}

		// The snippet posts to this server.
		r = e.call("", "GET", "/f/contacto/snippet", nil)
		for _, want := range []string{`action="` + e.URL + `/f/contacto"`, `name="email"`, `name="nombre"`, `name="website_url"`, `name="_pista_ts"`, e.URL + `/f/contacto/stamp`} {
			if !strings.Contains(string(r.Body), want) {
				t.Errorf("snippet lacks %s:\n%s", want, r.Body)
			}
		}
		checkProblem(t, e.call("", "GET", "/f/otro/snippet", nil), 404)
		checkProblem(t, e.call("bdr", "PUT", "/api/v1/forms/contacto", contacto("")), 403)
	})
}
