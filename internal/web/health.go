package web

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// healthz says the process is alive and serving; it asks nothing else.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz says whether this instance can take traffic: the database
// answers, every migration this binary knows is applied, and a definition
// is active. A load balancer stops sending requests while it answers 503.
// It names what is missing and nothing more (no versions, no addresses).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var missing []string
	states, err := s.db.MigrationStatus(ctx)
	switch {
	case err != nil:
		missing = append(missing, "database not reachable or not usable")
	default:
		for _, m := range states {
			if !m.Applied {
				missing = append(missing, "database migrations pending")
				break
			}
		}
	}
	if s.svc.Active() == nil {
		missing = append(missing, "no active lead definition")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if len(missing) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready: " + strings.Join(missing, "; ") + "\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
