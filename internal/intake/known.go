package intake

import (
	"context"
	"encoding/json"

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
}

// prepareKnown reads the leads of the known people among subs, with one
// query per kind of identity, and merges each inquiry into its lead
// ahead of the writer (see above). Inquiries from untrusted sources, made
// without an active definition, or naming a lead an earlier one of subs
// names too, are left to the writer; so are all of them if reading fails.
func (s *Service) prepareKnown(ctx context.Context, subs []*submission) {
	var (
		ids   []store.Identity
		which []*submission
	)
	for _, sub := range subs {
		if sub == nil || sub.a == nil || sub.in.Untrusted {
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
	if km.data, err = json.Marshal(snap); err != nil {
		return nil, err
	}
	if err := l.Encode(); err != nil {
		return nil, err
	}
	if km.entry, err = json.Marshal(withReported(inquiryEntry(in, l), snap.Reported, snap.Held)); err != nil {
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
	if km.k.By != "email" {
		// The lead was found by phone or external ID: an e-mail or an
		// older lead with the phone may name another since. (A lead found
		// by e-mail is the only live one with it while it is unchanged.)
		id, err := tx.FindLeadID(ctx, sub.email, sub.phone, sub.in.Source.ExternalID)
		if err != nil || id != l.ID {
			return nil, false, err
		}
	}
	if id := companies[sub.in.Company.Domain]; id != km.companyID {
		// The company was not known to this process when the inquiry was
		// merged: record the ID the group found or created.
		km.companyID, km.snap.CompanyID = id, id
		if km.snap.Applied && id != 0 {
			l.CompanyID = id
		}
		if km.data, err = json.Marshal(km.snap); err != nil {
			return nil, false, err
		}
	}
	saved, err := tx.SaveIfUnchanged(ctx, km.k, sub.now)
	if err != nil || !saved {
		return nil, false, err
	}
	km.saved = true
	by := km.k.By
	mergeID, err := recordMerge(ctx, tx, l.ID, sub.in, by, km.snap, km.data, sub.now)
	if err != nil {
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

// encodeUnknown encodes as new leads the submissions prepareKnown did not
// merge ahead into a known person's lead: the others' leads were encoded
// there, and their own encoding as new people would be thrown away.
func (s *Service) encodeUnknown(subs []*submission) error {
	if s.cpu != nil {
		s.cpu <- struct{}{}
		defer func() { <-s.cpu }()
	}
	for _, sub := range subs {
		if sub.known != nil {
			continue
		}
		if err := sub.encodeNew(); err != nil {
			return err
		}
	}
	return nil
}
