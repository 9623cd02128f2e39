package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
)

// reportParams are the query parameters every report takes besides its
// dimensions.
var reportParams = []string{"from", "to", "format"}

// reportQuery reads a report's period, grouping, view and filters. Filter
// values repeat (?source=api&source=web_form); group_by is one or two
// names, comma separated or repeated.
func (s *Server) reportQuery(r *http.Request, extra ...string) (report.Query, error) {
	from, to, err := s.reportRange(r)
	q := report.Query{From: from, To: to, Filters: map[string][]string{}}
	var bad []problem.Field
	if pe, ok := problem.As(err); ok {
		bad = append(bad, pe.Fields...)
	} else if err != nil {
		return q, err
	}
	v := r.URL.Query()
	for _, g := range v["group_by"] {
		for _, name := range strings.Split(g, ",") {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			if !slices.Contains(store.ReportDimensions, name) {
				bad = append(bad, problem.Field{Name: "group_by", Reason: fmt.Sprintf("%q is not a dimension; use %s", name, strings.Join(store.ReportDimensions, ", "))})
			} else if !slices.Contains(q.GroupBy, name) {
				q.GroupBy = append(q.GroupBy, name)
			}
		}
	}
	if len(q.GroupBy) > 2 {
		bad = append(bad, problem.Field{Name: "group_by", Reason: "at most two dimensions"})
	}
	switch v.Get("view") {
	case "", "cohort":
	case "flow":
		q.Flow = true
	default:
		bad = append(bad, problem.Field{Name: "view", Reason: "use cohort (leads by inquiry date, the default) or flow (stage entries in the period)"})
	}
	for name, vals := range v {
		switch {
		case slices.Contains(store.ReportDimensions, name):
			q.Filters[name] = vals
		case slices.Contains(reportParams, name), slices.Contains(extra, name):
		default:
			known := append(append(append([]string{}, reportParams...), extra...), store.ReportDimensions...)
			bad = append(bad, problem.Field{Name: name, Reason: "unknown parameter; use " + strings.Join(known, ", ")})
		}
	}
	bad = append(bad, checkFormat(r)...)
	if len(bad) > 0 {
		return q, problem.Fields("bad report parameters", bad...)
	}
	return q, nil
}

// checkFormat checks ?format=.
func checkFormat(r *http.Request) []problem.Field {
	if f := r.URL.Query().Get("format"); f != "" && f != "csv" && f != "json" {
		return []problem.Field{{Name: "format", Reason: "use csv or json"}}
	}
	return nil
}

// wantsCSV: format=csv, or an Accept header that prefers text/csv.
func wantsCSV(r *http.Request) bool {
	switch r.URL.Query().Get("format") {
	case "csv":
		return true
	case "json":
		return false
	}
	return strings.HasPrefix(r.Header.Get("Accept"), "text/csv")
}

// writeReport answers with the report as JSON, or as CSV when asked.
func writeReport(w http.ResponseWriter, r *http.Request, name string, v any, table func() *report.Table) error {
	if !wantsCSV(r) {
		return writeJSON(w, http.StatusOK, v)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".csv"))
	return table().WriteCSV(w)
}

// funnelReport: the waterfall of a cohort, or the flow of a period.
func (s *Server) funnelReport(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	q, err := s.reportQuery(r, "group_by", "view")
	if err != nil {
		return err
	}
	if err := s.scopeQuery(r, tok, &q); err != nil {
		return err
	}
	f, err := s.reports.Funnel(r.Context(), q)
	if err != nil {
		return err
	}
	return writeReport(w, r, "funnel", f, f.Table)
}

// followUpReport: of the leads routed in the period, touched at all,
// within the SLA, and how soon, per team, rep and week.
func (s *Server) followUpReport(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	from, to, err := s.reportRange(r)
	if err != nil {
		return err
	}
	bad := checkFormat(r)
	for name := range r.URL.Query() {
		if !slices.Contains([]string{"from", "to", "format", "team"}, name) {
			bad = append(bad, problem.Field{Name: name, Reason: "unknown parameter; use from, to, team, format"})
		}
	}
	if len(bad) > 0 {
		return problem.Fields("bad report parameters", bad...)
	}
	team := r.URL.Query().Get("team")
	sc, err := s.reportScope(r, tok, team)
	if err != nil {
		return err
	}
	f, err := s.reports.FollowUpIn(r.Context(), from, to, team, sc)
	if err != nil {
		return err
	}
	return writeReport(w, r, "follow-up", f, f.Table)
}

// bandsReport: per band of the active (or a given) definition and per
// score decile, how the cohort's leads converted.
func (s *Server) bandsReport(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	q, err := s.reportQuery(r, "definition")
	if err != nil {
		return err
	}
	if err := s.scopeQuery(r, tok, &q); err != nil {
		return err
	}
	if d := r.URL.Query().Get("definition"); d != "" {
		id, err := strconv.ParseInt(d, 10, 64)
		if err != nil || id <= 0 {
			return problem.Fields("bad report parameters", problem.Field{Name: "definition", Reason: "want a definition id (GET /api/v1/definitions)"})
		}
		if _, err := s.db.DefinitionByID(r.Context(), id); err != nil {
			return problem.Fields("bad report parameters", problem.Field{Name: "definition", Reason: fmt.Sprintf("there is no definition %d", id)})
		}
		q.DefinitionID = id
	} else if a := s.svc.Active(); a != nil {
		q.DefinitionID = a.ID
	}
	b, err := s.reports.Bands(r.Context(), q)
	if err != nil {
		return err
	}
	return writeReport(w, r, "bands", b, b.Table)
}
