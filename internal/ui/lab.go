package ui

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/lab"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/ui/view"
)

// labPage is marketing's Lab: import outcomes and backtest the active
// definition on the database's leads, with the same lab functions the
// API and `pista lab` call.
func (u *UI) labPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := u.labView(r, rq)
	if err != nil {
		return err
	}
	return u.render(w, http.StatusOK, "lab", p)
}

// labView is the page with its forms filled from the request (or their
// defaults: the last year, outcome won).
func (u *UI) labView(r *http.Request, rq *request) (*view.Lab, error) {
	now := u.now().In(rq.Loc)
	p := &view.Lab{Base: u.base(r, rq, "lab.title"), Stages: lab.Stages,
		From: now.AddDate(-1, 0, 0).Format(time.DateOnly), To: now.AddDate(0, 0, 1).Format(time.DateOnly), Outcome: "won",
		By: "email", KeyColumn: "email", OutcomeColumn: "outcome"}
	if r.Method == http.MethodPost {
		keep := func(dst *string, name string) {
			if v := strings.TrimSpace(r.PostFormValue(name)); v != "" {
				*dst = v
			}
		}
		keep(&p.From, "from")
		keep(&p.To, "to")
		keep(&p.Outcome, "outcome")
		keep(&p.Against, "against")
		keep(&p.By, "by")
		keep(&p.KeyColumn, "key_column")
		keep(&p.OutcomeColumn, "outcome_column")
		keep(&p.Positive, "positive")
	}
	defs, err := u.db.Definitions(r.Context())
	if err != nil {
		return nil, err
	}
	for _, d := range defs {
		if d.Active {
			continue
		}
		label := d.Name
		if d.Version != "" {
			label += " " + d.Version
		}
		id := strconv.FormatInt(d.ID, 10)
		p.Versions = append(p.Versions, view.Option{Value: id, Label: "#" + id + " " + label, Selected: id == p.Against})
	}
	return p, nil
}

// showProblem renders the page again with what was wrong above it, so
// the form keeps what was typed.
func (u *UI) showProblem(w http.ResponseWriter, p *view.Lab, rq *request, err error) error {
	if _, ok := problem.As(err); !ok {
		return err
	}
	p.Error = rq.P.Problem(err)
	if pe, ok := problem.As(err); ok {
		p.Fields = pe.Fields
	}
	return u.render(w, statusOf(err), "lab", p)
}

// labOutcomes imports outcomes from an uploaded CSV or XLSX, as POST
// /api/v1/outcomes does, and shows the counts.
func (u *UI) labOutcomes(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := u.labView(r, rq)
	if err != nil {
		return err
	}
	path, err := u.saveLabUpload(r)
	if path != "" {
		defer os.RemoveAll(filepath.Dir(path))
	}
	if err != nil {
		return u.showProblem(w, p, rq, err)
	}
	lim := importer.DefaultLimits()
	st, err := lab.ImportOutcomes(r.Context(), u.db, lab.OutcomeImport{Data: path, Limits: &lim, Key: p.By,
		KeyColumn: p.KeyColumn, OutcomeColumn: p.OutcomeColumn, Positive: p.Positive,
		DateColumn: strings.TrimSpace(r.PostFormValue("date_column")), AmountColumn: strings.TrimSpace(r.PostFormValue("amount_column")), Now: u.now()})
	if err != nil {
		if r.Context().Err() != nil {
			return err
		}
		return u.showProblem(w, p, rq, problem.Fields("the outcomes cannot be read from this file", problem.Field{Name: "file", Reason: err.Error()}))
	}
	p.Imported = st
	return u.render(w, http.StatusOK, "lab", p)
}

// saveLabUpload keeps the form's file in a new temporary directory under
// its own name (the lab's messages name it) and returns its path.
func (u *UI) saveLabUpload(r *http.Request) (string, error) {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return "", problem.Fields("no spreadsheet", problem.Field{Name: "file", Reason: "attach the CSV or XLSX file"})
	}
	defer file.Close()
	name := filepath.Base(filepath.Clean("/" + strings.ReplaceAll(hdr.Filename, `\`, "/")))
	if name == "/" || name == "." {
		return "", problem.Fields("no spreadsheet", problem.Field{Name: "file", Reason: "the file has no name; name it with its extension, e.g. outcomes.csv"})
	}
	dir, err := os.MkdirTemp("", "pista-lab-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	dst, err := os.Create(path)
	if err == nil {
		_, err = io.Copy(dst, file)
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
	}
	return path, err
}

// labBacktest backtests the active definition (and optionally another
// stored version) on the database's leads whose first inquiry is in the
// period, each scored as of that inquiry, with lab.BacktestDB.
func (u *UI) labBacktest(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := u.labView(r, rq)
	if err != nil {
		return err
	}
	var bad []problem.Field
	from, ok := rq.P.ParseDay(p.From, rq.Loc)
	if !ok {
		bad = append(bad, badDay(rq.P, rq.P.T("lab.from"), p.From))
	}
	to, ok := rq.P.ParseDay(p.To, rq.Loc)
	if !ok {
		bad = append(bad, badDay(rq.P, rq.P.T("lab.to"), p.To))
	} else if !to.After(from) {
		bad = append(bad, problem.Field{Name: rq.P.T("lab.to"), Reason: "after the start of the period"})
	}
	if len(bad) > 0 {
		return u.showProblem(w, p, rq, problem.Fields("bad backtest period", bad...))
	}
	cand, err := lab.StoredDefinition(r.Context(), u.db, 0, "definition")
	if err != nil {
		return u.showProblem(w, p, rq, err)
	}
	var against *definition.Definition
	if p.Against != "" {
		id, err := strconv.ParseInt(p.Against, 10, 64)
		if err != nil || id <= 0 {
			return u.showProblem(w, p, rq, problem.Fields("bad backtest options", problem.Field{Name: "against", Reason: "a stored definition version"}))
		}
		if against, err = lab.StoredDefinition(r.Context(), u.db, id, "against"); err != nil {
			return u.showProblem(w, p, rq, err)
		}
	}
	rep, err := lab.BacktestDB(r.Context(), u.db, from, to, lab.BacktestConfig{Outcome: p.Outcome, Candidate: cand, Against: against, Now: u.now()})
	if err != nil {
		if r.Context().Err() != nil {
			return err
		}
		return u.showProblem(w, p, rq, problem.Fields("the backtest cannot run", problem.Field{Name: "outcome", Reason: err.Error()}))
	}
	p.Report = rep
	lift := func(v float64) string { return rq.P.Number(v, 2) }
	p.Chart = view.NewLiftChart(rq.P.T("lab.chart_title", rep.Candidate.Name), rep.Candidate.Deciles, lift)
	if rep.Against != nil {
		p.AgainstChart = view.NewLiftChart(rq.P.T("lab.chart_title", rep.Against.Name), rep.Against.Deciles, lift)
	}
	return u.render(w, http.StatusOK, "lab", p)
}
