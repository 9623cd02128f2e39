package ui

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

const pageSize = 50

// allStages are the stages the list can be filtered by.
var allStages = []string{stage.Inquiry, stage.MQL, stage.SAL, stage.SQL, stage.Opportunity, stage.Won, stage.Lost,
	stage.Nurture, stage.Disqualified, stage.Recycled}

// leadQuery reads the list's filters from the URL (a GET form, so a
// filtered list can be bookmarked and shared) and limits it to what the
// user may see.
func (u *UI) leadQuery(ctx context.Context, r *http.Request, rq *request) (store.LeadQuery, *view.Leads, error) {
	p := &view.Leads{Q: get(r, "q"), StageFilter: get(r, "stage"), Band: get(r, "band"), Owner: get(r, "owner"), Team: get(r, "team"),
		Source: get(r, "source"), Campaign: get(r, "campaign"), From: get(r, "from"), To: get(r, "to"),
		MinScore: get(r, "min_score"), MaxScore: get(r, "max_score"), Sort: get(r, "sort"), Suspicious: get(r, "suspicious") != ""}
	f := store.LeadQuery{Stage: p.StageFilter, Band: p.Band, Team: p.Team, Source: p.Source, Campaign: p.Campaign,
		Owner: strings.ToLower(p.Owner), Text: p.Q, Sort: p.Sort, Suspicious: p.Suspicious, Limit: pageSize + 1}
	var bad []problem.Field
	num := func(name, v string) *float64 {
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil {
			bad = append(bad, problem.Field{Name: name, Reason: "want a number", Code: "number"})
			return nil
		}
		return &x
	}
	day := func(label, v string, next bool) time.Time {
		if v == "" {
			return time.Time{}
		}
		d, ok := rq.P.ParseDay(v, rq.Loc)
		if !ok {
			bad = append(bad, badDay(rq.P, rq.P.T(label), v))
			return time.Time{}
		}
		if next {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	f.MinScore, f.MaxScore = num("min_score", p.MinScore), num("max_score", p.MaxScore)
	f.From, f.To = day("filter.from", p.From, false), day("filter.to", p.To, true)
	p.From, p.To = rq.P.DayInput(p.From), rq.P.DayInput(p.To)
	if p.StageFilter != "" && !slices.Contains(allStages, p.StageFilter) {
		bad = append(bad, problem.Field{Name: "stage", Reason: "choose one of the options", Code: "choose"})
	}
	if !slices.Contains([]string{"", "score", "newest", "oldest"}, p.Sort) {
		bad = append(bad, problem.Field{Name: "sort", Reason: "choose one of the options", Code: "choose"})
	}
	if c := get(r, "after"); c != "" {
		v, id, ok := decodeAfter(c)
		if !ok {
			bad = append(bad, problem.Field{Name: "after", Reason: "not a position from a previous page", Code: "choose"})
		}
		f.AfterValue, f.AfterID = v, id
	}
	if len(bad) > 0 {
		return f, p, problem.Fields("bad filters", bad...)
	}
	sc, teams, err := u.scope(ctx, rq)
	if err != nil {
		return f, p, err
	}
	f.Scope = sc.Limit()
	names := make([]string, 0, len(teams))
	for _, t := range teams {
		names = append(names, t.Name)
	}
	teamName, err := u.teamNames(ctx)
	if err != nil {
		return f, p, err
	}
	p.Teams = options(names, teamName, p.Team)
	return f, p, nil
}

// leadsPage is the list.
func (u *UI) leadsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	if isoDates(w, r, rq.P, "from", "to") {
		return nil
	}
	ctx := r.Context()
	f, p, qerr := u.leadQuery(ctx, r, rq)
	p.Base = u.base(r, rq, "leads.title")
	p.Search = p.Q
	p.Stages = options(allStages, p.Base.Stage, p.StageFilter)
	p.Sources = u.sourceOptions(rq.P, p.Source)
	p.Sorts = options([]string{"score", "newest", "oldest"}, func(v string) string { return rq.P.T("sort." + v) }, firstOf(p.Sort, "score"))
	if def := u.svc.Active(); def != nil {
		var bands []string
		for _, b := range def.Def.Bands {
			bands = append(bands, b.Name)
		}
		p.Bands = u.bandOptions(rq.P, bands, p.Band)
	}
	status := http.StatusOK
	if qerr != nil {
		if _, ok := problem.As(qerr); !ok {
			return qerr
		}
		p.Error, status = rq.P.Problem(qerr), statusOf(qerr)
		if pe, ok := problem.As(qerr); ok {
			p.Fields = pe.Fields
		}
		return u.render(w, status, "leads", p)
	}
	leads, err := u.db.SearchLeads(ctx, f)
	if err != nil {
		return err
	}
	more := len(leads) > pageSize
	if more {
		leads = leads[:pageSize]
	}
	if p.Rows, err = u.rows(ctx, rq, leads, nil); err != nil {
		return err
	}
	q := r.URL.Query()
	q.Del("after")
	if more {
		last := leads[len(leads)-1]
		v := 0.0
		if last.Eval != nil {
			v = last.Eval.Total
		}
		if f.Sort == "newest" || f.Sort == "oldest" {
			v = float64(last.CreatedAt.UnixMilli())
		}
		next := cloneValues(q)
		next.Set("after", encodeAfter(v, last.ID))
		p.Next = "/app/leads?" + next.Encode()
	}
	if get(r, "after") != "" {
		p.First = "/app/leads?" + q.Encode()
	}
	p.Export = "/app/leads.csv?" + q.Encode()
	return u.render(w, status, "leads", p)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func encodeAfter(v float64, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatFloat(v, 'g', -1, 64) + "/" + strconv.FormatInt(id, 10)))
}

func decodeAfter(c string) (float64, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, false
	}
	vs, ids, ok := strings.Cut(string(b), "/")
	if !ok {
		return 0, 0, false
	}
	v, err1 := strconv.ParseFloat(vs, 64)
	id, err2 := strconv.ParseInt(ids, 10, 64)
	return v, id, err1 == nil && err2 == nil && id > 0
}
