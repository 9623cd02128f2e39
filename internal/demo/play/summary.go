package play

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// Summary is what happened in the demo's months.
type Summary struct {
	Inquiries, Invalid, Events, BDRCalls int
	// The first-touch clocks of the run, as the SLA report counts them.
	Routed, Owners, People              int
	Met, Breached, Late, Never, Pending int
	Touches, Accepted, RepCalls         int
	Rejections                          map[string]int
	Reassigned                          int
	Opportunities, Won, GivenUp         int
	Lost                                map[string]int
	Currencies                          map[string]int
	Costs                               int // campaign months with a cost
	Skipped                             int // acts the lead had moved past
	Refused                             int
	FirstRefusal                        error
}

func (s *Summary) refuse(id int64, what string, err error) {
	s.Refused++
	if s.FirstRefusal == nil {
		s.FirstRefusal = fmt.Errorf("%s on lead %d: %w", what, id, err)
	}
}

// count reads the run's clocks back, as the SLA report shows them.
func (s *Summary) count(ctx context.Context, db *store.DB, mine map[int64]bool, from, to time.Time) error {
	all, err := db.ClocksStarted(ctx, from.Add(-time.Hour), to.Add(time.Second))
	if err != nil {
		return err
	}
	var clocks []*store.Clock
	for _, c := range all {
		if mine[c.ID] {
			clocks = append(clocks, c)
		}
	}
	owned, people := map[int64]bool{}, map[int64]bool{}
	for _, c := range clocks {
		if c.UserID != 0 {
			owned[c.LeadID], people[c.UserID] = true, true
		}
	}
	s.Routed, s.Owners, s.People = len(clocks), len(owned), len(people)
	for _, l := range waterfall.SLAReport(clocks, nil, to) {
		if l.UserID != 0 {
			continue // the teams' lines add up their people
		}
		s.Met += l.Met
		s.Breached += l.Breached
		s.Never += l.NeverTouched
		s.Pending += l.Pending + l.Paused
	}
	s.Late = s.Breached - s.Never
	return nil
}

// Print writes the summary for pista demo.
func (s *Summary) Print(w io.Writer) {
	fmt.Fprintln(w, "Sales waterfall:")
	fmt.Fprintf(w, "  owners        %6d leads to %d salespeople (%d first-touch clocks)\n", s.Owners, s.People, s.Routed)
	fmt.Fprintf(w, "  clocks met    %6d\n", s.Met)
	fmt.Fprintf(w, "  breached      %6d (%d touched late, %d never touched)\n", s.Breached, s.Late, s.Never)
	fmt.Fprintf(w, "  pending       %6d\n", s.Pending)
	fmt.Fprintf(w, "  reassigned    %6d by managers\n", s.Reassigned)
	fmt.Fprintf(w, "  rejected      %6d%s\n", total(s.Rejections), counts(s.Rejections))
	fmt.Fprintf(w, "  accepted      %6d\n", s.Accepted)
	fmt.Fprintf(w, "  BANT calls    %6d by BDRs, %d by reps\n", s.BDRCalls, s.RepCalls)
	fmt.Fprintf(w, "  opportunities %6d%s\n", s.Opportunities, counts(s.Currencies))
	fmt.Fprintf(w, "  won           %6d\n", s.Won)
	fmt.Fprintf(w, "  lost          %6d%s (and %d given up before a deal)\n", total(s.Lost), counts(s.Lost), s.GivenUp)
	fmt.Fprintf(w, "  campaign costs%6d campaign months\n", s.Costs)
	if s.Refused > 0 {
		fmt.Fprintf(w, "  %d acts refused by the waterfall; the first: %v\n", s.Refused, s.FirstRefusal)
	}
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// counts formats "(a 3, b 1)", largest first.
func counts(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := sortedKeys(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
