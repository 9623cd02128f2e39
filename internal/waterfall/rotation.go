// Package waterfall moves leads through sales: it routes them to a team
// member, keeps first-touch clocks on the team's business calendar,
// escalates breaches, records sales' acceptance, rejection and touches,
// and brings nurtured leads back when their re-contact is due. Its work
// is driven by timers stored as rows (store.Timer), so a restart loses
// nothing and two servers never act twice.
package waterfall

import "fmt"

// Candidate is a team member as the rotation sees them at one moment.
type Candidate struct {
	UserID   int64   `json:"user_id"`
	Weight   float64 `json:"weight"`
	Credit   float64 `json:"credit"`
	Active   bool    `json:"-"`
	Away     bool    `json:"-"`
	Capacity int     `json:"-"` // per day; 0 means no limit
	Today    int     `json:"-"` // assignments so far today
}

// Skip is a member the rotation passed over, and why.
type Skip struct {
	UserID int64  `json:"user_id"`
	Why    string `json:"why"`
}

// Pick is the rotation's choice with the state it chose from, recorded on
// the assignment so anyone can see why this person got the lead.
type Pick struct {
	UserID  int64       `json:"user_id,omitempty"` // 0: nobody is available
	Skipped []Skip      `json:"skipped,omitempty"`
	Before  []Candidate `json:"credits_before"`
	// Eligible is the total weight of the members who could take it.
	Eligible float64 `json:"eligible_weight"`
}

// Rotate chooses the member who gets the next lead by smooth weighted
// round-robin (the nginx algorithm): every available member earns their
// weight in credit, the richest gets the lead and pays the total. Over
// time each member gets leads in proportion to their weight, interleaved
// (2:1:1 gives A B A C, not A A B C), and nobody is always first. Members
// inactive, out of office, at their daily capacity or excluded (the owner
// an escalation takes the lead from) are skipped and earn nothing.
// members is updated in place with the new credits.
func Rotate(members []Candidate, exclude int64) Pick {
	p := Pick{Before: append([]Candidate(nil), members...)}
	best := -1
	for i := range members {
		m := &members[i]
		switch {
		case !m.Active:
			p.Skipped = append(p.Skipped, Skip{m.UserID, "inactive"})
			continue
		case m.Away:
			p.Skipped = append(p.Skipped, Skip{m.UserID, "out of office"})
			continue
		case m.Capacity > 0 && m.Today >= m.Capacity:
			p.Skipped = append(p.Skipped, Skip{m.UserID, fmt.Sprintf("daily capacity %d reached", m.Capacity)})
			continue
		case m.UserID == exclude:
			p.Skipped = append(p.Skipped, Skip{m.UserID, "the lead is being taken from them"})
			continue
		case m.Weight <= 0:
			p.Skipped = append(p.Skipped, Skip{m.UserID, "weight 0"})
			continue
		}
		m.Credit += m.Weight
		p.Eligible += m.Weight
		if best < 0 || m.Credit > members[best].Credit {
			best = i
		}
	}
	if best < 0 {
		return p
	}
	members[best].Credit -= p.Eligible
	p.UserID = members[best].UserID
	return p
}
