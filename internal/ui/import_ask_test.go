package ui_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestImportMappingAsksAboutNumericCampaign: a "campaign" column that holds
// contact counts is not mapped to source.campaign; the mapping page says
// why and asks, in the user's language, next to the column's choice.
func TestImportMappingAsksAboutNumericCampaign(t *testing.T) {
	e := newEnv(t)
	b := e.client()
	b.signIn("mario")
	csv := filepath.Join(t.TempDir(), "llamadas.csv")
	if err := os.WriteFile(csv, []byte("email;Nombre;campaign\nana@acme.co;Ana;1\nluis@acme.co;Luis;3\nmar@acme.co;Mar;2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ask := regexp.MustCompile(`value="campaign">.*?<p class="note ask" id="ask-2">([^<]*)</p>.*?<select id="map-2" name="map_2" aria-describedby="ask-2">.*?<option value="person.attributes.campaign" selected>`)
	for _, c := range []struct{ lang, chip, text string }{
		{"es", "revise", "Solo tiene números (los 3 valores de las primeras filas), así que se lee como person.attributes.campaign. Si los números son códigos de source.campaign, elija ese campo aquí; si no, déjelo así."},
		{"pt", "verifique", "Só tem números (os 3 valores das primeiras linhas), por isso é lida como person.attributes.campaign. Se os números forem códigos de source.campaign, escolha esse campo aqui; se não, deixe assim."},
		{"en", "please check", "It holds only numbers (all 3 values of the first rows), so it is read as person.attributes.campaign. If the numbers are source.campaign codes, choose that field here; otherwise leave it."},
	} {
		list := b.get("/app/imports")
		if r := b.post("/app/language", url.Values{"csrf": {list.csrf()}, "lang": {c.lang}, "back": {"/app/imports"}}); r.Status != 303 {
			t.Fatalf("language %s: %s", c.lang, r)
		}
		list = b.get("/app/imports")
		m := b.upload(csv, list.csrf())
		body := strings.ReplaceAll(m.Body, "\n", " ")
		got := ask.FindStringSubmatch(body)
		if m.Status != 200 || got == nil {
			t.Fatalf("%s: the mapping page does not ask about campaign: %s", c.lang, m)
		}
		if got[1] != c.text || !strings.Contains(body, `<span class="chip warn">`+c.chip+`</span>`) {
			t.Errorf("%s: asks %q (chip %q wanted)", c.lang, got[1], c.chip)
		}
		// Only the numeric column is asked about.
		if n := strings.Count(body, `class="note ask"`); n != 1 {
			t.Errorf("%s: %d columns asked about, want 1", c.lang, n)
		}
	}
}
