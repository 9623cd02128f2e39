package ui_test

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDefinitionPages walks marketing's definition pages without a
// browser: a typo is refused with its error on its line, the fix is saved
// as a version, compared and activated with the user recorded; a rep may
// not open them.
func TestDefinitionPages(t *testing.T) {
	e := newEnv(t)
	src, err := os.ReadFile("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := e.client()
	b.signIn("mario")
	list := b.get("/app/definitions")
	if list.Status != 200 || !strings.Contains(list.Body, "Instrumentos de medición") || !strings.Contains(list.Body, `class="chip active"`) {
		t.Fatalf("list: %s", list)
	}
	edit := b.get("/app/definitions/new")
	if edit.Status != 200 || !strings.Contains(edit.Body, "2026.11-1") {
		t.Fatalf("editor: %s", edit)
	}
	typo := strings.Replace(string(src), "action: route}", "action: rute}", 1)
	bad := b.post("/app/definitions/new", url.Values{"csrf": {edit.csrf()}, "from": {"1"}, "name": {"definition.yaml"}, "source": {typo}, "action": {"validate"}})
	if bad.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a typo: %s", bad)
	}
	line := regexp.MustCompile(`<tr id="L85" class="bad">.*?<div class="line-error" role="note">([^<]*)</div>`).FindStringSubmatch(bad.Body)
	if line == nil || !strings.Contains(line[1], "rute") {
		t.Fatalf("no error on line 85: %s", bad.Body)
	}
	if !strings.Contains(bad.Body, `href="#L85">definition.yaml:85</a>`) {
		t.Errorf("the error list does not link to line 85")
	}
	fixed := strings.Replace(string(src), `version: "2026.11-1"`, `version: "2026.11-2"`, 1)
	fixed = strings.Replace(fixed, "{name: caliente, labels: {es: Caliente, pt: Quente, en: Hot}, from: 70, action: route}", "{name: caliente, labels: {es: Caliente, pt: Quente, en: Hot}, from: 65, action: route}", 1)
	ok := b.post("/app/definitions/new", url.Values{"csrf": {edit.csrf()}, "from": {"1"}, "name": {"definition.yaml"}, "source": {fixed}, "action": {"validate"}})
	if ok.Status != 200 || !strings.Contains(ok.Body, `<tr class="added">`) || !strings.Contains(ok.Body, "from: 65") {
		t.Fatalf("valid: %s", ok)
	}
	saved := b.post("/app/definitions/new", url.Values{"csrf": {edit.csrf()}, "from": {"1"}, "name": {"definition.yaml"}, "source": {fixed}, "action": {"save"}})
	if saved.Status != http.StatusSeeOther || saved.Header.Get("Location") != "/app/definitions/2?done=saved" {
		t.Fatalf("save: %s %v", saved, saved.Header)
	}
	diff := b.get("/app/definitions/diff?a=1&b=2")
	if diff.Status != 200 || strings.Count(diff.Body, `<tr class="added">`) != 2 || strings.Count(diff.Body, `<tr class="removed">`) != 2 {
		t.Errorf("diff: %s", diff)
	}
	confirm := b.get("/app/definitions/2/activate")
	if confirm.Status != 200 || !strings.Contains(confirm.Body, "confirm-activate") {
		t.Fatalf("confirm: %s", confirm)
	}
	if res := b.post("/app/definitions/2/activate", url.Values{}); res.Status != http.StatusForbidden {
		t.Errorf("activate without CSRF: %d", res.Status)
	}
	act := b.post("/app/definitions/2/activate", url.Values{"csrf": {confirm.csrf()}})
	if act.Status != http.StatusSeeOther {
		t.Fatalf("activate: %s", act)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		v := b.get("/app/definitions/2/progress")
		if strings.Contains(v.Body, `"Finished":true`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("re-scoring did not finish: %s", v)
		}
		time.Sleep(50 * time.Millisecond)
	}
	page := b.get("/app/definitions/2?done=activated")
	if !strings.Contains(page.Body, "mario@instrumentos.example") || !strings.Contains(page.Body, `id="reeval-bar"`) {
		t.Errorf("version page after activation: %s", page)
	}
	if a := e.WF; a == nil {
		t.Fatal("no waterfall")
	}

	rep := e.client()
	rep.signIn("rita")
	if res := rep.get("/app/definitions"); res.Status != http.StatusForbidden {
		t.Errorf("a rep opened the definitions: %d", res.Status)
	}
	if res := b.get("/app/definitions/999"); res.Status != http.StatusNotFound {
		t.Errorf("an unknown version: %d", res.Status)
	}
}

// TestLargeDefinitionInTheEditor: a definition over 64 KiB (long comments
// marketing keeps in it) validates and saves from the browser; one over
// what the editor's form can carry is refused saying so (413), not as a
// form without its CSRF token; one under that but over the definition's
// own limit gets the loader's error.
func TestLargeDefinitionInTheEditor(t *testing.T) {
	e := newEnv(t)
	src, err := os.ReadFile("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pad := func(n int) string {
		var sb strings.Builder
		for sb.Len() < n {
			sb.WriteString("# Acordado con ventas: revisión trimestral de las reglas de perfil y de interés.\n")
		}
		return sb.String()
	}
	big := strings.Replace(string(src), `version: "2026.11-1"`, `version: "2026.11-2"`, 1) + pad(200<<10)
	b := e.client()
	b.signIn("mario")
	edit := b.get("/app/definitions/new")
	form := url.Values{"csrf": {edit.csrf()}, "from": {"1"}, "name": {"definition.yaml"}, "source": {big}, "action": {"validate"}}
	if len(form.Encode()) <= 64<<10 {
		t.Fatalf("the form is only %d bytes", len(form.Encode()))
	}
	if ok := b.post("/app/definitions/new", form); ok.Status != 200 || !strings.Contains(ok.Body, `<tr class="added">`) {
		t.Fatalf("validate a %d-byte definition: %d", len(big), ok.Status)
	}
	form.Set("action", "save")
	if saved := b.post("/app/definitions/new", form); saved.Status != http.StatusSeeOther {
		t.Fatalf("save a %d-byte definition: %s", len(big), saved)
	}
	form.Set("action", "validate")
	form.Set("source", string(src)+pad(1<<20))
	if over := b.post("/app/definitions/new", form); over.Status != http.StatusUnprocessableEntity || !strings.Contains(over.Body, "the limit is 1048576") {
		t.Errorf("a definition over 1 MiB: %d", over.Status)
	}
	form.Set("source", string(src)+pad(4<<20))
	huge := b.post("/app/definitions/new", form)
	if huge.Status != http.StatusRequestEntityTooLarge || !strings.Contains(huge.Body, "demasiado grande") || !strings.Contains(huge.Body, "3,1 MB") {
		t.Errorf("a form over the editor's limit: %d %s", huge.Status, huge.Body[:min(len(huge.Body), 3000)])
	}
}
