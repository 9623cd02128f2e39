package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"
)

type requestIDKey struct{}

// RequestID is the id of the request ctx belongs to: the one the client
// or the proxy sent in X-Request-Id when it is sane, or a new one. It is
// sent back in the X-Request-Id header, in problem JSON and in the log
// line, so that a user's error report can be found in the logs.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// observe gives every request an id, logs one line when it is answered,
// and records its route, status and time in the metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !saneID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		rec := &statusWriter{ResponseWriter: w}
		start := time.Now()
		next.ServeHTTP(rec, r)
		took := time.Since(start)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		// The pattern the mux matched, never the path: ids in paths would
		// give every lead its own time series.
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.Request(route, r.Method, status, took)
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("route", route), slog.Int("status", status), slog.Int64("bytes", rec.bytes),
			slog.Float64("ms", float64(took.Microseconds())/1000), slog.String("request_id", id))
	})
}

// saneID accepts ids of up to 64 letters, digits, dashes and underscores,
// so a client cannot write anything else into the logs.
func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter remembers the status and size of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusWriter) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusWriter) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flushes,
// deadlines) through the statusWriter.
func (r *statusWriter) Unwrap() http.ResponseWriter { return r.ResponseWriter }
