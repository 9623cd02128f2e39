// Package i18n is Pista's one message catalog (Spanish, Portuguese,
// English) and its locale formats. Every text the web app shows, and the
// codes of the errors users see (problem.Error.Code), has a message here
// in all three languages; a test fails when one is missing.
//
// Messages are fmt formats rendered by golang.org/x/text/message, so
// numbers in them come out in the language's format (1.234,56 in es and
// pt, 1,234.56 in en); the language is chosen with x/text's matcher.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

//go:embed locales/*.json
var locales embed.FS

// Languages are the languages of the catalog, in the order the switch
// shows them.
var Languages = []string{"es", "pt", "en"}

// Catalog holds the messages of every language.
type Catalog struct {
	cat      *catalog.Builder
	messages map[string]map[string]string // language → key → message
	matcher  language.Matcher
	tags     []language.Tag
	def      string
}

// New loads the embedded catalog. def is the language when neither the
// user nor the browser says one Pista speaks ("" is Spanish).
func New(def string) (*Catalog, error) {
	if def == "" {
		def = "es"
	}
	if !slices.Contains(Languages, def) {
		return nil, fmt.Errorf("i18n: default language %q: want one of %v", def, Languages)
	}
	c := &Catalog{messages: map[string]map[string]string{}, def: def}
	// The default language first: the matcher falls back to it.
	order := append([]string{def}, slices.DeleteFunc(slices.Clone(Languages), func(l string) bool { return l == def })...)
	c.cat = catalog.NewBuilder(catalog.Fallback(language.MustParse(def)))
	for _, lang := range order {
		b, err := locales.ReadFile(path.Join("locales", lang+".json"))
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: locales/%s.json: %w", lang, err)
		}
		tag := language.MustParse(lang)
		plurals := map[string]map[string]string{} // key → plural form → message
		for k, v := range m {
			if key, form, ok := strings.Cut(k, "#"); ok {
				if plurals[key] == nil {
					plurals[key] = map[string]string{}
				}
				plurals[key][form] = v
				continue
			}
			if err := c.cat.SetString(tag, k, v); err != nil {
				return nil, fmt.Errorf("i18n: locales/%s.json: %s: %w", lang, k, err)
			}
		}
		for key, forms := range plurals {
			if err := c.setPlural(tag, key, forms); err != nil {
				return nil, fmt.Errorf("i18n: locales/%s.json: %s: %w", lang, key, err)
			}
			m[key] = forms["other"]
		}
		c.messages[lang] = m
		c.tags = append(c.tags, tag)
	}
	c.matcher = language.NewMatcher(c.tags)
	return c, nil
}

// pluralForms are the CLDR plural categories a message may have, after
// "#" in its key ("lead.more_detail#one", "lead.more_detail#other"); the
// count is the message's first argument and the language's CLDR rules
// (golang.org/x/text/feature/plural) pick the form: 1 is "one" in
// English and Spanish, 0 and 1 are in Portuguese.
var pluralForms = []string{"zero", "one", "two", "few", "many"}

func (c *Catalog) setPlural(tag language.Tag, key string, forms map[string]string) error {
	if forms["other"] == "" {
		return fmt.Errorf("a plural message needs the form %q", key+"#other")
	}
	var cases []any
	for form := range forms {
		if form != "other" && !slices.Contains(pluralForms, form) {
			return fmt.Errorf("%q is no plural form (want one of %v or other)", form, pluralForms)
		}
	}
	for _, form := range pluralForms {
		if text, ok := forms[form]; ok {
			cases = append(cases, form, text)
		}
	}
	cases = append(cases, "other", forms["other"])
	return c.cat.Set(tag, key, plural.Selectf(1, "%d", cases...))
}

// Default is the server's default language.
func (c *Catalog) Default() string { return c.def }

// Keys lists the keys of a language, sorted (for the missing-key test).
func (c *Catalog) Keys(lang string) []string {
	out := make([]string, 0, len(c.messages[lang]))
	for k := range c.messages[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Has reports whether a key has a message in the default language.
func (c *Catalog) Has(key string) bool {
	_, ok := c.messages[c.def][key]
	return ok
}

// Match picks the language to speak: the user's setting when it is one
// Pista speaks, else the best match of the browser's Accept-Language
// (es-CO → es, pt-BR → pt), else the server's default.
func (c *Catalog) Match(userLang, acceptLanguage string) string {
	if slices.Contains(Languages, userLang) {
		return userLang
	}
	if acceptLanguage != "" {
		tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(tags) > 0 {
			_, i, conf := c.matcher.Match(tags...)
			if conf != language.No {
				return c.tags[i].String()
			}
		}
	}
	return c.def
}

// Printer renders messages in one language.
func (c *Catalog) Printer(lang string) *Printer {
	if !slices.Contains(Languages, lang) {
		lang = c.def
	}
	tag := language.MustParse(lang)
	return &Printer{Lang: lang, c: c, p: message.NewPrinter(tag, message.Catalog(c.cat))}
}

// Raw is a message's format as written in the catalog.
func (c *Catalog) Raw(lang, key string) string { return c.messages[lang][key] }
