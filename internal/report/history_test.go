package report_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
)

// history writes lead histories into a real store the way intake and the
// waterfall write them: a lead row and its timeline entries (inquiry,
// stage_changed, rejected, recycled, merged), with the same JSON shapes.
type history struct {
	t  testing.TB
	db *store.DB
}

// person is a new lead's first inquiry.
type person struct {
	at                     time.Time
	source, campaign, form string
	country, band, team    string
	owner                  string
	score                  float64
	stage                  string // the stage the definition gave it at once
	version                string // the definition that evaluated it
}

func (h *history) tx(fn func(tx *store.Tx) error) {
	h.t.Helper()
	if err := h.db.InTx(context.Background(), fn); err != nil {
		h.t.Fatal(err)
	}
}

func defRef(version string) engine.DefinitionRef {
	return engine.DefinitionRef{Name: "instrumentos", Version: version, Hash: "hash-" + version}
}

// lead stores a new lead and its inquiry entry.
func (h *history) lead(p person) int64 {
	h.t.Helper()
	if p.stage == "" {
		p.stage = "inquiry"
	}
	l := &store.Lead{
		Data: lead.Lead{
			Person:  lead.Person{Country: p.country},
			Source:  lead.Source{Format: p.source, Campaign: p.campaign},
			Actions: []lead.Action{{Type: "price_request", At: p.at}},
		},
		Eval:      &engine.Result{Stage: p.stage, Band: p.band, Team: p.team, Total: p.score, Definition: defRef(p.version)},
		Owner:     p.owner,
		CreatedAt: p.at, UpdatedAt: p.at,
	}
	h.tx(func(tx *store.Tx) error {
		if err := tx.InsertLead(context.Background(), l); err != nil {
			return err
		}
		props := map[string]any{}
		if p.form != "" {
			props["form"] = p.form
		}
		return tx.AddTimeline(context.Background(), l.ID, p.at, "inquiry", map[string]any{
			"action": map[string]any{"type": "price_request", "props": props},
			"source": map[string]any{"format": p.source, "campaign": p.campaign},
			"stage":  p.stage, "score": p.score, "band": p.band, "definition": defRef(p.version)})
	})
	return l.ID
}

// move records a stage change (by the definition when version is set).
func (h *history) move(id int64, at time.Time, from, to, version string) {
	h.t.Helper()
	data := map[string]any{"from": from, "to": to, "actor": "ana@x"}
	if version != "" {
		data["actor"], data["definition"] = "definition", defRef(version)
	}
	h.entry(id, at, "stage_changed", data)
}

func (h *history) reject(id int64, at time.Time, reason, from, to string) {
	h.t.Helper()
	h.entry(id, at, "rejected", map[string]any{"by": "ana@x", "reason": reason, "to": to})
	h.move(id, at, from, to, "")
}

// recycle is the re-contact timer bringing a nurtured lead back.
func (h *history) recycle(id int64, at time.Time, to string) {
	h.t.Helper()
	h.entry(id, at, "recycled", map[string]any{"times": 1, "from": "nurture", "to": to})
	h.move(id, at, "nurture", to, "")
}

// inquiryAgain is a later inquiry merged into the lead.
func (h *history) inquiryAgain(id int64, at time.Time, source, campaign string) {
	h.t.Helper()
	h.entry(id, at, "merged", map[string]any{"merge_id": 1, "by": "email"})
	h.entry(id, at, "inquiry", map[string]any{"action": map[string]any{"type": "webinar_attended"},
		"source": map[string]any{"format": source, "campaign": campaign}, "stage": "inquiry"})
}

func (h *history) entry(id int64, at time.Time, kind string, data any) {
	h.t.Helper()
	h.tx(func(tx *store.Tx) error { return tx.AddTimeline(context.Background(), id, at, kind, data) })
}

// update changes the lead row as the waterfall would (owner, band, flow).
func (h *history) update(id int64, fn func(l *store.Lead)) {
	h.t.Helper()
	h.tx(func(tx *store.Tx) error {
		l, err := tx.Lead(context.Background(), id)
		if err != nil {
			return err
		}
		fn(l)
		l.Encoded = nil
		return tx.UpdateLead(context.Background(), l)
	})
}

// won sets the deal on the lead's flow.
func (h *history) won(id int64, amount float64, currency string) {
	h.t.Helper()
	flow, _ := json.Marshal(map[string]any{"opportunity": map[string]any{"amount": amount, "currency": currency}})
	h.tx(func(tx *store.Tx) error {
		l, err := tx.Lead(context.Background(), id)
		if err != nil {
			return err
		}
		l.Flow, l.HumanStage = flow, "won"
		return tx.SaveFlow(context.Background(), l, l.UpdatedAt)
	})
}
