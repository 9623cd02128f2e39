package waterfall_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/waterfall"
)

// BenchmarkTimerLateness measures how late timers fire on SQLite with
// 1,000,000 other timers pending (re-contacts weeks ahead). 5,000 new
// leads' routing timers fall due over 5 seconds (1,000 a second, in bursts
// of 10 every 10 ms) while the poller runs as in pista serve; each one
// routes its lead (team rotation, assignment, clock, breach timer).
// Lateness is from a timer's due time to the commit of its effect.
//
//	go test ./internal/waterfall -run XXX -bench TimerLateness -benchtime 1x
func BenchmarkTimerLateness(b *testing.B) {
	for range b.N {
		timerLateness(b, 1_000_000, 5_000)
	}
}

func timerLateness(b *testing.B, pending, due int) {
	b.StopTimer()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "pista.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	far := time.Now().Add(30 * 24 * time.Hour)
	for start := 0; start < pending; start += 50_000 {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i := start; i < min(start+50_000, pending); i++ {
				tx.Schedule(ctx, store.Timer{LeadID: 1_000_000_000 + int64(i), Kind: store.TimerRecontact, Due: far.Add(time.Duration(i) * time.Second)}, time.Now())
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	salesTeam(b, db, 2, 1, 1)

	// Leads are created with their timers due in the near future: intake
	// runs on a clock that says when each burst is due.
	clk := testenv.NewClock(time.Time{})
	in := newIntake(b, db, clk.Now, true)
	begin := time.Now().Add(2 * time.Second).Truncate(time.Millisecond)
	const burst = 10
	for k := 0; k < due; k += burst {
		clk.Set(begin.Add(time.Duration(k/burst) * 10 * time.Millisecond))
		ins := make([]intake.Inquiry, burst)
		for j := range ins {
			n := k + j
			ins[j] = intake.Inquiry{Person: lead.Person{Email: fmt.Sprintf("buyer%d@acme-%d.com", n, n)}, Action: lead.Action{Type: "price_request"}}
		}
		if _, _, err := in.SubmitBatch(ctx, ins, nil); err != nil {
			b.Fatal(err)
		}
	}
	if time.Now().After(begin) {
		b.Fatalf("setting up took too long: the first timers are already due")
	}

	wf := waterfall.New(waterfall.Config{Intake: in, Now: time.Now})
	var late []time.Duration
	var lmu sync.Mutex
	wf.OnFired = func(t store.Timer, committed time.Time) {
		if t.Kind == store.TimerSync {
			lmu.Lock()
			late = append(late, committed.Sub(t.Due))
			lmu.Unlock()
		}
	}
	b.ResetTimer()
	b.StartTimer()
	done := make(chan struct{})
	go func() { defer close(done); wf.Run(ctx) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		lmu.Lock()
		n := len(late)
		lmu.Unlock()
		if n >= due || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	b.StopTimer()
	if len(late) < due {
		b.Fatalf("only %d of %d timers fired", len(late), due)
	}
	slices.Sort(late)
	pct := func(p float64) float64 { return float64(late[int(float64(len(late)-1)*p)]) / float64(time.Millisecond) }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	b.ReportMetric(float64(pending), "pending")
}
