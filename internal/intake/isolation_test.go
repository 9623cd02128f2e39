package intake_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// refusingDB opens a database where the database itself refuses some
// writes, as it would refuse a value or a constraint: a new lead with
// the address refused@bad.example, and a timeline entry from the
// campaign "poison" (written when an inquiry is merged into a known lead).
func refusingDB(t *testing.T, dialect string) *store.DB {
	t.Helper()
	ctx := context.Background()
	var target, driver string
	var ddl []string
	switch dialect {
	case "sqlite":
		target, driver = filepath.Join(t.TempDir(), "pista.db"), "sqlite"
		ddl = []string{
			`CREATE TRIGGER refuse_lead BEFORE INSERT ON leads WHEN NEW.email = 'refused@bad.example'
				BEGIN SELECT RAISE(ABORT, 'refused by the test''s trigger'); END`,
			`CREATE TRIGGER refuse_entry BEFORE INSERT ON timeline WHEN NEW.data LIKE '%"poison"%'
				BEGIN SELECT RAISE(ABORT, 'refused by the test''s trigger'); END`,
		}
	default:
		target, driver = storetest.PostgresURL(t), "pgx"
		ddl = []string{
			`CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN
				RAISE EXCEPTION 'refused by the test''s trigger'; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER refuse_lead BEFORE INSERT ON leads FOR EACH ROW
				WHEN (NEW.email = 'refused@bad.example') EXECUTE FUNCTION refuse()`,
			`CREATE TRIGGER refuse_entry BEFORE INSERT ON timeline FOR EACH ROW
				WHEN (NEW.data LIKE '%"poison"%') EXECUTE FUNCTION refuse()`,
		}
	}
	db, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open(driver, target)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range ddl {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return db
}

// TestOneBadMemberFailsAlone sends groups of good inquiries with one the
// database refuses, in one batch and as concurrent single requests: only
// the refused one fails, everything else is stored and answered, and a
// retry of the batch replays the stored answers and tries the refused
// one again.
func TestOneBadMemberFailsAlone(t *testing.T) {
	dialects := []string{"sqlite"}
	if len(storetest.Targets()) > 1 {
		dialects = append(dialects, "postgres")
	}
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := refusingDB(t, dialect)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			s := newService(t, db, clk)
			inquiry := func(email string) intake.Inquiry {
				in := laura()
				in.Person.Email, in.Person.Phone = email, ""
				return in
			}
			// A known person, whose next inquiry is merged.
			if _, err := s.Submit(ctx, inquiry("known@helixbio.com"), nil); err != nil {
				t.Fatal(err)
			}

			var batch []intake.Inquiry
			for i := range 10 {
				batch = append(batch, inquiry(fmt.Sprintf("good%d@helixbio.com", i)))
			}
			batch[3] = inquiry("refused@bad.example")
			batch[7] = inquiry("known@helixbio.com")
			batch[7].Source.Campaign = "poison"
			batch[8] = inquiry("known@helixbio.com") // merged fine
			key := &intake.Idem{TokenID: 1, Key: "mixed", Fingerprint: "f"}
			items, _, err := s.SubmitBatch(ctx, batch, key)
			if err != nil {
				t.Fatal(err)
			}
			first := map[int]string{}
			for i, it := range items {
				bad := i == 3 || i == 7
				if bad != (it.Outcome == intake.Failed) || (!bad && it.Outcome != intake.Merged && it.Outcome != intake.Created) {
					t.Errorf("item %d: outcome %d %v", i, it.Outcome, it.Problem)
				}
				first[i] = string(it.Encoded)
			}
			n, err := db.CountLiveLeads(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != 8 { // the known person and seven new good ones
				t.Errorf("%d live leads, want 8", n)
			}

			id, _, err := db.FindLead(ctx, "known@helixbio.com", "", "")
			if err != nil {
				t.Fatal(err)
			}
			if l, err := db.Lead(ctx, id); err != nil || len(l.Data.Actions) != 2 {
				t.Errorf("the known lead: %v, want its first inquiry and item 8 (%v)", l.Data.Actions, err)
			}

			// The same batch again: the stored answers come back as they were.
			key2 := &intake.Idem{TokenID: 1, Key: "mixed", Fingerprint: "f"}
			items, _, err = s.SubmitBatch(ctx, batch, key2)
			if err != nil {
				t.Fatal(err)
			}
			for i, it := range items {
				bad := i == 3 || i == 7
				if bad && it.Outcome != intake.Failed {
					t.Errorf("retried item %d: outcome %d", i, it.Outcome)
				}
				if !bad && string(it.Encoded) != first[i] {
					t.Errorf("retried item %d: answer changed:\n%s\n%s", i, it.Encoded, first[i])
				}
			}

			// Concurrent single requests sharing group commits.
			var wg sync.WaitGroup
			errs := make([]error, 40)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					email := fmt.Sprintf("single%d@helixbio.com", i)
					if i == 17 {
						email = "refused@bad.example"
					}
					_, errs[i] = s.Submit(ctx, inquiry(email), nil)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if (i == 17) != (err != nil) {
					t.Errorf("request %d: %v", i, err)
				}
			}
			if n, err := db.CountLiveLeads(ctx); err != nil || n != 8+39 {
				t.Errorf("%d live leads (%v), want %d", n, err, 8+39)
			}
		})
	}
}

// TestKnownSavedTogetherThenFailed: a group whose known people were saved
// together (on PostgreSQL, store.SaveManyIfUnchanged) and which then fails
// is written again, each inquiry alone: the saves are made again in the
// new transaction, not taken as done.
func TestKnownSavedTogetherThenFailed(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"}[:len(storetest.Targets())] {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := refusingDB(t, dialect)
			s := newService(t, db, testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)))
			inquiry := func(email string) intake.Inquiry {
				in := laura()
				in.Person.Email, in.Person.Phone = email, ""
				return in
			}
			emails := []string{"ana@helixbio.com", "bea@helixbio.com", "caro@helixbio.com"}
			for _, e := range emails {
				if _, err := s.Submit(ctx, inquiry(e), nil); err != nil {
					t.Fatal(err)
				}
			}
			batch := []intake.Inquiry{inquiry(emails[0]), inquiry(emails[1]), inquiry(emails[2])}
			batch[2].Source.Campaign = "poison" // its timeline entry is refused at the commit
			items, _, err := s.SubmitBatch(ctx, batch, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, it := range items {
				if bad := i == 2; bad != (it.Outcome == intake.Failed) {
					t.Errorf("item %d: outcome %d %v", i, it.Outcome, it.Problem)
				}
			}
			for i, e := range emails {
				id, _, err := db.FindLead(ctx, e, "", "")
				if err != nil {
					t.Fatal(err)
				}
				want := 2
				if i == 2 {
					want = 1 // its second inquiry was refused
				}
				if l, err := db.Lead(ctx, id); err != nil || len(l.Data.Actions) != want {
					t.Errorf("%s: actions %v, want %d (%v)", e, l.Data.Actions, want, err)
				}
			}
		})
	}
}
