package ui

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// previewRows is how many rows a dry run shows; previewMax how many it
// reads at most before counting stops.
const (
	previewRows = 20
	previewMax  = 5000
)

// importMapping re-reads the uploaded file with the mapping as changed in
// the form; with action=dry it also shows what the first rows would
// become (nothing is written).
func (u *UI) importMapping(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, opts, err := u.formOptions(r)
	if err != nil {
		return err
	}
	p.Base = u.base(r, rq, "imp.map_title")
	if r.PostFormValue("step") == "run" {
		return u.importStart(w, r, rq, p, opts)
	}
	return u.mappingPage(w, r, rq, p, opts, r.PostFormValue("step") == "dry")
}

// preview dry-runs the first rows of a file through intake: their
// verdicts and the stage each would reach.
func (u *UI) preview(r *http.Request, rq *request, f *importer.File, opts importer.Options, p *view.ImportMapping) error {
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	var st importer.Stats
	all, err := importer.Run(ctx, u.svc, f, opts, importer.RunConfig{Dry: true, OnRow: func(row importer.Row, res intake.RowResult) {
		st.Add(res)
		p.Preview = append(p.Preview, view.ImportPreviewRow{Line: row.Line, Who: row.Who(), Status: res.Status, Quality: res.Quality,
			Stage: res.Stage, Reason: res.Reason})
		if st.Rows >= previewMax {
			cancel()
		}
	}})
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	// Rows finish in any order; the first lines of the file are shown.
	slices.SortFunc(p.Preview, func(a, b view.ImportPreviewRow) int { return a.Line - b.Line })
	p.Preview = p.Preview[:min(len(p.Preview), previewRows)]
	s := statsOf(st)
	p.Stats = &s
	p.Reasons = reasonsOf(rq, all.Reasons)
	return nil
}

// reasonsOf lays out the grouped reasons of an import's rows.
func reasonsOf(rq *request, list []importer.Reason) []view.ImportReason {
	out := make([]view.ImportReason, 0, len(list))
	for _, r := range list {
		lines := make([]string, len(r.Lines))
		for i, l := range r.Lines {
			lines[i] = rq.P.Int(int64(l))
		}
		out = append(out, view.ImportReason{Reason: r.Reason, Rows: rq.P.Int(int64(r.Rows)), Lines: strings.Join(lines, ", ")})
	}
	return out
}

// importStart records an import job and runs it in the background,
// writing every row's verdict to a report; the job's page shows the
// progress.
func (u *UI) importStart(w http.ResponseWriter, r *http.Request, rq *request, p *view.ImportMapping, opts importer.Options) error {
	path, err := u.uploadPath(p.Upload, p.Name)
	if err != nil {
		return err
	}
	lim := u.importLimits
	lim.TempDir = filepath.Dir(path)
	f, err := importer.OpenUpload(path, opts, lim)
	if err != nil {
		return u.mappingPage(w, r, rq, p, opts, false) // it shows why
	}
	job, err := u.imports.Begin(r.Context(), p.Name, opts, false, "")
	if err != nil {
		f.Close()
		return err
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "job"), []byte(itoa64(job.ID)), 0o600); err != nil {
		f.Close()
		return err
	}
	u.importTotals.Store(job.ID, countRows(path, opts, lim))
	go u.runImport(job, f, filepath.Dir(path), opts)
	http.Redirect(w, r, "/app/imports/"+itoa64(job.ID), http.StatusSeeOther)
	return nil
}

// countRows reads a file once to size the progress bar.
func countRows(path string, opts importer.Options, lim importer.Limits) int {
	f, err := importer.OpenLimited(path, opts, lim)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	for {
		if _, err := f.Next(); err != nil {
			return n
		}
		n++
	}
}

// runImport imports every row (importer.Jobs saves the progress) and
// writes each row's verdict to report.csv beside the upload.
func (u *UI) runImport(job *store.Import, f *importer.File, dir string, opts importer.Options) {
	rep, err := os.Create(filepath.Join(dir, "report.csv"))
	if err != nil {
		f.Close()
		u.log.Error("import report", "import", job.ID, "err", err)
		return
	}
	defer rep.Close()
	cw := csv.NewWriter(rep)
	cw.Write([]string{"line", "status", "quality", "lead_id", "stage", "reason"})
	u.imports.Run(context.Background(), job, f, opts, func(row importer.Row, res intake.RowResult) {
		cw.Write([]string{strconv.Itoa(row.Line), res.Status, res.Quality, strconv.FormatInt(res.LeadID, 10), res.Stage, res.Reason})
	}, func() {
		if cw.Flush(); cw.Error() != nil {
			u.log.Error("import report", "import", job.ID, "err", cw.Error())
		}
	})
}

// importJob loads an import named in the URL.
func (u *UI) importJob(r *http.Request) (*store.Import, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		var im *store.Import
		if im, err = u.db.ImportByID(r.Context(), id); err == nil {
			return im, nil
		}
	}
	if err == nil || errors.Is(err, store.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange) {
		return nil, problem.Coded(problem.NotFound, "import_gone", nil, "no such import")
	}
	return nil, err
}

// importPage shows an import's progress and, when done, its counts and
// the row report.
func (u *UI) importPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	job, err := u.importJob(r)
	if err != nil {
		return err
	}
	p := &view.ImportJob{Base: u.base(r, rq, "imp.job_title", job.ID), Row: importRow(job), Error: job.Error}
	var st importer.Stats
	_ = json.Unmarshal(job.Stats, &st)
	p.Stats = statsOf(st)
	p.Reasons = reasonsOf(rq, st.Reasons)
	p.Asks = u.jobAsks(rq, job)
	if t, ok := u.importTotals.Load(job.ID); ok {
		p.Total = t.(int)
	}
	p.Percent = 100
	if !p.Row.Finished && p.Total > 0 {
		p.Percent = min(99, st.Rows*100/p.Total)
	}
	// The report is offered once the import has finished: while it runs
	// the file is still being written.
	p.Report = p.Row.Finished && u.reportPath(job.ID) != ""
	return u.render(w, http.StatusOK, "import", p)
}

// jobAsks are the mapping page's explanations of the columns read
// differently from their names, for the columns the import still read
// so: the import's page keeps them in view.
func (u *UI) jobAsks(rq *request, job *store.Import) []view.ImportAsk {
	var opts importer.Options
	dir := u.jobDir(job.ID)
	if dir == "" || json.Unmarshal(job.Options, &opts) != nil {
		return nil
	}
	lim := u.importLimits
	lim.TempDir = dir
	path := filepath.Join(dir, filepath.Base("/"+job.Name))
	questions, auto := fileQuestions(path, opts, lim)
	var out []view.ImportAsk
	for _, q := range questions {
		chosen, ok := opts.Map[q.Header]
		if !ok {
			chosen = auto[q.Header]
		}
		if t := askText(rq, questions, q.Header, chosen); t != "" {
			out = append(out, view.ImportAsk{Header: q.Header, Text: t})
		}
	}
	return out
}

// jobDir is the folder of an import started from the web app (its upload,
// row report and job number), "" for others.
func (u *UI) jobDir(id int64) string {
	matches, _ := filepath.Glob(filepath.Join(u.importDir, "ui-*", "job"))
	for _, m := range matches {
		if b, err := os.ReadFile(m); err == nil && string(b) == itoa64(id) {
			return filepath.Dir(m)
		}
	}
	return ""
}

// reportPath finds an import's row report, "" when there is none (an
// import through the API, or one whose files were cleaned up).
func (u *UI) reportPath(id int64) string {
	dir := u.jobDir(id)
	if dir == "" {
		return ""
	}
	if _, err := os.Stat(filepath.Join(dir, "report.csv")); err != nil {
		return ""
	}
	return filepath.Join(dir, "report.csv")
}

// importReport downloads an import's row report as CSV.
func (u *UI) importReport(w http.ResponseWriter, r *http.Request, rq *request) error {
	job, err := u.importJob(r)
	if err != nil {
		return err
	}
	path := u.reportPath(job.ID)
	if path == "" {
		return problem.Coded(problem.NotFound, "import_gone", nil, "this import has no row report")
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="import-`+itoa64(job.ID)+`-report.csv"`)
	http.ServeFile(w, r, path)
	return nil
}
