// Package web is Pista's HTTP interface: the JSON API under /api/v1, web
// forms under /f/, health and metrics. Handlers decode and check input,
// call intake and store, and map errors to RFC 9457 problem JSON.
package web

import (
	"context"
	"errors"
	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/ui"
	"log/slog"
	"net/http"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/metrics"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
	"github.com/pistahq/pista/internal/webform"
)

// Form submissions from one address beyond which they are refused (429)
// rather than stored: FormFloodBurst at once, then FormFloodPerMinute.
const (
	FormFloodBurst     = 30
	FormFloodPerMinute = 60
)

// Server holds what the handlers need.
type Server struct {
	svc     *intake.Service
	wf      *waterfall.Service
	reports *report.Reports
	db      *store.DB
	log     *slog.Logger
	now     func() time.Time
	formKey []byte
	limiter *webform.Limiter // form submissions per address beyond which they are flagged
	// formFlood: form submissions per address beyond which they are
	// refused with 429 and not stored.
	formFlood *webform.Limiter
	cat       *i18n.Catalog  // the hosted forms' texts
	proxies   []netip.Prefix // Config.TrustedProxies
	metrics   *metrics.Metrics
	// metricsElsewhere: /metrics is served on its own address, not here.
	metricsElsewhere bool

	dbName       string          // Config.DBName
	tempDir      string          // uploads and the files reading them makes
	importLimits importer.Limits // Config.ImportLimits
	imports      *importer.Jobs
	ui           *ui.UI
	uiErr        error

	limits *limits // the API's rate limits

	// Background work (uploaded imports) stops when the server closes.
	bg       sync.WaitGroup
	bgCtx    context.Context
	bgCancel context.CancelFunc
}

// Config holds what New needs.
type Config struct {
	Service *intake.Service
	// Waterfall runs sales' acts on leads; nil means a new one on Service
	// (whose timers then need Run, as pista serve does).
	Waterfall *waterfall.Service
	Log       *slog.Logger
	Now       func() time.Time
	// FormKey signs the render time in web forms (spam defence).
	FormKey []byte
	// TrustedProxies are the addresses of reverse proxies in front of the
	// server. A request from one of them counts as from the address it
	// forwarded (X-Forwarded-For), for the web forms' limit per address,
	// and with the scheme it forwarded (X-Forwarded-Proto). Without them,
	// every submission through a proxy would share its address and limit.
	TrustedProxies []netip.Prefix
	// Language is the web app's language when neither the user nor the
	// browser names one Pista speaks: es (the default), pt or en.
	Language string
	// Metrics records requests and other figures; nil records nothing.
	Metrics *metrics.Metrics
	// MetricsElsewhere keeps /metrics off this handler, for a server that
	// serves it on a separate, private address.
	MetricsElsewhere bool
	// DataDir is the server's data directory: uploaded imports and the
	// temporary files reading them needs go under DataDir/tmp, never the
	// system's temporary folder. "" means the working directory.
	DataDir string
	// ImportLimits bound what reading one uploaded spreadsheet may cost;
	// zero fields take importer.DefaultLimits.
	ImportLimits importer.Limits
	// DBName names the database in the log (a SQLite file's path), so that
	// an unknown token's warning says which database was asked; clients are
	// told only "this database".
	DBName string
	// TokenRate is the requests a second one API token may make (twice
	// that at once); 0 means DefaultTokenRate and a negative rate none.
	TokenRate int
}

// New returns the server's handler.
func New(cfg Config) *Server {
	s := &Server{svc: cfg.Service, db: cfg.Service.DB(), log: cfg.Log, now: cfg.Now, formKey: cfg.FormKey, proxies: cfg.TrustedProxies,
		metrics: cfg.Metrics, metricsElsewhere: cfg.MetricsElsewhere,
		limits: newLimits(cfg.TokenRate), limiter: webform.NewLimiter(10, 5, 100_000),
		formFlood: webform.NewLimiter(FormFloodPerMinute, FormFloodBurst, 100_000),
		tempDir:   filepath.Join(cfg.DataDir, "tmp"), importLimits: cfg.ImportLimits, dbName: cfg.DBName}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if s.cat, err = i18n.New(cfg.Language); err != nil {
		s.cat, _ = i18n.New("") // the bad language is reported by UIError; the embedded catalog loads (tested)
	}
	s.wf = cfg.Waterfall
	if s.wf == nil {
		s.wf = waterfall.New(waterfall.Config{Intake: cfg.Service, Now: s.now, Log: cfg.Log})
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.imports = &importer.Jobs{Intake: s.svc, Now: s.now, Log: s.log}
	s.reports = report.New(s.db, func() *definition.Definition {
		if a := s.svc.Active(); a != nil {
			return a.Def
		}
		return nil
	})
	s.bgCtx, s.bgCancel = context.WithCancel(context.Background())
	s.bg.Add(1)
	go s.sweepImports()
	s.ui, s.uiErr = ui.New(ui.Config{Intake: cfg.Service, Waterfall: s.wf, Reports: s.reports, Log: s.log, Now: s.now, Language: cfg.Language,
		ImportDir: s.tempDir, ImportLimits: s.importLimits,
		ClientIP: s.clientIP, Scheme: s.scheme})
	return s
}

// Reports answers the report API (the web pages use it too).
func (s *Server) Reports() *report.Reports { return s.reports }

// UIError is why the web app could not start (a bad default language);
// the API works without it.
func (s *Server) UIError() error { return s.uiErr }

// UI is the web app (nil if it could not start).
func (s *Server) UI() *ui.UI { return s.ui }

// Waterfall is the service that runs sales' acts and the waterfall's
// timers.
func (s *Server) Waterfall() *waterfall.Service { return s.wf }

// Close stops background imports (they are marked interrupted, their
// uploads kept for a resume: rows already stored are not stored twice)
// and waits for them.
func (s *Server) Close() {
	s.bgCancel()
	s.bg.Wait()
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := func(pattern string, perm access.Permission, limit int64, h func(w http.ResponseWriter, r *http.Request, tok *store.Token) error) {
		mux.Handle(pattern, s.apiHandler(perm, limit, h))
	}
	// The routes whose requests the intake writer stores, checking their
	// token in the same transaction (see authenticate).
	storing := func(pattern string, perm access.Permission, limit int64, h func(w http.ResponseWriter, r *http.Request, tok *store.Token) error) {
		mux.Handle(pattern, s.storingHandler(perm, limit, h))
	}
	storing("POST /api/v1/inquiries", access.Send, 1<<20, s.postInquiry)
	storing("POST /api/v1/inquiries/batch", access.Send, 16<<20, s.postInquiryBatch)
	api("POST /api/v1/events", access.Send, 16<<20, s.postEvents)
	api("GET /api/v1/leads", access.Read, 0, s.listLeads)
	api("GET /api/v1/leads/{id}", access.Read, 0, s.getLead)
	api("GET /api/v1/leads/{id}/explanation", access.Read, 0, s.leadExplanation)
	api("POST /api/v1/leads/{id}/qualification", access.Qualify, 64<<10, s.postQualification)
	api("POST /api/v1/merges/{id}/undo", access.Undo, 1<<10, s.keyed(s.undoMerge))
	api("GET /api/v1/definitions", access.Read, 0, s.listDefinitions)
	api("POST /api/v1/definitions", access.Define, 2<<20, s.keyed(s.postDefinition))
	api("GET /api/v1/definitions/{id}", access.Read, 0, s.getDefinition)
	api("GET /api/v1/definitions/{id}/coverage", access.Read, 0, s.definitionCoverage)
	api("POST /api/v1/definitions/{id}/activate", access.Define, 1<<10, s.keyed(s.activateDefinition))
	api("POST /api/v1/imports", access.Define, 512<<20, s.postImport)
	api("POST /api/v1/lab/backtest", access.Define, 512<<20, s.postBacktest)
	api("POST /api/v1/outcomes", access.Define, 512<<20, s.postOutcomes)
	api("GET /api/v1/imports/{id}", access.Read, 0, s.getImport)
	api("POST /api/v1/imports/{id}/resume", access.Define, 1<<10, s.keyed(s.resumeImport))
	api("GET /api/v1/forms", access.Define, 0, s.listForms)
	api("PUT /api/v1/forms/{name}", access.Define, 64<<10, s.putForm)
	api("GET /api/v1/forms/{name}", access.Read, 0, s.getForm)
	api("POST /api/v1/webhooks", access.Webhooks, 64<<10, s.keyed(s.postWebhook))
	api("GET /api/v1/webhooks", access.Webhooks, 0, s.listWebhooks)
	api("GET /api/v1/webhooks/{id}", access.Webhooks, 0, s.getWebhook)
	api("PATCH /api/v1/webhooks/{id}", access.Webhooks, 64<<10, s.patchWebhook)
	api("DELETE /api/v1/webhooks/{id}", access.Webhooks, 0, s.deleteWebhook)
	api("GET /api/v1/webhooks/{id}/deliveries", access.Webhooks, 0, s.listDeliveries)
	api("POST /api/v1/webhooks/{id}/deliveries/{delivery}/redeliver", access.Webhooks, 1<<10, s.keyed(s.redeliver))
	api("POST /api/v1/users", access.ManagePeople, 64<<10, s.keyed(s.postUser))
	api("GET /api/v1/users", access.Read, 0, s.listUsers)
	api("GET /api/v1/users/{id}", access.Read, 0, s.getUser)
	api("PATCH /api/v1/users/{id}", access.ManagePeople, 64<<10, s.patchUser)
	api("GET /api/v1/me", access.Read, 0, s.getMe)
	api("PUT /api/v1/teams/{name}", access.ManagePeople, 1<<20, s.putTeam)
	api("GET /api/v1/teams", access.Read, 0, s.listTeams)
	api("GET /api/v1/teams/{name}", access.Read, 0, s.getTeam)
	api("POST /api/v1/leads/{id}/accept", access.Qualify, 16<<10, s.keyed(s.acceptLead))
	api("POST /api/v1/leads/{id}/reject", access.Qualify, 16<<10, s.keyed(s.rejectLead))
	api("POST /api/v1/leads/{id}/touches", access.Qualify, 16<<10, s.keyed(s.touchLead))
	api("POST /api/v1/leads/{id}/opportunity", access.Qualify, 16<<10, s.keyed(s.opportunityLead))
	api("POST /api/v1/leads/{id}/won", access.Qualify, 16<<10, s.keyed(s.wonLead))
	api("POST /api/v1/leads/{id}/lost", access.Qualify, 16<<10, s.keyed(s.lostLead))
	api("POST /api/v1/leads/{id}/assign", access.Qualify, 16<<10, s.keyed(s.assignLead))
	api("POST /api/v1/leads/{id}/pause", access.Qualify, 16<<10, s.keyed(s.pauseLead))
	api("POST /api/v1/leads/{id}/resume", access.Qualify, 16<<10, s.keyed(s.resumeLead))
	api("POST /api/v1/leads/{id}/take", access.Qualify, 16<<10, s.keyed(s.takeLead))
	api("GET /api/v1/reports/sla", access.Report, 0, s.slaReport)
	api("GET /api/v1/reports/rejections", access.Report, 0, s.rejectionReport)
	api("GET /api/v1/reports/funnel", access.Report, 0, s.funnelReport)
	api("GET /api/v1/reports/follow-up", access.Report, 0, s.followUpReport)
	api("GET /api/v1/reports/bands", access.Report, 0, s.bandsReport)
	api("GET /api/v1/reports/campaigns", access.Report, 0, s.campaignReport)
	api("GET /api/v1/campaigns/costs", access.Read, 0, s.listCampaignCosts)
	api("PUT /api/v1/campaigns/{campaign}/costs/{month}", access.Define, 16<<10, s.putCampaignCost)
	api("DELETE /api/v1/campaigns/{campaign}/costs/{month}", access.Define, 0, s.deleteCampaignCost)
	api("GET /api/v1/settings", access.Read, 0, s.getSettings)
	api("PUT /api/v1/settings", access.Configure, 16<<10, s.putSettings)
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	mux.HandleFunc("GET /f/{name}", s.hostedForm)
	mux.HandleFunc("GET /f/{name}/thanks", s.hostedThanks)
	mux.HandleFunc("POST /f/{name}", s.postForm)
	mux.HandleFunc("GET /f/{name}/stamp", s.formStamp)
	mux.HandleFunc("GET /f/{name}/snippet", s.formSnippet)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if s.metrics != nil && !s.metricsElsewhere {
		mux.Handle("GET /metrics", s.metrics.Handler())
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte("Pista is running. API: /api/v1 (see /api/v1/openapi.json). Health: /healthz, /readyz.\n"))
			return
		}
		// A known path asked with another method is 405, with the methods
		// it takes, as ServeMux would answer without this catch-all.
		var allowed []string
		for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "" {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeProblem(w, r, problem.New(problem.MethodNotAllowed, "%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allowed, " or ")))
			return
		}
		writeProblem(w, r, problem.New(problem.NotFound, "no such page: %s %s", r.Method, r.URL.Path))
	})
	if s.ui != nil {
		s.ui.Register(mux)
	}
	return s.observe(SecurityHeaders(s.recoverer(refuseBadURL(mux))))
}

// refuseBadURL answers 422 for a path or query with text the databases
// cannot store (a NUL, bytes that are not UTF-8) instead of letting a
// handler look it up: PostgreSQL would fail the query with a 500.
func refuseBadURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkURLText(r); err != nil {
			writeProblem(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a logged 500 instead of a dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v)
				writeProblem(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// authenticate finds the request's token. It is looked up in the
// database on every request, so a revoked token, or the token of a user
// just deactivated, is refused at once by every instance sharing the
// database (one indexed read). On the routes that store what they are
// sent (storing), a token that worked lately is taken as found then
// (cachedHash is its hash): the transaction that stores the request
// checks it still works, and refuses the request if not
// (intake.ErrTokenRevoked); a request refused before it reaches that
// transaction checks the token with confirmToken before the answer. An
// address that sent many tokens that are not valid is slowed down (429)
// before any lookup, except with a token that worked before; a valid
// token over its rate gets 429 too.
func (s *Server) authenticate(ctx context.Context, r *http.Request, storing bool) (tok *store.Token, cachedHash string, err error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" { // the scheme is case-insensitive (RFC 9110)
		return nil, "", problem.New(problem.Unauthorized, "send an API token as `Authorization: Bearer <token>` (create one with `pista token create`)")
	}
	hash := access.HashToken(strings.TrimSpace(token))
	now := s.now()
	ip := s.clientIP(r)
	if storing {
		tok = s.limits.cached(hash)
	}
	if tok != nil {
		cachedHash = hash
	} else {
		if wait := s.limits.badAuth.Wait(ip, now); wait > 0 && !s.limits.isKnown(hash) {
			return nil, "", tooMany(wait, "too many requests with API tokens that are not valid from this address")
		}
		if tok, err = s.lookUpToken(ctx, r, hash); err != nil {
			return nil, "", err
		}
	}
	if s.limits.perToken != nil {
		if ok, wait := s.limits.perToken.Take("token:"+strconv.FormatInt(tok.ID, 10), now); !ok {
			return nil, cachedHash, tooMany(wait, "token %q is over its rate limit of %d requests a second", tok.Name, s.limits.rate)
		}
	}
	return tok, cachedHash, nil
}

// lookUpToken reads the token with the hash, and remembers it.
func (s *Server) lookUpToken(ctx context.Context, r *http.Request, hash string) (*store.Token, error) {
	tok, err := s.db.TokenByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		s.limits.forget(hash)
		s.limits.badAuth.Allow(s.clientIP(r), s.now())
		// The commonest cause is a token created with another --db (pista
		// token create run in another folder makes a new database there).
		s.log.Warn("API token not found in this database", "db", s.dbName, "path", r.URL.Path)
		return nil, problem.New(problem.Unauthorized, "token not found in this database: it was revoked, or created for another database (pista token create --db)")
	}
	if err != nil {
		return nil, err
	}
	s.limits.remember(hash, tok)
	return tok, nil
}

// cachedTokenKey marks, in a request's context, a token taken from the
// cache (authenticate): its hash.
type cachedTokenKey struct{}

// confirmToken reads again a token authenticate took from the cache, for
// an answer the transaction that checks it did not give: a request
// refused before it was stored, or a batch whose inquiries were all
// refused. It returns the 401 if the token no longer works, else nil.
func (s *Server) confirmToken(r *http.Request) error {
	hash, ok := r.Context().Value(cachedTokenKey{}).(string)
	if !ok {
		return nil
	}
	_, err := s.lookUpToken(r.Context(), r, hash)
	return err
}

func (s *Server) apiHandler(perm access.Permission, limit int64, h func(http.ResponseWriter, *http.Request, *store.Token) error) http.Handler {
	return s.tokenHandler(perm, limit, false, h)
}

// storingHandler is apiHandler for a route whose requests the intake
// writer stores, checking their token as it does (see authenticate).
func (s *Server) storingHandler(perm access.Permission, limit int64, h func(http.ResponseWriter, *http.Request, *store.Token) error) http.Handler {
	return s.tokenHandler(perm, limit, true, h)
}

func (s *Server) tokenHandler(perm access.Permission, limit int64, storing bool, h func(http.ResponseWriter, *http.Request, *store.Token) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, cachedHash, err := s.authenticate(r.Context(), r, storing)
		if cachedHash != "" {
			r = r.WithContext(context.WithValue(r.Context(), cachedTokenKey{}, cachedHash))
		}
		if err == nil && !access.Allows(tok.Role, perm) {
			err = problem.Coded(problem.Forbidden, "role_forbidden", []any{tok.Role}, "role %q may not do this; it needs one of: %s", tok.Role, access.RolesWith(perm))
		}
		if err == nil {
			if limit > 0 {
				r.Body = http.MaxBytesReader(w, r.Body, limit)
			}
			err = h(w, r, tok)
		}
		switch pe, _ := problem.As(err); {
		case cachedHash == "" || err == nil:
		case errors.Is(err, intake.ErrTokenRevoked):
			// The transaction that stores the request found the token
			// revoked: the next request reads it.
			s.limits.forget(cachedHash)
		case pe == nil || pe.Kind != problem.Unauthorized:
			// Refused before the transaction that checks the token: the
			// answer is the token's, if it stopped working.
			if cerr := s.confirmToken(r); cerr != nil {
				err = cerr
			}
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if _, ok := problem.As(err); !ok && !errors.As(err, &mbe) {
				s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			}
			writeProblem(w, r, err)
		}
	})
}
