package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
)

// input is one lead as `pista score` and `pista explain` read it: the lead
// model with its events and BANT qualification alongside.
type input struct {
	lead.Lead
	Events        []lead.Event        `json:"events,omitempty"`
	Qualification *lead.Qualification `json:"qualification,omitempty"`
}

// maxLine bounds one JSON line (a lead with its events).
const maxLine = 16 << 20

func cmdScore(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	defPath := fs.String("definition", "", "lead definition file (YAML)")
	ratesPath := fs.String("rates", "", "exchange rates file (CODE: rate per line) laid over the definition's exchange_rates; no network")
	nowFlag := fs.String("now", "", "evaluate as of this time (RFC 3339); default: the current time")
	input := fs.String("input", "", "score a spreadsheet (.csv, .xlsx) instead of JSON Lines on stdin; read like pista import")
	output := fs.String("output", "csv", "with --input: csv (one line per row) or jsonl (one result per row)")
	var ff fileFlags
	ff.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	def, now, err := loadDefRatesAndNow(*defPath, *ratesPath, *nowFlag, stderr)
	if err != nil {
		return err
	}
	if *input != "" {
		return scoreFile(ctx, def, now, *input, *output, &ff, stdout, stderr)
	}
	ev := engine.New(def)
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64<<10), maxLine)
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	bad := 0
	for n := 1; in.Scan(); n++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line := bytes.TrimSpace(in.Bytes())
		if len(line) == 0 {
			continue
		}
		l, err := decodeLead(line)
		if err != nil {
			fmt.Fprintf(stderr, "stdin:%d: %v\n", n, err)
			bad++
			continue
		}
		intake.ReadLead(&l.Lead, def.Vocab) // as the server reads it
		res := ev.Evaluate(&l.Lead, l.Events, l.Qualification, now)
		if err := enc.Encode(&res); err != nil {
			return err
		}
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("reading stdin: %w", err)
	}
	if bad > 0 {
		out.Flush()
		fmt.Fprintf(stderr, "%d line(s) could not be scored\n", bad)
		return exitError{1}
	}
	return nil
}

func loadDefAndNow(path, nowText string, stderr io.Writer) (*definition.Definition, time.Time, error) {
	return loadDefRatesAndNow(path, "", nowText, stderr)
}

// loadDefRatesAndNow is loadDefAndNow with the exchange rates of a rates
// file (--rates) laid over the definition's; "" for none.
func loadDefRatesAndNow(path, ratesPath, nowText string, stderr io.Writer) (*definition.Definition, time.Time, error) {
	if path == "" {
		fmt.Fprintln(stderr, "--definition FILE is required")
		return nil, time.Time{}, exitError{2}
	}
	now := time.Now()
	if nowText != "" {
		t, err := time.Parse(time.RFC3339, nowText)
		if err != nil {
			fmt.Fprintf(stderr, "--now %q: want RFC 3339, like 2026-12-07T10:00:00-05:00\n", nowText)
			return nil, time.Time{}, exitError{2}
		}
		now = t
	}
	var rates map[string]float64
	var err error
	if ratesPath != "" {
		rates, err = definition.LoadRates(ratesPath)
	}
	var def *definition.Definition
	if err == nil {
		var data []byte
		if data, err = os.ReadFile(path); err == nil {
			def, err = definition.ParseWithRates(filepath.Base(path), data, rates)
		} else {
			err = definition.Errors{{File: filepath.Base(path), Msg: err.Error()}}
		}
	}
	if err != nil {
		var list definition.Errors
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintln(stderr, e)
			}
			return nil, time.Time{}, exitError{1}
		}
		return nil, time.Time{}, err
	}
	return def, now, nil
}

// decodeLead reads one lead strictly: unknown fields are errors that name
// the field, because a misspelt field would silently score as missing.
func decodeLead(data []byte) (*input, error) {
	var l input
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, jsonError(err)
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value on the line")
	}
	if err := lead.Validate(&l.Lead, l.Events, l.Qualification); err != nil {
		return nil, err
	}
	return &l, nil
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s: want %s, got JSON %s", strings.TrimPrefix(te.Field, "Lead."), te.Type, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, err)
	}
	return err
}
