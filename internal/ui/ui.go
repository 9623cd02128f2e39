// Package ui is Pista's web app: server-rendered pages for reps,
// managers, marketing and admins, beside the JSON API and on the same
// domain code (access for who may do what, waterfall for sales' acts,
// intake for BANT, store for reading). One small file per page or action;
// routes.go lists them all.
package ui

import (
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// Config holds what New needs.
type Config struct {
	Intake    *intake.Service
	Waterfall *waterfall.Service
	// Reports answers the dashboards, as it answers the report API.
	Reports *report.Reports
	Log     *slog.Logger
	Now     func() time.Time
	// Language is the server's default language (es unless set).
	Language string
	// ClientIP and Scheme read a request as the trusted proxies forwarded
	// it (the web package knows them).
	ClientIP func(*http.Request) string
	Scheme   func(*http.Request) string
	// ImportDir holds uploaded spreadsheets and their row reports;
	// ImportLimits bounds what is read from them (the API's).
	ImportDir    string
	ImportLimits importer.Limits
}

// UI serves the web app.
type UI struct {
	db     *store.DB
	svc    *intake.Service
	wf     *waterfall.Service
	rep    *report.Reports
	auth   *access.Auth
	cat    *i18n.Catalog
	log    *slog.Logger
	now    func() time.Time
	ip     func(*http.Request) string
	scheme func(*http.Request) string

	pages  map[string]*template.Template
	assets *assets

	importDir    string
	importLimits importer.Limits
	imports      *importer.Jobs
	importTotals sync.Map // import ID → rows in its file, for the progress bar
}

// New parses the templates and hashes the static files, once.
func New(cfg Config) (*UI, error) {
	cat, err := i18n.New(cfg.Language)
	if err != nil {
		return nil, err
	}
	u := &UI{db: cfg.Intake.DB(), svc: cfg.Intake, wf: cfg.Waterfall, rep: cfg.Reports, cat: cat, log: cfg.Log, now: cfg.Now,
		ip: cfg.ClientIP, scheme: cfg.Scheme, importDir: cfg.ImportDir, importLimits: cfg.ImportLimits}
	if u.importDir == "" {
		u.importDir = filepath.Join(os.TempDir(), "pista-imports")
	}
	if u.now == nil {
		u.now = time.Now
	}
	if u.log == nil {
		u.log = slog.Default()
	}
	u.imports = &importer.Jobs{Intake: u.svc, Now: u.now, Log: u.log}
	if u.ip == nil {
		u.ip = func(r *http.Request) string { return r.RemoteAddr }
	}
	if u.scheme == nil {
		u.scheme = func(r *http.Request) string {
			if r.TLS != nil {
				return "https"
			}
			return "http"
		}
	}
	u.auth = access.NewAuth(u.db, u.now)
	if u.assets, err = newAssets(); err != nil {
		return nil, err
	}
	if u.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	return u, nil
}

// Auth is the sign-in service (the API's user changes end sessions
// through it).
func (u *UI) Auth() *access.Auth { return u.auth }

// Catalog is the message catalog.
func (u *UI) Catalog() *i18n.Catalog { return u.cat }

// parseTemplates parses the layout with each page, once at start.
func parseTemplates() (map[string]*template.Template, error) {
	layout, err := template.New("layout").Funcs(templateFuncs()).ParseFS(templateFS, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, name := range names {
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("ui: %s: %w", name, err)
		}
		page := name[len("templates/pages/") : len(name)-len(".html")]
		out[page] = t
	}
	return out, nil
}

// funcs are the few helpers templates need beyond the views' methods.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		// dict passes several values to a shared template: dict "B" . "Rows" .Mine.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}
