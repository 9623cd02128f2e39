package ui

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/vocab"
)

// exportLimit bounds one CSV export.
const exportLimit = 100_000

// leadsCSV exports the filtered list. Codes stay as they are (other
// tools read them); the last columns name them in the user's language.
// Cells that a spreadsheet would read as a formula (=, +, -, @, tab, CR)
// get a leading apostrophe, so a lead named "=HYPERLINK(...)" stays text.
func (u *UI) leadsCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	f, _, err := u.leadQuery(ctx, r, rq)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="leads.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "name", "email", "title", "company", "country", "stage", "band", "score", "owner", "team", "source", "campaign", "created_at",
		"country_label", "stage_label", "band_label", "team_label", "source_label"})
	teamName, err := u.teamNames(ctx)
	if err != nil {
		return err
	}
	written := 0
	f.Limit = 1000
	for written < exportLimit {
		leads, err := u.db.SearchLeads(ctx, f)
		if err != nil {
			return err
		}
		for _, l := range leads {
			cw.Write(u.csvRow(rq, teamName, l))
		}
		written += len(leads)
		if len(leads) < f.Limit {
			break
		}
		last := leads[len(leads)-1]
		f.AfterID, f.AfterValue = last.ID, 0
		if last.Eval != nil {
			f.AfterValue = last.Eval.Total
		}
		if f.Sort == "newest" || f.Sort == "oldest" {
			f.AfterValue = float64(last.CreatedAt.UnixMilli())
		}
	}
	cw.Flush()
	return nil
}

func (u *UI) csvRow(rq *request, teamName func(string) string, l *store.Lead) []string {
	band, score, team := "", "", ""
	if l.Eval != nil {
		band, score, team = l.Eval.Band, strconv.FormatFloat(l.Eval.Total, 'f', -1, 64), l.Eval.Team
	}
	d := l.Data
	row := []string{strconv.FormatInt(l.ID, 10), leadName(l), l.Email, d.Person.Title, d.Company.Name, d.Company.Country, l.Stage(),
		band, score, l.Owner, team, d.Source.Format, d.Source.Campaign, l.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
		u.label(rq.P, "company.country", d.Company.Country), rq.P.Maybe("stage."+l.Stage(), l.Stage()), u.label(rq.P, vocab.BandField, band),
		teamName(team), u.label(rq.P, "source.format", d.Source.Format)}
	for i, c := range row {
		row[i] = neutralise(c)
	}
	return row
}

// neutralise keeps a cell from being read as a formula.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
