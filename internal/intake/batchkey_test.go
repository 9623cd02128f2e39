package intake_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// TestBatchIdempotency: a batch's answers are stored as one row under its
// key and replayed byte for byte; the key of another request, or another
// body, is refused; batches stored one row per inquiry, as earlier
// versions did, are still answered from those rows.
func TestBatchIdempotency(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			s := newService(t, db, clk)
			other := laura()
			other.Person.Email, other.Person.Phone = "marc@nordpharma.ca", ""
			bad := laura()
			bad.Person.Email, bad.Person.Phone = "", ""
			batch := func(key, fingerprint string, ins ...intake.Inquiry) ([]byte, bool, error) {
				t.Helper()
				items, replayed, err := s.SubmitBatch(ctx, ins, &intake.Idem{TokenID: 1, Key: key, Fingerprint: fingerprint})
				if err != nil {
					return nil, false, err
				}
				return answersText(items), replayed, nil
			}
			first, replayed, err := batch("b-1", "fb", laura(), other, bad, laura())
			if err != nil || replayed {
				t.Fatalf("first: %v, replayed %v", err, replayed)
			}
			err = db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Idempotent(ctx, 1, "b-1"); err != nil {
					t.Errorf("the batch's row: %v", err)
				}
				if _, err := tx.Idempotent(ctx, 1, "b-1#0"); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("a row for the first inquiry: %v", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			clk.Advance(time.Minute)
			again, replayed, err := batch("b-1", "fb", laura(), other, bad, laura())
			if err != nil || !replayed || string(again) != string(first) {
				t.Fatalf("retry: %v, replayed %v\n%s\n%s", err, replayed, again, first)
			}
			if _, _, err := batch("b-1", "other body", laura()); !errors.Is(err, intake.ErrIdemMismatch) {
				t.Errorf("same key, other body: %v", err)
			}
			if _, err := s.Submit(ctx, laura(), &intake.Idem{TokenID: 1, Key: "single-1", Fingerprint: "fs"}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := batch("single-1", "fb2", other); !errors.Is(err, intake.ErrIdemMismatch) {
				t.Errorf("a single inquiry's key for a batch: %v", err)
			}
			// An earlier version's rows, one per inquiry.
			stored := [][]byte{[]byte(`{"lead_id":901,"created":true}`), []byte(`{"lead_id":902,"created":false}`)}
			err = db.InTx(ctx, func(tx *store.Tx) error {
				for i, body := range stored {
					key := "old-1#" + string(rune('0'+i))
					if err := tx.PutIdempotent(ctx, 1, key, &store.Idempotent{Fingerprint: "fo", Status: 201 - i, Body: body, CreatedAt: clk.Now()}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// The second is someone new: only its stored row keeps it from
			// becoming a lead.
			newcomer := laura()
			newcomer.Person.Email, newcomer.Person.Phone = "ines@andina.co", ""
			items, replayed, err := s.SubmitBatch(ctx, []intake.Inquiry{laura(), newcomer}, &intake.Idem{TokenID: 1, Key: "old-1", Fingerprint: "fo"})
			if err != nil || !replayed || len(items) != 2 || string(items[0].Encoded) != string(stored[0]) || items[0].Outcome != intake.Created ||
				string(items[1].Encoded) != string(stored[1]) || items[1].Outcome != intake.Merged {
				t.Errorf("an earlier version's batch: %v, replayed %v, %s", err, replayed, answersText(items))
			}
			if n, _ := db.CountLiveLeads(ctx); n != 2 {
				t.Errorf("%d leads, want 2", n)
			}
		})
	}
}

// TestSameKeyAtOnce: requests sent at the same moment with one key, which
// the writer takes in one group, get the first one's answer, and one lead.
func TestSameKeyAtOnce(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			s := newService(t, db, clk)
			const n = 24
			bodies := make([][]byte, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					idem := &intake.Idem{TokenID: 1, Key: "same", Fingerprint: "f"}
					if i%2 == 0 {
						ans, err := s.Submit(ctx, laura(), idem)
						bodies[i], errs[i] = ans.Encoded, err
						return
					}
					items, _, err := s.SubmitBatch(ctx, []intake.Inquiry{laura()}, &intake.Idem{TokenID: 1, Key: "same-batch", Fingerprint: "fb"})
					if err == nil {
						bodies[i] = items[0].Encoded
					}
					errs[i] = err
				}()
			}
			wg.Wait()
			for i := range n {
				if errs[i] != nil || string(bodies[i]) != string(bodies[i%2]) {
					t.Errorf("request %d: %v\n%s\nfirst: %s", i, errs[i], bodies[i], bodies[i%2])
				}
			}
			if n, _ := db.CountLiveLeads(ctx); n != 1 {
				t.Errorf("%d leads, want 1", n)
			}
		})
	}
}

// answersText is what a batch's answers say, but for whether they were
// replayed: a retry must say the same.
func answersText(answers []intake.Answer[*intake.InquiryResult]) []byte {
	var b bytes.Buffer
	for i, a := range answers {
		fmt.Fprintf(&b, "%d: outcome %d", i, a.Outcome)
		if a.Problem != nil {
			fmt.Fprintf(&b, ", %s %v", a.Problem.Detail, a.Problem.Fields)
		}
		fmt.Fprintf(&b, " %s\n", a.Encoded)
	}
	return b.Bytes()
}

// TestReplayOfAPersonTwiceInABatch: a batch that sends one person twice
// answers each with the evaluation it made then; a replay after the lead
// changed again gives both back byte for byte, not the lead's newest.
func TestReplayOfAPersonTwiceInABatch(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			s := newService(t, db, clk)
			with := func(action string) intake.Inquiry {
				in := laura()
				in.Action.Type = action
				return in
			}
			batch := func(key string, ins ...intake.Inquiry) []byte {
				t.Helper()
				items, _, err := s.SubmitBatch(ctx, ins, &intake.Idem{TokenID: 1, Key: key, Fingerprint: key})
				if err != nil {
					t.Fatal(err)
				}
				return answersText(items)
			}
			first := batch("b-1", with("content_download"), with("price_request"), with("webinar_attended"))
			clk.Advance(time.Minute)
			second := batch("b-2", with("demo_request"), with("content_download"))
			clk.Advance(time.Minute)
			batch("b-3", with("price_request"))
			if again := batch("b-1", with("content_download"), with("price_request"), with("webinar_attended")); string(again) != string(first) {
				t.Errorf("retry of b-1:\n%s\nfirst:\n%s", again, first)
			}
			if again := batch("b-2", with("demo_request"), with("content_download")); string(again) != string(second) {
				t.Errorf("retry of b-2:\n%s\nfirst:\n%s", again, second)
			}
		})
	}
}
