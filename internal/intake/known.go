package intake

import (
	"context"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/store"
)

// A known person's inquiry is merged into their lead and the lead
// evaluated again: reading and decoding the lead and its events, merging,
// evaluating and encoding cost more than writing, and done inside the
// single writer they made a known person's inquiry cost 1.5 times a new
// one's there. So a batch's known people are read and merged ahead, in
// the request's goroutine (prepareKnown), as re-evaluation does, and the
// writer only checks that the lead did not change since it was read
// (store.SaveIfUnchanged) before saving what was prepared. If it changed,
// or is no longer the lead the person's identities name, the writer merges
// the inquiry itself, as before (Service.submit).

// knownMerge is an inquiry merged ahead into its person's lead.
type knownMerge struct {
	k         *store.KnownLead
	prev      flowState // the lead's before the merge
	snap      *mergeSnapshot
	companyID int64  // the company ID the snapshot was made with
	data      []byte // snap encoded
	entry     []byte // the inquiry's timeline entry, encoded
	saved     bool   // the writer saved it as prepared
	ahead     bool   // saved, or found changed, by saveKnownAhead
}

// prepareKnown reads the leads of the known people among subs, with one
// query per kind of identity, and merges each inquiry into its lead
// ahead of the writer (see above). Inquiries made without an active
// definition, or naming a lead an earlier one of subs names too, are left
// to the writer; so are all of them if reading fails.
func (s *Service) prepareKnown(ctx context.Context, subs []*submission) {
	var (
		ids   []store.Identity
		which []*submission
	)
	for _, sub := range subs {
		if sub == nil || sub.a == nil {
			continue
		}
		ids = append(ids, store.Identity{Email: sub.email, Phone: sub.phone, ExternalID: sub.in.Source.ExternalID})
		which = append(which, sub)
	}
	if len(ids) == 0 {
		return
	}
	if s.cpu != nil {
		s.cpu <- struct{}{}
		defer func() { <-s.cpu }()
	}
	known, err := s.db.ReadKnown(ctx, ids)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("known people not read ahead of the writer", "err", err)
		}
		return
	}
	for i, k := range known {
		if k == nil {
			continue
		}
		sub := which[i]
		s.judge(sub) // all merging needs of the inquiry on its own
		km, err := s.mergeAhead(sub, k)
		if err != nil {
			s.log.Warn("inquiry not merged ahead of the writer", "lead", k.Lead.ID, "err", err)
			continue
		}
		sub.known = km
	}
}

// mergeAhead merges sub's inquiry into its lead k, as Service.submit would
// in the writer, and encodes what the writer will store.
func (s *Service) mergeAhead(sub *submission, k *store.KnownLead) (*knownMerge, error) {
	l, in := k.Lead, sub.in
	km := &knownMerge{k: k, prev: flowOf(l), companyID: s.db.CachedCompany(in.Company.Domain)}
	if in.Company.Domain == "" {
		km.companyID = 0
	}
	snap, err := s.merge(l, in, sub.email, sub.phone, km.companyID, sub.trusted(), sub.a, k.Events, sub.now)
	if err != nil {
		return nil, err
	}
	km.snap = snap
	if snap.Held {
		// An untrusted inquiry that would have lowered the lead: it keeps
		// its evaluation, which ReadKnown left undecoded.
		if err := k.DecodeEvaluation(); err != nil {
			return nil, err
		}
	}
	if km.data, err = snap.encode(); err != nil {
		return nil, err
	}
	if err := l.Encode(); err != nil {
		return nil, err
	}
	if km.entry, err = encodeMergedEntry(in, l, snap.Reported, snap.Held); err != nil {
		return nil, err
	}
	return km, nil
}

// trusted reports whether a known person's details may be taken from
// the inquiry: not when it is junk on its own (see Service.submit).
func (sub *submission) trusted() bool {
	return len(sub.in.Suspicious) == 0 && (sub.fresh.Eval == nil || definition.Severity(sub.fresh.Eval.Quality) < definition.Severity(definition.VerdictJunk))
}

// writeKnown saves an inquiry merged ahead (sub.known) in the writer's
// transaction, if its lead is still the one the person's identities name
// and did not change since it was read; ok false: nothing was written, and
// the writer merges the inquiry itself. companies are the group's.
func (s *Service) writeKnown(ctx context.Context, tx *store.Tx, sub *submission, companies map[string]int64) (res *InquiryResult, ok bool, err error) {
	km := sub.known
	l := km.k.Lead
	if !km.ahead {
		if ok, err := readyToSave(ctx, tx, sub, companies); err != nil || !ok {
			return nil, false, err
		}
		saved, err := tx.SaveIfUnchanged(ctx, km.k, sub.now)
		if err != nil || !saved {
			return nil, false, err
		}
		km.saved = true
	} else if !km.saved {
		return nil, false, nil
	}
	by := km.k.By
	mergeID, err := recordMerge(ctx, tx, l.ID, sub.in, by, km.snap, km.data, sub.now)
	if err != nil {
		return nil, false, err
	}
	if err := suspicion(ctx, tx, l, sub.in); err != nil {
		return nil, false, err
	}
	if err := afterEvaluation(ctx, tx, l, km.prev, sub.now); err != nil {
		return nil, false, err
	}
	tx.AddTimelineJSON(l.ID, sub.now, "inquiry", km.entry)
	res = &InquiryResult{LeadID: l.ID, MergedBy: by, MergeID: mergeID, Suspicious: sub.in.Suspicious}
	if r := l.Eval; r != nil {
		res.Stage, res.Score, res.Band, res.Action, res.Quality, res.Definition = l.Stage(), r.Total, r.Band, r.Action, r.Quality, sub.a.ID
		res.Evaluation = l.Encoded.Eval
	}
	return res, true, nil
}

// readyToSave reports whether sub's lead, merged ahead, may be saved as
// prepared: it is still the lead the person's identities name. It first
// records in it the company ID the group found, if the inquiry was merged
// without it.
func readyToSave(ctx context.Context, tx *store.Tx, sub *submission, companies map[string]int64) (bool, error) {
	km := sub.known
	l := km.k.Lead
	if km.k.By != "email" {
		// The lead was found by phone or external ID: an e-mail or an
		// older lead with the phone may name another since. (A lead found
		// by e-mail is the only live one with it while it is unchanged.)
		id, err := tx.FindLeadID(ctx, sub.email, sub.phone, sub.in.Source.ExternalID)
		if err != nil || id != l.ID {
			return false, err
		}
	}
	if id := companies[sub.in.Company.Domain]; id != km.companyID {
		// The company was not known to this process when the inquiry was
		// merged: record the ID the group found or created.
		km.companyID, km.snap.CompanyID = id, id
		if km.snap.Applied && id != 0 && (!km.snap.FillOnly || km.snap.Before.CompanyID == 0) {
			l.CompanyID = id // as applyInquiry takes it: an untrusted inquiry fills a blank only
		}
		var err error
		if km.data, err = km.snap.encode(); err != nil {
			return false, err
		}
	}
	return true, nil
}

// saveKnownAhead saves at once, in one round trip on PostgreSQL
// (store.SaveManyIfUnchanged), the leads merged ahead of the group's known
// people that the writer would save one after the other, each in a round
// trip, in writeGroup's loop over slow. Only where the order cannot
// matter: a lead found by e-mail, of an inquiry that is not imported,
// whose identities and its lead's (before and after the merge) no
// inquiry before it in the group names, nor its Idempotency-Key, so that
// nothing written before it in the loop could have changed its lead, and
// it is not a replay. The loop then goes on from what was saved, and
// merges the others, and those whose lead had changed, itself.
func (s *Service) saveKnownAhead(ctx context.Context, tx *store.Tx, fast, slow []*submission, companies map[string]int64) error {
	if s.db.Dialect() != store.Postgres {
		return nil // no round trips to save
	}
	named := map[string]bool{}
	keys := map[idemRef]bool{}
	note := func(sub *submission) (seen bool) {
		names := sub.identities()
		if sub.known != nil {
			names = append(names, sub.known.k.Identities()...)
		}
		for _, n := range names {
			seen = seen || named[n]
		}
		for _, n := range names {
			named[n] = true
		}
		if sub.idem != nil && sub.idem.Key != "" {
			ref := idemRef{sub.idem.TokenID, sub.idem.Key}
			seen = seen || keys[ref]
			keys[ref] = true
		}
		return seen
	}
	for _, sub := range fast {
		note(sub)
	}
	var ahead []*submission
	for _, sub := range slow {
		seen := note(sub)
		if sub.known == nil || sub.known.k.By != "email" || sub.imported() || seen {
			continue
		}
		ahead = append(ahead, sub)
	}
	if len(ahead) < 2 {
		return nil // as the loop would
	}
	ks := make([]*store.KnownLead, len(ahead))
	nows := make([]time.Time, len(ahead))
	for i, sub := range ahead {
		if _, err := readyToSave(ctx, tx, sub, companies); err != nil {
			return err // (always ready: found by e-mail)
		}
		ks[i], nows[i] = sub.known.k, sub.now
	}
	saved, err := tx.SaveManyIfUnchanged(ctx, ks, nows)
	if err != nil {
		return err
	}
	for i, sub := range ahead {
		sub.known.ahead, sub.known.saved = true, saved[i]
	}
	return nil
}

// readAnsweredMarks reads at once whether answers showed the evaluations
// of the leads merged ahead that the writer is about to save, which it
// would otherwise ask one after the other (see store.ReadAnsweredMarks).
// The earliest of their times counts: a mark read as recent is kept.
func readAnsweredMarks(ctx context.Context, tx *store.Tx, slow []*submission) error {
	var (
		ks  []*store.KnownLead
		now time.Time
	)
	for _, sub := range slow {
		if sub.known == nil || sub.known.ahead {
			continue
		}
		ks = append(ks, sub.known.k)
		if now.IsZero() || sub.now.Before(now) {
			now = sub.now
		}
	}
	return tx.ReadAnsweredMarks(ctx, ks, now)
}

// encodeUnknown evaluates whole and encodes as new leads the submissions
// prepareKnown did not merge ahead into a known person's lead: the
// others' leads were evaluated and encoded there, and their own
// evaluation and encoding as new people would be thrown away.
func (s *Service) encodeUnknown(subs []*submission) error {
	if s.cpu != nil {
		s.cpu <- struct{}{}
		defer func() { <-s.cpu }()
	}
	for _, sub := range subs {
		if sub.known != nil {
			continue
		}
		s.evaluateWhole(sub)
		if err := sub.encodeNew(); err != nil {
			return err
		}
	}
	return nil
}
