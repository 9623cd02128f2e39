package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/quality"
	"github.com/pistahq/pista/internal/store"
)

// EventIn is one piece of website behaviour, for a lead by ID or by e-mail.
// An e-mail that is not a lead yet is kept as anonymous activity and
// attached when that person becomes an inquiry.
type EventIn struct {
	LeadID int64          `json:"lead_id,omitempty"`
	Email  string         `json:"email,omitempty"`
	Type   string         `json:"type"`
	At     time.Time      `json:"at,omitzero"`
	Props  map[string]any `json:"props,omitempty"`
}

// EventsResult answers POST /events.
type EventsResult struct {
	Accepted  int `json:"accepted"`
	Attached  int `json:"attached"`  // to known leads
	Anonymous int `json:"anonymous"` // kept for e-mails not yet leads
}

// MaxEventBatch bounds one POST /events.
const MaxEventBatch = 10_000

// AddEvents stores a batch of events in the next group commit and flags
// the leads they belong to for re-evaluation, which the background
// evaluator does within half a second. The answer is Accepted.
func (s *Service) AddEvents(ctx context.Context, in []EventIn, idem *Idem) (answer Answer[*EventsResult], err error) {
	defer func() { s.countEvents(len(in), answer, err) }()
	now := s.now()
	if len(in) == 0 {
		return Answer[*EventsResult]{}, problem.Fields("no events", problem.Field{Name: "events", Reason: "send at least one event"})
	}
	if len(in) > MaxEventBatch {
		return Answer[*EventsResult]{}, problem.Fields("too many events", problem.Field{Name: "events", Reason: fmt.Sprintf("%d events; send at most %d per request", len(in), MaxEventBatch)})
	}
	var bad []problem.Field
	for i := range in {
		e := &in[i]
		if e.At.IsZero() {
			e.At = now
		}
		// The lead model's checks (type given, text storable), each
		// named by the event's place in the request.
		ev := []lead.Event{{Type: e.Type, At: e.At, Props: e.Props}}
		if err := lead.Validate(&lead.Lead{}, ev, nil); err != nil {
			for _, f := range fieldErrors(err).(*problem.Error).Fields {
				f.Name = fmt.Sprintf("events[%d]", i) + strings.TrimPrefix(f.Name, "events[0]")
				bad = append(bad, f)
			}
		}
		if why := lead.TextProblem(e.Email); why != "" {
			bad = append(bad, problem.Field{Name: fmt.Sprintf("events[%d].email", i), Reason: why})
		} else if e.LeadID == 0 {
			norm, err := quality.NormalizeEmail(e.Email)
			if err != nil {
				bad = append(bad, problem.Field{Name: fmt.Sprintf("events[%d].email", i), Reason: "give lead_id or a valid e-mail address"})
			}
			e.Email = norm
		}
		if len(bad) >= 20 {
			break
		}
	}
	if len(bad) > 0 {
		return Answer[*EventsResult]{}, problem.Fields("some events are invalid; none were stored", bad...)
	}
	ans := Answer[*EventsResult]{Outcome: Accepted}
	err = s.writer.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		ans.Replayed, ans.Result, ans.Encoded = false, nil, nil
		if done, err := replayInTx(ctx, tx, idem, &ans); done || err != nil {
			return err
		}
		res := &EventsResult{Accepted: len(in)}
		// Resolve e-mails and check lead IDs with a few set queries, not
		// one query per event.
		var emails []string
		var ids []int64
		seenEmail, seenID := map[string]bool{}, map[int64]bool{}
		for _, e := range in {
			if e.LeadID == 0 && !seenEmail[e.Email] {
				seenEmail[e.Email] = true
				emails = append(emails, e.Email)
			} else if e.LeadID != 0 && !seenID[e.LeadID] {
				seenID[e.LeadID] = true
				ids = append(ids, e.LeadID)
			}
		}
		byEmail, err := tx.LeadIDsByEmail(ctx, emails)
		if err != nil {
			return err
		}
		exists, err := tx.ExistingLeads(ctx, ids)
		if err != nil {
			return err
		}
		touched := map[int64]bool{}
		var touchedIDs []int64
		rows := make([]store.Event, len(in))
		for i, e := range in {
			id := e.LeadID
			if id == 0 {
				id = byEmail[e.Email]
			} else if !exists[id] {
				return problem.Fields("some events are invalid; none were stored", problem.Field{Name: fmt.Sprintf("events[%d].lead_id", i), Reason: fmt.Sprintf("lead %d does not exist", id)})
			}
			rows[i] = store.Event{LeadID: id, Event: lead.Event{Type: e.Type, At: e.At, Props: e.Props}}
			if id == 0 {
				rows[i].Email = e.Email
				res.Anonymous++
				continue
			}
			res.Attached++
			if !touched[id] {
				touched[id] = true
				touchedIDs = append(touchedIDs, id)
			}
		}
		if err := tx.InsertEvents(ctx, rows); err != nil {
			return err
		}
		if err := tx.MarkNeedsEvalMany(ctx, touchedIDs); err != nil {
			return err
		}
		ans.Result = res
		if ans.Encoded, err = json.Marshal(res); err != nil {
			return err
		}
		return storeIdem(ctx, tx, idem, storedStatus(ans.Outcome), ans.Encoded, now)
	})
	if err != nil {
		return Answer[*EventsResult]{}, err
	}
	return ans, nil
}

// replayInTx answers a retried request from its stored answer. It reports
// done when it did.
func replayInTx[R any](ctx context.Context, tx *store.Tx, idem *Idem, ans *Answer[R]) (bool, error) {
	if idem == nil || idem.Key == "" {
		return false, nil
	}
	prev, err := tx.Idempotent(ctx, idem.TokenID, idem.Key)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if prev.Fingerprint != idem.Fingerprint {
		return false, ErrIdemMismatch
	}
	ans.Replayed, ans.Encoded, ans.Result = true, prev.Body, decodeStored[R](prev.Body)
	idem.Replayed = true
	return true, nil
}

// storeIdem stores an answer under its key; evals are the leads'
// evaluations it shows (see store.EvalRef).
func storeIdem(ctx context.Context, tx *store.Tx, idem *Idem, status int, body []byte, now time.Time, evals ...store.EvalRef) error {
	if idem == nil || idem.Key == "" {
		return nil
	}
	return tx.PutIdempotent(ctx, idem.TokenID, idem.Key, &store.Idempotent{Fingerprint: idem.Fingerprint, Status: status, Body: body, CreatedAt: now, Evals: evals})
}
