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

// Begin records a new running import of a file. upload, when not "",
// is the file's path, kept for a resume if the import is interrupted.
func (j *Jobs) Begin(ctx context.Context, name string, o Options, dry bool, upload string) (*store.Import, error) {
	opts, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	job := &store.Import{Name: name, Options: opts, DryRun: dry, Upload: upload}
	return job, j.insert(ctx, job)
}

// BeginResume records a new running import that resumes an interrupted
// one from its kept upload (see DB.TakeUpload).
func (j *Jobs) BeginResume(ctx context.Context, old *store.Import, upload string) (*store.Import, error) {
	job := &store.Import{Name: old.Name, Options: old.Options, DryRun: old.DryRun, Upload: upload, ResumedFrom: old.ID}
	return job, j.insert(ctx, job)
}

func (j *Jobs) insert(ctx context.Context, job *store.Import) error {
	job.Status, job.Stats, job.StartedAt = store.ImportRunning, json.RawMessage(`{}`), j.Now()
	return j.Intake.DB().InsertImport(ctx, job)
}

// Run imports every row of a file that Begin recorded (a dry run if it
// was one), saving the counts about twice a second, a heartbeat every
// HeartbeatEvery (so that a server that died is noticed, see Sweep) and,
// at the end, the final counts and "done", "failed" with the error, or,
// when ctx ends first (the server shuts down), "interrupted" with the
// upload kept for a resume. onRow, when not nil, sees each row's verdict,
// one row at a time, and beforeEnd runs after the last row and before the
// import is saved as ended (the web app writes its row report with them,
// complete once the import says done). Run closes f.
func (j *Jobs) Run(ctx context.Context, job *store.Import, f *File, o Options, onRow func(Row, intake.RowResult), beforeEnd func()) (Stats, error) {
	defer f.Close()
	var (
		mu   sync.Mutex
		st   Stats
		last time.Time
	)
	save := func(final bool, runErr error) {
		mu.Lock()
		defer mu.Unlock()
		job.Stats, _ = json.Marshal(st)
		if final {
			now := j.Now()
			job.FinishedAt, job.Status = &now, store.ImportDone
			switch {
			case ctx.Err() != nil:
				job.Status, job.Error = store.ImportInterrupted, reasonStopped+reasonHelp
			case runErr != nil:
				job.Status, job.Error = store.ImportFailed, runErr.Error()
			}
			if job.Status != store.ImportInterrupted {
				job.Upload = ""
			}
		}
		// The progress is saved even when the import was cancelled.
		if err := j.Intake.DB().UpdateImport(context.WithoutCancel(ctx), job, j.Now()); err != nil && j.Log != nil {
			j.Log.Error("import progress", "import", job.ID, "err", err)
		}
	}
	beat := time.NewTicker(HeartbeatEvery)
	defer beat.Stop()
	stop := make(chan struct{})
	var beats sync.WaitGroup
	beats.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-beat.C:
				save(false, nil) // a slow row must not look like a dead server
			}
		}
	})
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
	close(stop)
	beats.Wait()
	mu.Lock()
	st = final
	mu.Unlock()
	if beforeEnd != nil {
		beforeEnd()
	}
	save(true, err)
	return final, err
}

// A running import beats every HeartbeatEvery; one that has not beaten
// for StaleAfter is taken for dead (its server crashed or was killed) and
// marked interrupted by Sweep, which servers run every SweepEvery.
const (
	HeartbeatEvery = 5 * time.Second
	StaleAfter     = 4 * HeartbeatEvery
	SweepEvery     = 10 * time.Second
)

// What an interrupted import says, and what to do about it.
const (
	reasonDied    = "interrupted: the server running this import stopped (a crash, a kill or a restart) before it finished"
	reasonStopped = "interrupted: the server was shut down before this import finished"
	reasonHelp    = "; resume it (POST /api/v1/imports/{id}/resume, when the upload was kept) or upload the same file again: rows already imported are recognised and not stored twice"
)

// Sweep marks the imports whose server died as interrupted.
func Sweep(ctx context.Context, db *store.DB, now time.Time) ([]int64, error) {
	return db.InterruptImports(ctx, now.Add(-StaleAfter), now, reasonDied+reasonHelp)
}
