package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// bantInput is the discovery call form as sent.
type bantInput struct {
	Amount, Currency, Authority, Need, Timing, Method, Notes string
}

// timings are the timing choices, in months (0 = unknown).
var timings = []struct {
	key    string
	months float64
}{{"bant.timing.m1", 1}, {"bant.timing.m3", 3}, {"bant.timing.m6", 6}, {"bant.timing.m12", 12}, {"bant.timing.m24", 24}}

func bantFromForm(r *http.Request) *bantInput {
	v := func(k string) string { return strings.TrimSpace(r.Form.Get(k)) }
	return &bantInput{Amount: v("budget"), Currency: v("currency"), Authority: v("authority"), Need: v("need"), Timing: v("timing"), Method: v("method"), Notes: v("notes")}
}

// bantFrom fills the form with the lead's last qualification.
func bantFrom(rq *request, l *store.Lead) *bantInput {
	in := &bantInput{Method: "call"}
	q := l.Qualification
	if q == nil {
		return in
	}
	in.Authority, in.Need = q.Authority, q.Need
	if q.Budget != nil {
		// As the user's language writes it (28.000.000 in es), as it is read back.
		v := max(q.Budget.Max, q.Budget.Min)
		in.Amount, in.Currency = rq.P.Number(v, decimals(v)), q.Budget.Currency
	}
	if q.TimingMonths != nil {
		for _, t := range timings {
			if *q.TimingMonths <= t.months {
				in.Timing = strconv.FormatFloat(t.months, 'f', -1, 64)
				break
			}
		}
	}
	return in
}

// qualification turns the form into what the API's qualification takes,
// naming the bad fields.
func (b *bantInput) qualification(by, role, lang string) (lead.Qualification, error) {
	q := lead.Qualification{Authority: b.Authority, Need: b.Need, By: by, Role: role, Method: b.Method, Notes: b.Notes}
	var bad []problem.Field
	if b.Amount != "" {
		amt, err := parseAmount(b.Amount, lang)
		if err != nil || amt < 0 {
			bad = append(bad, problem.Field{Name: "budget", Reason: "want an amount such as 25000", Code: "number"})
		} else {
			q.Budget = &lead.Budget{Min: amt, Max: amt, Currency: b.Currency}
		}
	}
	if b.Timing != "" {
		m, err := strconv.ParseFloat(b.Timing, 64)
		if err != nil || m <= 0 {
			bad = append(bad, problem.Field{Name: "timing", Reason: "choose one of the options", Code: "choose"})
		} else {
			q.TimingMonths = &m
		}
	}
	if q.Method == "" {
		q.Method = "call"
	}
	if len(bad) > 0 {
		return q, problem.Fields("the BANT call has invalid fields", bad...)
	}
	return q, nil
}

// parseAmount reads an amount as people type it in their language:
// 25000, 25.000 or 25.000,50 in es and pt; 25,000 or 25,000.50 in en.
// With both separators, the last one is the decimal point.
func parseAmount(s, lang string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	group, decimal := ",", "."
	if lang == "es" || lang == "pt" {
		group, decimal = ".", ","
	}
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0:
		group, decimal = ",", "."
		if comma > dot {
			group, decimal = ".", ","
		}
	case dot < 0 && comma < 0:
	default:
		// One kind of separator: a group separator when every group after
		// it has three digits, as the language writes them.
		sep := "."
		if comma >= 0 {
			sep = ","
		}
		parts := strings.Split(s, sep)
		grouped := len(parts) > 2
		if len(parts) == 2 {
			grouped = sep == group && len(parts[1]) == 3
		}
		if grouped {
			group, decimal = sep, "\x00"
		} else {
			group, decimal = "\x00", sep
		}
	}
	s = strings.ReplaceAll(s, group, "")
	s = strings.Replace(s, decimal, ".", 1)
	return strconv.ParseFloat(s, 64)
}

// bantForm is the form with its weighted total on the active definition,
// computed by the engine itself, so the page says before saving what the
// save will decide.
func (u *UI) bantForm(rq *request, l *store.Lead, in *bantInput) view.BANTForm {
	f := view.BANTForm{Amount: in.Amount, Currency: in.Currency}
	opt := func(prefix string, values []string, sel string) []view.Option {
		out := []view.Option{{Value: "", Label: rq.P.T("bant.unknown"), Selected: sel == ""}}
		for _, v := range values {
			out = append(out, view.Option{Value: v, Label: rq.P.Maybe(prefix+v, v), Selected: v == sel})
		}
		return out
	}
	f.Authority = opt("bant.authority.", []string{"decision_maker", "influencer", "gatekeeper"}, in.Authority)
	f.Need = opt("bant.need.", []string{"confirmed", "latent", "none"}, in.Need)
	f.Timing = []view.Option{{Value: "", Label: rq.P.T("bant.unknown"), Selected: in.Timing == ""}}
	for _, t := range timings {
		v := strconv.FormatFloat(t.months, 'f', -1, 64)
		f.Timing = append(f.Timing, view.Option{Value: v, Label: rq.P.T(t.key), Selected: v == in.Timing})
	}
	f.Method = options([]string{"call", "meeting", "email"}, func(v string) string { return rq.P.Maybe("touch.kind."+v, v) }, firstOf(in.Method, "call"))
	active := u.svc.Active()
	if active == nil {
		return f
	}
	def := active.Def
	if f.Currency == "" {
		f.Currency = def.Currency
	}
	f.Max, f.Threshold = def.BANT.MaxScore(), def.BANT.Threshold
	q, err := in.qualification(rq.User.Email, rq.User.Role, rq.P.Lang)
	if err != nil {
		return f
	}
	res := engine.Evaluate(def, &l.Data, nil, &q, u.now()).BANT
	f.Total, f.Reaches = res.Score, res.Score >= def.BANT.Threshold
	f.Parts = []view.BANTPart{
		{Label: rq.P.T("bant.budget"), Points: res.Budget, Weight: def.BANT.Budget},
		{Label: rq.P.T("bant.authority"), Points: res.Authority, Weight: def.BANT.Authority},
		{Label: rq.P.T("bant.need"), Points: res.Need, Weight: def.BANT.Need},
		{Label: rq.P.T("bant.timing"), Points: res.Timing, Weight: def.BANT.Timing},
	}
	return f
}

// bantPreview answers the form's live total (fetched by app.js as the
// answers change).
func (u *UI) bantPreview(w http.ResponseWriter, r *http.Request, rq *request) error {
	l, _, _, err := u.visibleLead(r.Context(), r, rq)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := &view.Lead{Base: u.base(r, rq, "bant.title"), BANT: u.bantForm(rq, l, bantFromForm(r))}
	return u.render(w, http.StatusOK, "bant_total", p)
}

// saveBANT records the discovery call through the same intake path as
// POST /api/v1/leads/{id}/qualification: the lead is evaluated again and
// reaches SQL when the definition says so.
func (u *UI) saveBANT(w http.ResponseWriter, r *http.Request, rq *request) error {
	in := bantFromForm(r)
	if r.PostFormValue("preview") != "" {
		// "Calculate total" without JavaScript: the page again with the
		// total of the answers, nothing saved.
		return u.showLead(w, r, rq, http.StatusOK, nil, in)
	}
	return u.act(w, r, rq, "bant", in, func(id int64) error {
		q, err := in.qualification(rq.User.Email, rq.User.Role, rq.P.Lang)
		if err != nil {
			return err
		}
		a := actor(rq)
		may := func(ctx context.Context, tx *store.Tx, leadID int64) error {
			return u.wf.MayWork(ctx, tx, a, leadID, "recording a BANT qualification")
		}
		_, err = u.svc.QualifyAs(r.Context(), id, q, nil, may)
		return err
	})
}
