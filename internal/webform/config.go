package webform

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pistahq/pista/internal/lead"
)

// Config is one form's configuration, stored by the server as JSON.
type Config struct {
	// Name is the URL slug in /f/{name}: a-z, 0-9 and "-", 1 to 64 long.
	Name string `json:"name"`
	// Fields maps an HTML field name to a lead field path such as
	// "person.email" or "action.props.message" (see doc.go for the list).
	Fields map[string]string `json:"fields"`
	// Action is the inquiry action a submission records, e.g. price_request.
	Action string `json:"action"`
	// SourceFormat is lead.Source.Format; default "web_form".
	SourceFormat string `json:"source_format,omitempty"`
	// DefaultCountry (ISO alpha-2) reads phones written without +country
	// code and fills person.country when the form does not ask for it.
	DefaultCountry string `json:"default_country,omitempty"`
	// ThankYouURL is where the browser goes after a stored submission
	// (303). Empty means the server's own thank-you page, /f/{name}/thanks,
	// for a company whose only page is the hosted form.
	ThankYouURL string `json:"thank_you_url,omitempty"`
	// ErrorURL, if set, is where the browser goes when required fields are
	// missing; see ErrorLocation. Without it the handler answers 422.
	ErrorURL string `json:"error_url,omitempty"`
	// Required lists lead field paths that must be filled. An entry may
	// offer alternatives with "|": the default, "person.email|person.phone",
	// asks for at least one way to contact the person.
	Required []string `json:"required,omitempty"`
	// Honeypot names a field hidden from people; bots fill it. Default
	// "website_url"; "-" turns the check off.
	Honeypot string `json:"honeypot,omitempty"`
	// MinFillSeconds: a form sent sooner after rendering is suspicious.
	// 0 means the default, 3; a negative number turns the check off.
	MinFillSeconds int `json:"min_fill_seconds,omitempty"`
	// TimestampField holds the Stamp of the render time. Default
	// "_pista_ts"; "-" turns the timestamp checks off.
	TimestampField string `json:"timestamp_field,omitempty"`
	// UTM, unless false, reads utm_source, utm_medium and utm_campaign into
	// source.channel and source.campaign. A pointer so that absent means
	// true in JSON and in Go literals alike.
	UTM *bool `json:"utm,omitempty"`
	// Options lists, by HTML field name, the values a select of the form
	// offers. For a field with a vocabulary (industry, seniority, country,
	// ...) each should be a code of the active definition; saving the
	// form warns of any that is not (see OptionWarnings).
	Options map[string][]string `json:"options,omitempty"`
	// Campaign fills source.campaign when neither a field of the form nor
	// utm_campaign does: the campaign a form feeds by default.
	Campaign string `json:"campaign,omitempty"`
	// Labels are the form's own labels, by HTML field name and language
	// (es, pt, en): {"producto": {"es": "Producto", "en": "Product"}}. A
	// field without one is labelled by the message catalog.
	Labels map[string]map[string]string `json:"labels,omitempty"`
	// Title heads the hosted form's page, by language; without one the
	// page says "Contact us" in the visitor's language.
	Title map[string]string `json:"title,omitempty"`
	// Warnings are set by the server when the form is saved (select
	// options that are not codes); ignored on input.
	Warnings []string `json:"warnings,omitempty"`
}

// Defaults, and the word that turns a check off.
const (
	DefaultHoneypot       = "website_url"
	DefaultTimestampField = "_pista_ts"
	DefaultMinFillSeconds = 3
	DefaultRequired       = "person.email|person.phone"
	Off                   = "-"

	maxFields    = 100
	maxOptions   = 300
	maxNameBytes = 100
	maxTextBytes = 200 // a label, a title, a campaign
)

// Languages are the languages a form's labels and title may be given in.
var Languages = []string{"es", "pt", "en"}

// withDefaults returns a copy of c with every default filled in. Map uses it
// so that a config that skipped Validate still behaves.
func (c *Config) withDefaults() Config {
	d := *c
	if d.SourceFormat == "" {
		d.SourceFormat = "web_form"
	}
	if d.Honeypot == "" {
		d.Honeypot = DefaultHoneypot
	}
	if d.TimestampField == "" {
		d.TimestampField = DefaultTimestampField
	}
	if d.MinFillSeconds == 0 {
		d.MinFillSeconds = DefaultMinFillSeconds
	}
	if len(d.Required) == 0 {
		d.Required = []string{DefaultRequired}
	}
	if d.UTM == nil {
		t := true
		d.UTM = &t
	}
	if cc, ok := countryCode(d.DefaultCountry); ok {
		d.DefaultCountry = cc
	}
	return d
}

func (c *Config) utm() bool { return c.UTM == nil || *c.UTM }

// Validate fills the defaults into c and checks it. It returns nil or
// lead.FieldErrors naming each bad field by its JSON name, so the API can
// list them all at once.
func (c *Config) Validate() error {
	*c = c.withDefaults()
	var errs lead.FieldErrors
	add := func(field, format string, args ...any) {
		errs = append(errs, &lead.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	// coded gives the error just added its catalog code, for the web app.
	coded := func(code string, args ...any) { errs[len(errs)-1].Code, errs[len(errs)-1].Args = code, args }

	switch {
	case c.Name == "":
		add("name", "missing: the form's URL slug, e.g. contact-us")
		coded("missing")
	case len(c.Name) > 64 || !isSlug(c.Name):
		add("name", "%q: use 1 to 64 of a-z, 0-9 and -, e.g. contact-us", clip(c.Name))
		coded("form_name")
	}
	switch {
	case c.Action == "":
		add("action", "missing: the inquiry action this form records, e.g. contact_form, price_request, demo_request")
		coded("missing")
	case !isKey(c.Action):
		add("action", "%q: use snake_case (a-z, 0-9, _), e.g. price_request", clip(c.Action))
		coded("form_action")
	}
	if !slices.Contains(lead.Formats, c.SourceFormat) {
		add("source_format", "%q: use one of %s", clip(c.SourceFormat), strings.Join(lead.Formats, ", "))
	}
	if c.DefaultCountry != "" && !isAlpha2(c.DefaultCountry) {
		add("default_country", "%q: use an ISO 3166 two-letter code such as CO, MX, BR, US", clip(c.DefaultCountry))
		coded("country")
	}
	for name, opts := range c.Options {
		if _, ok := c.Fields[name]; !ok {
			add("options."+name, "%q is not a field of the form; options belong to a mapped field", clip(name))
			coded("form_unmapped")
		}
		if len(opts) > maxOptions {
			add("options."+name, "%d options; the limit is %d", len(opts), maxOptions)
		}
	}
	if c.ThankYouURL != "" && !isWebURL(c.ThankYouURL) {
		add("thank_you_url", "must be an absolute http(s) URL, like https://example.com/thanks")
		coded("url")
	}
	if c.ErrorURL != "" && !isWebURL(c.ErrorURL) {
		add("error_url", "must be an absolute http(s) URL, like https://example.com/contact")
		coded("url")
	}
	c.checkFields(add, coded)
	c.checkTexts(add, coded)
	c.checkSpecialField("honeypot", c.Honeypot, add)
	c.checkSpecialField("timestamp_field", c.TimestampField, add)
	if c.Honeypot != Off && c.Honeypot == c.TimestampField {
		add("timestamp_field", "%q is also the honeypot; use two different names", c.TimestampField)
	}
	if c.MinFillSeconds > 3600 {
		add("min_fill_seconds", "%d: at most 3600 (an hour); 3 catches bots without bothering people", c.MinFillSeconds)
	}
	c.checkRequired(add, coded)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func (c *Config) checkFields(add func(field, format string, args ...any), coded func(code string, args ...any)) {
	if len(c.Fields) == 0 {
		add("fields", "missing: map at least one HTML field name to a lead field, e.g. {\"email\": \"person.email\"}")
		coded("form_fields")
		return
	}
	if len(c.Fields) > maxFields {
		add("fields", "%d fields; the limit is %d", len(c.Fields), maxFields)
		return
	}
	for _, name := range sortedKeys(c.Fields) {
		field := "fields." + strconv.Quote(name)
		if msg := fieldNameProblem(name); msg != "" {
			add(field, "%s", msg)
			coded("form_field_name")
			continue
		}
		if strings.HasPrefix(name, "_pista") {
			add(field, "names starting with _pista are reserved for pista's own fields")
			continue
		}
		if name == c.Honeypot || name == c.TimestampField {
			add(field, "%q is the form's honeypot or timestamp field; choose another name", name)
			continue
		}
		if _, err := parseTarget(c.Fields[name]); err != nil {
			add(field, "%v", err)
		}
	}
}

// checkTexts checks the campaign, the labels and the titles: one line of
// at most maxTextBytes, labels only for mapped fields, in a language forms
// speak.
func (c *Config) checkTexts(add func(field, format string, args ...any), coded func(code string, args ...any)) {
	text := func(field, v string) {
		switch {
		case len(v) > maxTextBytes:
			add(field, "%d bytes; the limit is %d", len(v), maxTextBytes)
			coded("too_long", maxTextBytes)
		case !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0:
			add(field, "%q: one line of text, without control characters", clip(v))
			coded("one_line")
		}
	}
	c.Campaign = strings.TrimSpace(c.Campaign)
	text("campaign", c.Campaign)
	lang := func(field, l string) bool {
		if !slices.Contains(Languages, l) {
			add(field, "%q is not a language forms speak: use es, pt or en", clip(l))
			coded("language", clip(l))
			return false
		}
		return true
	}
	for _, l := range sortedKeys(c.Title) {
		if field := "title." + l; lang(field, l) {
			text(field, c.Title[l])
		}
	}
	for _, name := range sortedKeys(c.Labels) {
		if _, ok := c.Fields[name]; !ok {
			add("labels."+name, "%q is not a field of the form; labels belong to a mapped field", clip(name))
			coded("form_unmapped")
			continue
		}
		for _, l := range sortedKeys(c.Labels[name]) {
			if field := "labels." + name + "." + l; lang(field, l) {
				text(field, c.Labels[name][l])
			}
		}
	}
}

// checkSpecialField checks the honeypot and timestamp field names.
func (c *Config) checkSpecialField(field, name string, add func(field, format string, args ...any)) {
	if name == Off {
		return
	}
	if msg := fieldNameProblem(name); msg != "" {
		add(field, "%s", msg)
	}
}

func (c *Config) checkRequired(add func(field, format string, args ...any), coded func(code string, args ...any)) {
	for i, req := range c.Required {
		field := fmt.Sprintf("required[%d]", i)
		alts := strings.Split(req, "|")
		reachable, bad := false, false
		for _, p := range alts {
			p = strings.TrimSpace(p)
			if _, err := parseTarget(p); err != nil {
				add(field, "%v", err)
				bad = true
				continue
			}
			reachable = reachable || c.canFill(p)
		}
		if !bad && !reachable {
			add(field, "%q is not filled by any field: map a form field to it or remove it from required", req)
			coded("form_required", req)
		}
	}
}

// canFill reports whether some submission of this form can fill path.
func (c *Config) canFill(path string) bool {
	for _, p := range c.Fields {
		if p == path || p == "person.name" && (path == "person.first_name" || path == "person.last_name") ||
			path == "person.name" && (p == "person.first_name" || p == "person.last_name") {
			return true
		}
	}
	switch path {
	case "source.format":
		return true
	case "person.country":
		return c.DefaultCountry != ""
	case "source.channel", "source.campaign":
		return c.utm()
	}
	return false
}

// fieldNameProblem says what is wrong with an HTML field name, or "".
func fieldNameProblem(name string) string {
	switch {
	case name == "":
		return "the HTML field name is empty"
	case len(name) > maxNameBytes:
		return fmt.Sprintf("the HTML field name is %d bytes; the limit is %d", len(name), maxNameBytes)
	case !utf8.ValidString(name) || strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0:
		return fmt.Sprintf("HTML field name %q: use letters, digits, - and _, without spaces", name)
	}
	return ""
}

func isSlug(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return s != ""
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	if len(s) <= 80 {
		return s
	}
	cut := 80
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
