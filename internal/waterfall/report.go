package waterfall

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// SLALine is the first-touch record of a team, or of one member of it.
type SLALine struct {
	Team   string `json:"team"`
	UserID int64  `json:"user_id,omitempty"` // 0: the team's total line
	User   string `json:"user,omitempty"`
	Routed int    `json:"routed"`
	Met    int    `json:"met"`
	// Breached counts clocks past their deadline, touched late or not.
	Breached  int `json:"breached"`
	Pending   int `json:"pending"`
	Paused    int `json:"paused"`
	Cancelled int `json:"cancelled"`
	// NeverTouched are routed leads nobody has touched whose deadline has
	// passed: the inquiries that fall through.
	NeverTouched int `json:"never_touched"`
	// MetShare is met / (met + breached), the share of decided clocks kept.
	MetShare float64 `json:"met_share"`
	// Time to first touch over touched clocks, in minutes of wall time.
	MedianMinutes float64 `json:"median_minutes_to_first_touch"`
	P90Minutes    float64 `json:"p90_minutes_to_first_touch"`
	minutes       []float64
}

// SLAReport summarises clocks per team and per member, teams first, each
// followed by its members.
func SLAReport(clocks []*store.Clock, users map[int64]string, now time.Time) []SLALine {
	lines := map[[2]any]*SLALine{}
	get := func(team string, user int64) *SLALine {
		k := [2]any{team, user}
		if l, ok := lines[k]; ok {
			return l
		}
		l := &SLALine{Team: team, UserID: user, User: users[user]}
		lines[k] = l
		return l
	}
	for _, c := range clocks {
		add(get(c.Team, 0), c, now)
		if c.UserID != 0 { // a lead still in the team's queue counts on the team line only
			add(get(c.Team, c.UserID), c, now)
		}
	}
	out := make([]SLALine, 0, len(lines))
	for _, l := range lines {
		finish(l)
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Team != out[j].Team {
			return out[i].Team < out[j].Team
		}
		if (out[i].UserID == 0) != (out[j].UserID == 0) {
			return out[i].UserID == 0
		}
		return out[i].UserID < out[j].UserID
	})
	return out
}

func add(l *SLALine, c *store.Clock, now time.Time) {
	l.Routed++
	switch c.Status {
	case store.ClockMet:
		l.Met++
	case store.ClockBreached:
		l.Breached++
	case store.ClockPending:
		l.Pending++
	case store.ClockPaused:
		l.Paused++
	case store.ClockCancelled:
		l.Cancelled++
	}
	if c.TouchedAt != nil {
		l.minutes = append(l.minutes, c.TouchedAt.Sub(c.StartedAt).Minutes())
	} else if (c.Status == store.ClockBreached || c.Status == store.ClockPending) && now.After(c.DueAt) {
		l.NeverTouched++
	}
}

func finish(l *SLALine) {
	if d := l.Met + l.Breached; d > 0 {
		l.MetShare = float64(l.Met) / float64(d)
	}
	if len(l.minutes) > 0 {
		slices.Sort(l.minutes)
		l.MedianMinutes = math.Round(percentile(l.minutes, 0.5)*10) / 10
		l.P90Minutes = math.Round(percentile(l.minutes, 0.9)*10) / 10
	}
}

// percentile of sorted values, nearest rank.
func percentile(sorted []float64, p float64) float64 {
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
