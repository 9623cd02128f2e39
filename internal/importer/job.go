package importer

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// The server's imports, one way for both of its doors: the API's
// POST /api/v1/imports and the web app's imports pages save the upload,
// open it within the server's limits, record the import and run it in
// the background with these.

// SaveUpload writes an uploaded spreadsheet into dir (made if missing)
// under its own base name, which the import's messages and row keys use,
// and returns its path. A name that is no file name is a problem about
// the field "file"; on any failure dir is removed.
func SaveUpload(dir, name string, src io.Reader) (string, error) {
	name = filepath.Base(filepath.Clean("/" + strings.ReplaceAll(name, `\`, "/")))
	if name == "/" || name == "." {
		e := problem.Fields("no spreadsheet", problem.Field{Name: "file", Reason: "the file has no name; name it with its extension, e.g. list.csv"})
		e.Code = "import_no_file"
		return "", e
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	dst, err := os.Create(path)
	if err == nil {
		_, err = io.Copy(dst, src)
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return path, nil
}

// OpenUpload opens an uploaded file within the limits and maps its
// columns. A file that cannot be imported is a problem about the field
// "file" saying why (over a limit, not a spreadsheet, no action...).
func OpenUpload(path string, o Options, lim Limits) (*File, error) {
	f, err := OpenLimited(path, o, lim)
	if err == nil {
		if _, err = f.Mapping(); err == nil {
			return f, nil
		}
		f.Close()
	}
	var le *LimitError
	if errors.As(err, &le) {
		return nil, problem.Fields("the spreadsheet is over a limit", problem.Field{Name: "file", Reason: err.Error()})
	}
	return nil, problem.Fields("the spreadsheet cannot be imported", problem.Field{Name: "file", Reason: err.Error()})
}

// Jobs records imports in the store and runs them.
type Jobs struct {
	Intake *intake.Service
	Now    func() time.Time
	Log    *slog.Logger
}

// Begin records a new running import of a file.
func (j *Jobs) Begin(ctx context.Context, name string, o Options, dry bool) (*store.Import, error) {
	opts, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	job := &store.Import{Name: name, Options: opts, DryRun: dry, Status: "running", Stats: json.RawMessage(`{}`), StartedAt: j.Now()}
	if err := j.Intake.DB().InsertImport(ctx, job); err != nil {
		return nil, err
	}
	return job, nil
}

// Run imports every row of a file that Begin recorded (a dry run if it
// was one), saving the counts about twice a second and, at the end, the
// final counts and "done" or "failed" with the error. onRow, when not
// nil, sees each row's verdict, one row at a time, and beforeEnd runs
// after the last row and before the import is saved as ended (the web
// app writes its row report with them, complete once the import says
// done). Run closes f.
func (j *Jobs) Run(ctx context.Context, job *store.Import, f *File, o Options, onRow func(Row, intake.RowResult), beforeEnd func()) (Stats, error) {
	defer f.Close()
	var (
		mu   sync.Mutex
		st   Stats
		last time.Time
	)
	save := func(final bool, runErr error) {
		mu.Lock()
		job.Stats, _ = json.Marshal(st)
		mu.Unlock()
		if final {
			now := j.Now()
			job.FinishedAt, job.Status = &now, "done"
			if runErr != nil {
				job.Status, job.Error = "failed", runErr.Error()
			}
		}
		// The progress is saved even when the import was cancelled.
		if err := j.Intake.DB().UpdateImport(context.WithoutCancel(ctx), job); err != nil && j.Log != nil {
			j.Log.Error("import progress", "import", job.ID, "err", err)
		}
	}
	final, err := Run(ctx, j.Intake, f, o, RunConfig{Dry: job.DryRun, OnRow: func(row Row, res intake.RowResult) {
		mu.Lock()
		st.Add(res)
		if onRow != nil {
			onRow(row, res)
		}
		due := time.Since(last) > 500*time.Millisecond
		if due {
			last = time.Now()
		}
		mu.Unlock()
		if due {
			save(false, nil)
		}
	}})
	mu.Lock()
	st = final
	mu.Unlock()
	if beforeEnd != nil {
		beforeEnd()
	}
	save(true, err)
	return final, err
}
