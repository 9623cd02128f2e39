package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/jsonpack"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// A lead's data and evaluation are stored packed (jsonpack), smaller, and
// read back as they were; a lead an older version stored as plain JSON
// reads the same.
func TestLeadsStoredPacked(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			at := time.Date(2026, 12, 7, 3, 46, 9, 551788195, time.UTC)
			recontact := at.AddDate(0, 2, 0)
			l := &store.Lead{Email: "joão@exemplo.com.br", CreatedAt: t0, UpdatedAt: t0,
				Data: lead.Lead{
					Person:  lead.Person{Email: "joão@exemplo.com.br", FirstName: "João", LastName: `"Zé" \ Souza`, Country: "BR", Title: "Gerente"},
					Company: lead.Company{Name: "Exemplo & Filhos", Domain: "exemplo.com.br", Employees: 120},
					Source:  lead.Source{Format: "web_form", Channel: "organic"},
					Actions: []lead.Action{{Type: "contact_form", At: at, Props: map[string]any{"topic": "true", "n": 3.5}}},
				},
				Eval: &engine.Result{Definition: engine.DefinitionRef{Name: "Definição", Version: "1", Hash: "abc"}, EvaluatedAt: at,
					Inquiry: true, Quality: "ok", Fit: 42.5, Grade: "B", BANT: engine.BANTResult{Threshold: 75},
					Total: 61, Band: "morno", Action: "nurture", RecontactAt: &recontact, Stage: "nurture", Team: "latam",
					Explanation: []engine.Step{
						{Kind: "vocabulary", Rule: "source.channel", Value: "list", Note: `"list" matches no code`},
						{Kind: "fit", Rule: "tamanho", Line: 38, Points: 12.5, Inputs: []engine.Input{{Name: "company.employees", Value: 120.0}, {Name: "x", Value: nil}}},
						{Kind: "lead", Rule: "format", Line: 40, Value: "false"},
					}},
			}
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, l) }); err != nil {
				t.Fatal(err)
			}
			wantData, err := l.Data.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			wantEval := l.Encoded.Eval
			data, eval, err := db.LeadColumnsForTest(ctx, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name         string
				stored, want []byte
			}{{"data", []byte(data), wantData}, {"evaluation", []byte(eval), wantEval}} {
				if !jsonpack.Packed(c.stored) || len(c.stored) >= len(c.want)*3/4 {
					t.Errorf("%s stored in %d bytes (packed: %v), its JSON is %d", c.name, len(c.stored), jsonpack.Packed(c.stored), len(c.want))
				}
			}
			check := func(when string) {
				t.Helper()
				got, err := db.Lead(ctx, l.ID)
				if err != nil {
					t.Fatalf("%s: %v", when, err)
				}
				gotData, _ := got.Data.AppendJSON(nil)
				gotEval, _ := got.Eval.AppendJSON(nil)
				if !bytes.Equal(gotData, wantData) || !bytes.Equal(gotEval, wantEval) {
					t.Errorf("%s: read back\n%s\n%s\nwant\n%s\n%s", when, gotData, gotEval, wantData, wantEval)
				}
			}
			check("packed")
			err = db.InTx(ctx, func(tx *store.Tx) error {
				return tx.ExecForTest(ctx, `UPDATE leads SET data = ?, evaluation = ? WHERE id = ?`, string(wantData), string(wantEval), l.ID)
			})
			if err != nil {
				t.Fatal(err)
			}
			check("stored as plain JSON")
		})
	}
}
