package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"testing"
	"time"
)

// TestAPIImport uploads a webinar attendee list, follows the progress to
// the end, and uploads it again: the second import stores nothing new.
func TestAPIImport(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		csv := "Nombre;Apellido;Correo;Empresa;Cargo;País\n" +
			"Ana;Gómez;ana.gomez@acme-bio.com;Acme Bio;VP Calidad;Colombia\n" +
			"Mickey;Mouse;mickey@mailinator.com;Disney;;US\n" +
			"Luis;Pérez;;Logisur;Gerente;México\n" +
			"Ana;Gómez;ANA.GOMEZ@acme-bio.com;Acme Bio;VP Calidad;Colombia\n"
		upload := func() (status int, body []byte) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", "asistentes.csv")
			fw.Write([]byte(csv))
			mw.WriteField("options", `{"format": "webinar_list", "action": "webinar_attended", "action_at": "2026-11-10"}`)
			mw.Close()
			req, _ := http.NewRequest("POST", e.URL+"/api/v1/imports", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer pst_test_marketing")
			r := e.send(req)
			return r.Status, r.Body
		}
		type job struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
			Stats  struct {
				Rows, Created, Merged, Unchanged, Invalid int
				Flagged                                   map[string]int
			} `json:"stats"`
			Error string `json:"error"`
		}
		wait := func(id int64) job {
			var j job
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) {
				e.mustCall(200, &j, "rep", "GET", fmt.Sprintf("/api/v1/imports/%d", id), nil)
				if j.Status != "running" {
					return j
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Fatalf("import %d still running", id)
			return j
		}
		status, body := upload()
		var started job
		if status != 202 || json.Unmarshal(body, &started) != nil || started.ID == 0 {
			t.Fatalf("upload: %d %s", status, body)
		}
		j := wait(started.ID)
		if j.Status != "done" || j.Stats.Rows != 4 || j.Stats.Created != 2 || j.Stats.Merged != 1 || j.Stats.Invalid != 1 || j.Stats.Flagged["fake"] != 1 {
			t.Errorf("first import: %+v", j)
		}
		status, body = upload()
		if status != 202 || json.Unmarshal(body, &started) != nil {
			t.Fatalf("second upload: %d %s", status, body)
		}
		j = wait(started.ID)
		if j.Stats.Unchanged != 3 || j.Stats.Created != 0 || j.Stats.Merged != 0 {
			t.Errorf("second import stored something: %+v", j)
		}

		// Bad uploads are refused with the field named.
		req, _ := http.NewRequest("POST", e.URL+"/api/v1/imports", bytes.NewReader([]byte("{}")))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer pst_test_marketing")
		checkProblem(t, e.send(req), 422, "file")
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "a.csv")
		fw.Write([]byte("Correo\nx@y.co\n"))
		mw.WriteField("options", `{"acton": "x"}`)
		mw.Close()
		req, _ = http.NewRequest("POST", e.URL+"/api/v1/imports", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer pst_test_marketing")
		checkProblem(t, e.send(req), 422, "options")
		checkProblem(t, e.call("rep", "GET", "/api/v1/imports/999", nil), 404)
	})
}
