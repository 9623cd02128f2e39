package web

import (
	"errors"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/webform"
)

// putForm stores a form's configuration (webform.Config as JSON); intake
// checks it, as it does for the web app's Forms page.
func (s *Server) putForm(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	var c webform.Config
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	c.Name = r.PathValue("name")
	if err := s.svc.PutForm(r.Context(), &c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// storedForm is a form in GET /api/v1/forms: its configuration, as GET
// /api/v1/forms/{name} gives it, with when it was made and last changed.
type storedForm struct {
	*webform.Config
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// listForms lists every web form by name, for the same roles as the web
// app's Forms page (those who make forms).
func (s *Server) listForms(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	if len(r.URL.Query()) > 0 {
		var bad []problem.Field
		for _, name := range slices.Sorted(maps.Keys(r.URL.Query())) {
			bad = append(bad, problem.Field{Name: name, Reason: "unknown parameter; this list takes none"})
		}
		return problem.Fields("bad parameters", bad...)
	}
	forms, err := s.svc.Forms(r.Context())
	if err != nil {
		return err
	}
	out := struct {
		Forms []storedForm `json:"forms"`
	}{Forms: make([]storedForm, 0, len(forms))}
	for _, f := range forms {
		out.Forms = append(out.Forms, storedForm{Config: f.Config, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) loadForm(r *http.Request) (*webform.Config, error) {
	return s.svc.Form(r.Context(), r.PathValue("name"))
}

func (s *Server) getForm(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	c, err := s.loadForm(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// postForm takes a plain HTML form post from any website. Spam defences
// mark suspicious submissions instead of dropping them, so a real person
// who trips one is never lost; the browser is redirected to the form's
// thank-you page only after the inquiry is committed.
func (s *Server) postForm(w http.ResponseWriter, r *http.Request) {
	// Every submission is counted once, by how it ended.
	verdict := "refused"
	defer func() { s.metrics.Form(verdict) }()
	c, err := s.loadForm(r)
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeProblem(w, r, err)
		return
	}
	if err != nil {
		writeProblem(w, r, problem.New(problem.Invalid, "the form data could not be read: %v", err))
		return
	}
	now := s.now()
	ip := s.clientIP(r)
	// Beyond the flood limit nothing is stored; below it, beyond the
	// softer limit, submissions are stored and flagged (an office behind
	// one address is not a bot).
	if ok, wait := s.formFlood.Take(ip, now); !ok {
		verdict = "limited"
		writeProblem(w, r, tooMany(wait, "too many form submissions from this address"))
		return
	}
	sub := webform.Map(c, r.PostForm, now, s.formKey)
	if !s.limiter.Allow(ip, now) {
		sub.Flag(webform.RateLimited)
	}
	// A post from the hosted page says its language; the answers that are
	// pages (a field to fix, thanks) then come in it.
	hosted := r.PostForm.Get(webform.LangField)
	if len(sub.Missing) > 0 {
		if loc := webform.ErrorLocation(c, sub.Missing); loc != "" {
			http.Redirect(w, r, loc, http.StatusSeeOther)
			return
		}
		if hosted != "" {
			s.hostedAgain(w, r, c, hosted, "webform.missing", sub.Missing)
			return
		}
		pe := problem.Fields("required fields are missing")
		for _, m := range sub.Missing {
			pe.Fields = append(pe.Fields, problem.Field{Name: m, Reason: "required"})
		}
		writeProblem(w, r, pe)
		return
	}
	in := intake.Inquiry{Person: sub.Lead.Person, Company: sub.Lead.Company, Source: sub.Lead.Source, Suspicious: sub.Suspicious,
		Untrusted: true} // anyone may post a public form
	if len(sub.Lead.Actions) > 0 {
		in.Action = sub.Lead.Actions[0]
	}
	if _, err := s.svc.Submit(r.Context(), in, nil); err != nil {
		pe, ok := problem.As(err)
		if !ok {
			s.log.Error("form submission", "form", c.Name, "err", err)
		} else if pe.Kind == problem.Invalid {
			// Unusable input (an e-mail that is not one): send the person
			// back to the form like a missing field would.
			var names []string
			for _, f := range pe.Fields {
				names = append(names, f.Name)
			}
			if loc := webform.ErrorLocation(c, names); loc != "" {
				http.Redirect(w, r, loc, http.StatusSeeOther)
				return
			}
			if hosted != "" && len(names) > 0 {
				s.hostedAgain(w, r, c, hosted, "webform.invalid", names)
				return
			}
		}
		writeProblem(w, r, err)
		return
	}
	verdict = "accepted"
	if len(sub.Suspicious) > 0 {
		verdict = "suspicious"
	}
	thanks := c.ThankYouURL
	if thanks == "" {
		thanks = "/f/" + url.PathEscape(c.Name) + "/thanks"
		if hosted != "" {
			thanks += "?lang=" + webform.Language(hosted)
		}
	}
	http.Redirect(w, r, thanks, http.StatusSeeOther)
}

// hostedAgain sends the hosted form back (422) with what to fix, naming
// the fields as the visitor sees them, and what they typed filled in.
func (s *Server) hostedAgain(w http.ResponseWriter, r *http.Request, c *webform.Config, lang, key string, entries []string) {
	p := s.visitorPrinter(r, lang)
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = c.Describe(p, e)
	}
	s.showHosted(w, r, c, p, http.StatusUnprocessableEntity, p.T(key, strings.Join(names, "; ")), r.PostForm, r.PostForm)
}

// formStamp gives the signed render time a form's hidden field carries.
func (s *Server) formStamp(w http.ResponseWriter, r *http.Request) {
	if _, err := s.loadForm(r); err != nil {
		writeProblem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write([]byte(webform.Stamp(s.formKey, s.now())))
}

// formSnippet returns copy-paste HTML for the form, as text/html.
func (s *Server) formSnippet(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadForm(r)
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	base := s.scheme(r) + "://" + r.Host
	// It is an HTML fragment, and says so. Opened in a browser it shows
	// the form; the page's Content-Security-Policy keeps its script from
	// running there (it is meant for the website's page).
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	p := s.cat.Printer(webform.Language(r.URL.Query().Get("lang")))
	w.Write([]byte(webform.SnippetIn(c, base, p, s.svc.Vocabulary())))
}

// clientIP is the address a request came from: its peer's, or, when the
// peer is a trusted proxy, the nearest address in X-Forwarded-For that is
// not one (the ones before it are the client's to write, and could be
// forged).
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !s.fromProxy(addr) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // not an address: trust what came before it no further
		}
		addr = hop.Unmap()
		if !s.fromProxy(addr) {
			break
		}
	}
	return addr.String()
}

// fromProxy reports an address of a trusted proxy.
func (s *Server) fromProxy(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range s.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// scheme is the request's scheme, as a trusted proxy forwarded it.
func (s *Server) scheme(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if addr, err := netip.ParseAddr(host); err == nil && s.fromProxy(addr) {
			if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
				return p
			}
		}
	}
	if r.TLS != nil {
		return "https"
	}
	return "http"
}
