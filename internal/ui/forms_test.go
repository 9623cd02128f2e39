package ui_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// editorForm is the editor's post for a price-request form: the rows as
// the page names them, csrf from the page.
func editorForm(csrf string, rows ...[]string) url.Values {
	f := url.Values{"csrf": {csrf}, "name": {"precios"}, "form_action": {"price_request"}, "source_format": {"web_form"},
		"campaign": {"precios-2026"}, "utm": {"1"}, "contact": {"1"}, "title_es": {"Pida su cotización"}, "action": {"save"}}
	for i, r := range rows {
		n := "f" + string(rune('0'+i)) + "_"
		f.Set(n+"name", r[0])
		f.Set(n+"target", r[1])
		if len(r) > 2 {
			f.Set(n+"label_es", r[2])
		}
		if len(r) > 3 {
			f.Set(n+"options", r[3])
		}
	}
	f.Set("rows", string(rune('0'+len(rows))))
	return f
}

// TestFormPages: marketing saves a form through the same checks as the
// API (bad names are shown on their rows, in the user's language), a
// second form of the same name is refused, the API reads what the page
// saved, and the preview answers; a rep may not open the pages, and a
// post without the CSRF token is refused.
func TestFormPages(t *testing.T) {
	e := newEnv(t)
	mario := e.client() // marketing, in Spanish
	mario.signIn("mario")
	list := mario.get("/app/forms")
	if list.Status != 200 || !strings.Contains(list.Body, "Aún no hay formularios") || !strings.Contains(list.Body, "Instrumentos de medición") {
		t.Fatalf("empty list: %s", list)
	}
	edit := mario.get("/app/forms/new")
	if edit.Status != 200 || !strings.Contains(edit.Body, `name="f0_target"`) {
		t.Fatalf("new form page: %s", edit)
	}
	csrf := edit.csrf()

	bad := editorForm(csrf, []string{"email", "person.email"}, []string{"mi campo", "action.props.x"}, []string{"web", "person.emial"})
	bad.Set("name", "Precios 2026")
	bad.Set("thank_you_url", "/gracias")
	r := mario.post("/app/forms", bad)
	for _, want := range []string{"use de 1 a 64 caracteres", "debe ser una dirección http(s) completa", "use letras, cifras, - y _, sin espacios",
		"did you mean person.email", `value="mi campo"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("a bad form: want %q in the answer (%d)", want, r.Status)
		}
	}
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a bad form: %d, want 422", r.Status)
	}

	good := editorForm(csrf, []string{"nombre", "person.name"}, []string{"correo", "person.email"},
		[]string{"producto", "action.props.product", "Producto", "HX-200, HX-300"}, []string{"sector", "company.industry", "", "life_sciences, pesca"})
	r = mario.post("/app/forms", good)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/app/forms/precios?done=saved" {
		t.Fatalf("save: %s", r)
	}
	page := mario.get("/app/forms/precios?done=saved")
	for _, want := range []string{"Formulario guardado.", "pesca", `/f/precios"`, `name="producto"`, "&lt;option value=&#34;HX-200&#34;&gt;HX-200&lt;/option&gt;"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("saved form page lacks %q", want)
		}
	}
	var api struct {
		Campaign string                       `json:"campaign"`
		Labels   map[string]map[string]string `json:"labels"`
		Required []string                     `json:"required"`
		Options  map[string][]string          `json:"options"`
	}
	if err := json.Unmarshal(e.api("GET", "/api/v1/forms/precios", nil), &api); err != nil {
		t.Fatal(err)
	}
	if api.Campaign != "precios-2026" || api.Labels["producto"]["es"] != "Producto" || len(api.Options["producto"]) != 2 || api.Required[0] != "person.email|person.phone" {
		t.Errorf("the API reads back %+v", api)
	}

	again := mario.post("/app/forms", good)
	if again.Status != http.StatusConflict || !strings.Contains(again.Body, "Ya hay un formulario llamado «precios»") {
		t.Errorf("a second form of the same name: %d", again.Status)
	}

	preview := editorForm(csrf, []string{"nombre", "person.name", "Su nombre"})
	preview.Set("f0_label_pt", "Seu nome")
	preview.Set("preview_lang", "pt")
	pv := mario.post("/app/forms/preview", preview)
	if pv.Status != 200 || !strings.Contains(pv.Body, ">Seu nome</label>") || !strings.Contains(pv.Body, ">Enviar</button>") || strings.Contains(pv.Body, "<html") {
		t.Errorf("preview: %s", pv)
	}

	if r := mario.post("/app/forms", url.Values{"name": {"x"}}); r.Status != http.StatusForbidden {
		t.Errorf("a post without CSRF: %d", r.Status)
	}
	rita := e.client()
	rita.signIn("rita")
	if r := rita.get("/app/forms"); r.Status != http.StatusForbidden {
		t.Errorf("a rep opens the forms: %d", r.Status)
	}
}
