package intake_test

import (
	"context"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

func TestImportRows(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			s := newService(t, db, testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)))
			row := func(ext, email string) intake.Inquiry {
				return intake.Inquiry{Person: lead.Person{Email: email, Age: 41, FirstName: "Rui", LastName: "Costa"},
					Source: lead.Source{Format: "purchased_list", ExternalID: ext}, Action: lead.Action{Type: "list_import"}}
			}
			tests := []struct {
				name    string
				in      intake.Inquiry
				key     string
				preview string
				want    string
			}{
				{"new by external id", row("bank.csv#2", ""), "k2", intake.RowCreated, intake.RowCreated},
				{"same row again", row("bank.csv#2", ""), "k2", intake.RowMerged, intake.RowUnchanged},
				{"another row, same external id", row("bank.csv#2", ""), "k2b", intake.RowMerged, intake.RowMerged},
				{"new by e-mail", row("", "rui.costa@banco.pt"), "k3", intake.RowCreated, intake.RowCreated},
				{"no identity", row("", ""), "k4", intake.RowInvalid, intake.RowInvalid},
			}
			for _, tt := range tests {
				p, err := s.PreviewRow(ctx, tt.in)
				if err != nil || p.Status != tt.preview {
					t.Errorf("%s: preview %+v %v, want %s", tt.name, p, err, tt.preview)
				}
				r, err := s.ImportRow(ctx, tt.in, tt.key)
				if err != nil || r.Status != tt.want {
					t.Errorf("%s: import %+v %v, want %s", tt.name, r, err, tt.want)
				}
			}
			if n, _ := db.CountLiveLeads(ctx); n != 2 {
				t.Errorf("%d leads, want 2", n)
			}
		})
	}
}

// TestImportBatch: a group mixing new people, a person twice in the
// group, a known person, an invalid row and a row seen before gives the
// same outcomes as importing the rows one by one.
func TestImportBatch(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			s := newService(t, db, testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)))
			known := laura()
			if _, err := s.Submit(ctx, known, nil); err != nil {
				t.Fatal(err)
			}
			row := func(email string) intake.Inquiry {
				return intake.Inquiry{Person: lead.Person{Email: email, FirstName: "Rui", LastName: "Costa"},
					Source: lead.Source{Format: "webinar_list"}, Action: lead.Action{Type: "webinar_attended"}}
			}
			items := []intake.ImportItem{
				{Inquiry: row("a@banco.pt"), Key: "1"},
				{Inquiry: row("b@banco.pt"), Key: "2"},
				{Inquiry: row("A@banco.pt"), Key: "3"},              // a again, in the same group
				{Inquiry: row("laura.chen@helixbio.com"), Key: "4"}, // known before
				{Inquiry: row(""), Key: "5"},                        // no identity
				{Inquiry: row("b@banco.pt"), Key: "2"},              // the same row twice
			}
			want := []string{intake.RowCreated, intake.RowCreated, intake.RowMerged, intake.RowMerged, intake.RowInvalid, intake.RowUnchanged}
			res, err := s.ImportBatch(ctx, items)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				if r.Status != want[i] {
					t.Errorf("row %d: %+v, want %s", i, r, want[i])
				}
			}
			if res[0].LeadID == 0 || res[2].LeadID != res[0].LeadID || res[5].LeadID != res[1].LeadID {
				t.Errorf("lead ids %+v", res)
			}
			again, err := s.ImportBatch(ctx, items[:4])
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range again {
				if r.Status != intake.RowUnchanged || r.LeadID != res[i].LeadID {
					t.Errorf("second import, row %d: %+v", i, r)
				}
			}
			if n, _ := db.CountLiveLeads(ctx); n != 3 {
				t.Errorf("%d leads, want 3", n)
			}
			l, err := db.Lead(ctx, res[0].LeadID)
			if err != nil || len(l.Data.Actions) != 2 || l.Eval == nil {
				t.Errorf("merged lead: %+v %v", l, err)
			}
		})
	}
}
