package intake

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// A definition's re-evaluation covers the leads that existed when it
// became active: those intake creates afterwards are evaluated with it
// already, even when they are stored before the re-evaluation, which runs
// in the background, gets going. (It once read the highest lead ID when it
// started, so it evaluated them again: needless work, a count of leads
// done above its total, and the evaluations their answers showed kept
// aside for nothing.)
func TestReevaluationLeavesLeadsCreatedAfterTheActivation(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			s := knownService(t, db, clk.Now)
			before := knownInquiry("price_request")
			write(t, s, []Inquiry{before}, true, nil)

			// The background re-evaluation waits for this lock, so the
			// inquiries below are stored before it starts.
			s.reevalMu.Lock()
			src, err := os.ReadFile("../../examples/definitions/bant-classic.yaml")
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.AddDefinition(ctx, "bant-classic.yaml", src, true)
			if err != nil {
				s.reevalMu.Unlock()
				t.Fatal(err)
			}
			var after []Inquiry
			for _, email := range []string{"ana@helixbio.com", "beto@helixbio.com", "caro@helixbio.com"} {
				in := knownInquiry("webinar_attended")
				in.Person.Email, in.Person.Phone = email, ""
				after = append(after, in)
			}
			write(t, s, after, true, nil)
			s.reevalMu.Unlock()
			s.bg.Wait()

			r, err := db.LatestReevaluation(ctx, res.Definition.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.FinishedAt == nil || r.Error != "" || r.Total != 1 || r.Done != 1 {
				t.Errorf("re-evaluation: %d of %d leads done (finished %v, error %q); want the one lead stored before the activation",
					r.Done, r.Total, r.FinishedAt != nil, r.Error)
			}
		})
	}
}
