package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// An answer is stored without the evaluations it shows, and read back
// whole, byte for byte, also after its lead was evaluated again (in a
// later transaction or in the same one), however often.
func TestAnswersStoredWithoutEvaluations(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			w := db.Writer()
			defer w.Close()
			answer := func(l *store.Lead) (*store.Idempotent, []byte) {
				eval := l.Encoded.Eval
				body := fmt.Appendf(nil, `{"lead_id":%d,"score":%v,"evaluation":%s}`, l.ID, l.Eval.Total, eval)
				return &store.Idempotent{Fingerprint: "f", Status: 201, Body: body, CreatedAt: t0,
					Evals: []store.EvalRef{{At: bytes.Index(body, eval), LeadID: l.ID, Eval: eval}}}, body
			}
			evaluate := func(l *store.Lead, score float64) { evaluateAs(t, l, score) }
			check := func(key string, want []byte) {
				t.Helper()
				checkAnswer(t, w, key, want)
				var many map[string]*store.Idempotent
				err := w.InTx(ctx, func(tx *store.Tx) error {
					var err error
					many, err = tx.IdempotentMany(ctx, 9, []string{key, "none"})
					return err
				})
				if err != nil || many[key] == nil || !bytes.Equal(many[key].Body, want) {
					t.Errorf("answer %s read back with others: %v", key, err)
				}
			}

			// A lead and its answer, stored together.
			l := newLead("ana@acme.com", "", "", 10)
			evaluate(l, 10)
			var first []byte
			err := w.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.InsertLead(ctx, l); err != nil {
					return err
				}
				a, body := answer(l)
				first = body
				return tx.PutIdempotent(ctx, 9, "k1", a)
			})
			if err != nil {
				t.Fatal(err)
			}
			stored, evals, err := db.StoredAnswerForTest(ctx, 9, "k1")
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(stored, l.Encoded.Eval) || evals == "" || len(stored) >= len(first) {
				t.Errorf("stored whole: %s (evals %q)", stored, evals)
			}
			check("k1", first)

			// Evaluated again twice, and answered again in between.
			var second []byte
			for i, score := range []float64{20, 30} {
				err := w.InTx(ctx, func(tx *store.Tx) error {
					evaluate(l, score)
					l.UpdatedAt = t0
					if err := tx.UpdateLead(ctx, l); err != nil {
						return err
					}
					if i == 0 {
						a, body := answer(l)
						second = body
						return tx.PutIdempotent(ctx, 9, "k2", a)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			check("k1", first)
			check("k2", second)

			// A lead answered and evaluated again in one transaction.
			m := newLead("bea@acme.com", "", "", 10)
			evaluate(m, 10)
			var third []byte
			err = w.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.InsertLead(ctx, m); err != nil {
					return err
				}
				a, body := answer(m)
				third = body
				if err := tx.PutIdempotent(ctx, 9, "k3", a); err != nil {
					return err
				}
				evaluate(m, 40)
				return tx.UpdateLead(ctx, m)
			})
			if err != nil {
				t.Fatal(err)
			}
			check("k3", third)

			// A known person's lead, read ahead and saved with
			// SaveIfUnchanged (on PostgreSQL the evaluation is kept aside
			// by the UPDATE's own statement), after an answer showed it.
			var fourth []byte
			err = w.InTx(ctx, func(tx *store.Tx) error {
				a, body := answer(l)
				fourth = body
				return tx.PutIdempotent(ctx, 9, "k4", a)
			})
			if err != nil {
				t.Fatal(err)
			}
			known, err := db.ReadKnown(ctx, []store.Identity{{Email: "ana@acme.com"}})
			if err != nil || known[0] == nil {
				t.Fatalf("read known: %v %v", known, err)
			}
			evaluate(known[0].Lead, 50)
			err = w.InTx(ctx, func(tx *store.Tx) error {
				saved, err := tx.SaveIfUnchanged(ctx, known[0], t0.Add(time.Hour))
				if err == nil && !saved {
					err = fmt.Errorf("not saved")
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			check("k4", fourth)
			check("k1", first)
		})
	}
}

// A known person's lead, read ahead by one server, is changed and answered
// by another while the first saves it: the save's statement starts before
// the other commits, and finds the lead changed. A save that changes
// nothing must leave the other answer's mark alone, so that the
// evaluation that answer showed is kept aside when the first server then
// saves the lead again, and a replay shows it rather than the newest.
func TestSaveIfUnchangedRacingAnAnswer(t *testing.T) {
	ctx := context.Background()
	dbs := storetest.OpenServers(t, 2)
	w0, w1 := dbs[0].Writer(), dbs[1].Writer()
	defer w0.Close()
	defer w1.Close()
	evaluate := func(l *store.Lead, score float64) { evaluateAs(t, l, score) }

	l := newLead("ana@acme.com", "", "", 10)
	evaluate(l, 10)
	var first, second []byte
	err := w0.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertLead(ctx, l); err != nil {
			return err
		}
		var err error
		first, err = putAnswer(ctx, tx, "k1", l, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	known, err := dbs[1].ReadKnown(ctx, []store.Identity{{Email: "ana@acme.com"}})
	if err != nil || known[0] == nil {
		t.Fatalf("read known: %v %v", known, err)
	}

	// Server 0 changes and answers the lead, and holds its transaction
	// open until server 1's save has started.
	ready, commit := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- w0.InTx(ctx, func(tx *store.Tx) error {
			m, err := tx.LeadByEmail(ctx, "ana@acme.com")
			if err != nil {
				return err
			}
			evaluate(m, 20)
			m.UpdatedAt = t0.Add(time.Minute)
			if err := tx.UpdateLead(ctx, m); err != nil {
				return err
			}
			if second, err = putAnswer(ctx, tx, "k2", m, t0.Add(time.Minute)); err != nil {
				return err
			}
			if err := tx.ExecForTest(ctx, `SELECT 1`); err != nil { // writes what is held
				return err
			}
			close(ready)
			<-commit
			return nil
		})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	saved := make(chan error, 1)
	go func() {
		saved <- w1.InTx(ctx, func(tx *store.Tx) error {
			evaluate(known[0].Lead, 30)
			ok, err := tx.SaveIfUnchanged(ctx, known[0], t0.Add(2*time.Minute))
			if err != nil || ok {
				return fmt.Errorf("saved %v over a lead changed meanwhile: %v", ok, err)
			}
			m, err := tx.LeadByEmail(ctx, "ana@acme.com")
			if err != nil {
				return err
			}
			evaluate(m, 30)
			m.UpdatedAt = t0.Add(2 * time.Minute)
			return tx.UpdateLead(ctx, m)
		})
	}()
	time.Sleep(300 * time.Millisecond) // the save waits for server 0's locks
	close(commit)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-saved; err != nil {
		t.Fatal(err)
	}
	checkAnswer(t, w0, "k1", first)
	checkAnswer(t, w0, "k2", second)
}

// putAnswer stores under token 9's key an answer showing l's evaluation,
// made at at, and returns its body.
func putAnswer(ctx context.Context, tx *store.Tx, key string, l *store.Lead, at time.Time) ([]byte, error) {
	eval := l.Encoded.Eval
	body := fmt.Appendf(nil, `{"lead_id":%d,"evaluation":%s}`, l.ID, eval)
	return body, tx.PutIdempotent(ctx, 9, key, &store.Idempotent{Fingerprint: "f", Status: 201, Body: body, CreatedAt: at,
		Evals: []store.EvalRef{{At: bytes.Index(body, eval), LeadID: l.ID, Eval: eval}}})
}

// evaluateAgain gives the lead with email an evaluation of score, saved
// at at in a transaction of its own.
func evaluateAgain(t *testing.T, w *store.Writer, email string, score float64, at time.Time) {
	t.Helper()
	err := w.InTx(context.Background(), func(tx *store.Tx) error {
		l, err := tx.LeadByEmail(context.Background(), email)
		if err != nil {
			return err
		}
		evaluateAs(t, l, score)
		l.UpdatedAt = at
		return tx.UpdateLead(context.Background(), l)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// evaluateAs gives l an evaluation of score, encoded, that differs from
// those of other scores.
func evaluateAs(t *testing.T, l *store.Lead, score float64) {
	t.Helper()
	l.Eval = &engine.Result{Stage: "mql", Total: score, Band: "A", Explanation: []engine.Step{{Kind: "fit", Rule: fmt.Sprint("rule ", score)}}}
	l.Encoded = nil
	if err := l.Encode(); err != nil {
		t.Fatal(err)
	}
}

// checkAnswer reads the answer stored under token 9's key back through w
// and compares it with want, byte for byte.
func checkAnswer(t *testing.T, w *store.Writer, key string, want []byte) {
	t.Helper()
	ctx := context.Background()
	var got *store.Idempotent
	err := w.InTx(ctx, func(tx *store.Tx) error {
		var err error
		got, err = tx.Idempotent(ctx, 9, key)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, want) {
		t.Errorf("answer %s read back as\n%s\nwant\n%s", key, got.Body, want)
	}
}

// TestSaveManyIfUnchanged: several known leads saved at once (in one
// statement on PostgreSQL) are each saved, unless changed since they
// were read, as SaveIfUnchanged would save them one by one: the rows held
// before them (a new lead) are written first, a changed column is
// written, and the evaluations answers showed are kept aside, whether
// the answer was stored before (a) or in the saving transaction (c), so
// that both replay byte for byte.
func TestSaveManyIfUnchanged(t *testing.T) {
	ctx := context.Background()
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db := target.Open(t)
			w := db.Writer()
			defer w.Close()
			emails := []string{"a@acme.com", "b@acme.com", "c@acme.com"}
			var inserted []*store.Lead
			var answerA, answerC []byte
			err := w.InTx(ctx, func(tx *store.Tx) error {
				for _, e := range emails {
					l := newLead(e, "", "", 10)
					evaluateAs(t, l, 10)
					if err := tx.InsertLead(ctx, l); err != nil {
						return err
					}
					inserted = append(inserted, l)
				}
				var err error
				answerA, err = putAnswer(ctx, tx, "a", inserted[0], t0)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			var ids []store.Identity
			for _, e := range emails {
				ids = append(ids, store.Identity{Email: e})
			}
			known, err := db.ReadKnown(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			// b's lead changes after it was read.
			evaluateAgain(t, w, "b@acme.com", 50, t0.Add(time.Minute))
			now := t0.Add(2 * time.Minute)
			var saved []bool
			err = w.InTx(ctx, func(tx *store.Tx) error {
				fresh := newLead("d@acme.com", "", "", 5) // held until the saves
				evaluateAs(t, fresh, 5)
				next, err := tx.NextLeadIDs(ctx, 1)
				if err != nil {
					return err
				}
				fresh.ID = next[0]
				if err := tx.InsertLeads(ctx, []*store.Lead{fresh}); err != nil {
					return err
				}
				if answerC, err = putAnswer(ctx, tx, "c", inserted[2], now); err != nil {
					return err
				}
				for i, k := range known {
					evaluateAs(t, k.Lead, float64(20+i))
				}
				known[0].Lead.Phone = "+5491155550000"
				saved, err = tx.SaveManyIfUnchanged(ctx, known, []time.Time{now, now, now})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if want := []bool{true, false, true}; !slices.Equal(saved, want) {
				t.Fatalf("saved %v, want %v", saved, want)
			}
			for e, score := range map[string]float64{"a@acme.com": 20, "b@acme.com": 50, "c@acme.com": 22, "d@acme.com": 5} {
				id, _, err := db.FindLead(ctx, e, "", "")
				if err != nil {
					t.Fatalf("%s: %v", e, err)
				}
				l, err := db.Lead(ctx, id)
				if err != nil {
					t.Fatalf("%s: %v", e, err)
				}
				if l.Eval == nil || l.Eval.Total != score {
					t.Errorf("%s: score %v, want %v", e, l.Eval, score)
				}
				if e == "a@acme.com" && l.Phone != "+5491155550000" {
					t.Errorf("%s: phone %q, want the one saved", e, l.Phone)
				}
			}
			checkAnswer(t, w, "a", answerA)
			checkAnswer(t, w, "c", answerC)
		})
	}
}

// The answered marks of leads about to be saved are read ahead, in one
// statement (ReadAnsweredMarks), and the evaluations saving replaces are
// kept aside after it: answers replay byte for byte whether the lead was
// saved once, saved in a savepoint that was rolled back and then again,
// read ahead and left alone until a later transaction, or read ahead
// unanswered, then answered and evaluated again in the same transaction.
func TestAnsweredMarksReadAhead(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			w := db.Writer()
			defer w.Close()
			emails := []string{"ana@acme.com", "bea@acme.com", "caro@acme.com", "dora@acme.com"}
			bodies := map[string][]byte{}
			err := w.InTx(ctx, func(tx *store.Tx) error {
				for i, e := range emails {
					l := newLead(e, "", "", 10)
					evaluateAs(t, l, 10)
					if err := tx.InsertLead(ctx, l); err != nil {
						return err
					}
					if i == 2 {
						continue // caro's evaluation is shown by no answer
					}
					body, err := putAnswer(ctx, tx, e, l, t0)
					if err != nil {
						return err
					}
					bodies[e] = body
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]store.Identity, len(emails))
			for i, e := range emails {
				ids[i] = store.Identity{Email: e}
			}
			known, err := db.ReadKnown(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			now := t0.Add(time.Minute)
			save := func(tx *store.Tx, i int, score float64) error {
				evaluateAs(t, known[i].Lead, score)
				ok, err := tx.SaveIfUnchanged(ctx, known[i], now)
				if err == nil && !ok {
					err = fmt.Errorf("%s not saved", emails[i])
				}
				return err
			}
			err = w.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.ReadAnsweredMarks(ctx, known, now); err != nil {
					return err
				}
				if err := save(tx, 0, 20); err != nil {
					return err
				}
				// Ana again, read in the transaction: her mark is taken.
				l, err := tx.LeadByEmail(ctx, emails[0])
				if err != nil {
					return err
				}
				evaluateAs(t, l, 30)
				l.UpdatedAt = now.Add(time.Second)
				if err := tx.UpdateLead(ctx, l); err != nil {
					return err
				}
				rolledBack := errors.New("rolled back")
				err = tx.Savepoint(ctx, func() error {
					if err := save(tx, 1, 20); err != nil {
						return err
					}
					return rolledBack
				})
				if err != rolledBack {
					return fmt.Errorf("savepoint: %v", err)
				}
				if err := save(tx, 1, 40); err != nil {
					return err
				}
				// Caro, whom no answer showed; dora is read ahead and left
				// alone until the next transaction.
				if err := save(tx, 2, 20); err != nil {
					return err
				}
				// Then an answer shows caro's new evaluation, the marks are
				// written (a savepoint writes what is buffered), and she is
				// evaluated again: the evaluation the answer showed is kept.
				if bodies[emails[2]], err = putAnswer(ctx, tx, emails[2], known[2].Lead, now); err != nil {
					return err
				}
				if err := tx.Savepoint(ctx, func() error { return nil }); err != nil {
					return err
				}
				l, err = tx.LeadByEmail(ctx, emails[2])
				if err != nil {
					return err
				}
				evaluateAs(t, l, 60)
				l.UpdatedAt = now.Add(2 * time.Second)
				return tx.UpdateLead(ctx, l)
			})
			if err != nil {
				t.Fatal(err)
			}
			evaluateAgain(t, w, emails[3], 50, now.Add(time.Minute))
			for _, e := range emails {
				checkAnswer(t, w, e, bodies[e])
			}
			got, err := db.Lead(ctx, known[1].Lead.ID)
			if err != nil || got.Eval.Total != 40 {
				t.Errorf("bea saved again after the rollback: %+v, %v", got, err)
			}
		})
	}
}

// TestPGSavesStayOnTheirPage: on PostgreSQL the leads' pages keep room
// (migration 072, fillfactor) for a known person's lead saved again with
// its indexed columns unchanged, so that its new version goes on the same
// page and the save adds no index entries (a HOT update). With full pages
// (fillfactor 100) none of the 200 stayed; at 70, 91.
func TestPGSavesStayOnTheirPage(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenPostgres(t)
	w := db.Writer()
	defer w.Close()
	const n = 200
	var ids []store.Identity
	err := w.InTx(ctx, func(tx *store.Tx) error {
		for i := range n {
			e := fmt.Sprintf("p%03d@acme.com", i)
			l := newLead(e, "", "", 10)
			evaluateAs(t, l, 10)
			if err := tx.InsertLead(ctx, l); err != nil {
				return err
			}
			ids = append(ids, store.Identity{Email: e})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	known, err := db.ReadKnown(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	nows := make([]time.Time, n)
	for i, k := range known {
		evaluateAs(t, k.Lead, 10) // the score, stage and band it has
		nows[i] = t0.Add(time.Minute)
	}
	var stayed int64
	err = w.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.ExecForTest(ctx, `CREATE TEMP TABLE pages ON COMMIT DROP AS SELECT id, (ctid::text::point)[0] AS page FROM leads`); err != nil {
			return err
		}
		saved, err := tx.SaveManyIfUnchanged(ctx, known, nows)
		if err != nil {
			return err
		}
		if i := slices.Index(saved, false); i >= 0 {
			return fmt.Errorf("lead %d not saved", known[i].Lead.ID)
		}
		stayed, err = tx.IntForTest(ctx, `SELECT count(*) FROM leads JOIN pages USING (id) WHERE (leads.ctid::text::point)[0] = pages.page`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d saved leads stayed on their page", stayed, n)
	if stayed < n/4 {
		t.Errorf("%d of %d saved leads stayed on their page, want at least a quarter", stayed, n)
	}
}
