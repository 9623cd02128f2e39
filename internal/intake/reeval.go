package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/jsonpack"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
)

// Run does the background work until ctx ends: re-evaluating leads whose
// events changed (every half second, so that a lead receiving a stream of
// events is evaluated twice a second, not after every batch), and picking
// up a definition activated by another server.
func (s *Service) Run(ctx context.Context) {
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	refresh := time.NewTicker(RefreshInterval)
	defer refresh.Stop()
	expire := time.NewTicker(time.Hour)
	defer expire.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-refresh.C:
			if err := s.RefreshActive(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("refresh definition", "err", err)
			}
		case <-expire.C:
			// Idempotency-Key answers are kept 24 hours.
			if _, err := s.db.ExpireIdempotent(ctx, s.now().Add(-IdempotencyWindow)); err != nil && ctx.Err() == nil {
				s.log.Error("expire idempotency keys", "err", err)
			}
		case <-tick.C:
		}
		if err := s.EvaluatePending(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("re-evaluate leads with new events", "err", err)
		}
	}
}

// EvaluatePending re-evaluates the leads flagged by new events. Leads and
// events are read and evaluated outside the group-commit writer, which
// only saves the results.
func (s *Service) EvaluatePending(ctx context.Context) error {
	if err := s.refreshIfStale(ctx); err != nil {
		return err
	}
	// A bounded number of pages per call: leads still receiving events are
	// skipped and picked up on the next tick instead of spinning.
	for range 50 {
		ids, err := s.db.LeadsNeedingEval(ctx, 200)
		if err != nil || len(ids) == 0 {
			return err
		}
		a := s.Active()
		if a == nil {
			return nil
		}
		rows, err := s.db.ReevalByID(ctx, ids)
		if err != nil {
			return err
		}
		pg := evaluate(a, rows, s.now())
		if pg.err != nil {
			return pg.err
		}
		if err := s.writer.do(ctx, func(ctx context.Context, tx *store.Tx) error { return savePage(ctx, tx, pg) }); err != nil {
			return err
		}
		if len(ids) < 200 {
			return nil
		}
	}
	return nil
}

// refreshIfStale takes up the active definition at once if this process
// stored leads with one no longer active (see store's flagStale): another
// server activated one since it last asked.
func (s *Service) refreshIfStale(ctx context.Context) error {
	n := s.db.TakeStale()
	if n == 0 {
		return nil
	}
	s.log.Info("leads stored with a definition no longer active, to evaluate again", "leads", n)
	return s.RefreshActive(ctx)
}

// Qualify records BANT answers given by a person and re-evaluates the lead
// at once. The answer is Updated, with the lead's new evaluation.
func (s *Service) Qualify(ctx context.Context, leadID int64, q lead.Qualification, idem *Idem) (Answer[*Qualified], error) {
	return s.QualifyAs(ctx, leadID, q, idem, nil)
}

// MayQualify checks, inside the transaction that records a qualification,
// that its author may work the lead (the waterfall's rule for sales' acts).
type MayQualify func(ctx context.Context, tx *store.Tx, leadID int64) error

// QualifyAs is Qualify with may asked first, with the lead locked: the API
// and the web app pass the waterfall's ownership check, so that a rep
// records BANT only on a lead they own, as they accept or touch it.
func (s *Service) QualifyAs(ctx context.Context, leadID int64, q lead.Qualification, idem *Idem, may MayQualify) (Answer[*Qualified], error) {
	now := s.now()
	if strings.TrimSpace(q.By) == "" {
		return Answer[*Qualified]{}, problem.Fields("a BANT qualification is recorded by a person", problem.Field{Name: "by", Reason: "missing: who qualified the lead (e-mail or user id)"})
	}
	if err := CheckQualification(&q, now); err != nil {
		return Answer[*Qualified]{}, err
	}
	ans := Answer[*Qualified]{Outcome: Updated}
	err := s.writer.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		ans.Replayed, ans.Result, ans.Encoded = false, nil, nil
		if done, err := replayInTx(ctx, tx, idem, &ans); done || err != nil {
			return err
		}
		l, err := tx.Lead(ctx, leadID)
		if errors.Is(err, store.ErrNotFound) {
			return problem.New(problem.NotFound, "lead %d does not exist", leadID)
		}
		if err != nil {
			return err
		}
		if l.MergedInto != 0 {
			return problem.New(problem.Conflict, "lead %d was merged into lead %d; qualify that one", leadID, l.MergedInto)
		}
		if may != nil {
			if err := may(ctx, tx, l.ID); err != nil {
				return err
			}
		}
		if err := tx.InsertQualification(ctx, l.ID, &q); err != nil {
			return err
		}
		l.Qualification, l.UpdatedAt = &q, now
		l.HumanStage = stage.AfterQualification(l.HumanStage)
		events, err := tx.LeadEvents(ctx, l.ID)
		if err != nil {
			return err
		}
		if err := s.reevaluate(ctx, tx, s.Active(), l, events, now); err != nil {
			return err
		}
		if err := tx.AddTimeline(ctx, l.ID, now, "qualification", q); err != nil {
			return err
		}
		qualified := map[string]any{"by": q.By, "role": q.Role, "stage": l.Stage()}
		if l.Eval != nil {
			qualified["bant"] = l.Eval.BANT
		}
		if err := tx.Emit(ctx, store.OutEvent{Type: "lead.qualified", LeadID: l.ID, At: now, Data: qualified}); err != nil {
			return err
		}
		ans.Result = &Qualified{Evaluation: l.Eval, LeadID: l.ID}
		if ans.Encoded, err = json.Marshal(ans.Result); err != nil {
			return err
		}
		return storeIdem(ctx, tx, idem, storedStatus(ans.Outcome), ans.Encoded, now)
	})
	if err != nil {
		return Answer[*Qualified]{}, err
	}
	return ans, nil
}

// CheckQualification fills a qualification's defaults (when: now; method:
// call) and checks its answers, naming the body's own fields.
func CheckQualification(q *lead.Qualification, now time.Time) error {
	if q.At.IsZero() {
		q.At = now
	}
	if q.Method == "" {
		q.Method = "call"
	}
	if err := lead.Validate(&lead.Lead{}, nil, q); err != nil {
		pe := fieldErrors(err).(*problem.Error)
		pe.Detail = "the qualification has invalid fields"
		for i := range pe.Fields {
			pe.Fields[i].Name = strings.TrimPrefix(pe.Fields[i].Name, "qualification.")
		}
		return pe
	}
	return nil
}

// DefinitionResult answers POST /definitions.
type DefinitionResult struct {
	Definition   *store.Definition   `json:"definition"`
	Reevaluation *store.Reevaluation `json:"reevaluation,omitempty"`
}

// AddDefinition validates and stores a definition version; with activate,
// it becomes the active one and every live lead is re-evaluated in the
// background while intake goes on.
func (s *Service) AddDefinition(ctx context.Context, name string, source []byte, activate bool) (*DefinitionResult, error) {
	return s.AddDefinitionAs(ctx, "", name, source, activate)
}

// AddDefinitionAs is AddDefinition recording who activates it (a user's
// e-mail or a token's name), shown with the version.
func (s *Service) AddDefinitionAs(ctx context.Context, by, name string, source []byte, activate bool) (*DefinitionResult, error) {
	def, err := definition.Parse(name, source)
	if err != nil {
		var list definition.Errors
		if errors.As(err, &list) {
			pe := &problem.Error{Kind: problem.Invalid, Detail: fmt.Sprintf("the definition has %d problem(s)", len(list))}
			for _, e := range list {
				pe.Fields = append(pe.Fields, problem.Field{Name: fmt.Sprintf("%s:%d", e.File, e.Line), Reason: strings.TrimPrefix(e.Error(), fmt.Sprintf("%s:%d: ", e.File, e.Line))})
			}
			return nil, pe
		}
		return nil, err
	}
	now := s.now()
	rec := &store.Definition{Name: def.Name, Version: def.Version, Hash: def.Hash, Source: string(source), CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertDefinition(ctx, rec); err != nil {
			return err
		}
		if activate {
			return tx.ActivateDefinition(ctx, rec.ID, now, by)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &DefinitionResult{Definition: rec}
	if activate {
		rec.ActivatedAt, rec.ActivatedBy, rec.Active = &now, by, true
		s.setActive(&Active{ID: rec.ID, Def: def, Evaluator: engine.New(def)})
		if out.Reevaluation, err = s.startReevaluation(ctx, rec.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ActivateDefinition makes a stored version active and re-evaluates.
func (s *Service) ActivateDefinition(ctx context.Context, id int64) (*DefinitionResult, error) {
	return s.ActivateDefinitionAs(ctx, "", id)
}

// ActivateDefinitionAs is ActivateDefinition recording who activates it.
func (s *Service) ActivateDefinitionAs(ctx context.Context, by string, id int64) (*DefinitionResult, error) {
	rec, err := s.db.DefinitionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem.New(problem.NotFound, "definition %d does not exist", id)
	}
	if err != nil {
		return nil, err
	}
	def, err := definition.Parse(fmt.Sprintf("definition-%d.yaml", id), []byte(rec.Source))
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := s.db.InTx(ctx, func(tx *store.Tx) error { return tx.ActivateDefinition(ctx, id, now, by) }); err != nil {
		return nil, err
	}
	rec.ActivatedAt, rec.ActivatedBy, rec.Active = &now, by, true
	s.setActive(&Active{ID: id, Def: def, Evaluator: engine.New(def)})
	r, err := s.startReevaluation(ctx, id)
	return &DefinitionResult{Definition: rec, Reevaluation: r}, err
}

func (s *Service) startReevaluation(ctx context.Context, defID int64) (*store.Reevaluation, error) {
	total, err := s.db.CountLiveLeads(ctx)
	if err != nil {
		return nil, err
	}
	r := &store.Reevaluation{DefinitionID: defID, Total: total, StartedAt: s.now()}
	if err := s.db.StartReevaluation(ctx, r); err != nil {
		return nil, err
	}
	// The highest ID bounds the work: a lead committed after the
	// activation was evaluated with the new definition, or is flagged as
	// it commits for evaluation again (see RefreshInterval). It is read
	// here, not in the background, where intake may have added leads
	// meanwhile; and after the write above, which on SQLite waits for the
	// group intake was writing.
	upTo, err := s.db.MaxLeadID(ctx)
	if err != nil {
		return nil, err
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		if err := s.Reevaluate(context.WithoutCancel(ctx), r, upTo); err != nil {
			s.log.Error("re-evaluation", "definition", defID, "err", err)
		}
	}()
	return r, nil
}

// RefreshInterval is how often a server asks the database whether another
// server activated a definition (Run). Meanwhile it may store leads
// evaluated with the definition before; the store flags those for
// evaluation again as they commit (see store's flagStale), and
// EvaluatePending evaluates them.
const RefreshInterval = 5 * time.Second

// IdempotencyWindow is how long a retry with the same Idempotency-Key gets
// the first answer.
const IdempotencyWindow = 24 * time.Hour

// ReevalPage is how many leads one re-evaluation transaction handles.
const ReevalPage = 2000

// Reevaluate evaluates every live lead up to ID upTo (the highest when
// the definition became active) with the active definition while intake
// goes on. Pages are read outside any write transaction and
// evaluated and encoded on every core while the previous page is being
// written, in one short transaction per page; a lead that intake changed
// in the meantime is skipped (intake evaluated it already with the new
// definition). Progress is recorded per page. It stops early if another
// definition becomes active.
func (s *Service) Reevaluate(ctx context.Context, r *store.Reevaluation, upTo int64) error {
	s.reevalMu.Lock()
	defer s.reevalMu.Unlock()
	var done int64
	finish := func(errText string) error {
		fin := s.now()
		r.Done, r.FinishedAt, r.Error = done, &fin, errText
		return s.db.ProgressReevaluation(ctx, r.ID, done, &fin, errText)
	}
	read := func(after int64) ([]*store.ReevalRow, error) { return s.db.ReevalPage(ctx, after, upTo, ReevalPage) }
	superseded, err := s.evaluateAndSave(ctx, r.DefinitionID, read, func(rows int) error {
		done += int64(rows)
		return s.db.ProgressReevaluation(ctx, r.ID, done, nil, "")
	})
	switch {
	case err != nil:
		finish(err.Error())
		return err
	case superseded:
		return finish("superseded by another definition")
	}
	return finish("")
}

// evaluateAndSave evaluates the pages read with definition defID, each while
// the one before is saved in its own transaction, and calls saved after
// each. It reports whether it stopped because another definition became
// active.
func (s *Service) evaluateAndSave(ctx context.Context, defID int64, read func(after int64) ([]*store.ReevalRow, error), saved func(rows int) error) (superseded bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan evaluatedPage, 1)
	go s.evaluatePages(ctx, defID, read, pages)
	for pg := range pages {
		if pg.err != nil {
			return false, pg.err
		}
		if pg.superseded {
			return true, nil
		}
		if err := s.db.InTx(ctx, func(tx *store.Tx) error { return savePage(ctx, tx, pg) }); err != nil {
			return false, err
		}
		if err := saved(len(pg.rows)); err != nil {
			return false, err
		}
	}
	return false, nil
}

// evaluatedPage is a page of leads with their new evaluations.
type evaluatedPage struct {
	rows       []*store.ReevalRow
	results    []engine.Result
	encoded    [][]byte
	definition int64
	now        time.Time
	superseded bool
	err        error
}

// evaluatePages reads pages of leads (read gives those after an ID),
// evaluates them and sends them, closing the channel after the last one.
func (s *Service) evaluatePages(ctx context.Context, defID int64, read func(after int64) ([]*store.ReevalRow, error), out chan<- evaluatedPage) {
	defer close(out)
	send := func(p evaluatedPage) bool {
		select {
		case out <- p:
			return true
		case <-ctx.Done():
			return false
		}
	}
	var after int64
	for {
		a := s.Active()
		if a == nil || a.ID != defID {
			send(evaluatedPage{superseded: true})
			return
		}
		rows, err := read(after)
		if err != nil || len(rows) == 0 {
			if err != nil {
				send(evaluatedPage{err: err})
			}
			return
		}
		pg := evaluate(a, rows, s.now())
		if !send(pg) || pg.err != nil {
			return
		}
		after = rows[len(rows)-1].ID
	}
}

// evaluate evaluates and encodes a page of leads on every core.
func evaluate(a *Active, rows []*store.ReevalRow, now time.Time) evaluatedPage {
	pg := evaluatedPage{rows: rows, results: make([]engine.Result, len(rows)), encoded: make([][]byte, len(rows)),
		definition: a.ID, now: now}
	workers := max(runtime.GOMAXPROCS(0), 1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(rows); i += workers {
				p := rows[i]
				pg.results[i] = a.Evaluator.Evaluate(&p.Data, p.Events, p.Qualification, now)
				b, err := pg.results[i].AppendJSON(make([]byte, 0, 1536))
				if err != nil {
					errs[w] = err
					return
				}
				pg.encoded[i] = jsonpack.Pack(make([]byte, 0, len(b)/2+64), b)
			}
		}()
	}
	wg.Wait()
	pg.err = errors.Join(errs...)
	return pg
}

// savePage saves a page of evaluations, skipping leads changed since they
// were read, and records stage changes on the timeline.
func savePage(ctx context.Context, tx *store.Tx, pg evaluatedPage) error {
	for i, p := range pg.rows {
		saved, err := tx.UpdateEvaluation(ctx, p, &pg.results[i], pg.encoded[i], pg.definition, pg.now)
		if err != nil {
			return err
		}
		if saved {
			l := &store.Lead{ID: p.ID, Eval: &pg.results[i], HumanStage: p.HumanStage, OwnerID: p.OwnerID}
			prev := flowState{stage: p.Stage, action: p.Action, team: p.Team, owned: p.OwnerID != 0 || p.HumanStage != ""}
			if err := afterEvaluation(ctx, tx, l, prev, pg.now); err != nil {
				return err
			}
		}
	}
	return nil
}
