// Package intake accepts inquiries, events and qualifications: it cleans
// them (e-mail and phone normalisation, quality facts), de-duplicates them
// against known leads, evaluates them with the active definition and stores
// everything in one transaction, acknowledging only after the commit.
package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/metrics"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/vocab"
)

// Active is the definition in force and its evaluator.
type Active struct {
	ID        int64
	Def       *definition.Definition
	Evaluator *engine.Evaluator
}

// Service is the intake of one server process.
type Service struct {
	db     *store.DB
	now    func() time.Time
	log    *slog.Logger
	writer *writer
	// metrics: see Config.Metrics.
	metrics *metrics.Metrics

	mu     sync.RWMutex
	active *Active

	// cpu admits the request side of intake (cleaning, evaluating and
	// encoding inquiries) one processor short of all of them at a time, so
	// that the single writer every inquiry waits for finds a processor free
	// instead of queueing behind dozens of request goroutines. Nil with one
	// processor.
	cpu chan struct{}

	// builtin holds the built-in vocabularies, for inquiries that
	// arrive while no definition is active.
	builtin *vocab.Table

	reevalMu sync.Mutex     // one re-evaluation at a time per process
	bg       sync.WaitGroup // background re-evaluations, waited for by Close
	closed   sync.Once
}

// Config holds what New needs.
type Config struct {
	DB  *store.DB
	Now func() time.Time // nil means time.Now
	Log *slog.Logger
	// MaxBatch bounds group commit: how many writes share one transaction.
	MaxBatch int
	// Writers is how many group-commit transactions run at once on
	// PostgreSQL (0: defaultPGWriters); SQLite has one.
	Writers int
	// Bulk says the service loads rows a thousand at a time (pista
	// import), for defaultPGWriters.
	Bulk bool
	// Metrics records inquiries by outcome and group commits; nil records
	// nothing.
	Metrics *metrics.Metrics
}

// defaultPGWriters is how many group-commit transactions run at once on
// PostgreSQL unless told (Config.Writers): 4, so that groups are built
// while others wait for the database. On a machine of at most 2
// processors, where the database shares them, 1 for a server: a group's
// statements cost PostgreSQL about as much for one request as for ten, and
// 1 writer took as many single requests and batches as 2, with a third
// less of PostgreSQL's processor time and a lower p99 at half load (2 had
// beaten 4 there before). But 2 for an import (bulk), whose groups of a
// thousand rows one writer builds while the other's statements run: 1
// made pista import a fifth slower (docs/PERFORMANCE.md).
func defaultPGWriters(procs int, bulk bool) int {
	switch {
	case procs > 2:
		return 4
	case bulk:
		return 2
	}
	return 1
}

// New starts the service; Close stops it.
func New(ctx context.Context, cfg Config) (*Service, error) {
	s := &Service{db: cfg.DB, now: cfg.Now, log: cfg.Log, metrics: cfg.Metrics, builtin: vocab.Compile(nil, nil)}
	if n := runtime.GOMAXPROCS(0) - 1; n > 0 {
		s.cpu = make(chan struct{}, n)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if err := s.loadActive(ctx); err != nil {
		return nil, err
	}
	writers := 1
	if cfg.DB.Dialect() == store.Postgres {
		writers = cfg.Writers
		if writers <= 0 {
			writers = defaultPGWriters(runtime.GOMAXPROCS(0), cfg.Bulk)
		}
	}
	s.writer = newWriter(cfg.DB, max(cfg.MaxBatch, 1), writers, s.writeSubmissions, s.writeEachAlone, s.beforeGroup)
	s.writer.metrics = cfg.Metrics
	return s, nil
}

// Close waits for background re-evaluations, then stops the group-commit
// writer after pending writes finish. Calling it again does nothing.
func (s *Service) Close() {
	s.closed.Do(func() {
		s.bg.Wait()
		s.writer.close()
	})
}

// QueueDepth is how many writes wait for the next group commit.
func (s *Service) QueueDepth() int { return len(s.writer.jobs) }

// vocabulary returns the table that maps an inquiry's values: the active
// definition's, or the built-in one.
func (s *Service) vocabulary(a *Active) *vocab.Table {
	if a != nil && a.Def.Vocab != nil {
		return a.Def.Vocab
	}
	return s.builtin
}

// DB is the service's database.
func (s *Service) DB() *store.DB { return s.db }

// Active returns the definition in force, or nil if none.
func (s *Service) Active() *Active {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.active
}

func (s *Service) loadActive(ctx context.Context) error {
	d, err := s.db.ActiveDefinition(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	def, err := definition.Parse(fmt.Sprintf("definition-%d.yaml", d.ID), []byte(d.Source))
	if err != nil {
		return fmt.Errorf("stored definition %d no longer compiles: %w", d.ID, err)
	}
	s.setActive(&Active{ID: d.ID, Def: def, Evaluator: engine.New(def)})
	return nil
}

// Preview makes def the definition in force in this process only: it is
// neither stored nor activated, so a dry run that evaluates with it leaves
// the database as it was. The Active's ID is 0.
func (s *Service) Preview(def *definition.Definition) {
	s.setActive(&Active{Def: def, Evaluator: engine.New(def)})
}

func (s *Service) setActive(a *Active) {
	s.mu.Lock()
	s.active = a
	s.mu.Unlock()
}

// RefreshActive reloads the active definition if another server changed
// it (PostgreSQL deployments poll this).
func (s *Service) RefreshActive(ctx context.Context) error {
	d, err := s.db.ActiveDefinition(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if a := s.Active(); a != nil && a.ID == d.ID {
		return nil
	}
	return s.loadActive(ctx)
}

// evaluate runs the active definition on a stored lead.
func (s *Service) evaluate(a *Active, l *store.Lead, events []lead.Event, now time.Time) {
	if a == nil {
		return
	}
	res := a.Evaluator.Evaluate(&l.Data, events, l.Qualification, now)
	l.Eval, l.DefinitionID, l.Encoded = &res, a.ID, nil
}

// reevaluate evaluates a stored lead again and saves it.
func (s *Service) reevaluate(ctx context.Context, tx *store.Tx, a *Active, l *store.Lead, events []lead.Event, now time.Time) error {
	prev := flowOf(l)
	s.evaluate(a, l, events, now)
	if err := tx.UpdateLead(ctx, l); err != nil {
		return err
	}
	return afterEvaluation(ctx, tx, l, prev, now)
}

// ReevaluateLead evaluates a lead locked in tx again, with all its events,
// and saves it (the waterfall calls it when a nurtured lead comes back).
func (s *Service) ReevaluateLead(ctx context.Context, tx *store.Tx, l *store.Lead, now time.Time) error {
	events, err := tx.LeadEvents(ctx, l.ID)
	if err != nil {
		return err
	}
	l.UpdatedAt = now
	return s.reevaluate(ctx, tx, s.Active(), l, events, now)
}
