package report

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/store"
)

// Reports answers the report API over a store. It keeps report_leads
// current: Refresh reads the timeline entries written since the last
// refresh and recomputes the rows of their leads.
type Reports struct {
	db *store.DB
	// def returns the active definition (its calendars), or nil.
	def func() *definition.Definition
	mu  sync.Mutex // one refresh at a time in this process
	// rowByRow reads report_leads row by row instead of report_segments
	// (the tests' check that the two agree).
	rowByRow bool
	// noRollups reads whole days from their segments even where they
	// have rollups (the tests' check that the two agree).
	noRollups bool
	// packed: the segments were checked once in this process (they are
	// packed from report_leads after an upgrade that changed them);
	// repacking: that packing is not finished (store.RepackReportSegments).
	packed, repacking bool
	// steps and stepSize: how Run catches up (backgroundSteps of
	// backgroundBatch; the tests take smaller ones), and turnDone, when
	// set, is called each time Run gives the refresh lock back (tests).
	steps    int
	stepSize int64
	turnDone func()
}

// New returns the reports of a store; def gives the active definition.
func New(db *store.DB, def func() *definition.Definition) *Reports {
	return &Reports{db: db, def: def, steps: backgroundSteps, stepSize: backgroundBatch}
}

// refreshBatch bounds the timeline entries read per refresh step.
const refreshBatch = 20_000

// backgroundBatch is Run's step: each step is one write transaction, which
// on SQLite intake's commits wait for, so the background refresh takes
// small ones and lets intake in between them (store.DB.InTx gives way to
// it). A step of 20,000 entries held the write lock 1.2 s on a loaded
// 2-core machine while single requests waited behind it.
const backgroundBatch = 2_000

// backgroundSteps is how many backgroundBatch steps Run takes in one turn
// of the refresh lock, which report requests take too: a request waits
// for one turn (about half a second on 2 cores), not for Run's whole
// catch-up (35 s after a million-row import).
const backgroundSteps = 10

// pgOverlap is how many timeline IDs below the watermark PostgreSQL reads
// again: its IDs are handed out before commit, so a transaction can commit
// an entry below one already seen. SQLite writes one transaction at a time
// and needs none.
const pgOverlap = 2_000

// Refresh brings report_leads up to date with the timeline.
func (r *Reports) Refresh(ctx context.Context) error { return r.refreshBy(ctx, 0, refreshBatch) }

// requestRefresh is the refresh a report request does before it answers:
// one turn, as Run takes (backgroundSteps of backgroundBatch entries).
// After a large import the request answers from the rows made so far
// instead of waiting for them all; Run catches up in the background. Five
// steps of 20,000 entries, as before, kept a request 5 s on 2 cores while
// Run was catching up after a 200,000-row import, and held intake's write
// lock a second at a time.
func (r *Reports) requestRefresh(ctx context.Context) error {
	return r.refreshBy(ctx, backgroundSteps, backgroundBatch)
}

// requestRepackChunks bounds how many ranges of lead IDs a report
// request, or one of Run's turns (catchUp), packs while the segments are
// packed again after an upgrade (store.RepackReportSegments).
const requestRepackChunks = 2

// rollupBatch is how many days rollUp asks for at a time, and
// rollupBatches how many times per call: other servers writing meanwhile
// (PostgreSQL) cannot keep one call going; what is left waits for the
// next, and reports read those days from their segments meanwhile.
const (
	rollupBatch   = 256
	rollupBatches = 16
)

// rollUp sums every day before today (UTC) whose rollups are missing (its
// segments changed since, or the organisation's time zone did) from its
// segments, outside the write transaction, and saves each day's sums in a
// short one if the day did not change meanwhile. Only the whole refreshes
// (Refresh, Run) do it: a report request reads the days without rollups,
// today among them, from their segments.
func (r *Reports) rollUp(ctx context.Context) error {
	loc, err := r.Location(ctx)
	if err != nil {
		return err
	}
	tz := loc.String()
	today := store.DayOf(time.Now())
	for range rollupBatches {
		days, err := r.db.ReportRollupsMissing(ctx, tz, today, rollupBatch)
		if err != nil || len(days) == 0 {
			return err
		}
		saved := 0
		for _, d := range days {
			ok, err := r.db.SaveReportRollups(ctx, d, tz, func(rows []*store.ReportLead) (map[string][]byte, error) {
				return sumDay(d.Kind, d.Day, loc, rows), nil
			})
			if err != nil {
				return err
			}
			if ok {
				saved++
			}
		}
		if saved == 0 {
			return nil // every day changed meanwhile: the next refresh
		}
	}
	return nil
}

// refreshBy is refresh with steps of size timeline entries.
func (r *Reports) refreshBy(ctx context.Context, batches int, size int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.refreshRows(ctx, batches, size); err != nil || batches != 0 {
		return err
	}
	return r.rollUp(ctx)
}

// catchUp is Run's refresh: what Refresh does, in turns of r.steps steps
// that each take the refresh lock and give it back, so that a report
// request waits for one turn. The rollups are summed after the last turn,
// without the lock: a request does not read them being made, and
// SaveReportRollups keeps only sums of days that did not change meanwhile.
func (r *Reports) catchUp(ctx context.Context) error {
	for {
		r.mu.Lock()
		more, err := r.refreshRows(ctx, r.steps, r.stepSize)
		r.mu.Unlock()
		if r.turnDone != nil {
			r.turnDone()
		}
		if err != nil {
			return err
		}
		if !more {
			return r.rollUp(ctx)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// refreshRows brings the report rows and segments up to date, in at most
// batches steps (0: all). more says it stopped at that bound with some
// left to do.
func (r *Reports) refreshRows(ctx context.Context, batches int, size int64) (more bool, err error) {
	if !r.packed {
		repacking, err := r.db.RebuildReportSegmentsIfEmpty(ctx)
		if err != nil {
			return false, err
		}
		r.packed, r.repacking = true, repacking
	}
	if r.repacking {
		// A report request that gets here first packs a few ranges and
		// answers from what is packed; the background refresh packs the
		// rest (and a request waits for it, as for its catch-up).
		chunks := 0
		if batches != 0 {
			chunks = requestRepackChunks
		}
		done, err := r.db.RepackReportSegments(ctx, chunks)
		if err != nil {
			return false, err
		}
		r.repacking = !done
	}
	hi, err := r.db.TimelineHigh(ctx)
	if err != nil {
		return false, err
	}
	wm, err := r.db.ReportWatermark(ctx)
	if err != nil {
		return false, err
	}
	if wm >= hi {
		more, err := r.refreshDirty(ctx, nil, batches, size)
		return more || r.repacking, err
	}
	cal, err := r.calendars(ctx)
	if err != nil {
		return false, err
	}
	from := wm
	if r.db.Dialect() == store.Postgres {
		from = max(0, wm-pgOverlap)
	}
	for step := 0; from < hi && (batches == 0 || step < batches); step++ {
		upTo := min(hi, from+size)
		ids, err := r.db.LeadsWithTimelineBetween(ctx, from, upTo)
		if err != nil {
			return false, err
		}
		if err := r.rebuild(ctx, ids, cal, upTo, nil); err != nil {
			return false, err
		}
		from = upTo
	}
	if from < hi {
		return true, nil
	}
	more, err = r.refreshDirty(ctx, cal, batches, size)
	return more || r.repacking, err
}

// refreshDirty rebuilds the rows of the leads whose lead-side dimensions
// changed without a timeline entry (report_dirty), in at most batches
// steps (0: all); more says the last step found some.
func (r *Reports) refreshDirty(ctx context.Context, cal func(string) *calendar.Calendar, batches int, size int64) (more bool, err error) {
	for step := 0; batches == 0 || step < batches; step++ {
		entries, ids, err := r.db.ReportDirty(ctx, int(size))
		if err != nil || len(entries) == 0 {
			return false, err
		}
		if cal == nil {
			if cal, err = r.calendars(ctx); err != nil {
				return false, err
			}
		}
		if err := r.rebuild(ctx, ids, cal, 0, entries); err != nil {
			return false, err
		}
	}
	return true, nil
}

// rebuild recomputes the report rows of some leads from their histories;
// the rows of leads merged away or deleted go.
func (r *Reports) rebuild(ctx context.Context, ids []int64, cal func(string) *calendar.Calendar, upTo int64, dirty []int64) error {
	srcs, err := r.db.ReportSources(ctx, ids)
	if err != nil {
		return err
	}
	rows := make([]*store.ReportLead, 0, len(srcs))
	found := map[int64]bool{}
	var gone []int64
	for _, s := range srcs {
		found[s.LeadID] = true
		if s.MergedInto != 0 {
			gone = append(gone, s.LeadID)
			continue
		}
		rows = append(rows, Fact(s, cal))
	}
	for _, id := range ids {
		if !found[id] {
			gone = append(gone, id)
		}
	}
	return r.db.SaveReportLeads(ctx, rows, gone, upTo, dirty)
}

// calendars returns the business calendar of each team: the team's own
// when set, else the active definition's for the team.
func (r *Reports) calendars(ctx context.Context) (func(team string) *calendar.Calendar, error) {
	teams, err := r.db.Teams(ctx)
	if err != nil {
		return nil, err
	}
	own := map[string]*calendar.Calendar{}
	for _, t := range teams {
		if len(t.Calendar) == 0 {
			continue
		}
		var cfg calendar.Config
		if json.Unmarshal(t.Calendar, &cfg) != nil {
			continue // checked when the team was saved
		}
		if c, err := calendar.New(cfg); err == nil {
			own[t.Name] = c
		}
	}
	def := r.def()
	return func(team string) *calendar.Calendar {
		if c, ok := own[team]; ok {
			return c
		}
		if def != nil {
			return def.CalendarFor(team, nil)
		}
		return nil
	}, nil
}

// refreshEvery is how often Run refreshes: a report then finds little left
// to read, even after a large import.
const refreshEvery = 30 * time.Second

// Run refreshes report_leads until ctx ends, logging failures (a report
// refreshes itself anyway before it answers).
func (r *Reports) Run(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(refreshEvery)
	defer t.Stop()
	for {
		if err := r.catchUp(ctx); err != nil && ctx.Err() == nil {
			log.Error("report refresh", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
