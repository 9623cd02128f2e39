package lab

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// The hand-computed leads again, now in a database: won is the label, and
// one lead that did not buy visits the pricing page after its inquiry. A
// backtest that read that later visit would give it 100 points and change
// the AUC; scoring as of the inquiry keeps it at 17/24.
func TestBacktestDatabase(t *testing.T) {
	def, err := definition.Parse("hand.yaml", []byte(strings.Replace(handDef, "fit:\n", "fit:\n  - {name: called, when: bant.recorded, points: 100}\n", 1)+`engagement:
  rules:
    - {name: late_pricing, type: pricing_view, points: 100}
`))
	if err != nil {
		t.Fatal(err)
	}
	grades := []string{"a", "a", "a", "b", "b", "b", "c", "c", "c", "d"}
	won := []bool{true, true, false, true, false, false, false, true, false, false}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			var reports []*store.ReportLead
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for i, g := range grades {
					at := t0.Add(time.Duration(i) * time.Hour)
					l := &store.Lead{Email: "r" + string(rune('a'+i)) + "@x.com", CreatedAt: at, UpdatedAt: at,
						Data: lead.Lead{Person: lead.Person{Attributes: map[string]any{"grade": g}}, Actions: []lead.Action{{Type: "contact_form", At: at}}}}
					if g == "d" { // called two days after inquiring
						l.Qualification = &lead.Qualification{Need: lead.NeedConfirmed, By: "rep@x.com", At: at.Add(48 * time.Hour)}
					}
					if err := tx.InsertLead(ctx, l); err != nil {
						return err
					}
					// The funnel dates the inquiry when the row was stored, a
					// day late; the action's own date is the decision moment.
					rl := &store.ReportLead{LeadID: l.ID, InquiryAt: at.Add(72 * time.Hour)}
					if won[i] {
						w := at.Add(30 * 24 * time.Hour)
						rl.Reached[1], rl.Reached[4] = &w, &w
					}
					reports = append(reports, rl)
					if g == "d" {
						late := store.Event{LeadID: l.ID, Event: lead.Event{Type: "pricing_view", At: at.Add(48 * time.Hour)}}
						if err := tx.InsertEvents(ctx, []store.Event{late}); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SaveReportLeads(ctx, reports, nil, 1, nil); err != nil {
				t.Fatal(err)
			}
			events := 0
			db.LabLeads(ctx, t0, t0.AddDate(0, 1, 0), func(l *store.LabLead) error {
				events += len(l.Events)
				return nil
			})
			if events != 1 {
				t.Fatalf("LabLeads read %d events, want the one stored", events)
			}
			cfg := BacktestConfig{Outcome: "won", Candidate: def, Now: t0.AddDate(1, 0, 0)}
			rep, err := BacktestDB(ctx, db, t0.AddDate(0, -1, 0), t0.AddDate(0, 1, 0), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Scored != 10 || rep.Positives != 4 || math.Abs(rep.Candidate.AUC.Value-17.0/24) > 1e-9 {
				t.Errorf("scored %d, positives %d, AUC %.4f; want 10, 4, 17/24", rep.Scored, rep.Positives, rep.Candidate.AUC.Value)
			}
			for _, r := range rep.Candidate.Rules {
				if r.Rule == "late_pricing" || r.Rule == "called" {
					t.Errorf("something known only after the inquiry was scored: %+v", r)
				}
			}
			if !strings.Contains(rep.TimeNote, "as of its first inquiry") {
				t.Errorf("time note %q", rep.TimeNote)
			}
			// A window that ends before the last four inquiries leaves them out.
			rep, err = BacktestDB(ctx, db, t0.Add(72*time.Hour), t0.Add(78*time.Hour), cfg)
			if err != nil || rep.Scored != 6 {
				t.Errorf("window: %v, scored %d", err, rep.Scored)
			}
			if _, err := BacktestDB(ctx, db, t0, time.Time{}, BacktestConfig{Outcome: "bought", Candidate: def}); err == nil ||
				!strings.Contains(err.Error(), "0 of 10 scored leads converted") {
				t.Errorf("an outcome nobody has: %v", err)
			}
		})
	}
}

// Outcomes imported from a spreadsheet, keyed by e-mail, label the leads
// of the database; importing the file again adds nothing, and rows that
// cannot be used are counted and named.
func TestImportOutcomes(t *testing.T) {
	def, err := definition.Parse("hand.yaml", []byte(handDef))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	grades := []string{"a", "a", "a", "b", "b", "b", "c", "c", "c", "d"}
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			var reports []*store.ReportLead
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for i, g := range grades {
					at := t0.Add(time.Duration(i) * time.Hour)
					l := &store.Lead{Email: "r" + string(rune('a'+i)) + "@x.com", ExternalID: "crm-" + g + string(rune('a'+i)), CreatedAt: at, UpdatedAt: at,
						Data: lead.Lead{Person: lead.Person{Attributes: map[string]any{"grade": g}}, Actions: []lead.Action{{Type: "contact_form", At: at}}}}
					if err := tx.InsertLead(ctx, l); err != nil {
						return err
					}
					reports = append(reports, &store.ReportLead{LeadID: l.ID, InquiryAt: at})
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SaveReportLeads(ctx, reports, nil, 1, nil); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "crm.csv")
			os.WriteFile(path, []byte("Email,Converted,Closed,Amount\n"+
				"RA@x.com,yes,2026-04-01,1200 EUR\nrb@x.com,yes,2026-04-02,\nrc@x.com,no,,\nrd@x.com,yes,,\nrh@x.com,yes,,\n"+
				"nobody@x.com,yes,,\nre@x.com,maybe,,\nrf@x.com,yes,01/02/2026,\n"), 0o644)
			cfg := OutcomeImport{Data: path, Key: "email", KeyColumn: "email", OutcomeColumn: "converted", DateColumn: "closed", AmountColumn: "amount", Now: t0}
			st, err := ImportOutcomes(ctx, db, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if st.Rows != 8 || st.Added != 4 || st.Negative != 1 || st.Unmatched != 1 || st.Invalid != 2 || len(st.Errors) != 3 {
				t.Errorf("stats %+v", st)
			}
			for _, want := range []string{`row 6 (line 7): no lead with email "nobody@x.com"`, `row 7 (line 8): converted: outcome "maybe"`, `row 8 (line 9): closed: date "01/02/2026"`} {
				if !strings.Contains(strings.Join(st.Errors, "\n"), want) {
					t.Errorf("errors lack %q: %q", want, st.Errors)
				}
			}
			again, err := ImportOutcomes(ctx, db, cfg)
			if err != nil || again.Added != 0 || again.Unchanged != 4 {
				t.Errorf("again: %+v %v", again, err)
			}
			// Converted: ra, rb (grade a), rd (b), rh (c): the hand-computed
			// leads' outcomes, so AUC 17/24.
			rep, err := BacktestDB(ctx, db, t0, time.Time{}, BacktestConfig{Outcome: "converted", Candidate: def, Now: t0})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Positives != 4 || math.Abs(rep.Candidate.AUC.Value-17.0/24) > 1e-9 {
				t.Errorf("positives %d, AUC %.4f", rep.Positives, rep.Candidate.AUC.Value)
			}
			if _, err := ImportOutcomes(ctx, db, OutcomeImport{Data: path, Key: "phone", KeyColumn: "email", OutcomeColumn: "converted"}); err == nil {
				t.Error("key phone accepted")
			}
			if _, err := ImportOutcomes(ctx, db, OutcomeImport{Data: path, Key: "email", KeyColumn: "mail", OutcomeColumn: "converted"}); err == nil || !strings.Contains(err.Error(), `--key-column "mail": no such column`) {
				t.Errorf("missing column: %v", err)
			}
		})
	}
}
