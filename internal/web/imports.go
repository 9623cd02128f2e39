package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// importOptions is importer.Options as the API spells it.
type importOptions struct {
	Sheet      string            `json:"sheet,omitempty"`
	Delimiter  rune              `json:"delimiter,omitempty"`
	Map        map[string]string `json:"map,omitempty"`
	Format     string            `json:"format,omitempty"`
	Action     string            `json:"action,omitempty"`
	ActionAt   string            `json:"action_at,omitempty"`
	DateOrder  string            `json:"date_order,omitempty"`
	Country    string            `json:"country,omitempty"`
	Campaign   string            `json:"campaign,omitempty"`
	KeyColumns []string          `json:"key_columns,omitempty"`
	Timezone   string            `json:"timezone,omitempty"`
}

// postImport takes a multipart upload: the spreadsheet as "file", import
// options as JSON in "options" (see importer.Options) and "dry_run". It
// answers 202 at once; GET /api/v1/imports/{id} shows the progress.
func (s *Server) postImport(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return problem.Fields("send the spreadsheet as multipart/form-data", problem.Field{Name: "file", Reason: err.Error()})
	}
	defer r.MultipartForm.RemoveAll()
	part, head, err := r.FormFile("file")
	if err != nil {
		return problem.Fields("no spreadsheet", problem.Field{Name: "file", Reason: "attach the CSV or XLSX file as the form field \"file\""})
	}
	defer part.Close()
	var in importOptions
	if raw := r.FormValue("options"); raw != "" {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return problem.Fields("bad import options", problem.Field{Name: "options", Reason: strings.TrimPrefix(err.Error(), "json: ")})
		}
	}
	opts := importer.Options(in)
	dry := r.FormValue("dry_run") == "true"
	ext := strings.ToLower(filepath.Ext(head.Filename))
	dir := filepath.Join(os.TempDir(), "pista-imports")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b := make([]byte, 8)
	rand.Read(b)
	path := filepath.Join(dir, hex.EncodeToString(b)+ext)
	dst, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, part)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return err
	}
	f, err := importer.Open(path, opts)
	if err == nil {
		_, err = f.Mapping()
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		os.Remove(path)
		return problem.Fields("the spreadsheet cannot be imported", problem.Field{Name: "file", Reason: err.Error()})
	}
	optJSON, _ := json.Marshal(in)
	job := &store.Import{Name: head.Filename, Options: optJSON, DryRun: dry, Status: "running", Stats: json.RawMessage(`{}`), StartedAt: s.now()}
	if err := s.db.InsertImport(r.Context(), job); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	answer := *job // the background import goes on changing job
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.runImport(job, f, path, opts, dry)
	}()
	return writeJSON(w, http.StatusAccepted, &answer)
}

// runImport runs an uploaded import in the background, saving progress
// about twice a second.
func (s *Server) runImport(job *store.Import, f *importer.File, path string, opts importer.Options, dry bool) {
	defer os.Remove(path)
	defer f.Close()
	ctx := s.bgCtx
	var (
		mu   sync.Mutex
		st   importer.Stats
		last time.Time
	)
	save := func(final bool, runErr error) {
		mu.Lock()
		job.Stats, _ = json.Marshal(st)
		mu.Unlock()
		if final {
			now := s.now()
			job.FinishedAt, job.Status = &now, "done"
			if runErr != nil {
				job.Status, job.Error = "failed", runErr.Error()
			}
		}
		if err := s.db.UpdateImport(context.WithoutCancel(ctx), job); err != nil {
			s.log.Error("import progress", "import", job.ID, "err", err)
		}
	}
	final, err := importer.Run(ctx, s.svc, f, opts, importer.RunConfig{Dry: dry, OnRow: func(_ importer.Row, res intake.RowResult) {
		mu.Lock()
		st.Add(res)
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
	save(true, err)
}

func (s *Server) getImport(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	im, err := s.db.ImportByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return problem.New(problem.NotFound, "import %d does not exist", id)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, im)
}
