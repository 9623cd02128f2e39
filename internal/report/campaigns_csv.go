package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// CostLineError is a bad line of a campaign costs file: its number (the
// header is line 1) and what is wrong, field by field.
type CostLineError struct {
	Line   int
	Fields []problem.Field
}

func (e CostLineError) Error() string {
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, f.Name+": "+f.Reason)
	}
	return fmt.Sprintf("line %d: %s", e.Line, strings.Join(parts, "; "))
}

// costColumns are the header names a costs file may use, in English,
// Spanish and Portuguese, for each field.
var costColumns = map[string]string{
	"campaign": "campaign", "campaña": "campaign", "campana": "campaign", "campanha": "campaign",
	"month": "month", "mes": "month", "mês": "month",
	"amount": "amount", "cost": "amount", "monto": "amount", "importe": "amount", "costo": "amount", "coste": "amount", "valor": "amount", "custo": "amount",
	"currency": "currency", "moneda": "currency", "moeda": "currency",
}

// maxCostRows bounds a costs file: a campaign a month for years is far less.
const maxCostRows = 100_000

// ParseCampaignCosts reads a CSV of campaign costs: a header naming the
// columns campaign, month (2026-11), amount and currency (or their Spanish
// or Portuguese names), then one cost a line, separated by commas or
// semicolons. Amounts take a decimal point, or a decimal comma when
// nothing else in them is a separator. Every line is checked as the API
// checks one cost; the bad ones are all returned, named by line, and
// costs are returned only when no line is bad.
func ParseCampaignCosts(r io.Reader) ([]store.CampaignCost, []CostLineError, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3) // a byte order mark, as spreadsheets write
	}
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, nil, err
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, nil, problem.Coded(problem.Invalid, "costs_empty", nil, "the file is empty: want a header line (campaign, month, amount, currency) and one cost a line")
	}
	first, _, _ := bytes.Cut(head, []byte("\n"))
	cr := csv.NewReader(br)
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, problem.Coded(problem.Invalid, "costs_header_unreadable", []any{err.Error()}, "line 1: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		name, ok := costColumns[strings.ToLower(strings.TrimSpace(h))]
		if !ok {
			return nil, nil, problem.Coded(problem.Invalid, "costs_column_unknown", []any{h}, "line 1: unknown column %q; want campaign, month, amount and currency", h)
		}
		if _, dup := col[name]; dup {
			return nil, nil, problem.Coded(problem.Invalid, "costs_column_twice", []any{h}, "line 1: column %q twice", name)
		}
		col[name] = i
	}
	for _, name := range []string{"campaign", "month", "amount", "currency"} {
		if _, ok := col[name]; !ok {
			return nil, nil, problem.Coded(problem.Invalid, "costs_column_missing", []any{name}, "line 1: no %s column; want campaign, month, amount and currency", name)
		}
	}
	var (
		costs []store.CampaignCost
		bad   []CostLineError
		seen  = map[[2]string]int{}
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			bad = append(bad, CostLineError{Line: line, Fields: []problem.Field{{Name: "line", Reason: "cannot be read as CSV: " + err.Error(),
				Code: "costs_csv", Args: []any{err.Error()}}}})
			if _, ok := err.(*csv.ParseError); !ok || len(bad) > 100 {
				break
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(costs)+len(bad) >= maxCostRows {
			return nil, nil, problem.Coded(problem.Invalid, "costs_too_many", []any{line, maxCostRows}, "line %d: more than %d costs in one file", line, maxCostRows)
		}
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		c := store.CampaignCost{Campaign: get("campaign"), Month: get("month"), Currency: get("currency")}
		var fields []problem.Field
		amount, ok := parseAmount(get("amount"))
		if !ok {
			fields = append(fields, problem.Field{Name: "amount", Reason: fmt.Sprintf("%q is not an amount; write 1500 or 1500.50", get("amount")),
				Code: "costs_amount_text", Args: []any{get("amount")}})
		}
		c.Amount = amount // 0 when unreadable: the check below passes it, the line is bad already
		if err := CheckCampaignCost(&c); err != nil {
			if pe, ok := problem.As(err); ok {
				fields = append(fields, pe.Fields...)
			} else {
				return nil, nil, err
			}
		}
		key := [2]string{c.Campaign, c.Month}
		if prev, dup := seen[key]; dup && len(fields) == 0 {
			fields = append(fields, problem.Field{Name: "campaign", Reason: fmt.Sprintf("%s in %s is already on line %d", c.Campaign, c.Month, prev),
				Code: "costs_twice", Args: []any{c.Campaign, c.Month, prev}})
		}
		if len(fields) > 0 {
			bad = append(bad, CostLineError{Line: line, Fields: fields})
			continue
		}
		seen[key] = line
		costs = append(costs, c)
	}
	if len(bad) > 0 {
		return nil, bad, nil
	}
	if len(costs) == 0 {
		return nil, nil, problem.Coded(problem.Invalid, "costs_none", nil, "the file holds a header but no cost")
	}
	return costs, nil, nil
}

// parseAmount reads 1500, 1500.50 or 1500,50 (a decimal comma), with
// spaces or a leading currency-free sign; not 1,500.50 (ambiguous).
func parseAmount(s string) (float64, bool) {
	s = strings.ReplaceAll(s, " ", "")
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && s != ""
}
