package web_test

import (
	"testing"
	"time"
)

// TestSLASkipsChileanHoliday: a team working from Santiago has Chile's
// public holidays. In 2027, 12 October (Encuentro de Dos Mundos) is a
// Tuesday, so Ley 19.668 rests it on Monday the 11th; a lead routed on
// Friday 8 October at 16:00 with 2 business days (18 working hours of
// 08:00-17:00) is due Wednesday the 13th at 16:00, not Tuesday.
func TestSLASkipsChileanHoliday(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		var ana userJSON
		e.mustCall(201, &ana, "admin", "POST", "/api/v1/users", map[string]any{"name": "Ana Ruiz", "email": "ana@instrumentos.example", "role": "rep"})
		e.mustCall(200, nil, "admin", "PUT", "/api/v1/teams/norteamerica", map[string]any{
			"label":    "Norteamérica (desde Santiago)",
			"calendar": map[string]any{"country": "CL", "timezone": "America/Santiago", "hours": "08:00-17:00"},
			"members":  []map[string]any{{"user": ana.Email}},
		})
		santiago := mustZone("America/Santiago")
		e.Clock.Set(time.Date(2027, 10, 8, 16, 0, 0, 0, santiago))
		id := mql(t, e, "laura.chen@helixbio.com")
		if n := e.fire(); n < 1 {
			t.Fatal("no timer fired for the new MQL")
		}
		l := e.flowLead(id)
		if l.OwnerID != ana.ID || len(l.Clocks) != 1 {
			t.Fatalf("routed: %+v", l)
		}
		due := time.Date(2027, 10, 13, 16, 0, 0, 0, santiago)
		if c := l.Clocks[0]; c.Policy != "mql" || !c.DueAt.Equal(due) {
			t.Fatalf("clock %+v, want policy mql due %v (Monday 11 October is a holiday)", c, due)
		}
	})
}
