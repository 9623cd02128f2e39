package web

import (
	"net/http"
	"strings"
)

// SecurityHeaders sets on every response what a browser needs to treat it
// safely: no content sniffing, no framing by other sites, no referrer to
// them, and a Content-Security-Policy chosen by what the response is. A
// handler that sets its own policy (the web app's pages, stricter, without
// 'unsafe-inline') keeps it.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(&policyWriter{ResponseWriter: w}, r)
	})
}

// Policies by what a response is: an HTML page may load its own styles
// and scripts; anything else (JSON, text) loads nothing.
const (
	cspHTML  = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
	cspOther = "default-src 'none'; frame-ancestors 'none'"
)

// policyWriter adds the Content-Security-Policy when the handler starts
// its answer, once its Content-Type is known.
type policyWriter struct {
	http.ResponseWriter
	done bool
}

func (p *policyWriter) policy() {
	if p.done {
		return
	}
	p.done = true
	h := p.Header()
	if h.Get("Content-Security-Policy") != "" {
		return
	}
	if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		h.Set("Content-Security-Policy", cspHTML)
	} else {
		h.Set("Content-Security-Policy", cspOther)
	}
}

func (p *policyWriter) WriteHeader(code int) { p.policy(); p.ResponseWriter.WriteHeader(code) }

func (p *policyWriter) Write(b []byte) (int, error) {
	if !p.done && p.Header().Get("Content-Type") == "" {
		p.Header().Set("Content-Type", http.DetectContentType(b))
	}
	p.policy()
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushing).
func (p *policyWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }
