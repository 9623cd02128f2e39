package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Text the databases cannot store (a NUL, bytes that are not UTF-8) is
// refused with a 422 that names the field, the same on SQLite and
// PostgreSQL, and a bad request sent among good ones fails alone: the
// good ones are all stored.
func TestTextThatCannotBeStored(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		good := func(i int) string {
			return fmt.Sprintf(`{"person": {"email": "p%d@acme-bio.com", "first_name": "Ana"}, "action": {"type": "price_request"}}`, i)
		}
		bad := []struct {
			body  string
			field string
		}{
			{`{"person": {"email": "p%d@acme-bio.com", "first_name": "An\u0000a"}, "action": {"type": "price_request"}}`, "person.first_name"},
			{"{\"person\": {\"email\": \"p%d@acme-bio.com\"}, \"company\": {\"name\": \"Acme \xff Bio\"}, \"action\": {\"type\": \"price_request\"}}", "company.name"},
			{`{"person": {"email": "p%d@acme-bio.com"}, "action": {"type": "price_request", "props": {"a\u0000b": 1}}}`, "action.props"},
			{`{"person": {"email": "p%d@acme-bio.com", "attributes": {"notes": ["ok", "\u0000"]}}, "action": {"type": "price_request"}}`, "person.attributes.notes[1]"},
		}
		const n = 48
		var wg sync.WaitGroup
		results := make([]apiResp, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := good(i)
				if i%2 == 1 {
					body = fmt.Sprintf(bad[(i/2)%len(bad)].body, i)
				}
				results[i] = e.call("integration", "POST", "/api/v1/inquiries", body)
			}()
		}
		wg.Wait()
		stored := 0
		for i, r := range results {
			if i%2 == 0 {
				if r.Status != 201 {
					t.Errorf("good inquiry %d: %s", i, r)
				}
				stored++
				continue
			}
			checkProblem(t, r, 422, bad[(i/2)%len(bad)].field)
		}
		if got := len(e.leads("limit=500")); got != stored {
			t.Errorf("%d leads stored, want the %d good ones", got, stored)
		}

		// A batch: the bad inquiry is refused by its index, the others stored.
		batch := fmt.Sprintf(`{"inquiries": [%s, %s, %s]}`, good(100), fmt.Sprintf(bad[0].body, 101), good(102))
		var res struct {
			Results []struct {
				Index  int `json:"index"`
				Status int `json:"status"`
				Errors []struct {
					Name string `json:"name"`
				} `json:"errors"`
			} `json:"results"`
		}
		r := e.mustCall(200, &res, "integration", "POST", "/api/v1/inquiries/batch", batch)
		if len(res.Results) != 3 || res.Results[0].Status != 201 || res.Results[2].Status != 201 || res.Results[1].Status != 422 ||
			len(res.Results[1].Errors) == 0 || res.Results[1].Errors[0].Name != "person.first_name" {
			t.Errorf("batch: %s", r)
		}
		// Any JSON body, events, a query and a header.
		checkProblem(t, e.call("integration", "POST", "/api/v1/events", `{"events": [{"email": "p0@acme-bio.com", "type": "page\u0000view"}]}`), 422, "events[0].type")
		checkProblem(t, e.call("admin", "POST", "/api/v1/users", "{\"name\": \"Ana \xc3\", \"email\": \"ana@x.example\", \"role\": \"rep\"}"), 422, "name")
		checkProblem(t, e.call("rep", "GET", "/api/v1/leads?q=ana%00", nil), 422, "q")
		checkProblem(t, e.call("rep", "GET", "/api/v1/teams/a%00b", nil), 422, "path")
		checkProblem(t, e.call("integration", "POST", "/api/v1/inquiries", good(200), "Idempotency-Key", "k\xff"), 422, "Idempotency-Key")

		// An import, like a web form below, cleans what a spreadsheet holds:
		// the NUL is dropped, on both databases.
		r = e.uploadXLSX(t, "lista.csv", []byte("Nombre,Correo\nAna,csv1@acme-bio.com\nB\x00b,csv2@acme-bio.com\nCarla,csv3@acme-bio.com\n"))
		var job struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
			Stats  struct {
				Created, Invalid int
			} `json:"stats"`
		}
		if r.Status != 202 || json.Unmarshal(r.Body, &job) != nil {
			t.Fatalf("import: %s", r)
		}
		eventually(t, "the import to finish", func() bool {
			e.mustCall(200, &job, "rep", "GET", fmt.Sprintf("/api/v1/imports/%d", job.ID), nil)
			return job.Status != "running"
		})
		if job.Status != "done" || job.Stats.Created != 3 || job.Stats.Invalid != 0 {
			t.Errorf("import with a NUL: %+v", job)
		}
		if l := e.formLead(t, "csv2@acme-bio.com"); l.Person.FirstName != "Bb" {
			t.Errorf("imported name %q", l.Person.FirstName)
		}

		// A web form is typed by a person in a browser: a control character
		// is dropped and bytes that are not UTF-8 become U+FFFD, the same on
		// both databases, rather than the person being turned away.
		e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/contacto", contacto(""))
		ts := e.stamp(t)
		e.Clock.Advance(10 * time.Second)
		req, _ := http.NewRequest("POST", e.URL+"/f/contacto", strings.NewReader("email=form%40acme-bio.com&nombre=Ana%00&empresa=Acme%FFBio&_pista_ts="+url.QueryEscape(ts)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r := e.send(req); r.Status != http.StatusSeeOther {
			t.Fatalf("form post: %s", r)
		}
		if l := e.formLead(t, "form@acme-bio.com"); l.Person.FirstName != "Ana" || l.Company.Name != "Acme\uFFFDBio" {
			t.Errorf("form lead: %+v %+v", l.Person, l.Company)
		}
	})
}
