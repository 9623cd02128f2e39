package ui

import (
	"cmp"
	"context"
	"slices"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/ui/view"
	"github.com/pistahq/pista/internal/vocab"
)

// label is how screens name a code (a source, an industry, a country, an
// action, a band): its label in the user's language from the active
// definition's vocabulary, then from the built-in one (a definition may
// replace a field's codes), else the code itself. Every page names codes
// through here; exports keep the code beside it.
func (u *UI) label(p *i18n.Printer, field, code string) string {
	if code == "" {
		return ""
	}
	if l := u.svc.Vocabulary().Label(field, code, p.Lang); l != "" {
		return l
	}
	if l := vocab.Default().Label(field, code, p.Lang); l != "" {
		return l
	}
	return code
}

// teamNames names teams by their label (the definition's
// teams.<name>.label), else by their name.
func (u *UI) teamNames(ctx context.Context) (func(name string) string, error) {
	teams, err := u.db.Teams(ctx)
	if err != nil {
		return nil, err
	}
	labels := make(map[string]string, len(teams))
	for _, t := range teams {
		labels[t.Name] = t.Label
	}
	return func(name string) string { return cmp.Or(labels[name], name) }, nil
}

// sourceOptions are a source filter's choices by label: the sources
// Pista knows, and the one asked for even when it is none of them (an
// imported list's own source).
func (u *UI) sourceOptions(p *i18n.Printer, selected string) []view.Option {
	codes := slices.Clone(lead.Formats)
	if selected != "" && !slices.Contains(codes, selected) {
		codes = append(codes, selected)
	}
	return options(codes, func(c string) string { return u.label(p, "source.format", c) }, selected)
}

// bandOptions are a band filter's choices by label.
func (u *UI) bandOptions(p *i18n.Printer, bands []string, selected string) []view.Option {
	return options(bands, func(b string) string { return u.label(p, vocab.BandField, b) }, selected)
}
