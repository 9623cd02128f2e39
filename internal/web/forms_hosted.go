package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/webform"
)

// The hosted form's pages (GET /f/{name}, /f/{name}/thanks) are whole
// pages of their own, for a company without a website: no script, and
// their one stylesheet inline, allowed by its hash.
const hostedStyle = `body{margin:0;background:#f4f5f7;color:#1d2330;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:34rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border:1px solid #d8dce3;border-radius:8px}
h1{font-size:1.4rem;margin:0 0 1rem}
.pista-form p{margin:0 0 1rem}
.pista-form label{display:block;font-weight:600;margin-bottom:.25rem}
.pista-form input,.pista-form select,.pista-form textarea{box-sizing:border-box;width:100%;padding:.5rem;border:1px solid #8a93a3;border-radius:4px;font:inherit}
.pista-form input:focus,.pista-form select:focus,.pista-form textarea:focus,.pista-form button:focus,a:focus{outline:3px solid #1f5fbf;outline-offset:1px}
.pista-form button{padding:.6rem 1.4rem;border:0;border-radius:4px;background:#1f5fbf;color:#fff;font:inherit;font-weight:600;cursor:pointer}
.` + webform.HoneypotClass + `{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.problem{border-left:4px solid #b3261e;background:#fcebea;padding:.5rem 1rem;margin-bottom:1rem}
a{color:#1f5fbf}`

// hostedPolicy allows the page's own style, posting to this server, and
// nothing else.
func hostedPolicy() string {
	sum := sha256.Sum256([]byte(hostedStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; form-action 'self'; " +
		"frame-ancestors 'none'; base-uri 'none'"
}

var hostedPage = template.Must(template.New("hosted").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{if .Problem}}<p class="problem" role="alert">{{.Problem}}</p>
{{end}}{{if .Text}}<p>{{.Text}}</p>
{{end}}{{.Form}}{{if .Back}}<p><a href="{{.Back}}">{{.BackText}}</a></p>
{{end}}</main>
</body>
</html>
`))

type hostedView struct {
	Lang, Title, Problem, Text string
	Style                      template.CSS
	Form                       template.HTML // webform.Hosted: every value in it escaped
	Back, BackText             string
}

// visitorPrinter speaks the visitor's language: ?lang= (or the hosted
// form's own field), else Accept-Language, else the server's default.
func (s *Server) visitorPrinter(r *http.Request, lang string) *i18n.Printer {
	if lang != "" {
		lang = webform.Language(lang)
	}
	return s.cat.Printer(s.cat.Match(lang, r.Header.Get("Accept-Language")))
}

func (s *Server) writeHosted(w http.ResponseWriter, status int, v hostedView) {
	v.Style = template.CSS(hostedStyle)
	var buf bytes.Buffer
	if err := hostedPage.Execute(&buf, v); err != nil {
		s.log.Error("hosted form page", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", hostedPolicy())
	h.Set("Cache-Control", "no-store") // the page holds a fresh stamp
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// hostedForm serves the form as a page of its own, in the visitor's
// language, its render time already signed.
func (s *Server) hostedForm(w http.ResponseWriter, r *http.Request) {
	p := s.visitorPrinter(r, r.URL.Query().Get("lang"))
	c, ok := s.hostedConfig(w, r, p)
	if !ok {
		return
	}
	s.showHosted(w, r, c, p, http.StatusOK, "", r.URL.Query(), nil)
}

// showHosted writes the hosted form's page; msg, if any, says what to
// fix, with the visitor's values filled in again. query holds the utm_*
// values to carry.
func (s *Server) showHosted(w http.ResponseWriter, r *http.Request, c *webform.Config, p *i18n.Printer, status int, msg string, query, values url.Values) {
	base := s.scheme(r) + "://" + r.Host
	form := webform.HostedIn(c, base, p, s.svc.Vocabulary(), webform.Stamp(s.formKey, s.now()), query, values)
	s.writeHosted(w, status, hostedView{Lang: p.Lang, Title: hostedTitle(c, p), Problem: msg, Form: template.HTML(form)})
}

// hostedThanks is where a hosted post goes when the form names no
// thank-you page of its own.
func (s *Server) hostedThanks(w http.ResponseWriter, r *http.Request) {
	p := s.visitorPrinter(r, r.URL.Query().Get("lang"))
	c, ok := s.hostedConfig(w, r, p)
	if !ok {
		return
	}
	back := "/f/" + url.PathEscape(c.Name) + "?lang=" + p.Lang
	s.writeHosted(w, http.StatusOK, hostedView{Lang: p.Lang, Title: p.T("webform.thanks_title"), Text: p.T("webform.thanks_text"),
		Back: back, BackText: p.T("webform.back")})
}

// hostedConfig loads the form of a hosted page, or writes the page that
// says there is none.
func (s *Server) hostedConfig(w http.ResponseWriter, r *http.Request, p *i18n.Printer) (*webform.Config, bool) {
	c, err := s.loadForm(r)
	if err == nil {
		return c, true
	}
	if pe, ok := problem.As(err); ok && pe.Kind == problem.NotFound {
		s.writeHosted(w, http.StatusNotFound, hostedView{Lang: p.Lang, Title: p.T("webform.not_found_title"),
			Text: p.T("webform.not_found", r.PathValue("name"))})
		return nil, false
	}
	writeProblem(w, r, err)
	return nil, false
}

func hostedTitle(c *webform.Config, p *i18n.Printer) string {
	if t := strings.TrimSpace(c.Title[p.Lang]); t != "" {
		return t
	}
	return p.T("webform.hosted_title")
}
