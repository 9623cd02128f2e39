package web

import (
	"net/http"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// reportRange reads ?from=&to= (RFC 3339, or YYYY-MM-DD: the start of
// that day in the organisation's time zone); the default is the last 30
// days.
func (s *Server) reportRange(r *http.Request) (time.Time, time.Time, error) {
	now := s.now()
	from, to := now.AddDate(0, 0, -30), now.Add(time.Second)
	loc, err := s.reports.Location(r.Context())
	if err != nil {
		return from, to, err
	}
	var bad []problem.Field
	parse := func(name string, into *time.Time) {
		v := r.URL.Query().Get(name)
		if v == "" {
			return
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			*into = t
			return
		}
		if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
			*into = t
			return
		}
		bad = append(bad, problem.Field{Name: name, Reason: "want a date (2026-11-01) or a time (2026-11-01T00:00:00Z)"})
	}
	parse("from", &from)
	parse("to", &to)
	if len(bad) == 0 && !to.After(from) {
		bad = append(bad, problem.Field{Name: "to", Reason: "must be after from"})
	}
	if len(bad) > 0 {
		return from, to, problem.Fields("bad report range", bad...)
	}
	return from, to, nil
}

type slaReport struct {
	From  time.Time           `json:"from"`
	To    time.Time           `json:"to"`
	Lines []waterfall.SLALine `json:"lines"`
}

// slaReport: time to first touch, met and breached shares and leads never
// touched, per team and rep, over clocks started in the range.
func (s *Server) slaReport(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	from, to, err := s.reportRange(r)
	if err != nil {
		return err
	}
	sc, err := s.reportScope(r, tok)
	if err != nil {
		return err
	}
	all, err := s.db.ClocksStarted(r.Context(), from, to)
	if err != nil {
		return err
	}
	var clocks []*store.Clock
	for _, c := range all {
		if sc.Has(c.Team) {
			clocks = append(clocks, c)
		}
	}
	users, err := s.db.Users(r.Context())
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Email
	}
	return writeJSON(w, http.StatusOK, slaReport{From: from, To: to, Lines: waterfall.SLAReport(clocks, names, s.now())})
}

type rejectionReport struct {
	From     time.Time              `json:"from"`
	To       time.Time              `json:"to"`
	Total    int64                  `json:"total"`
	ByReason map[string]int64       `json:"by_reason"`
	Lines    []store.RejectionCount `json:"lines"`
}

// rejectionReport: sales' rejections by reason, team, user and definition:
// their feedback on the definition.
func (s *Server) rejectionReport(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	from, to, err := s.reportRange(r)
	if err != nil {
		return err
	}
	sc, err := s.reportScope(r, tok)
	if err != nil {
		return err
	}
	all, err := s.db.RejectionCounts(r.Context(), from, to)
	if err != nil {
		return err
	}
	rep := rejectionReport{From: from, To: to, ByReason: map[string]int64{}, Lines: []store.RejectionCount{}}
	for _, l := range all {
		if sc.Has(l.Team) {
			rep.Lines = append(rep.Lines, l)
		}
	}
	for _, l := range rep.Lines {
		rep.Total += l.Count
		rep.ByReason[l.Reason] += l.Count
	}
	return writeJSON(w, http.StatusOK, rep)
}
