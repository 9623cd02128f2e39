package web_test

import (
	"bytes"
	"encoding/json"
	"math"
	"mime/multipart"
	"net/http"
	"testing"
)

// Ten leads whose grade decides their points; 4 converted (see
// internal/lab's hand-computed backtest: AUC 17/24).
const labCSV = "email,grade,won\n" +
	"r1@x.com,a,yes\nr2@x.com,a,yes\nr3@x.com,a,no\n" +
	"r4@x.com,b,yes\nr5@x.com,b,no\nr6@x.com,b,no\n" +
	"r7@x.com,c,no\nr8@x.com,c,yes\nr9@x.com,c,no\n" +
	"r10@x.com,d,no\n"

const labDef = `name: Grades
lead: {when: inquiry}
fit:
  - name: grade
    field: person.attributes.grade
    values: {a: 30, b: 20, c: 10}
bands:
  - {name: hot, from: 25, action: route}
  - {name: warm, from: 15, action: route}
  - {name: cold, action: nurture, recontact: 3 months}
`

// TestAPIBacktest backtests a stored draft against the active definition
// on an uploaded file, and refuses bad requests naming the field.
func TestAPIBacktest(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		var created struct {
			Definition struct {
				ID int64 `json:"id"`
			} `json:"definition"`
		}
		e.mustCall(201, &created, "marketing", "POST", "/api/v1/definitions", map[string]any{"name": "grades.yaml", "source": labDef})
		upload := func(role, options string) apiResp {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", "outcomes.csv")
			fw.Write([]byte(labCSV))
			mw.WriteField("options", options)
			mw.Close()
			req, _ := http.NewRequest("POST", e.URL+"/api/v1/lab/backtest", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer pst_test_"+role)
			return e.send(req)
		}
		id := created.Definition.ID
		r := upload("marketing", `{"outcome": "won", "definition_id": `+itoa(id)+`, "against": "active", "capacity": 4, "target_precision": 0.5}`)
		if r.Status != 200 {
			t.Fatalf("backtest: %s", r)
		}
		var rep struct {
			Scored    int `json:"scored"`
			Candidate struct {
				Name string `json:"name"`
				AUC  struct {
					AUC float64 `json:"auc"`
				} `json:"auc"`
				Bands []struct {
					Band  string `json:"band"`
					Leads int    `json:"leads"`
				} `json:"bands"`
			} `json:"candidate"`
			Against *struct {
				Name string `json:"name"`
			} `json:"against"`
			Compare *struct {
				Moved int `json:"moved"`
			} `json:"compare"`
			Capacity struct {
				Threshold float64 `json:"threshold"`
				Leads     int     `json:"leads"`
			} `json:"capacity"`
		}
		if err := json.Unmarshal(r.Body, &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Scored != 10 || rep.Candidate.Name != "Grades" || math.Abs(rep.Candidate.AUC.AUC-17.0/24) > 1e-9 ||
			len(rep.Candidate.Bands) != 3 || rep.Candidate.Bands[0].Leads != 3 || rep.Against == nil || rep.Compare == nil ||
			rep.Capacity.Threshold != 30 || rep.Capacity.Leads != 3 {
			t.Errorf("report: %s", r.Body)
		}

		checkProblem(t, upload("marketing", `{"definition_id": 1}`), 422, "options.outcome")
		checkProblem(t, upload("marketing", `{"outcome": "won", "definition_id": 99999}`), 422, "options.definition_id")
		checkProblem(t, upload("marketing", `{"outcome": "won", "against": "yesterday"}`), 422, "options.against")
		checkProblem(t, upload("marketing", `{"outcome": "won", "holdout": 1.5}`), 422, "options.holdout")
		checkProblem(t, upload("marketing", `{"outcome": "won", "split_at": "2026-01-01"}`), 422, "options.split_at")
		checkProblem(t, upload("marketing", `{"outcome": "won", "colour": "red"}`), 422, "options")
		checkProblem(t, upload("marketing", `{"outcome": "nope"}`), 422, "file")
		checkProblem(t, upload("marketing", `{"outcome": "grade"}`), 422, "file") // a, b, c: not yes/no
		checkProblem(t, upload("rep", `{"outcome": "won"}`), 403)
	})
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestAPIOutcomes imports outcomes keyed by e-mail for leads sent through
// the API; sending the file again adds nothing.
func TestAPIOutcomes(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		e.mustCall(201, nil, "marketing", "POST", "/api/v1/inquiries", map[string]any{
			"person": map[string]any{"email": "ana.gomez@acme-bio.com", "first_name": "Ana", "last_name": "Gómez"},
			"source": map[string]any{"format": "web_form"}, "action": map[string]any{"type": "contact_form"}})
		upload := func(role, options string) apiResp {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", "crm.csv")
			fw.Write([]byte("Email,Stage,Closed,Amount\nANA.GOMEZ@acme-bio.com,won,2026-11-30,12000 USD\nnobody@x.com,won,,\n"))
			mw.WriteField("options", options)
			mw.Close()
			req, _ := http.NewRequest("POST", e.URL+"/api/v1/outcomes", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer pst_test_"+role)
			return e.send(req)
		}
		opts := `{"by": "email", "key_column": "Email", "outcome_column": "Stage", "date_column": "Closed", "amount_column": "Amount"}`
		var st struct {
			Rows, Added, Unchanged, Unmatched int
			Errors                            []string
		}
		for i, want := range []int{1, 0} {
			r := upload("marketing", opts)
			if r.Status != 200 || json.Unmarshal(r.Body, &st) != nil || st.Rows != 2 || st.Added != want || st.Unmatched != 1 || st.Unchanged != 1-want {
				t.Errorf("upload %d: %s", i+1, r)
			}
		}
		checkProblem(t, upload("marketing", `{"by": "phone", "key_column": "Email", "outcome_column": "Stage"}`), 422, "options.by")
		checkProblem(t, upload("marketing", `{"key_column": "Email"}`), 422, "options.outcome_column")
		checkProblem(t, upload("marketing", `{"key_column": "Correo", "outcome_column": "Stage"}`), 422, "file")
		checkProblem(t, upload("rep", opts), 403)
	})
}
