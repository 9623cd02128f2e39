package report

import (
	"encoding/csv"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Table is a report flattened for CSV: a header and rows of cells.
type Table struct {
	Header []string
	Rows   [][]string
}

// WriteCSV writes the table. Text cells were neutralised when the table
// was built (see text), so a spreadsheet never runs a formula from a
// campaign name or a rejection text.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	return cw.Error()
}

// text makes a cell that came from data safe to open in a spreadsheet:
// one starting with = + - @ or a tab or carriage return would be read as
// a formula, so it gets a leading apostrophe (OWASP's CSV injection rule).
func text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func num(n int64) string { return strconv.FormatInt(n, 10) }

func opt(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func flt(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Table flattens the funnel: the total, then one row per group.
func (f *Funnel) Table() *Table {
	currencies := map[string]bool{}
	reasons := map[string]bool{}
	lines := append([]Line{f.Total}, f.Groups...)
	for _, l := range lines {
		for c := range l.WonAmount {
			currencies[c] = true
		}
		for r := range l.Rejected.Reasons {
			reasons[r] = true
		}
	}
	cur, why := sortedKeys(currencies), sortedKeys(reasons)
	t := &Table{}
	t.Header = append(t.Header, "group")
	t.Header = append(t.Header, f.GroupBy...)
	for _, s := range f.Stages {
		t.Header = append(t.Header, s)
	}
	for _, s := range f.Stages[1:] {
		t.Header = append(t.Header, "rate_"+s)
	}
	for _, s := range f.Stages[1:] {
		t.Header = append(t.Header, "median_hours_"+s, "p90_hours_"+s)
	}
	for _, c := range cur {
		t.Header = append(t.Header, "won_amount_"+c)
	}
	t.Header = append(t.Header, "rejected", "rejected_share")
	for _, r := range why {
		t.Header = append(t.Header, "rejected_"+r)
	}
	t.Header = append(t.Header, "recycled", "recycled_share", "came_back", "converted_after")
	for i, l := range lines {
		row := []string{"group"}
		if i == 0 {
			row[0] = "total"
		}
		for _, g := range f.GroupBy {
			row = append(row, text(l.Keys[g]))
		}
		for _, s := range f.Stages {
			row = append(row, num(l.Counts[s]))
		}
		for _, s := range f.Stages[1:] {
			row = append(row, opt(l.Rates[s]))
		}
		for _, s := range f.Stages[1:] {
			row = append(row, opt(l.MedianHours[s]), opt(l.P90Hours[s]))
		}
		for _, c := range cur {
			row = append(row, flt(l.WonAmount[c]))
		}
		row = append(row, num(l.Rejected.Count), opt(l.Rejected.Share))
		for _, r := range why {
			row = append(row, num(l.Rejected.Reasons[r]))
		}
		row = append(row, num(l.Recycled.Count), opt(l.Recycled.Share), num(l.Recycled.CameBack), num(l.Recycled.Converted))
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Table flattens the follow-up report: the total, teams, reps, weeks.
func (f *FollowUp) Table() *Table {
	t := &Table{Header: []string{"line", "team", "user_id", "user", "week", "routed", "touched", "touched_share", "within_sla", "within_sla_share",
		"median_business_hours_to_first_touch", "p90_business_hours_to_first_touch"}}
	add := func(kind string, l FollowLine) {
		uid := ""
		if l.UserID != 0 {
			uid = num(l.UserID)
		}
		t.Rows = append(t.Rows, []string{kind, text(l.Team), uid, text(l.User), l.Week, num(l.Routed), num(l.Touched), opt(l.TouchedShare),
			num(l.WithinSLA), opt(l.WithinSLAShare), opt(l.MedianHours), opt(l.P90Hours)})
	}
	add("total", f.Total)
	for _, l := range f.Teams {
		add("team", l)
	}
	for _, l := range f.Reps {
		add("rep", l)
	}
	for _, l := range f.Weeks {
		add("week", l)
	}
	return t
}

// Table flattens the bands report: the total, the bands, the deciles.
func (b *Bands) Table() *Table {
	t := &Table{Header: []string{"line", "name", "leads"}}
	for _, s := range bandStages {
		t.Header = append(t.Header, s)
	}
	for _, s := range bandStages {
		t.Header = append(t.Header, "conversion_"+s)
	}
	for _, s := range bandStages {
		t.Header = append(t.Header, "lift_"+s)
	}
	add := func(kind string, l BandLine) {
		row := []string{kind, text(l.Name), num(l.Leads)}
		for _, s := range bandStages {
			row = append(row, num(l.Counts[s]))
		}
		for _, s := range bandStages {
			row = append(row, opt(l.Rates[s]))
		}
		for _, s := range bandStages {
			row = append(row, opt(l.Lift[s]))
		}
		t.Rows = append(t.Rows, row)
	}
	add("total", b.Total)
	for _, l := range b.Bands {
		add("band", l)
	}
	for _, l := range b.Deciles {
		add("decile", l)
	}
	return t
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return slices.Clip(out)
}
