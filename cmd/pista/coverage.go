package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/vocab"
)

// printCoverage lists the values no vocabulary code and no rule matched,
// per field, most frequent first, so that the vocabulary can be fixed
// before leads are scored on blanks. It prints nothing when all matched.
func printCoverage(w io.Writer, fields []vocab.FieldCoverage) {
	const shown = 10
	header := false
	for _, f := range fields {
		if len(f.Unmatched) == 0 {
			continue
		}
		if !header {
			fmt.Fprintln(w, "Values no vocabulary code or rule matches (add them as synonyms under vocabularies:):")
			header = true
		}
		fmt.Fprintf(w, "  %s: %d of %d values unmatched\n", f.Field, f.Seen-f.Matched, f.Seen)
		for i, u := range f.Unmatched {
			if i == shown {
				fmt.Fprintf(w, "    ... and %d more values\n", len(f.Unmatched)-shown)
				break
			}
			hint := ""
			if u.Suggested != "" {
				hint = fmt.Sprintf("  (closest code: %s)", u.Suggested)
			}
			fmt.Fprintf(w, "    %6d  %q%s\n", u.Count, u.Value, hint)
		}
	}
}

// checkData counts a data file's values against a definition's
// vocabularies: a CSV or XLSX list (read as `pista import` reads it) or
// JSON Lines of leads. It returns how many values matched nothing.
func checkData(w io.Writer, def *definition.Definition, path string) (int, error) {
	cov := vocab.NewCoverage(def.Vocab, def.RuleValues)
	rows := 0
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".json", ".ndjson":
		f, err := os.Open(path)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		err = eachJSONLead(f, func(l *lead.Lead) { cov.Lead(l); rows++ })
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
	default:
		// The action does not matter for coverage; the file need not say it.
		file, err := importer.Open(path, importer.Options{Action: "contact_form"})
		if err != nil {
			return 0, err
		}
		defer file.Close()
		for {
			row, err := file.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return 0, err
			}
			if row.Err == nil {
				cov.Lead(row.Inquiry.Lead())
				rows++
			}
		}
	}
	fields := cov.Report()
	fmt.Fprintf(w, "%s: %d rows read\n", filepath.Base(path), rows)
	for _, f := range fields {
		fmt.Fprintf(w, "  %-18s %d of %d values match a code or a rule\n", f.Field, f.Matched, f.Seen)
	}
	printCoverage(w, fields)
	return cov.UnmatchedTotal(), nil
}

// eachJSONLead reads JSON Lines of leads (as `pista score` takes them)
// without validating them: their values are what is being checked.
func eachJSONLead(r io.Reader, fn func(*lead.Lead)) error {
	in := bufio.NewScanner(r)
	in.Buffer(make([]byte, 64<<10), maxLine)
	for n := 1; in.Scan(); n++ {
		line := bytes.TrimSpace(in.Bytes())
		if len(line) == 0 {
			continue
		}
		var l lead.Lead
		if err := json.Unmarshal(line, &l); err != nil {
			return fmt.Errorf("line %d: %w", n, jsonError(err))
		}
		fn(&l)
	}
	return in.Err()
}
