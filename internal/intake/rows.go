package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
)

// Row outcomes of an import, also used in its report.
const (
	RowCreated   = "created"   // a new lead
	RowMerged    = "merged"    // added to a known lead
	RowUnchanged = "unchanged" // imported before: nothing new
	RowInvalid   = "invalid"   // not stored; the reason says why
)

// RowResult is what happened to one imported row. Quality is the verdict
// of the definition's quality rules (fake and junk rows are stored and
// marked, like any inquiry).
type RowResult struct {
	Status  string `json:"status"`
	LeadID  int64  `json:"lead_id,omitempty"`
	Quality string `json:"quality,omitempty"`
	Stage   string `json:"stage,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Anonymous: the row has no e-mail, phone or name and is known by its
	// external id (see engine.Result.Anonymous).
	Anonymous bool `json:"anonymous,omitempty"`
	// Keys are the person's normalised identities (e-mail, phone, external
	// id), so a dry run can spot the same person twice in one file.
	Keys []string `json:"-"`
	// Mappings say how the row's values were read into vocabulary codes,
	// for the import's coverage report.
	Mappings []lead.Mapping `json:"-"`
}

// importToken marks an imported row's key (its answer is kept under its
// lead, see store.ImportedRow); API tokens have positive IDs.
const importToken = -1

// RowKey identifies an imported row by its content and how it is imported,
// so that importing the same file again, or again after a crash, stores
// each row once.
func RowKey(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return "import:" + hex.EncodeToString(sum[:16])
}

// ImportRow stores one imported row through the same cleaning, dedup and
// evaluation as the API, exactly once per key.
func (s *Service) ImportRow(ctx context.Context, in Inquiry, key string) (RowResult, error) {
	idem := &Idem{TokenID: importToken, Key: key, Fingerprint: key}
	ans, err := s.Submit(ctx, in, idem)
	if err != nil {
		if pe, ok := problem.As(err); ok && pe.Kind == problem.Invalid {
			return RowResult{Status: RowInvalid, Reason: pe.Error()}, nil
		}
		return RowResult{}, err
	}
	return rowResult(ans.Result, ans.Replayed), nil
}

// PreviewRow says what importing a row would do, without writing: new or
// merged into a known lead (and which), its quality verdict and stage.
func (s *Service) PreviewRow(ctx context.Context, in Inquiry) (RowResult, error) {
	now, a := s.now(), s.Active()
	email, phone, err := normalise(&in, now, s.vocabulary(a))
	if err != nil {
		var pe *problem.Error
		if errors.As(err, &pe) {
			return RowResult{Status: RowInvalid, Reason: pe.Error()}, nil
		}
		return RowResult{}, err
	}
	id, _, err := s.db.FindLead(ctx, email, phone, in.Source.ExternalID)
	if err != nil {
		return RowResult{}, err
	}
	fresh := newLead(&in, email, phone, now)
	s.evaluate(a, fresh, nil, now)
	out := RowResult{Status: RowCreated, LeadID: id, Mappings: in.Mappings}
	for _, k := range []string{email, phone, in.Source.ExternalID} {
		if k != "" {
			out.Keys = append(out.Keys, k)
		}
	}
	if id != 0 {
		out.Status = RowMerged
	}
	if r := fresh.Eval; r != nil {
		out.Quality, out.Stage, out.Anonymous = r.Quality, r.Stage, r.Anonymous
		out.Reason = qualityReason(r, r.Quality)
	}
	return out, nil
}

// qualityReason says why a row's lead is flagged: each quality rule that
// judged the row, with its verdict and reason ("junk: no valid e-mail
// address and no phone (rule no_contact)"). quality is the lead's verdict
// after any merge; when the row alone was not flagged, the lead it joined
// was. "" for a lead that is not flagged.
func qualityReason(r *engine.Result, quality string) string {
	if quality == "" || quality == definition.VerdictOK {
		return ""
	}
	var parts []string
	if r != nil {
		for _, s := range r.Explanation {
			if s.Kind != "quality" || s.Value == "" || s.Value == definition.VerdictOK {
				continue
			}
			why := s.Note
			if why == "" {
				why = "quality rule"
			}
			parts = append(parts, fmt.Sprintf("%s: %s (rule %s)", s.Value, why, s.Rule))
		}
	}
	if len(parts) == 0 {
		return "the lead it joined is marked " + quality
	}
	return strings.Join(parts, "; ")
}
