package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// importOptions is importer.Options, whose JSON names the API uses.
type importOptions = importer.Options

// postImport takes a multipart upload: the spreadsheet as "file", import
// options as JSON in "options" (see importer.Options) and "dry_run". It
// answers 202 at once; GET /api/v1/imports/{id} shows the progress. The
// upload is streamed to a file under the server's data directory (never
// the system's temporary folder), and the file is read within the
// server's import limits (importer.Limits).
func (s *Server) postImport(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	up, err := s.receiveUpload(r)
	if up != nil && up.path != "" {
		defer func() {
			if up.path != "" {
				os.RemoveAll(filepath.Dir(up.path))
			}
		}()
	}
	if err != nil {
		return err
	}
	var in importOptions
	if raw := up.options; raw != "" {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return problem.Fields("bad import options", problem.Field{Name: "options", Reason: strings.TrimPrefix(err.Error(), "json: ")})
		}
	}
	lim := s.importLimits
	lim.TempDir = s.tempDir
	f, err := importer.OpenUpload(up.path, in, lim)
	if err != nil {
		return err
	}
	job, err := s.imports.Begin(r.Context(), up.name, in, up.dry, up.path)
	if err != nil {
		f.Close()
		return err
	}
	answer := *job // the background import goes on changing job
	path := up.path
	up.path = "" // runImport removes it, or keeps it for a resume
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.runImport(job, f, path, in)
	}()
	return writeJSON(w, http.StatusAccepted, &answer)
}

// resumeImport finishes an interrupted import from its kept upload: a new
// import of the same file with the same options, whose rows already
// stored count as unchanged (their keys are known), so nothing is stored
// twice.
func (s *Server) resumeImport(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, err := s.db.ImportByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return problem.New(problem.NotFound, "import %d does not exist", id)
	}
	if err != nil {
		return err
	}
	if old.Status != store.ImportInterrupted {
		return problem.New(problem.Conflict, "import %d is %s; only an interrupted import can be resumed", id, old.Status)
	}
	path, err := s.db.TakeUpload(r.Context(), id)
	if err != nil {
		return err
	}
	if path == "" {
		return problem.New(problem.Conflict, "import %d's file is no longer kept (it was resumed already, or uploaded through the web app): upload the same file again; rows already imported are not stored twice", id)
	}
	var in importer.Options
	if err := json.Unmarshal(old.Options, &in); err != nil {
		return err
	}
	lim := s.importLimits
	lim.TempDir = s.tempDir
	f, err := importer.OpenUpload(path, in, lim)
	if err != nil {
		os.RemoveAll(filepath.Dir(path))
		return err
	}
	job, err := s.imports.BeginResume(r.Context(), old, path)
	if err != nil {
		f.Close()
		return err
	}
	answer := *job
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.runImport(job, f, path, in)
	}()
	return writeJSON(w, http.StatusAccepted, &answer)
}

// sweepImports marks imports whose server died as interrupted, at once
// and then every importer.SweepEvery, until the server closes.
func (s *Server) sweepImports() {
	defer s.bg.Done()
	t := time.NewTicker(importer.SweepEvery)
	defer t.Stop()
	for {
		ids, err := importer.Sweep(s.bgCtx, s.db, s.now())
		if err != nil && s.bgCtx.Err() == nil {
			s.log.Error("marking interrupted imports", "err", err)
		}
		for _, id := range ids {
			s.log.Warn("import interrupted: its server stopped", "import", id)
		}
		select {
		case <-s.bgCtx.Done():
			return
		case <-t.C:
		}
	}
}

// upload is a received import: the file on disk and the other fields.
type upload struct {
	path, name, options string
	dry                 bool
}

// receiveUpload streams a multipart import request: the "file" part to a
// new file in the server's temporary directory, the small fields into
// memory. (Request.ParseMultipartForm would spill large parts to the
// system's temporary folder.)
func (s *Server) receiveUpload(r *http.Request) (*upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, problem.Fields("send the spreadsheet as multipart/form-data", problem.Field{Name: "file", Reason: err.Error()})
	}
	up := &upload{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return up, uploadError(err)
		}
		switch part.FormName() {
		case "file":
			if up.path != "" {
				return up, problem.Fields("one spreadsheet per import", problem.Field{Name: "file", Reason: "send one file"})
			}
			if up.path, err = s.saveUpload(part, part.FileName()); err != nil {
				if _, ok := problem.As(err); ok {
					return up, err
				}
				return up, uploadError(err)
			}
			up.name = filepath.Base(up.path)
		case "options", "dry_run":
			b, err := io.ReadAll(io.LimitReader(part, 64<<10+1))
			if err != nil {
				return up, uploadError(err)
			}
			if len(b) > 64<<10 {
				return up, problem.Fields("bad import options", problem.Field{Name: part.FormName(), Reason: "at most 64 KiB"})
			}
			if part.FormName() == "options" {
				up.options = string(b)
			} else {
				up.dry = string(b) == "true"
			}
		}
	}
	if up.path == "" {
		return up, problem.Fields("no spreadsheet", problem.Field{Name: "file", Reason: "attach the CSV or XLSX file as the form field \"file\""})
	}
	return up, nil
}

// saveUpload copies an uploaded file, under its own name, into a new
// directory of the server's temporary directory, and returns its path.
func (s *Server) saveUpload(src io.Reader, name string) (string, error) {
	if err := os.MkdirAll(s.tempDir, 0o700); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(s.tempDir, "import-")
	if err != nil {
		return "", err
	}
	return importer.SaveUpload(dir, name, src)
}

// uploadError keeps a body over the size limit a 413 and makes any other
// broken upload a 422 about the file.
func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return problem.Fields("the upload could not be read", problem.Field{Name: "file", Reason: err.Error()})
}

// runImport runs an uploaded import in the background (importer.Jobs
// saves its progress) and removes the upload when it is done, unless a
// shutdown interrupted it: then it is kept for a resume.
func (s *Server) runImport(job *store.Import, f *importer.File, path string, opts importer.Options) {
	final, _ := s.imports.Run(s.bgCtx, job, f, opts, nil, nil)
	if job.Status != store.ImportInterrupted {
		os.RemoveAll(filepath.Dir(path)) // saveUpload's directory
	}
	if !job.DryRun {
		s.metrics.ImportRows("created", final.Created)
		s.metrics.ImportRows("merged", final.Merged)
		s.metrics.ImportRows("unchanged", final.Unchanged)
		s.metrics.ImportRows("invalid", final.Invalid)
	}
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
