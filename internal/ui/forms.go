package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/ui/view"
	"github.com/pistahq/pista/internal/webform"
)

// The Forms pages save and read web forms through intake, as the forms
// API does (PUT and GET /api/v1/forms/{name}), and draw them with the
// webform package that serves the snippet and the hosted page: one set of
// checks, one drawing.

// contactEntry is the default required entry: some way to reach the
// person.
const contactEntry = webform.DefaultRequired

// formsPage lists the web forms with their hosted pages.
func (u *UI) formsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	forms, err := u.svc.Forms(r.Context())
	if err != nil {
		return err
	}
	base := u.baseURL(r)
	p := &view.Forms{Base: u.base(r, rq, "forms.title"), Feeds: u.feeds(rq), Endpoint: base}
	for _, f := range forms {
		p.Rows = append(p.Rows, view.FormRow{Name: f.Name, Title: f.Title[rq.P.Lang], Action: u.label(rq.P, "action.type", f.Action),
			Source: u.label(rq.P, "source.format", f.SourceFormat), Campaign: f.Campaign, Fields: len(f.Fields), Updated: f.UpdatedAt,
			Hosted: base + "/f/" + url.PathEscape(f.Name)})
	}
	return u.render(w, http.StatusOK, "forms", p)
}

// formNewPage opens the editor on a simple contact form to start from.
func (u *UI) formNewPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	c := &webform.Config{Action: "contact_form", Fields: map[string]string{"name": "person.name", "email": "person.email",
		"phone": "person.phone", "company": "company.name", "message": "action.props.message"}}
	p := u.formEdit(r, rq, c, true)
	return u.render(w, http.StatusOK, "form_edit", p)
}

// formEditPage opens the editor on a stored form, with its snippet and
// its hosted page.
func (u *UI) formEditPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := u.svc.Form(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	p := u.formEdit(r, rq, c, false)
	p.Saved = true
	if get(r, "done") == "saved" {
		p.Flash = rq.P.T("forms.saved")
		// The warnings of the save, worked out again for what is stored.
		p.Warnings = webform.OptionWarnings(c, u.svc.Vocabulary())
	}
	return u.render(w, http.StatusOK, "form_edit", p)
}

// formSave saves the editor's form through intake (action=save), or
// shows it again with its preview (action=preview) or more empty rows
// (action=more), nothing saved.
func (u *UI) formSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, isNew, err := u.formFromPost(r)
	if err != nil {
		return err
	}
	switch r.PostFormValue("action") {
	case "save":
	case "more":
		p := u.formEdit(r, rq, c, isNew)
		p.Rows = append(p.Rows, emptyRows(len(p.Rows), 3)...)
		return u.render(w, http.StatusOK, "form_edit", p)
	default:
		return u.render(w, http.StatusOK, "form_edit", u.formEdit(r, rq, c, isNew))
	}
	if isNew {
		if _, err := u.svc.Form(r.Context(), c.Name); err == nil {
			err = problem.Coded(problem.Conflict, "form_exists", []any{c.Name}, "there is already a form %q", c.Name)
			return u.formAgain(w, r, rq, c, isNew, err)
		}
	}
	if err := u.svc.PutForm(r.Context(), c); err != nil {
		return u.formAgain(w, r, rq, c, isNew, err)
	}
	http.Redirect(w, r, "/app/forms/"+url.PathEscape(c.Name)+"?done=saved", http.StatusSeeOther)
	return nil
}

// formAgain shows the editor with what is wrong, each field's reason on
// its row, when the problem is one the person can fix.
func (u *UI) formAgain(w http.ResponseWriter, r *http.Request, rq *request, c *webform.Config, isNew bool, err error) error {
	pe, ok := problem.As(err)
	if !ok || (pe.Kind != problem.Invalid && pe.Kind != problem.Conflict) {
		return err
	}
	p := u.formEdit(r, rq, c, isNew)
	p.Error, p.Fields = rq.P.Problem(err), pe.Fields
	for _, f := range pe.Fields {
		if strings.HasPrefix(f.Name, "required") {
			p.RequiredErrors = append(p.RequiredErrors, rq.P.Field(f))
		}
	}
	for i := range p.Rows {
		row := &p.Rows[i]
		for _, f := range pe.Fields {
			if fieldOfRow(f.Name, row.Name) {
				row.Errors = append(row.Errors, rq.P.Field(f))
			}
		}
	}
	return u.render(w, statusOf(err), "form_edit", p)
}

// fieldOfRow reports whether a problem's field name is about the form
// field called name: fields."name", labels.name.es, options.name.
func fieldOfRow(problemField, name string) bool {
	return name != "" && (problemField == "fields."+strconv.Quote(name) || problemField == "options."+name ||
		problemField == "labels."+name || strings.HasPrefix(problemField, "labels."+name+"."))
}

// formPreview answers the preview of the editor's form as it stands, for
// the page's script to show as the form changes.
func (u *UI) formPreview(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, _, err := u.formFromPost(r)
	if err != nil {
		return err
	}
	p := &view.FormEdit{Base: u.base(r, rq, "forms.preview")}
	p.PreviewLangs, p.Preview = u.formPreviewOf(r, rq, c)
	return u.render(w, http.StatusOK, "form_preview", p)
}

// formFromPost reads the editor: the stored form it changes (orig), if
// any, with the editor's fields put over it, so that what the editor does
// not show (the honeypot's name, the minimum fill time) is kept.
func (u *UI) formFromPost(r *http.Request) (c *webform.Config, isNew bool, err error) {
	if err := r.ParseForm(); err != nil {
		return nil, false, err
	}
	f := r.PostForm
	c = &webform.Config{}
	if orig := f.Get("orig"); orig != "" {
		if c, err = u.svc.Form(r.Context(), orig); err != nil {
			return nil, false, err
		}
	} else {
		c.Name, isNew = strings.TrimSpace(f.Get("name")), true
	}
	c.Action = strings.TrimSpace(f.Get("form_action"))
	c.SourceFormat = f.Get("source_format")
	c.Campaign = strings.TrimSpace(f.Get("campaign"))
	c.DefaultCountry = strings.TrimSpace(f.Get("default_country"))
	c.ThankYouURL = strings.TrimSpace(f.Get("thank_you_url"))
	c.ErrorURL = strings.TrimSpace(f.Get("error_url"))
	utm := f.Get("utm") != ""
	c.UTM = &utm
	c.Title = map[string]string{}
	for _, l := range webform.Languages {
		if t := strings.TrimSpace(f.Get("title_" + l)); t != "" {
			c.Title[l] = t
		}
	}
	c.Fields, c.Labels, c.Options = map[string]string{}, map[string]map[string]string{}, map[string][]string{}
	var required []string
	n, _ := strconv.Atoi(f.Get("rows"))
	for i := range min(n, 200) {
		at := func(k string) string { return strings.TrimSpace(f.Get(fmt.Sprintf("f%d_%s", i, k))) }
		name, target := at("name"), at("target")
		if name == "" && target == "" {
			continue // an empty row
		}
		c.Fields[name] = target
		for _, l := range webform.Languages {
			if t := at("label_" + l); t != "" {
				if c.Labels[name] == nil {
					c.Labels[name] = map[string]string{}
				}
				c.Labels[name][l] = t
			}
		}
		for _, o := range strings.Split(at("options"), ",") {
			if o = strings.TrimSpace(o); o != "" {
				c.Options[name] = append(c.Options[name], o)
			}
		}
		if at("required") != "" && !slices.Contains(required, target) {
			required = append(required, target)
		}
	}
	if f.Get("contact") != "" {
		required = append([]string{contactEntry}, required...)
	}
	c.Required = append(required, f["keep_required"]...)
	return c, isNew, nil
}

// formEdit fills the editor from a form.
func (u *UI) formEdit(r *http.Request, rq *request, c *webform.Config, isNew bool) *view.FormEdit {
	b := u.base(r, rq, "forms.new_title")
	if !isNew {
		b = u.base(r, rq, "forms.edit_title", c.Name)
	}
	p := &view.FormEdit{Base: b, New: isNew, Name: c.Name, Action: c.Action, SourceFormat: c.SourceFormat,
		Campaign: c.Campaign, DefaultCountry: c.DefaultCountry, ThankYouURL: c.ThankYouURL, ErrorURL: c.ErrorURL,
		UTM: c.UTM == nil || *c.UTM, Feeds: u.feeds(rq)}
	if p.SourceFormat == "" {
		p.SourceFormat = "web_form"
	}
	for _, l := range webform.Languages {
		p.Titles = append(p.Titles, view.FormLabel{Lang: l, Text: c.Title[l]})
	}
	for _, req := range c.Required {
		switch {
		case req == contactEntry:
			p.Contact = true
		case strings.Contains(req, "|"):
			p.Keep = append(p.Keep, req)
		}
	}
	if len(c.Required) == 0 {
		p.Contact = true // the default
	}
	names := make([]string, 0, len(c.Fields))
	for name := range c.Fields {
		names = append(names, name)
	}
	order := webform.Targets()
	slices.SortStableFunc(names, func(a, b string) int {
		ia, ib := slices.Index(order, c.Fields[a]), slices.Index(order, c.Fields[b])
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	for i, name := range names {
		row := view.FormFieldRow{N: i, Name: name, Target: c.Fields[name], Options: strings.Join(c.Options[name], ", "),
			Required: slices.Contains(c.Required, c.Fields[name])}
		for _, l := range webform.Languages {
			row.Labels = append(row.Labels, view.FormLabel{Lang: l, Text: c.Labels[name][l]})
		}
		p.Rows = append(p.Rows, row)
	}
	p.Rows = append(p.Rows, emptyRows(len(p.Rows), 2)...)
	for _, t := range order {
		p.Targets = append(p.Targets, view.Option{Value: t, Label: rq.P.Maybe("webform.field."+t, t)})
	}
	for _, t := range []string{"action.props.", "person.attributes.", "company.attributes."} {
		p.Targets = append(p.Targets, view.Option{Value: t, Label: rq.P.T("forms.target_key")})
	}
	voc := u.svc.Vocabulary()
	for _, a := range voc.Codes("action.type") {
		p.Actions = append(p.Actions, view.Option{Value: a, Label: u.label(rq.P, "action.type", a)})
	}
	p.Formats = options(lead.Formats, func(f string) string { return u.label(rq.P, "source.format", f) }, p.SourceFormat)
	p.PreviewLangs, p.Preview = u.formPreviewOf(r, rq, c)
	if !isNew {
		p.Hosted = u.baseURL(r) + "/f/" + url.PathEscape(c.Name)
		p.Snippet = webform.SnippetIn(c, u.baseURL(r), u.cat.Printer(previewLang(r, rq)), u.svc.Vocabulary())
	}
	return p
}

func emptyRows(from, n int) []view.FormFieldRow {
	out := make([]view.FormFieldRow, n)
	for i := range out {
		out[i].N = from + i
		for _, l := range webform.Languages {
			out[i].Labels = append(out[i].Labels, view.FormLabel{Lang: l})
		}
	}
	return out
}

// previewLang is the language the preview and the snippet are drawn in:
// the one chosen on the page, else the page's.
func previewLang(r *http.Request, rq *request) string {
	l := r.FormValue("preview_lang")
	if slices.Contains(webform.Languages, l) {
		return l
	}
	return rq.P.Lang
}

// formPreviewOf draws the form as its hosted page shows it, in the chosen
// language.
func (u *UI) formPreviewOf(r *http.Request, rq *request, c *webform.Config) ([]view.Option, view.HTML) {
	lang := previewLang(r, rq)
	langs := options(webform.Languages, func(l string) string { return rq.P.T("lang." + l) }, lang)
	return langs, view.HTML(webform.HostedIn(c, u.baseURL(r), u.cat.Printer(lang), u.svc.Vocabulary(), "", nil, nil))
}

// feeds names the definition that scores every submission.
func (u *UI) feeds(rq *request) string {
	a := u.svc.Active()
	if a == nil {
		return rq.P.T("forms.no_definition")
	}
	return strings.TrimSpace(a.Def.Name + " " + a.Def.Version)
}

// baseURL is the server's address as the browser reached it.
func (u *UI) baseURL(r *http.Request) string { return u.scheme(r) + "://" + r.Host }
