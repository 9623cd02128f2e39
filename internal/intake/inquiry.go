package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/jsonappend"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/quality"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/vocab"
)

// Inquiry is what POST /api/v1/inquiries, web forms and imports submit:
// who, from which company, how it arrived and what they did.
type Inquiry struct {
	Person  lead.Person  `json:"person"`
	Company lead.Company `json:"company"`
	Source  lead.Source  `json:"source"`
	Action  lead.Action  `json:"action"`
	// Suspicious lists reasons a web form submission looked like spam; it
	// is kept and marked, never dropped.
	Suspicious []string `json:"-"`
	// Untrusted marks an inquiry from a source that does not prove who
	// the person is (a public web form, an intake-scoped token): it may
	// fill a known lead's blanks, never overwrite or lower it (see
	// untrusted.go).
	Untrusted bool `json:"-"`
	// Token is the ID of the API token that sent the inquiry (0: none, as
	// from a form or an import). The transaction that stores the inquiry
	// checks the token still works (store.Tx.ValidTokens) and refuses the
	// request with ErrTokenRevoked if not, so a server may find the token
	// without reading the database (web's token cache).
	Token int64 `json:"-"`
	// Mappings say how normalise read values into vocabulary codes.
	Mappings []lead.Mapping `json:"-"`
	// Refused holds problems found in the request before it was decoded
	// (text that cannot be stored, which decoding would have hidden): the
	// inquiry is refused with them.
	Refused []problem.Field `json:"-"`
}

// InquiryResult is the answer to an inquiry.
type InquiryResult struct {
	LeadID int64 `json:"lead_id"`
	// Created is true for a new lead, false when the inquiry was merged
	// into a known one (MergedBy says how it was recognised).
	Created    bool     `json:"created"`
	MergedBy   string   `json:"merged_by,omitempty"`
	MergeID    int64    `json:"merge_id,omitempty"`
	Stage      string   `json:"stage"`
	Score      float64  `json:"score"`
	Band       string   `json:"band"`
	Action     string   `json:"action"`
	Quality    string   `json:"quality"`
	Definition int64    `json:"definition_id,omitempty"`
	Suspicious []string `json:"suspicious,omitempty"`
	// Evaluation is last: it is spliced in as it was encoded (see
	// withRaw), the largest part of the answer copied once.
	Evaluation json.RawMessage `json:"evaluation,omitempty"`
}

// withRaw appends "key":raw to a JSON object encoded by json.Marshal.
// encoding/json re-checks and compacts every json.RawMessage it writes,
// byte by byte; raw here was itself made by json.Marshal, so that work is
// wasted on the hot path.
func withRaw(obj []byte, key string, raw []byte) []byte {
	if len(raw) == 0 {
		return obj
	}
	out := make([]byte, 0, len(obj)+len(key)+len(raw)+4)
	out = append(out, obj[:len(obj)-1]...)
	if len(obj) > 2 {
		out = append(out, ',')
	}
	out = append(out, '"')
	out = append(out, key...)
	out = append(out, '"', ':')
	out = append(out, raw...)
	return append(out, '}')
}

// marshalResult encodes an inquiry's answer, and says where its
// evaluation starts in it (-1: it has none).
func marshalResult(res *InquiryResult) ([]byte, int, error) {
	eval := res.Evaluation
	res.Evaluation = nil
	b, err := json.Marshal(res)
	res.Evaluation = eval
	if err != nil {
		return nil, -1, err
	}
	out := withRaw(b, "evaluation", eval)
	if len(eval) == 0 {
		return out, -1, nil
	}
	return out, len(out) - 1 - len(eval), nil
}

// normalise cleans an inquiry in place and returns its dedup keys. The
// vocabularies of vt (the active definition's, or the built-in ones) turn
// values as typed into codes, recorded in in.Mappings.
func normalise(in *Inquiry, now time.Time, vt *vocab.Table) (email, phone string, err error) {
	if len(in.Refused) > 0 {
		return "", "", problem.Fields("the inquiry has text that cannot be stored", in.Refused...)
	}
	in.Mappings = vt.Apply(&in.Person, &in.Company, &in.Source, &in.Action, in.Mappings[:0])
	if in.Action.Type == "" {
		return "", "", problem.Fields("the inquiry is incomplete", problem.Field{Name: "action.type", Reason: "missing: say what they did, e.g. price_request"})
	}
	if in.Action.At.IsZero() {
		in.Action.At = now
	}
	l := lead.Lead{Person: in.Person, Company: in.Company, Source: in.Source, Actions: []lead.Action{in.Action}}
	if err := lead.Validate(&l, nil, nil); err != nil {
		pe := fieldErrors(err).(*problem.Error)
		for i := range pe.Fields { // the inquiry's one action
			if rest, ok := strings.CutPrefix(pe.Fields[i].Name, "actions[0]"); ok {
				pe.Fields[i].Name = "action" + rest
			}
		}
		return "", "", pe
	}
	email, phone = cleanContact(&in.Person, &in.Company, &in.Source)
	if email == "" && phone == "" && in.Source.ExternalID == "" {
		return "", "", problem.Fields("an inquiry needs a way to recognise the person",
			problem.Field{Name: "person.email", Reason: "missing or not an e-mail address, and neither person.phone nor source.external_id identifies the person"})
	}
	return email, phone, nil
}

// cleanContact normalises the contact data every lead is stored with: the
// e-mail (lower case, kept as typed when unusable: the quality rules judge
// it), countries in capitals, the phone in E.164 when it can be read, the
// external id trimmed and the company's domain, from a work e-mail when
// not given. It returns the e-mail and phone that identify the person
// ("" when unusable).
func cleanContact(p *lead.Person, c *lead.Company, s *lead.Source) (email, phone string) {
	p.Email = strings.TrimSpace(p.Email)
	if p.Email != "" {
		if e, err := quality.NormalizeEmail(p.Email); err == nil {
			p.Email, email = e, e
		}
	}
	p.Country = strings.ToUpper(strings.TrimSpace(p.Country))
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	if p.Phone != "" {
		country := p.Country
		if country == "" {
			country = c.Country
		}
		if e164, err := quality.NormalizePhone(p.Phone, country); err == nil {
			p.Phone, phone = e164, e164
		}
	}
	s.ExternalID = strings.TrimSpace(s.ExternalID)
	if c.Domain == "" && email != "" {
		if d := quality.EmailDomain(email); d != "" && !quality.IsFreeDomain(d) && !quality.IsDisposableDomain(d) {
			c.Domain = d
		}
	}
	c.Domain = strings.ToLower(strings.TrimSpace(c.Domain))
	return email, phone
}

// ReadLead reads a lead's values as intake reads an inquiry's before
// evaluating it: vocabulary values become codes (recorded in l.Mappings,
// seniority and department inferred from the title) and the contact data
// is normalised. pista score calls it, so that scoring a lead or a file
// from the command line gives what the server stores. vt nil: the
// built-in vocabularies.
func ReadLead(l *lead.Lead, vt *vocab.Table) {
	if vt == nil {
		vt = builtinVocab()
	}
	var none lead.Action
	if len(l.Actions) == 0 {
		l.Mappings = vt.Apply(&l.Person, &l.Company, &l.Source, &none, l.Mappings)
	}
	for i := range l.Actions {
		l.Mappings = vt.Apply(&l.Person, &l.Company, &l.Source, &l.Actions[i], l.Mappings)
	}
	cleanContact(&l.Person, &l.Company, &l.Source)
}

// builtinVocab is the built-in vocabularies, for ReadLead without a table.
var builtinVocab = sync.OnceValue(func() *vocab.Table { return vocab.Compile(nil, nil) })

func fieldErrors(err error) error {
	var fe lead.FieldErrors
	if !errors.As(err, &fe) {
		return problem.New(problem.Invalid, "%v", err)
	}
	out := &problem.Error{Kind: problem.Invalid, Detail: "the inquiry has invalid fields"}
	for _, f := range fe {
		out.Fields = append(out.Fields, problem.Field{Name: f.Field, Reason: f.Msg})
	}
	return out
}

// Idem identifies a retried request: the token, its Idempotency-Key and a
// fingerprint of the request body.
type Idem struct {
	TokenID     int64
	Key         string
	Fingerprint string
	// Replayed is set when the answer is the stored one of an earlier
	// request with the same key.
	Replayed bool
}

// ErrTokenRevoked refuses a request whose token was revoked, or whose
// user was deactivated, before the request was stored.
var ErrTokenRevoked = problem.New(problem.Unauthorized, "token revoked, or its user deactivated: nothing was stored")

// ErrIdemMismatch is returned when a key is reused with a different body.
var ErrIdemMismatch = problem.New(problem.Invalid, "this Idempotency-Key was already used with a different request body")

// Submit stores one inquiry: cleaned, de-duplicated, evaluated, in the next
// group commit. With idem set, the answer is stored in the same
// transaction and a retry gets it back byte for byte. The answer is
// Created or Merged; an invalid inquiry is the error.
func (s *Service) Submit(ctx context.Context, in Inquiry, idem *Idem) (Answer[*InquiryResult], error) {
	sub, err := s.prepareShared(&in, idem, s.now(), true)
	if err != nil {
		return Answer[*InquiryResult]{}, err
	}
	if err := s.writer.submit(ctx, []*submission{sub}); err != nil {
		return Answer[*InquiryResult]{}, err
	}
	s.count([]*submission{sub})
	if sub.err != nil {
		return Answer[*InquiryResult]{}, sub.err
	}
	return inquiryAnswer(sub.res, sub.body, sub.idem != nil && sub.idem.Replayed), nil
}

// newLead is the lead an inquiry makes of a person not known yet.
func newLead(in *Inquiry, email, phone string, now time.Time) *store.Lead {
	return &store.Lead{Email: email, Phone: phone, ExternalID: in.Source.ExternalID, CreatedAt: now, UpdatedAt: now,
		Data: lead.Lead{Person: in.Person, Company: in.Company, Source: in.Source, Actions: []lead.Action{in.Action}, Mappings: in.Mappings}}
}

// submit does the work of Submit inside the transaction: it merges the
// inquiry into the lead it recognises, or inserts fresh, the inquiry
// already evaluated as a new lead.
func (s *Service) submit(ctx context.Context, tx *store.Tx, in *Inquiry, email, phone string, now time.Time, a *Active, fresh *store.Lead) (*InquiryResult, error) {
	var (
		existing *store.Lead
		by       string
		err      error
		reported map[string]any // what an untrusted inquiry said differently
		held     bool           // an untrusted inquiry recorded only
	)
	// A known person is evaluated again below: with a definition to do
	// it, their stored evaluation need not be decoded.
	find := func(column, value string) (*store.Lead, error) {
		by = column
		if a != nil && !in.Untrusted {
			// (An untrusted inquiry may have to keep the evaluation.)
			return tx.LeadToReevaluate(ctx, column, value)
		}
		return tx.LeadBy(ctx, column, value)
	}
	if email != "" {
		existing, err = find("email", email)
	}
	if existing == nil && phone != "" && (err == nil || errors.Is(err, store.ErrNotFound)) {
		existing, err = find("phone", phone)
	}
	if ext := in.Source.ExternalID; existing == nil && ext != "" && (err == nil || errors.Is(err, store.ErrNotFound)) {
		existing, err = find("external_id", ext)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	var companyID int64
	if in.Company.Domain != "" {
		if companyID, err = tx.UpsertCompany(ctx, in.Company.Domain, in.Company.Name, now); err != nil {
			return nil, err
		}
	}
	res := &InquiryResult{Suspicious: in.Suspicious}
	var l *store.Lead
	if existing == nil {
		// Evaluated and encoded before the transaction; written once.
		// Anonymous activity is rare and re-evaluated below.
		l = fresh
		l.CompanyID = companyID
		if now := s.Active(); now != a {
			// A definition was activated meanwhile; its re-evaluation only
			// covers leads that existed then, so evaluate with it here.
			a = now
			s.evaluate(a, l, nil, l.CreatedAt)
		}
		if err := tx.InsertLead(ctx, l); err != nil {
			return nil, err
		}
		res.Created = true
		if email != "" {
			n, err := tx.AttachAnonymous(ctx, email, l.ID)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				events, err := tx.LeadEvents(ctx, l.ID)
				if err != nil {
					return nil, err
				}
				s.evaluate(a, l, events, now)
				l.Encoded = nil
				if err := tx.UpdateLead(ctx, l); err != nil {
					return nil, err
				}
			}
		}
		if err := suspicion(ctx, tx, l, in); err != nil {
			return nil, err
		}
		if err := afterEvaluation(ctx, tx, l, flowState{}, now); err != nil {
			return nil, err
		}
		if err := leadCreated(ctx, tx, l, now); err != nil {
			return nil, err
		}
	} else {
		l = existing
		prev := flowOf(l)
		// Details of an inquiry that is junk on its own are not taken over.
		trusted := len(in.Suspicious) == 0 && (fresh.Eval == nil || definition.Severity(fresh.Eval.Quality) < definition.Severity(definition.VerdictJunk))
		events, err := tx.LeadEvents(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		snap, mergeID, err := s.mergeInto(ctx, tx, l, in, by, email, phone, companyID, trusted, a, events, now)
		if err != nil {
			return nil, err
		}
		reported, held = snap.Reported, snap.Held
		res.MergedBy, res.MergeID = by, mergeID
		l.UpdatedAt = now
		if err := tx.UpdateLead(ctx, l); err != nil {
			return nil, err
		}
		if err := suspicion(ctx, tx, l, in); err != nil {
			return nil, err
		}
		if err := afterEvaluation(ctx, tx, l, prev, now); err != nil {
			return nil, err
		}
	}
	if err := tx.AddTimeline(ctx, l.ID, now, "inquiry", withReported(inquiryEntry(in, l), reported, held)); err != nil {
		return nil, err
	}
	res.LeadID = l.ID
	if r := l.Eval; r != nil {
		res.Stage, res.Score, res.Band, res.Action, res.Quality, res.Definition = l.Stage(), r.Total, r.Band, r.Action, r.Quality, a.ID
		res.Evaluation = l.Encoded.Eval
	}
	return res, nil
}

// inquiryEntry is the timeline entry of an inquiry.
func inquiryEntry(in *Inquiry, l *store.Lead) map[string]any {
	entry := map[string]any{"action": in.Action, "source": in.Source}
	if len(in.Suspicious) > 0 {
		entry["suspicious"] = in.Suspicious
	}
	if r := l.Eval; r != nil {
		entry["stage"], entry["score"], entry["band"] = l.Stage(), r.Total, r.Band
		entry["definition"] = r.Definition // reports attribute an MQL to the version that made it
	}
	return entry
}

// encodeInquiryEntry is json.Marshal(inquiryEntry(in, l)), byte for byte
// (TestInquiryEntryEncoding), without reflection or the map: it is
// encoded for every new inquiry. The keys are in the order encoding/json
// sorts a map's.
func encodeInquiryEntry(in *Inquiry, l *store.Lead) ([]byte, error) {
	return encodeMergedEntry(in, l, nil, false)
}

// encodeMergedEntry is json.Marshal(withReported(inquiryEntry(in, l),
// reported, held)), byte for byte, likewise: the entry of an inquiry merged
// into a known person's lead.
func encodeMergedEntry(in *Inquiry, l *store.Lead, reported map[string]any, held bool) ([]byte, error) {
	dst, err := in.Action.AppendJSON(append(make([]byte, 0, 512), `{"action":`...))
	if err != nil {
		return nil, err
	}
	r := l.Eval
	if r != nil {
		dst = jsonappend.String(append(dst, `,"band":`...), r.Band)
		dst = r.Definition.AppendJSON(append(dst, `,"definition":`...))
	}
	if held {
		dst = jsonappend.String(append(dst, `,"held":`...), heldNote)
	}
	if len(reported) > 0 {
		if dst, err = lead.AppendObject(append(dst, `,"reported":`...), reported); err != nil {
			return nil, err
		}
	}
	if r != nil {
		if dst, err = jsonappend.Float(append(dst, `,"score":`...), r.Total); err != nil {
			return nil, err
		}
	}
	dst = in.Source.AppendJSON(append(dst, `,"source":`...))
	if r != nil {
		dst = jsonappend.String(append(dst, `,"stage":`...), l.Stage())
	}
	if len(in.Suspicious) > 0 {
		dst = jsonappend.Strings(append(dst, `,"suspicious":`...), in.Suspicious)
	}
	return append(dst, '}'), nil
}

// MaxInquiryBatch bounds one POST /api/v1/inquiries/batch.
const MaxInquiryBatch = 1000

// SubmitBatch stores many inquiries in one group commit, each exactly as
// Submit would (a bad one does not stop the others: its answer is
// Invalid). With an Idempotency-Key the answers are stored together under
// the key, each inquiry's by its position (see batchKey), so a retry of
// the whole batch gets every answer back unchanged; replayed reports that
// it did.
func (s *Service) SubmitBatch(ctx context.Context, ins []Inquiry, idem *Idem) (answers []Answer[*InquiryResult], replayed bool, err error) {
	if len(ins) == 0 || len(ins) > MaxInquiryBatch {
		return nil, false, problem.Fields("bad batch", problem.Field{Name: "inquiries", Reason: fmt.Sprintf("send 1 to %d inquiries", MaxInquiryBatch)})
	}
	now := s.now()
	items := make([]Answer[*InquiryResult], len(ins))
	subs := make([]*submission, len(ins))
	var valid []*submission
	var batch *batchKey
	if idem != nil && idem.Key != "" {
		batch = &batchKey{idem: *idem, now: now}
	}
	for i := range ins {
		var itemIdem *Idem
		if batch != nil {
			itemIdem = &Idem{TokenID: idem.TokenID, Key: itemKey(idem.Key, i), Fingerprint: idem.Fingerprint}
		}
		ins[i].Suspicious = nil
		sub, err := s.prepareShared(&ins[i], itemIdem, now, false)
		if err != nil {
			if pe, ok := problem.As(err); ok {
				items[i] = refused(pe)
				continue
			}
			return nil, false, err
		}
		if batch != nil {
			sub.batch, sub.index = batch, i
		}
		subs[i] = sub
		valid = append(valid, sub)
	}
	s.prepareKnown(ctx, valid)
	if err := s.encodeUnknown(valid); err != nil {
		return nil, false, err
	}
	if err := s.writer.submit(ctx, valid); err != nil {
		return nil, false, err
	}
	s.count(valid)
	replayed = len(valid) > 0
	for i, sub := range subs {
		if sub == nil {
			continue
		}
		if sub.err == ErrIdemMismatch {
			return nil, false, ErrIdemMismatch // the key was used for another batch
		}
		if pe, ok := problem.As(sub.err); ok {
			items[i] = refused(pe)
			continue
		}
		if sub.err != nil {
			// The database refused this inquiry alone (see writeEachAlone);
			// nothing of it was stored, and a retry writes it.
			items[i], replayed = Answer[*InquiryResult]{Outcome: Failed}, false
			continue
		}
		items[i] = inquiryAnswer(sub.res, sub.body, sub.idem != nil && sub.idem.Replayed)
		replayed = replayed && sub.idem != nil && sub.idem.Replayed
	}
	return items, replayed, nil
}

// refused is the answer of an inquiry of a batch refused for pe.
func refused(pe *problem.Error) Answer[*InquiryResult] {
	return Answer[*InquiryResult]{Outcome: Invalid, Problem: pe}
}
