package intake

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// submission is one inquiry on its way to the database: cleaned, and as a
// new lead already evaluated and encoded, before it reaches the writer.
type submission struct {
	in           *Inquiry
	email, phone string
	fresh        *store.Lead
	// whole: fresh is evaluated whole, or no definition was active. A
	// batch's inquiry is evaluated once it is known whether its person is
	// known: a known person's only as far as its quality verdict, which is
	// all merging needs, unless it is stored as new after all (see
	// evaluateWhole).
	whole bool
	entry []byte      // fresh's timeline entry, encoded
	a     *Active     // the definition fresh was evaluated with
	now   time.Time   // when it arrived
	idem  *Idem       // nil without an Idempotency-Key
	batch *batchKey   // the batch's key, for an inquiry of a batch with one
	index int         // its position in the batch
	known *knownMerge // merged ahead into a known person's lead (see known.go)

	// The outcome, set by the writer.
	deferred bool   // not written: its person was busy (see writeGroup)
	body     []byte // res encoded, as stored under the key
	evalAt   int    // where res's evaluation is in body (see marshalResult)
	res      *InquiryResult
	err      error // a *problem.Error for this submission only
}

// prepare cleans an inquiry and evaluates and encodes it as a new lead, in
// the caller's goroutine: most inquiries are new people, and this keeps
// the single writer to the writing.
func (s *Service) prepare(in *Inquiry, idem *Idem, now time.Time) (*submission, error) {
	sub, err := s.evaluateNew(in, idem, now)
	if err != nil {
		return nil, err
	}
	return sub, sub.encodeNew()
}

// evaluateNew is prepare without encoding: the inquiry read and evaluated
// whole as a new lead.
func (s *Service) evaluateNew(in *Inquiry, idem *Idem, now time.Time) (*submission, error) {
	sub, err := s.readNew(in, idem, now)
	if err != nil {
		return nil, err
	}
	s.evaluateWhole(sub)
	return sub, nil
}

// readNew cleans an inquiry and makes it a new lead, not yet evaluated: a
// batch's inquiries are evaluated once it is known which are known
// people's (see SubmitBatch and prepareKnown).
func (s *Service) readNew(in *Inquiry, idem *Idem, now time.Time) (*submission, error) {
	sub := &submission{in: in, idem: idem, now: now, a: s.Active()}
	var err error
	if sub.email, sub.phone, err = normalise(in, now, s.vocabulary(sub.a)); err != nil {
		return nil, err
	}
	sub.fresh = newLead(in, sub.email, sub.phone, now)
	return sub, nil
}

// evaluateWhole evaluates sub's inquiry as a new lead, unless done.
func (s *Service) evaluateWhole(sub *submission) {
	if !sub.whole {
		s.evaluate(sub.a, sub.fresh, nil, sub.now)
		sub.whole, sub.entry = true, nil
	}
}

// judge evaluates sub's inquiry as a new lead only as far as its quality
// verdict, unless it is evaluated already: a known person's, which is
// merged into their lead (see prepareKnown).
func (s *Service) judge(sub *submission) {
	if sub.whole || sub.fresh.Eval != nil || sub.a == nil {
		return
	}
	res := sub.a.Evaluator.Quality(&sub.fresh.Data, nil, sub.now)
	sub.fresh.Eval, sub.fresh.DefinitionID, sub.fresh.Encoded = &res, sub.a.ID, nil
}

// encodeNew encodes sub as a new lead and its timeline entry, unless done.
func (sub *submission) encodeNew() error {
	if sub.fresh.Encoded == nil {
		if err := sub.fresh.Encode(); err != nil {
			return err
		}
	}
	if sub.entry == nil {
		var err error
		if sub.entry, err = encodeInquiryEntry(sub.in, sub.fresh); err != nil {
			return err
		}
	}
	return nil
}

// prepareShared is prepare for a request: it waits its turn for the
// processors the writer leaves (see Service.cpu). Unless whole is set,
// the inquiry is only read (see readNew).
func (s *Service) prepareShared(in *Inquiry, idem *Idem, now time.Time, whole bool) (*submission, error) {
	if s.cpu != nil {
		s.cpu <- struct{}{}
		defer func() { <-s.cpu }()
	}
	if !whole {
		return s.readNew(in, idem, now)
	}
	return s.prepare(in, idem, now)
}

// ImportItem is one imported row for ImportBatch: the inquiry and the key
// that makes it stored once (RowKey).
type ImportItem struct {
	Inquiry Inquiry
	Key     string
}

// ImportBatch imports a group of rows in one write, with the same outcome
// as ImportRow for each: rows seen before are unchanged, known people get
// the row merged in, new people become leads, written together.
func (s *Service) ImportBatch(ctx context.Context, items []ImportItem) ([]RowResult, error) {
	now := s.now()
	results := make([]RowResult, len(items))
	subs := make([]*submission, len(items))
	workers := max(runtime.GOMAXPROCS(0), 1)
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(items); i += workers {
				key := items[i].Key
				subs[i], errs[i] = s.prepare(&items[i].Inquiry, &Idem{TokenID: importToken, Key: key, Fingerprint: key}, now)
			}
		}()
	}
	wg.Wait()
	s.prepareKnown(ctx, subs)
	var valid []*submission
	for i, sub := range subs {
		if errs[i] != nil {
			if _, ok := problem.As(errs[i]); !ok {
				return nil, errs[i]
			}
			results[i] = RowResult{Status: RowInvalid, Reason: errs[i].Error()}
			continue
		}
		valid = append(valid, sub)
	}
	if err := s.writer.submit(ctx, valid); err != nil {
		return nil, err
	}
	// pista import does not run the background work that would notice
	// an activation elsewhere (Run).
	if err := s.refreshIfStale(ctx); err != nil {
		s.log.Error("refresh definition", "err", err) // the rows are stored
	}
	s.count(valid)
	for i, sub := range subs {
		switch {
		case sub == nil:
		case sub.err != nil:
			results[i] = RowResult{Status: RowInvalid, Reason: sub.err.Error()}
		default:
			results[i] = rowResult(sub.res, sub.idem.Replayed)
			results[i].Mappings = sub.in.Mappings
			results[i].Reason = qualityReason(sub.fresh.Eval, results[i].Quality)
			results[i].Anonymous = sub.fresh.Eval != nil && sub.fresh.Eval.Anonymous
		}
	}
	return results, nil
}

// writeSubmissions writes a group of submissions in one transaction with
// the outcome of writing them one after the other: answers stored under
// their keys are replayed, known people get the inquiry merged in, and the
// new people, the bulk of intake, are inserted a few statements for all.
//
// Unless wait is set, submissions whose people another transaction is
// writing are deferred (see writeGroup).
func (s *Service) writeSubmissions(ctx context.Context, tx *store.Tx, subs []*submission, wait bool) error {
	batches := startOutcomes(subs)
	if err := s.writeGroup(ctx, tx, subs, wait); err != nil {
		return err
	}
	return storeBatchAnswers(ctx, tx, batches)
}

// beforeGroup creates, on PostgreSQL, the companies a group names that do
// not exist yet, each committed at once (store.EnsureCompanies), so that
// two servers' groups naming the same new company do not wait for each
// other's whole transaction. If it fails, the group creates them itself.
func (s *Service) beforeGroup(ctx context.Context, subs []*submission) {
	if s.db.Dialect() != store.Postgres {
		return
	}
	var domains, names []string
	var tokens []int64
	for _, sub := range subs {
		if d := sub.in.Company.Domain; d != "" {
			domains, names, tokens = append(domains, d), append(names, sub.in.Company.Name), append(tokens, sub.token())
		}
	}
	if err := s.db.EnsureCompanies(ctx, domains, names, tokens, subs[0].now); err != nil {
		s.log.Warn("companies not created ahead of their group", "err", err)
	}
}

// writeEachAlone is writeSubmissions for a group whose transaction
// failed: each submission is written as a group of its own, within a
// savepoint of one transaction, so that one whose write fails (a value the
// database refuses, a constraint it breaks) is rolled back and answered
// with its error alone, and the others are stored. A conflict with
// another transaction fails the whole attempt, which is then retried.
func (s *Service) writeEachAlone(ctx context.Context, tx *store.Tx, subs []*submission) error {
	batches := startOutcomes(subs)
	for _, sub := range subs {
		answers := 0
		if sub.batch != nil {
			answers = len(sub.batch.answers)
		}
		err := tx.Savepoint(ctx, func() error { return s.writeGroup(ctx, tx, []*submission{sub}, true) })
		if err == nil {
			continue
		}
		if store.IsConflict(err) || errors.Is(err, store.ErrTxBroken) {
			return err
		}
		s.log.Error("inquiry not stored", "err", err)
		sub.body, sub.res, sub.err = nil, nil, err
		if sub.idem != nil {
			sub.idem.Replayed = false
		}
		if sub.batch != nil {
			sub.batch.answers = sub.batch.answers[:answers] // not stored: a retry writes it
		}
	}
	return tx.Savepoint(ctx, func() error { return storeBatchAnswers(ctx, tx, batches) })
}

// startOutcomes clears the outcomes of an earlier attempt at writing the
// submissions and returns their batches.
func startOutcomes(subs []*submission) []*batchKey {
	var batches []*batchKey
	seen := map[*batchKey]bool{}
	for _, sub := range subs {
		sub.body, sub.res, sub.err, sub.deferred = nil, nil, nil, false
		if sub.idem != nil {
			sub.idem.Replayed = false
		}
		if km := sub.known; km != nil {
			km.ahead, km.saved = false, false // saved in a transaction that failed
		}
		if b := sub.batch; b != nil && !seen[b] {
			seen[b] = true
			b.answers, b.stored = nil, false
			batches = append(batches, b)
		}
	}
	return batches
}

// storeBatchAnswers stores the answers the batches got in this
// transaction under their keys.
func storeBatchAnswers(ctx context.Context, tx *store.Tx, batches []*batchKey) error {
	for _, b := range batches {
		if len(b.answers) == 0 || b.stored {
			continue // replayed, or answered already (see batchAnswers)
		}
		b.stored = true
		row, evals := b.encode()
		if err := storeIdem(ctx, tx, &b.idem, batchRowStatus, row, b.now, evals...); err != nil {
			return err
		}
	}
	return nil
}

// writeGroup is writeSubmissions without its start and end. Another
// server, or another of this server's writers, may be writing the same
// people at the same time: the group first locks every identity and key
// it will look up (store.LockIdentities), then locks the known leads in
// one statement, each in a fixed order, so that two groups wanting the
// same person wait for each other instead of both inserting, and cannot
// deadlock.
//
// Unless wait is set, the group does not wait for an identity another
// transaction holds (store.Tx.LockGroup): the submissions that name
// one are deferred (sub.deferred), a batch with an Idempotency-Key whole,
// and the writer's deferred loop writes them, with those of other groups,
// in a transaction that waits (writer.deferredLoop). A person who comes
// back (or a test address such as test@test.com that many send) thus
// holds up a few submissions, not every group behind the one that has
// them, nor the writer that found them busy.
func (s *Service) writeGroup(ctx context.Context, tx *store.Tx, subs []*submission, wait bool) error {
	namesOf := make([][]string, len(subs))
	var locks []string
	var tokens []int64
	for i, sub := range subs {
		namesOf[i] = sub.lockNames()
		locks = append(locks, namesOf[i]...)
		if id := sub.token(); id != 0 && !slices.Contains(tokens, id) {
			tokens = append(tokens, id)
		}
	}
	// The tokens the inquiries were sent with are read here, in the
	// transaction that stores them, whatever the server knew of them.
	busy, valid, err := tx.LockGroup(ctx, locks, tokens, wait)
	if err != nil {
		return err
	}
	if len(busy) > 0 {
		subs = deferBusy(subs, namesOf, busy)
	}
	if len(tokens) > 0 {
		subs = refuseRevoked(subs, valid)
	}
	byToken := map[int64][]string{}
	var emails, phones, exts []string
	var batches []*batchKey
	batchSeen := map[*batchKey]bool{}
	for _, sub := range subs {
		if sub.idem != nil {
			switch {
			case sub.batch != nil:
				// The batch's row, and its first inquiry's own key: a
				// batch stored one row per inquiry by an earlier version.
				if b := sub.batch; !batchSeen[b] {
					batchSeen[b] = true
					batches = append(batches, b)
					byToken[b.idem.TokenID] = append(byToken[b.idem.TokenID], b.idem.Key, itemKey(b.idem.Key, 0))
				}
			case sub.idem.Key != "" && !sub.imported():
				byToken[sub.idem.TokenID] = append(byToken[sub.idem.TokenID], sub.idem.Key)
			}
		}
		emails, phones, exts = appendNonEmpty(emails, sub.email), appendNonEmpty(phones, sub.phone), appendNonEmpty(exts, sub.in.Source.ExternalID)
	}
	if len(subs) == 0 {
		return nil
	}
	// Stored answers, known people and anonymous events in one round trip
	// on PostgreSQL; which e-mails are new is not known yet, so all are
	// asked for anonymous events.
	found, err := tx.ReadGroup(ctx, store.GroupReads{Keys: byToken, Emails: emails, Phones: phones, ExternalIDs: exts, Waiting: emails})
	if err != nil {
		return err
	}
	before := map[idemRef]*store.Idempotent{}
	for token, stored := range found.Stored {
		for k, v := range stored {
			before[idemRef{token, k}] = v
		}
	}
	if err := s.batchAnswers(ctx, tx, subs, batches, before); err != nil {
		return err
	}
	known := found.Known
	var domains, names []string
	for _, sub := range subs {
		if d := sub.in.Company.Domain; d != "" {
			domains, names = append(domains, d), append(names, sub.in.Company.Name)
		}
	}
	companies, err := tx.Companies(ctx, domains, names, subs[0].now)
	if err != nil {
		return err
	}
	// An imported row was imported before only if its person is known:
	// look among the rows of the known people.
	var knownLeads []int64
	for _, sub := range subs {
		if sub.imported() {
			for _, id := range sub.identities() {
				if known[id] != 0 {
					knownLeads = append(knownLeads, known[id])
				}
			}
		}
	}
	var importedBefore map[string]*store.ImportedRow
	if len(knownLeads) > 0 {
		if importedBefore, err = tx.ImportedRows(ctx, knownLeads); err != nil {
			return err
		}
	}
	// New people seen once in this group take the fast path; known people,
	// repeats within the group and repeated keys take the per-row one,
	// after the new leads exist.
	var fast, slow []*submission
	inGroup := map[string]bool{}
	keysInGroup := map[idemRef]bool{}
	for _, sub := range subs {
		if sub.idem != nil && sub.idem.Key != "" {
			ref := idemRef{sub.idem.TokenID, sub.idem.Key}
			if prev := before[ref]; prev != nil {
				sub.replay(prev.Fingerprint, prev.Status, prev.Body)
				continue
			}
			if prev := importedBefore[sub.idem.Key]; prev != nil && sub.imported() {
				sub.replay(sub.idem.Key, prev.Status, prev.Body)
				continue
			}
			if keysInGroup[ref] {
				slow = append(slow, sub) // answered from the first one's answer
				continue
			}
			keysInGroup[ref] = true
		}
		repeat := false
		for _, id := range sub.identities() {
			if known[id] != 0 || inGroup[id] {
				repeat = true
			}
			inGroup[id] = true
		}
		if repeat {
			slow = append(slow, sub)
		} else {
			fast = append(fast, sub)
		}
	}
	if err := s.insertNew(ctx, tx, fast, companies, found.Anonymous); err != nil {
		return err
	}
	if len(slow) > 0 {
		// On PostgreSQL the known people's leads and events are read
		// here in one statement, and their merges' IDs taken in another,
		// not four round trips for each (their merges and updates are
		// written with the group's other rows).
		var emails, phones, exts []string
		for _, sub := range slow {
			if sub.known != nil {
				continue // read and merged ahead (see known.go)
			}
			emails, phones, exts = appendNonEmpty(emails, sub.email), appendNonEmpty(phones, sub.phone), appendNonEmpty(exts, sub.in.Source.ExternalID)
		}
		if err := tx.PrefetchLeads(ctx, emails, phones, exts); err != nil {
			return err
		}
		defer tx.DropPrefetch()
		if err := tx.ReserveMergeIDs(ctx, len(slow)); err != nil {
			return err
		}
		if err := s.saveKnownAhead(ctx, tx, fast, slow, companies); err != nil {
			return err
		}
		if err := readAnsweredMarks(ctx, tx, slow); err != nil {
			return err
		}
	}
	for _, sub := range slow {
		if sub.imported() {
			// Known people's rows were looked up above; a repeat within
			// the group is answered from the first one.
			if prev := tx.ImportedInTx(sub.idem.Key); prev != nil {
				sub.replay(sub.idem.Key, prev.Status, prev.Body)
				continue
			}
		} else if prev := answeredInGroup(batches, sub); prev != nil {
			sub.replay(prev.Fingerprint, prev.Status, prev.Body)
			continue
		} else if sub.idem != nil && sub.idem.Key != "" {
			// Keys stored before this group were looked up above; a
			// repeat within it is answered from the first one.
			if prev := tx.IdempotentInTx(sub.idem.TokenID, sub.idem.Key); prev != nil {
				sub.replay(prev.Fingerprint, prev.Status, prev.Body)
				continue
			}
		}
		if sub.known != nil {
			res, ok, err := s.writeKnown(ctx, tx, sub, companies)
			if err != nil {
				return err
			}
			if ok {
				if err := sub.finish(ctx, tx, res); err != nil {
					return err
				}
				continue
			}
		}
		s.evaluateWhole(sub) // merged ahead and changed since: it may be new after all
		res, err := s.submit(ctx, tx, sub.in, sub.email, sub.phone, sub.now, sub.a, sub.fresh)
		if _, ok := problem.As(err); ok {
			sub.err = err
			if sub.batch != nil {
				if err := sub.answered(); err != nil {
					return err
				}
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := sub.finish(ctx, tx, res); err != nil {
			return err
		}
	}
	return nil
}

// refuseRevoked answers the submissions sent with a token that no longer
// works ErrTokenRevoked (writer.runJobs refuses their requests) and
// returns the others.
func refuseRevoked(subs []*submission, valid map[int64]bool) []*submission {
	kept := subs[:0:0]
	for _, sub := range subs {
		if id := sub.token(); id != 0 && !valid[id] {
			sub.err = ErrTokenRevoked
			continue
		}
		kept = append(kept, sub)
	}
	return kept
}

// lockNames are what a submission locks (see writeGroup): its person's
// identities and its Idempotency-Key, a batch's key for an inquiry of a
// batch.
func (sub *submission) lockNames() []string {
	var out []string
	if sub.idem != nil {
		switch {
		case sub.batch != nil:
			out = append(out, idemLock(sub.batch.idem.TokenID, sub.batch.idem.Key))
		case sub.idem.Key != "" && !sub.imported():
			out = append(out, idemLock(sub.idem.TokenID, sub.idem.Key))
		}
	}
	for _, id := range []struct{ kind, value string }{{"email", sub.email}, {"phone", sub.phone}, {"external_id", sub.in.Source.ExternalID}} {
		if id.value != "" {
			out = append(out, store.IdentityName(id.kind, id.value))
		}
	}
	return out
}

// deferBusy marks the submissions that name a busy identity deferred,
// with every other inquiry of their batch when it has an
// Idempotency-Key (its answers are stored together), and returns the
// others.
func deferBusy(subs []*submission, namesOf [][]string, busy map[string]bool) []*submission {
	deferredBatch := map[*batchKey]bool{}
	for i, sub := range subs {
		for _, n := range namesOf[i] {
			if busy[n] {
				sub.deferred = true
				if sub.batch != nil {
					deferredBatch[sub.batch] = true
				}
				break
			}
		}
	}
	var out []*submission
	for _, sub := range subs {
		if sub.batch != nil && deferredBatch[sub.batch] {
			sub.deferred = true
		}
		if !sub.deferred {
			out = append(out, sub)
		}
	}
	return out
}

// idemLock names an Idempotency-Key for store.LockIdentities.
func idemLock(token int64, key string) string {
	return store.IdentityName("key", strconv.FormatInt(token, 10)+":"+key)
}

// batchAnswers makes the stored answers of the group's batches available
// by each inquiry's key: from the batch's row, or, for a batch an earlier
// version stored one row per inquiry, from those rows.
func (s *Service) batchAnswers(ctx context.Context, tx *store.Tx, subs []*submission, batches []*batchKey, before map[idemRef]*store.Idempotent) error {
	older := map[int64][]string{}
	taken := map[*batchKey]*store.Idempotent{} // keys that answered another request
	for _, b := range batches {
		row := before[idemRef{b.idem.TokenID, b.idem.Key}]
		if row == nil {
			continue
		}
		b.stored = true
		if row.Fingerprint != b.idem.Fingerprint {
			taken[b] = row
			continue
		}
		if err := b.expand(row, before); err != nil {
			return err
		}
	}
	for _, sub := range subs {
		b := sub.batch
		if b == nil {
			continue
		}
		if row := taken[b]; row != nil {
			before[idemRef{b.idem.TokenID, sub.idem.Key}] = row // refused as a mismatch
			continue
		}
		if b.stored || sub.index == 0 || before[idemRef{b.idem.TokenID, itemKey(b.idem.Key, 0)}] == nil {
			continue
		}
		older[b.idem.TokenID] = append(older[b.idem.TokenID], sub.idem.Key)
	}
	for token, keys := range older {
		found, err := tx.IdempotentMany(ctx, token, keys)
		if err != nil {
			return err
		}
		for k, v := range found {
			before[idemRef{token, k}] = v
		}
	}
	return nil
}

// answeredInGroup is the answer given in this group to an earlier inquiry
// with the same key as sub, from a batch sent twice at once.
func answeredInGroup(batches []*batchKey, sub *submission) *store.Idempotent {
	if sub.batch == nil {
		return nil
	}
	for _, b := range batches {
		if b == sub.batch || b.idem.TokenID != sub.batch.idem.TokenID || b.idem.Key != sub.batch.idem.Key {
			continue
		}
		for _, a := range b.answers {
			if a.Index == sub.index {
				return &store.Idempotent{Fingerprint: b.idem.Fingerprint, Status: a.Status, Body: a.Body}
			}
		}
	}
	return nil
}

// imported reports an imported row (its key is the row's, see RowKey).
func (sub *submission) imported() bool { return sub.idem != nil && sub.idem.TokenID == importToken }

// identities are the person's normalised e-mail, phone and external ID,
// those given.
func (sub *submission) identities() []string {
	return appendNonEmpty(appendNonEmpty(appendNonEmpty(nil, sub.email), sub.phone), sub.in.Source.ExternalID)
}

type idemRef struct {
	token int64
	key   string
}

// replay answers from an earlier request's stored answer.
func (sub *submission) replay(fingerprint string, status int, body []byte) {
	if fingerprint != sub.idem.Fingerprint {
		sub.err = ErrIdemMismatch
		return
	}
	sub.body, sub.idem.Replayed = body, true
	if sub.batch != nil && status == storedStatus(Invalid) {
		sub.replayRefusal(body) // refused the first time
		return
	}
	sub.res = decodeStored[*InquiryResult](body)
	if sub.res == nil {
		sub.res = new(InquiryResult)
	}
}

// outcome is what the writer did with sub.
func (sub *submission) outcome() Outcome {
	if sub.err != nil {
		if _, ok := problem.As(sub.err); ok {
			return Invalid
		}
		return Failed
	}
	return inquiryAnswer(sub.res, nil, false).Outcome
}

// finish encodes the answer and stores it under the Idempotency-Key.
func (sub *submission) finish(ctx context.Context, tx *store.Tx, res *InquiryResult) error {
	if sub.imported() {
		res.Evaluation = nil // an imported row's evaluation is on the lead
	}
	sub.res = res
	var err error
	if sub.imported() {
		// An imported row's answer is only read back to report the row:
		// keep what the report shows, a few dozen bytes per row.
		sub.body, err = json.Marshal(&InquiryResult{LeadID: res.LeadID, Created: res.Created, Stage: res.Stage, Quality: res.Quality})
	} else {
		sub.body, sub.evalAt, err = marshalResult(res)
	}
	if err != nil {
		return err
	}
	if sub.imported() {
		return tx.PutImportedRow(res.LeadID, sub.idem.Key, &store.ImportedRow{Status: storedStatus(sub.outcome()), Body: sub.body}, sub.now)
	}
	if sub.batch != nil {
		return sub.answered() // stored with the batch's, after the group
	}
	return storeIdem(ctx, tx, sub.idem, storedStatus(sub.outcome()), sub.body, sub.now, sub.evalRefs(0)...)
}

// evalRefs is where the answer of sub shows its lead's evaluation, which
// the store keeps with the lead only (store.EvalRef), offset by at.
func (sub *submission) evalRefs(at int) []store.EvalRef {
	if sub.res == nil || sub.evalAt < 0 || len(sub.res.Evaluation) == 0 {
		return nil
	}
	return []store.EvalRef{{At: at + sub.evalAt, LeadID: sub.res.LeadID, Eval: sub.res.Evaluation}}
}

// insertNew writes new people: companies, the leads with a few
// statements, their timeline entries and answers; waiting are the
// e-mail addresses with anonymous events waiting (see store.ReadGroup).
func (s *Service) insertNew(ctx context.Context, tx *store.Tx, fast []*submission, companies map[string]int64, waiting map[string]bool) error {
	if len(fast) == 0 {
		return nil
	}
	cur := s.Active()
	ids, err := tx.NextLeadIDs(ctx, len(fast))
	if err != nil {
		return err
	}
	leads := make([]*store.Lead, len(fast))
	for k, sub := range fast {
		l := sub.fresh
		if sub.a != cur {
			// A definition was activated meanwhile; its re-evaluation only
			// covers leads that existed then, so evaluate with it here.
			sub.a = cur
			s.evaluate(cur, l, nil, sub.now)
			sub.whole, sub.entry = true, nil
		}
		s.evaluateWhole(sub) // merged ahead, but new after all
		l.ID = ids[k]
		l.CompanyID = companies[sub.in.Company.Domain]
		if err := sub.encodeNew(); err != nil { // merged ahead, but new after all
			return err
		}
		leads[k] = l
	}
	if err := tx.InsertLeads(ctx, leads); err != nil {
		return err
	}
	for k, sub := range fast {
		l := leads[k]
		if waiting[sub.email] {
			if _, err := tx.AttachAnonymous(ctx, sub.email, l.ID); err != nil {
				return err
			}
			events, err := tx.LeadEvents(ctx, l.ID)
			if err != nil {
				return err
			}
			s.evaluate(sub.a, l, events, sub.now)
			if err := tx.UpdateLead(ctx, l); err != nil {
				return err
			}
			sub.entry = nil
		}
		if sub.entry == nil { // evaluated again above
			if sub.entry, err = encodeInquiryEntry(sub.in, l); err != nil {
				return err
			}
		}
		tx.AddTimelineJSON(l.ID, sub.now, "inquiry", sub.entry)
		if err := suspicion(ctx, tx, l, sub.in); err != nil {
			return err
		}
		if err := afterEvaluation(ctx, tx, l, flowState{}, sub.now); err != nil {
			return err
		}
		if err := leadCreated(ctx, tx, l, sub.now); err != nil {
			return err
		}
		res := &InquiryResult{LeadID: l.ID, Created: true, Suspicious: sub.in.Suspicious}
		if r := l.Eval; r != nil {
			res.Stage, res.Score, res.Band, res.Action, res.Quality, res.Definition = l.Stage(), r.Total, r.Band, r.Action, r.Quality, sub.a.ID
			res.Evaluation = l.Encoded.Eval
		}
		if err := sub.finish(ctx, tx, res); err != nil {
			return err
		}
	}
	return nil
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

func appendNonEmpty(list []string, v string) []string {
	if v == "" {
		return list
	}
	return append(list, v)
}
