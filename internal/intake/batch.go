package intake

import (
	"context"
	"encoding/json"
	"runtime"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// ImportItem is one imported row for ImportBatch: the inquiry and the key
// that makes it stored once (RowKey).
type ImportItem struct {
	Inquiry Inquiry
	Key     string
}

// prepared is a row cleaned and, as a new lead, evaluated and encoded
// before the write.
type prepared struct {
	in           *Inquiry
	key          string
	email, phone string
	fresh        *store.Lead
	invalid      error
}

// ImportBatch imports a group of rows in one write, with the same outcome
// as ImportRow for each: rows seen before are unchanged, known people get
// the row merged in, new people become leads. New people (the bulk of a
// list) are written with a few multi-row statements; everything else goes
// through the same per-row path as the API.
func (s *Service) ImportBatch(ctx context.Context, items []ImportItem) ([]RowResult, error) {
	now := s.now()
	a := s.Active()
	preps := make([]prepared, len(items))
	workers := max(runtime.GOMAXPROCS(0), 1)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(items); i += workers {
				p := &preps[i]
				p.in, p.key = &items[i].Inquiry, items[i].Key
				var err error
				if p.email, p.phone, err = normalise(p.in, now); err != nil {
					p.invalid = err
					continue
				}
				p.fresh = newLead(p.in, p.email, p.phone, now)
				s.evaluate(a, p.fresh, nil, now)
				if err := p.fresh.Encode(); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	results := make([]RowResult, len(items))
	err := s.writer.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		return s.importBatch(ctx, tx, preps, results, a, now)
	})
	return results, err
}

func (s *Service) importBatch(ctx context.Context, tx *store.Tx, preps []prepared, results []RowResult, a *Active, now time.Time) error {
	clear(results)
	var keys, emails, phones, exts []string
	for _, p := range preps {
		if p.invalid == nil {
			keys = append(keys, p.key)
			emails, phones, exts = appendNonEmpty(emails, p.email), appendNonEmpty(phones, p.phone), appendNonEmpty(exts, p.in.Source.ExternalID)
		}
	}
	before, err := tx.IdempotentMany(ctx, importToken, keys)
	if err != nil {
		return err
	}
	known, err := tx.KnownIdentities(ctx, emails, phones, exts)
	if err != nil {
		return err
	}
	// New people seen once in this group take the fast path; known people,
	// repeats within the group and rows seen before take the per-row one,
	// after the new leads exist.
	var fast, slow []int
	inGroup := map[string]bool{}
	for i, p := range preps {
		switch {
		case p.invalid != nil:
			results[i] = RowResult{Status: RowInvalid, Reason: p.invalid.Error()}
			continue
		case before[p.key] != nil:
			results[i] = replayedRow(before[p.key].Body)
			continue
		}
		ids := []string{p.email, p.phone, p.in.Source.ExternalID}
		repeat := false
		for _, id := range ids {
			if id != "" && (known[id] || inGroup[id]) {
				repeat = true
			}
		}
		for _, id := range ids {
			if id != "" {
				inGroup[id] = true
			}
		}
		if repeat || inGroup["key:"+p.key] {
			slow = append(slow, i)
		} else {
			fast = append(fast, i)
		}
		inGroup["key:"+p.key] = true
	}
	if err := s.insertNew(ctx, tx, preps, fast, results, a, now); err != nil {
		return err
	}
	for _, i := range slow {
		p := preps[i]
		idem := &Idem{TokenID: importToken, Key: p.key, Fingerprint: p.key}
		var status int
		var body []byte
		if done, err := replayInTx(ctx, tx, idem, &status, &body); err != nil {
			return err
		} else if done {
			results[i] = replayedRow(body)
			continue
		}
		res, err := s.submit(ctx, tx, p.in, p.email, p.phone, now, a, p.fresh)
		if pe, ok := problem.As(err); ok {
			results[i] = RowResult{Status: RowInvalid, Reason: pe.Error()}
			continue
		}
		if err != nil {
			return err
		}
		if results[i], err = s.storeRow(ctx, tx, p.key, res, now); err != nil {
			return err
		}
	}
	return nil
}

// insertNew writes the new people of a group: companies, the leads in a
// few statements, their timeline entries and row keys.
func (s *Service) insertNew(ctx context.Context, tx *store.Tx, preps []prepared, fast []int, results []RowResult, a *Active, now time.Time) error {
	if len(fast) == 0 {
		return nil
	}
	if cur := s.Active(); cur != a {
		for _, i := range fast { // a definition was activated meanwhile
			s.evaluate(cur, preps[i].fresh, nil, now)
		}
		a = cur
	}
	ids, err := tx.NextLeadIDs(ctx, len(fast))
	if err != nil {
		return err
	}
	companies := map[string]int64{}
	leads := make([]*store.Lead, len(fast))
	var emails []string
	for k, i := range fast {
		p := preps[i]
		l := p.fresh
		l.ID = ids[k]
		if d := p.in.Company.Domain; d != "" {
			id, ok := companies[d]
			if !ok {
				if id, err = tx.UpsertCompany(ctx, d, p.in.Company.Name, now); err != nil {
					return err
				}
				companies[d] = id
			}
			l.CompanyID = id
		}
		leads[k] = l
		emails = appendNonEmpty(emails, p.email)
	}
	if err := tx.InsertLeads(ctx, leads); err != nil {
		return err
	}
	waiting, err := tx.AnonymousEmails(ctx, emails)
	if err != nil {
		return err
	}
	for k, i := range fast {
		p, l := preps[i], leads[k]
		if waiting[p.email] {
			if _, err := tx.AttachAnonymous(ctx, p.email, l.ID); err != nil {
				return err
			}
			events, err := tx.LeadEvents(ctx, l.ID)
			if err != nil {
				return err
			}
			s.evaluate(a, l, events, now)
			if err := tx.UpdateLead(ctx, l); err != nil {
				return err
			}
		}
		if err := tx.AddTimeline(ctx, l.ID, now, "inquiry", inquiryEntry(p.in, l)); err != nil {
			return err
		}
		res := &InquiryResult{LeadID: l.ID, Created: true}
		if r := l.Eval; r != nil {
			res.Stage, res.Score, res.Band, res.Action, res.Quality, res.Definition = r.Stage, r.Total, r.Band, r.Action, r.Quality, a.ID
		}
		if results[i], err = s.storeRow(ctx, tx, p.key, res, now); err != nil {
			return err
		}
	}
	return nil
}

// storeRow keeps an imported row's short answer under its key and returns
// its outcome.
func (s *Service) storeRow(ctx context.Context, tx *store.Tx, key string, res *InquiryResult, now time.Time) (RowResult, error) {
	res.Evaluation = nil // the evaluation is on the lead
	status := 200
	if res.Created {
		status = 201
	}
	body, err := json.Marshal(res)
	if err != nil {
		return RowResult{}, err
	}
	if err := storeIdem(ctx, tx, &Idem{TokenID: importToken, Key: key, Fingerprint: key}, status, body, now); err != nil {
		return RowResult{}, err
	}
	return rowResult(res, false), nil
}

// rowResult turns an inquiry's answer into a row outcome.
func rowResult(res *InquiryResult, replayed bool) RowResult {
	out := RowResult{LeadID: res.LeadID, Quality: res.Quality, Stage: res.Stage, Status: RowMerged}
	switch {
	case replayed:
		out.Status = RowUnchanged
	case res.Created:
		out.Status = RowCreated
	}
	return out
}

func replayedRow(body []byte) RowResult {
	var res InquiryResult
	json.Unmarshal(body, &res) // our own answer; a damaged one still counts as unchanged
	return rowResult(&res, true)
}

func appendNonEmpty(list []string, v string) []string {
	if v == "" {
		return list
	}
	return append(list, v)
}
