// Package intaketest stores inquiries through the intake service, for
// tests of what intake leaves in a database.
package intaketest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/waterfall"
)

// Batches stores n batches of 6 new people through an intake service on
// db, under the bundled example definition, with the waterfall as
// pista serve has it: two people a company, every other one nurtured (a
// re-contact timer), each batch with its idempotency record.
func Batches(t testing.TB, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	svc, err := intake.New(ctx, intake.Config{DB: db, Log: testenv.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	waterfall.New(waterfall.Config{Intake: svc, Log: testenv.Logger()})
	_, here, _, _ := runtime.Caller(0)
	def, err := os.ReadFile(filepath.Join(filepath.Dir(here), "../../../examples/definitions/instrumentos.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddDefinition(ctx, "instrumentos.yaml", def, true); err != nil {
		t.Fatal(err)
	}
	for b := range n {
		var ins []intake.Inquiry
		for i := range 6 {
			p := b*6 + i
			action := lead.Action{Type: "demo_request"}
			if i%2 == 1 {
				action = lead.Action{Type: "contact_form", Props: map[string]any{"topic": "distribution"}}
			}
			domain := fmt.Sprintf("industrias%d.com.mx", p/2)
			ins = append(ins, intake.Inquiry{
				Person:  lead.Person{Email: fmt.Sprintf("p%d@%s", p, domain), FirstName: "Ana", LastName: "Soto", Phone: fmt.Sprintf("+52 55 1234 %04d", p)},
				Company: lead.Company{Name: "Co " + domain, Domain: domain, Employees: 200},
				Action:  action,
			})
		}
		idem := &intake.Idem{TokenID: 1, Key: fmt.Sprintf("key-%d", b), Fingerprint: "f"}
		if _, _, err := svc.SubmitBatch(ctx, ins, idem); err != nil {
			t.Fatal(err)
		}
	}
}
