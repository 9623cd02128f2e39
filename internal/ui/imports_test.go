package ui_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// upload posts a file through the import form.
func (b *browser) upload(path, csrf string) resp {
	b.e.t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.e.t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile("file", path[strings.LastIndex(path, "/")+1:])
	fw.Write(data)
	mw.Close()
	res, err := b.c.Post(b.e.URL+"/app/imports", mw.FormDataContentType(), &body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return read(b.e.t, res)
}

// TestImportPages: a CSV with Spanish headers is mapped by suggestion,
// dry-run (nothing stored) and imported; the row report has every row.
func TestImportPages(t *testing.T) {
	e := newEnv(t)
	b := e.client()
	b.signIn("mario")
	list := b.get("/app/imports")
	if list.Status != 200 || !strings.Contains(list.Body, `enctype="multipart/form-data"`) {
		t.Fatalf("imports: %s", list)
	}
	m := b.upload("testdata/webinar-asistentes.csv", list.csrf())
	if m.Status != 200 {
		t.Fatalf("upload: %s", m)
	}
	for header, field := range map[string]string{"Nombre": "person.first_name", "Correo electrónico": "person.email", "Empresa": "company.name",
		"Fecha de asistencia": "action.at"} {
		re := regexp.MustCompile(`value="` + regexp.QuoteMeta(header) + `">.*?<option value="` + regexp.QuoteMeta(field) + `" selected>`)
		if !re.MatchString(strings.ReplaceAll(m.Body, "\n", " ")) {
			t.Errorf("%s is not mapped to %s", header, field)
		}
	}
	upload := regexp.MustCompile(`name="upload" value="([0-9a-f]+)"`).FindStringSubmatch(m.Body)
	if upload == nil {
		t.Fatal("no upload token")
	}
	form := url.Values{"csrf": {list.csrf()}, "upload": {upload[1]}, "name": {"webinar-asistentes.csv"}, "action": {"webinar_attended"}, "step": {"dry"}}
	for i, h := range []string{"Nombre", "Apellido", "Correo electrónico", "Empresa", "Cargo", "País", "Fecha de asistencia"} {
		form.Set("header_"+strconv.Itoa(i), h)
	}
	for i, f := range []string{"person.first_name", "person.last_name", "person.email", "company.name", "person.title", "person.country", "action.at"} {
		form.Set("map_"+strconv.Itoa(i), f)
	}
	dry := b.post("/app/imports/mapping", form)
	if dry.Status != 200 || !strings.Contains(dry.Body, `id="preview"`) || !strings.Contains(dry.Body, "ana.gomez@laboratorioandino.com.co") {
		t.Fatalf("dry run: %s", dry)
	}
	if n, _ := e.DB.CountLiveLeads(t.Context()); n != 0 {
		t.Fatalf("the dry run stored %d leads", n)
	}
	form.Set("step", "run")
	run := b.post("/app/imports/mapping", form)
	if run.Status != http.StatusSeeOther || !strings.HasPrefix(run.Header.Get("Location"), "/app/imports/") {
		t.Fatalf("run: %s", run)
	}
	job := run.Header.Get("Location")
	deadline := time.Now().Add(10 * time.Second)
	var p resp
	for {
		p = b.get(job)
		if !strings.Contains(p.Body, "data-running") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import did not finish: %s", p)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(p.Body, `id="report"`) {
		t.Fatalf("finished import: %s", p)
	}
	rep := b.get(job + "/report.csv")
	lines := strings.Split(strings.TrimSpace(rep.Body), "\n")
	if rep.Status != 200 || len(lines) != 4 || !strings.HasPrefix(lines[0], "line,status") {
		t.Fatalf("report: %s", rep)
	}
	if n, _ := e.DB.CountLiveLeads(t.Context()); n < 2 {
		t.Errorf("%d leads after the import, want at least 2", n)
	}
	if past := b.get("/app/imports"); !strings.Contains(past.Body, "webinar-asistentes.csv") {
		t.Errorf("the past imports do not list it")
	}
}
