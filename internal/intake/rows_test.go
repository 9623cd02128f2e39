package intake_test

import (
	"context"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store/storetest"
)

func TestImportRows(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			s := newService(t, db, &clock{t: time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)})
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
