package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lab"
)

// scoreFile scores every row of a spreadsheet offline: no server, no
// database. Rows are read exactly as `pista import` reads them, so a
// purchased list can be scored before it is imported.
func scoreFile(ctx context.Context, def *definition.Definition, now time.Time, path, output string, ff *fileFlags, stdout, stderr io.Writer) error {
	if output != "csv" && output != "jsonl" {
		fmt.Fprintf(stderr, "--output %q: want csv or jsonl\n", output)
		return exitError{2}
	}
	o, err := ff.options()
	if err != nil {
		return err
	}
	r, err := lab.Open(path, o, "")
	if err != nil {
		return err
	}
	defer r.Close()
	printMapping(stderr, r.File())
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	var (
		cw  *csv.Writer
		enc *json.Encoder
	)
	if output == "csv" {
		cw = csv.NewWriter(out)
		defer cw.Flush()
		cw.Write([]string{"row", "id", "total", "band", "fit", "engagement", "rules", "error"})
	} else {
		enc = json.NewEncoder(out)
		enc.SetEscapeHTML(false)
	}
	ev := engine.New(def)
	bad := 0
	err = r.Each(func(rec *lab.Record) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if rec.Err != nil {
			bad++
			fmt.Fprintf(stderr, "row %d: %v\n", rec.Row, rec.Err)
			if cw != nil {
				return cw.Write([]string{strconv.Itoa(rec.Row), "", "", "", "", "", "", rec.Err.Error()})
			}
			return enc.Encode(map[string]any{"row": rec.Row, "error": rec.Err.Error()})
		}
		intake.ReadLead(&rec.Lead, def.Vocab) // as pista import and the server read it
		res := ev.Evaluate(&rec.Lead, nil, nil, now)
		if cw != nil {
			return cw.Write([]string{strconv.Itoa(rec.Row), rec.ID, num(res.Total), res.Band, num(res.Fit), num(res.Engagement),
				firedRules(&res), strings.Join(res.Errors, "; ")})
		}
		return enc.Encode(struct {
			Row int    `json:"row"`
			ID  string `json:"id,omitempty"`
			*engine.Result
		}{rec.Row, rec.ID, &res})
	})
	if err != nil {
		return err
	}
	if bad > 0 {
		if cw != nil {
			cw.Flush()
		}
		out.Flush()
		fmt.Fprintf(stderr, "%d row(s) could not be read\n", bad)
		return exitError{1}
	}
	return nil
}

// firedRules lists the fit and engagement rules that gave points, like
// "occupation=student:+14; age:+8".
func firedRules(res *engine.Result) string {
	var parts []string
	for _, s := range res.Explanation {
		if s.Kind != "fit" && s.Kind != "engagement" {
			continue
		}
		name := s.Rule
		if s.Value != "" {
			name += "=" + s.Value
		}
		parts = append(parts, name+":"+signedNum(s.Points))
	}
	return strings.Join(parts, "; ")
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func signedNum(f float64) string {
	if f >= 0 {
		return "+" + num(f)
	}
	return num(f)
}
