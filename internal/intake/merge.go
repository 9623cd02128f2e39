package intake

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/pistahq/pista/internal/jsonappend"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// mergeSnapshot is what a merge changed, kept so it can be undone.
type mergeSnapshot struct {
	Before struct {
		Data      lead.Lead `json:"data"`
		Email     string    `json:"email,omitempty"`
		Phone     string    `json:"phone,omitempty"`
		CompanyID int64     `json:"company_id,omitempty"`
	} `json:"before"`
	Inquiry   Inquiry `json:"inquiry"`
	Email     string  `json:"email,omitempty"`
	Phone     string  `json:"phone,omitempty"`
	CompanyID int64   `json:"company_id,omitempty"`
	// Applied is false when the inquiry's details were not taken over
	// (junk, fake or suspicious): only its action was recorded.
	Applied bool `json:"applied"`
	// FillOnly marks an untrusted inquiry (see untrusted.go): it filled
	// blanks only, and Reported holds the values it gave that differ from
	// what was known. Held is set when it was recorded without changing
	// the lead at all, not even its actions, because it would have lowered
	// the lead's stage or taken it from its owner.
	FillOnly bool           `json:"fill_only,omitempty"`
	Reported map[string]any `json:"reported,omitempty"`
	Held     bool           `json:"held,omitempty"`
}

// encode is json.Marshal(snap), byte for byte (TestMergeSnapshotEncoding),
// without reflection: every inquiry merged into a known lead records one.
func (snap *mergeSnapshot) encode() ([]byte, error) {
	dst, err := snap.Before.Data.AppendJSON(append(make([]byte, 0, 2048), `{"before":{"data":`...))
	if err != nil {
		return nil, err
	}
	dst = appendAddresses(dst, snap.Before.Email, snap.Before.Phone, snap.Before.CompanyID)
	in := &snap.Inquiry
	if dst, err = in.Person.AppendJSON(append(dst, `},"inquiry":{"person":`...)); err != nil {
		return nil, err
	}
	if dst, err = in.Company.AppendJSON(append(dst, `,"company":`...)); err != nil {
		return nil, err
	}
	dst = in.Source.AppendJSON(append(dst, `,"source":`...))
	if dst, err = in.Action.AppendJSON(append(dst, `,"action":`...)); err != nil {
		return nil, err
	}
	dst = appendAddresses(append(dst, '}'), snap.Email, snap.Phone, snap.CompanyID)
	dst = jsonappend.Bool(append(dst, `,"applied":`...), snap.Applied)
	if snap.FillOnly {
		dst = append(dst, `,"fill_only":true`...)
	}
	if len(snap.Reported) > 0 {
		if dst, err = lead.AppendObject(append(dst, `,"reported":`...), snap.Reported); err != nil {
			return nil, err
		}
	}
	if snap.Held {
		dst = append(dst, `,"held":true`...)
	}
	return append(dst, '}'), nil
}

// appendAddresses appends a snapshot's e-mail, phone and company ID
// members, each after a comma, those that are set.
func appendAddresses(dst []byte, email, phone string, companyID int64) []byte {
	if email != "" {
		dst = jsonappend.String(append(dst, `,"email":`...), email)
	}
	if phone != "" {
		dst = jsonappend.String(append(dst, `,"phone":`...), phone)
	}
	if companyID != 0 {
		dst = jsonappend.Int(append(dst, `,"company_id":`...), companyID)
	}
	return dst
}

// mergeInto attaches an inquiry to the lead it was recognised as,
// evaluates the lead again with events, and records the merge with a
// snapshot so that it can be undone. Unless the inquiry itself looks like
// junk, what the person typed this time updates what was known (see
// applyInquiry): a fake "asdf qwer" sent with a real customer's address
// must not overwrite her name. An untrusted inquiry only fills blanks and
// never lowers the lead (see untrusted.go).
func (s *Service) mergeInto(ctx context.Context, tx *store.Tx, l *store.Lead, in *Inquiry, by, email, phone string, companyID int64, trusted bool, a *Active, events []lead.Event, now time.Time) (*mergeSnapshot, int64, error) {
	snap, err := s.merge(l, in, email, phone, companyID, trusted, a, events, now)
	if err != nil {
		return nil, 0, err
	}
	data, err := snap.encode()
	if err != nil {
		return nil, 0, err
	}
	mergeID, err := recordMerge(ctx, tx, l.ID, in, by, snap, data, now)
	return snap, mergeID, err
}

// merge is mergeInto without the writing: it changes l and evaluates it,
// and returns the snapshot to record.
func (s *Service) merge(l *store.Lead, in *Inquiry, email, phone string, companyID int64, trusted bool, a *Active, events []lead.Event, now time.Time) (*mergeSnapshot, error) {
	var snap mergeSnapshot
	snap.Before.Data, snap.Before.Email, snap.Before.Phone, snap.Before.CompanyID = l.Data, l.Email, l.Phone, l.CompanyID
	snap.Inquiry, snap.Email, snap.Phone, snap.CompanyID, snap.Applied = *in, email, phone, companyID, trusted
	snap.FillOnly = in.Untrusted
	prev, prevEval, prevDef := flowOf(l), l.Eval, l.DefinitionID
	if trusted {
		reported, err := applyInquiry(l, in, email, phone, companyID, in.Untrusted)
		if err != nil {
			return nil, err
		}
		snap.Reported = reported
	}
	l.Data.Actions = append(l.Data.Actions, in.Action)
	if n := len(l.Data.Actions); n > lead.MaxActions {
		l.Data.Actions = l.Data.Actions[n-lead.MaxActions:]
	}
	s.evaluate(a, l, events, now)
	if in.Untrusted && prevEval != nil && lowers(prev, flowOf(l)) {
		// applyInquiry replaces Person and Company whole and Actions grew
		// past Before's length, so Before is still the lead as it was.
		l.Data, l.Email, l.Phone, l.CompanyID = snap.Before.Data, snap.Before.Email, snap.Before.Phone, snap.Before.CompanyID
		l.Eval, l.DefinitionID, l.Encoded = prevEval, prevDef, nil
		snap.Held, snap.Applied = true, false
	}
	return &snap, nil
}

// recordMerge writes a merge's record (data is snap encoded), its
// timeline entry and its webhook event, and returns the merge's ID.
func recordMerge(ctx context.Context, tx *store.Tx, leadID int64, in *Inquiry, by string, snap *mergeSnapshot, data []byte, now time.Time) (int64, error) {
	m := &store.Merge{KeptID: leadID, MergedID: leadID, At: now, Reason: by, Data: data}
	if err := tx.InsertMerge(ctx, m); err != nil {
		return 0, err
	}
	entry := withReported(map[string]any{"merge_id": m.ID, "by": by, "action": in.Action.Type, "details_taken": snap.Applied}, snap.Reported, snap.Held)
	if err := tx.AddTimeline(ctx, leadID, now, "merged", entry); err != nil {
		return 0, err
	}
	return m.ID, tx.Emit(ctx, store.OutEvent{Type: "lead.merged", LeadID: leadID, At: now, Data: entry})
}

// applyInquiry updates a lead with what a person typed in a later inquiry:
// non-empty fields win, the address the lead is known by stays, a first
// address or a new phone is adopted. With fillOnly (an untrusted inquiry)
// only blanks are filled, and the values that differ from what is known
// are returned instead. Undoing a merge replays it for the merges that
// remain, so this is the one place the rule lives.
func applyInquiry(l *store.Lead, in *Inquiry, email, phone string, companyID int64, fillOnly bool) (map[string]any, error) {
	if fillOnly {
		reported := map[string]any{}
		if err := fill(&l.Data.Person, &in.Person, "person.", reported); err != nil {
			return nil, err
		}
		if err := fill(&l.Data.Company, &in.Company, "company.", reported); err != nil {
			return nil, err
		}
		if l.Email == "" {
			l.Email = email
		}
		if l.Phone == "" {
			l.Phone = phone
		}
		if l.CompanyID == 0 {
			l.CompanyID = companyID
		}
		if len(reported) == 0 {
			return nil, nil
		}
		return reported, nil
	}
	known := l.Data.Person.Email
	overlayPerson(&l.Data.Person, &in.Person)
	overlayCompany(&l.Data.Company, &in.Company)
	l.Data.Mappings = mergeMappings(l.Data.Mappings, in.Mappings)
	if l.Email != "" {
		l.Data.Person.Email = known
	} else if email != "" {
		l.Email = email
	}
	if phone != "" {
		l.Phone = phone
	}
	if companyID != 0 {
		l.CompanyID = companyID
	}
	return nil, nil
}

// mergeMappings keeps the latest mapping of each field: the inquiry's
// replace the lead's for the fields it mapped.
func mergeMappings(old, latest []lead.Mapping) []lead.Mapping {
	if len(latest) == 0 {
		return old
	}
	out := make([]lead.Mapping, 0, len(old)+len(latest))
	for _, m := range old {
		if !slices.ContainsFunc(latest, func(n lead.Mapping) bool { return n.Field == m.Field }) {
			out = append(out, m)
		}
	}
	return append(out, latest...)
}

// overlayPerson copies the non-empty fields of src onto dst, as JSON
// with omitempty would carry them (TestOverlayAsJSON holds it to that):
// texts and numbers given win, lists given replace, attributes are
// joined, src's keys winning. Lists and attributes are new values rather
// than changed in place, so a copy of dst taken before (a merge's
// snapshot) keeps its own. Written out field by field: through JSON it
// was a tenth of a known person's inquiry.
func overlayPerson(dst *lead.Person, src *lead.Person) {
	d := *dst
	or(&d.Email, src.Email)
	or(&d.FirstName, src.FirstName)
	or(&d.LastName, src.LastName)
	or(&d.Phone, src.Phone)
	or(&d.Title, src.Title)
	or(&d.Seniority, src.Seniority)
	or(&d.Department, src.Department)
	or(&d.Gender, src.Gender)
	or(&d.Age, src.Age)
	or(&d.Education, src.Education)
	or(&d.YearsExperience, src.YearsExperience)
	d.Income = orMoney(d.Income, src.Income)
	d.Specialties = orList(d.Specialties, src.Specialties)
	or(&d.Country, src.Country)
	or(&d.Region, src.Region)
	or(&d.City, src.City)
	or(&d.Language, src.Language)
	d.Attributes = joinAttributes(d.Attributes, src.Attributes)
	*dst = d
}

// overlayCompany is overlayPerson for the company.
func overlayCompany(dst *lead.Company, src *lead.Company) {
	d := *dst
	or(&d.Name, src.Name)
	or(&d.Domain, src.Domain)
	or(&d.Industry, src.Industry)
	or(&d.Employees, src.Employees)
	d.Revenue = orMoney(d.Revenue, src.Revenue)
	or(&d.Country, src.Country)
	or(&d.Divisions, src.Divisions)
	d.Products = orList(d.Products, src.Products)
	d.Markets = orList(d.Markets, src.Markets)
	d.Rankings = orList(d.Rankings, src.Rankings)
	d.Attributes = joinAttributes(d.Attributes, src.Attributes)
	*dst = d
}

func or[T comparable](dst *T, src T) {
	var zero T
	if src != zero {
		*dst = src
	}
}

// orMoney is src if an amount was given, else dst; Base is the engine's
// (computed on each evaluation), not kept.
func orMoney(dst, src lead.Money) lead.Money {
	if !src.IsZero() {
		dst = src
	}
	if dst.IsZero() {
		return lead.Money{}
	}
	return lead.Money{Amount: dst.Amount, Currency: dst.Currency}
}

// orList is a copy of src if it has items, else of dst (nil when empty).
func orList(dst, src []string) []string {
	if len(src) > 0 {
		dst = src
	}
	if len(dst) == 0 {
		return nil
	}
	return slices.Clone(dst)
}

// joinAttributes is a new map of a's attributes and b's, b's winning.
func joinAttributes(a, b map[string]any) map[string]any {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := make(map[string]any, len(a)+len(b))
	maps.Copy(out, a)
	maps.Copy(out, b)
	return out
}

// UndoResult says what undoing a merge did.
type UndoResult struct {
	MergeID int64 `json:"merge_id"`
	KeptID  int64 `json:"kept_lead_id"`
	NewID   int64 `json:"new_lead_id"`
}

// UndoMerge splits a merged inquiry back out into a lead of its own and
// restores what the kept lead looked like before. The new lead is not
// found by e-mail again when the merge was by e-mail (one address, one
// live lead), which its timeline records.
func (s *Service) UndoMerge(ctx context.Context, mergeID int64, actor string) (*UndoResult, error) {
	now := s.now()
	var out *UndoResult
	err := s.writer.do(ctx, func(ctx context.Context, tx *store.Tx) error {
		m, err := tx.Merge(ctx, mergeID)
		if errors.Is(err, store.ErrNotFound) {
			return problem.New(problem.NotFound, "merge %d does not exist", mergeID)
		}
		if err != nil {
			return err
		}
		if m.UndoneAt != nil {
			return problem.New(problem.Conflict, "merge %d was already undone at %s", mergeID, m.UndoneAt.Format(time.RFC3339))
		}
		var snap mergeSnapshot
		if err := json.Unmarshal(m.Data, &snap); err != nil {
			return err
		}
		kept, err := tx.Lead(ctx, m.KeptID)
		if err != nil {
			return err
		}
		if err := rebuildWithout(ctx, tx, kept, m.ID, snap.Inquiry.Action); err != nil {
			return err
		}
		kept.UpdatedAt = now
		a := s.Active()
		events, err := tx.LeadEvents(ctx, kept.ID)
		if err != nil {
			return err
		}
		if err := s.reevaluate(ctx, tx, a, kept, events, now); err != nil {
			return err
		}
		in := snap.Inquiry
		split := &store.Lead{Phone: snap.Phone, CreatedAt: now, UpdatedAt: now,
			Data: lead.Lead{Person: in.Person, Company: in.Company, Source: in.Source, Actions: []lead.Action{in.Action}}}
		if snap.Email != kept.Email {
			split.Email = snap.Email
		}
		if split.Phone == kept.Phone {
			split.Phone = ""
		}
		s.evaluate(a, split, nil, now)
		if err := tx.InsertLead(ctx, split); err != nil {
			return err
		}
		if err := tx.MarkMergeUndone(ctx, m.ID, now); err != nil {
			return err
		}
		note := map[string]any{"merge_id": m.ID, "by": actor, "kept_lead_id": kept.ID, "new_lead_id": split.ID}
		if err := tx.AddTimeline(ctx, kept.ID, now, "merge_undone", note); err != nil {
			return err
		}
		if err := tx.AddTimeline(ctx, split.ID, now, "split_from", note); err != nil {
			return err
		}
		out = &UndoResult{MergeID: m.ID, KeptID: kept.ID, NewID: split.ID}
		return nil
	})
	return out, err
}

// rebuildWithout recomputes a lead's details as if one merge had never
// happened: the lead as first created, then every other merge still in
// force, in order. Undoing merges in any order gives the same result.
func rebuildWithout(ctx context.Context, tx *store.Tx, l *store.Lead, undo int64, action lead.Action) error {
	merges, err := tx.MergesOf(ctx, l.ID)
	if err != nil {
		return err
	}
	actions := removeAction(l.Data.Actions, action)
	for i, m := range merges {
		var snap mergeSnapshot
		if err := json.Unmarshal(m.Data, &snap); err != nil {
			return err
		}
		if i == 0 {
			l.Data, l.Email, l.Phone, l.CompanyID = snap.Before.Data, snap.Before.Email, snap.Before.Phone, snap.Before.CompanyID
		}
		if m.ID == undo || m.UndoneAt != nil || !snap.Applied {
			continue
		}
		if _, err := applyInquiry(l, &snap.Inquiry, snap.Email, snap.Phone, snap.CompanyID, snap.FillOnly); err != nil {
			return err
		}
	}
	l.Data.Actions = actions
	return nil
}

func removeAction(actions []lead.Action, a lead.Action) []lead.Action {
	for i := len(actions) - 1; i >= 0; i-- {
		if actions[i].Type == a.Type && actions[i].At.Equal(a.At) {
			return append(actions[:i:i], actions[i+1:]...)
		}
	}
	return actions
}
