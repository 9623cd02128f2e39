package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/intake"
)

// mapFlags collects repeated --map header=field options.
type mapFlags map[string]string

func (m mapFlags) String() string { return fmt.Sprint(map[string]string(m)) }

func (m mapFlags) Set(v string) error {
	h, f, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(h) == "" {
		return fmt.Errorf("want header=field, like --map Correo=person.email (or Header=- to ignore a column)")
	}
	m[strings.TrimSpace(h)] = strings.TrimSpace(f)
	return nil
}

// cmdImport loads a spreadsheet of leads (webinar attendees, business
// cards, a purchased list) through the same cleaning, de-duplication and
// evaluation as the API. Each row is stored exactly once: importing the
// same file again, or again after a crash, adds nothing.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	cfg.definitionFlag(fs, getenv)
	var ff fileFlags
	ff.register(fs)
	dry := fs.Bool("dry-run", false, "show what would happen, write nothing")
	preview := fs.Int("preview", 10, "rows shown in a dry run")
	report := fs.String("report", "", "write rejected and flagged rows to this CSV file")
	workers := fs.Int("workers", 64, "rows previewed at once in a dry run")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: pista import [options] FILE.csv|FILE.xlsx   (see pista import -h)")
		return exitError{2}
	}
	o, err := ff.options()
	if err != nil {
		return err
	}
	path := fs.Arg(0)
	file, err := importer.Open(path, o)
	if err != nil {
		return err
	}
	defer file.Close()
	if _, err := file.Mapping(); err != nil {
		return err
	}
	cfg.bulk = !*dry
	open := openService
	if *dry {
		// A dry run writes nothing: without a database file it previews
		// against an empty one in a temporary folder, removed after; with
		// one, it reads it and changes nothing (no migration, no
		// definition activated).
		tmp, err := dryRunDB(ctx, &cfg, stderr)
		if err != nil {
			return err
		}
		if tmp != "" {
			defer os.RemoveAll(tmp)
		}
		open = openPreview
	}
	// An import keeps little alive (two groups of rows) and allocates a lot
	// per row; the limit keeps memory flat whatever the file.
	collectLessOften(getenv, 112<<20)
	db, svc, err := open(ctx, cfg, slog.New(slog.NewTextHandler(stderr, nil)), stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	defer svc.Close()
	printMapping(stderr, file)

	var rep *csv.Writer
	if *report != "" {
		f, err := os.Create(*report)
		if err != nil {
			return err
		}
		defer f.Close()
		rep = csv.NewWriter(f)
		defer rep.Flush()
		rep.Write([]string{"line", "status", "quality", "lead_id", "reason"})
	}
	// A bar with rows, rows/s and, for a CSV whose lines are counted
	// first, the time left, on a terminal; plain lines otherwise.
	var total int64
	if !*quiet && isTerminal(stderr) {
		total = countLines(path)
	}
	prog := newProgress(stderr, path, total, *quiet)

	// Rows finish in any order: the preview keeps the file's first lines,
	// trimmed to twice its size as it goes.
	type shownRow struct {
		line int
		text string
	}
	var shown []shownRow
	byLine := func(a, b shownRow) int { return a.line - b.line }
	start := time.Now()
	st, err := importer.Run(ctx, svc, file, o, importer.RunConfig{Dry: *dry, Workers: *workers, OnRow: func(row importer.Row, res intake.RowResult) {
		if rep != nil && importer.Reported(row, res) {
			rep.Write([]string{strconv.Itoa(row.Line), res.Status, res.Quality, strconv.FormatInt(res.LeadID, 10), importer.Why(row, res)})
		}
		if *dry && *preview > 0 {
			shown = append(shown, shownRow{row.Line, fmt.Sprintf("  line %6d  %-9s %-8s %s %s", row.Line, res.Status, res.Quality, row.Who(), importer.Why(row, res))})
			if len(shown) >= 2**preview {
				slices.SortFunc(shown, byLine)
				shown = shown[:*preview]
			}
		}
		prog.add()
	}})
	prog.finish()
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if *dry {
		slices.SortFunc(shown, byLine)
		shown = shown[:min(len(shown), *preview)]
		fmt.Fprintln(stdout, "Dry run: nothing was written. First rows:")
		for _, row := range shown {
			fmt.Fprintln(stdout, row.text)
		}
		fmt.Fprintf(stdout, "Would import %d rows: %d new, %d merged into known leads, %d invalid; flagged: %s\n",
			st.Rows, st.Created, st.Merged, st.Invalid, flagText(st.Flagged))
		printAnonymous(stdout, st)
		printReasons(stdout, st.Reasons)
		printCoverage(stdout, st.Coverage)
		return nil
	}
	fmt.Fprintf(stdout, "Imported %d rows in %s (%.0f rows/s): %d new, %d merged into known leads, %d already imported, %d invalid; flagged: %s\n",
		st.Rows, elapsed.Round(time.Millisecond), float64(st.Rows)/elapsed.Seconds(), st.Created, st.Merged,
		st.Unchanged, st.Invalid, flagText(st.Flagged))
	printAnonymous(stdout, st)
	printReasons(stdout, st.Reasons)
	printCoverage(stdout, st.Coverage)
	if *report != "" {
		fmt.Fprintf(stdout, "Rejected and flagged rows: %s\n", *report)
	}
	return nil
}

// mergeOptions lets flags given on the command line win over a mapping.
func mergeOptions(saved, flags importer.Options) importer.Options {
	pick := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	out := saved
	out.Sheet, out.Format, out.Action = pick(flags.Sheet, saved.Sheet), pick(flags.Format, saved.Format), pick(flags.Action, saved.Action)
	out.ActionAt, out.DateOrder = pick(flags.ActionAt, saved.ActionAt), pick(flags.DateOrder, saved.DateOrder)
	out.Country, out.Campaign = pick(flags.Country, saved.Country), pick(flags.Campaign, saved.Campaign)
	if flags.Delimiter != 0 {
		out.Delimiter = flags.Delimiter
	}
	if len(flags.KeyColumns) > 0 {
		out.KeyColumns = flags.KeyColumns
	}
	out.Timezone = pick(flags.Timezone, saved.Timezone)
	return out
}

func printMapping(w io.Writer, f *importer.File) {
	m, _ := f.Mapping()
	fmt.Fprintln(w, "Columns:")
	for _, h := range f.Header() {
		fmt.Fprintf(w, "  %-28s -> %s\n", h, m[h])
	}
	for _, q := range f.Questions() {
		fmt.Fprintf(w, "Please check: %s\n", q)
	}
}

// printAnonymous says how many rows are anonymous leads, and why they
// are not junk.
func printAnonymous(w io.Writer, st importer.Stats) {
	if st.Anonymous > 0 {
		fmt.Fprintf(w, "%d rows are anonymous leads: no e-mail, phone or name, known by their external id (not judged as junk for lacking contact data).\n", st.Anonymous)
	}
}

// printReasons groups why rows were refused, flagged or changed.
func printReasons(w io.Writer, list []importer.Reason) {
	if len(list) == 0 {
		return
	}
	fmt.Fprintln(w, "Why rows were refused, flagged or changed (rows, reason, example lines):")
	for _, r := range list {
		lines := make([]string, len(r.Lines))
		for i, l := range r.Lines {
			lines[i] = strconv.Itoa(l)
		}
		fmt.Fprintf(w, "  %8d  %s  (e.g. line %s)\n", r.Rows, r.Reason, strings.Join(lines, ", "))
	}
}

func flagText(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for k, n := range m {
		parts = append(parts, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// countLines estimates the rows of a CSV for the progress bar (0 for other
// files).
func countLines(path string) int64 {
	if strings.HasSuffix(strings.ToLower(path), ".xlsx") {
		return 0
	}
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	var n int64
	for {
		k, err := f.Read(buf)
		for _, b := range buf[:k] {
			if b == '\n' {
				n++
			}
		}
		if err != nil {
			break
		}
	}
	return max(n-1, 0)
}

// dryRunDB points a dry run at a temporary database when cfg.db names a
// SQLite file that does not exist, so that the preview creates no file
// and activates no definition where the user will look. It returns the
// temporary folder to remove ("" when the real database is used).
func dryRunDB(ctx context.Context, cfg *config, stderr io.Writer) (string, error) {
	if isPostgres(cfg.db) {
		return "", nil
	}
	if _, err := os.Stat(cfg.db); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	tmp, err := os.MkdirTemp("", "pista-dry-run-")
	if err != nil {
		return "", err
	}
	fmt.Fprintf(stderr, "No database at %s: previewing against an empty one; nothing is created.\n", cfg.db)
	cfg.db = filepath.Join(tmp, "preview.db")
	db, err := openDB(ctx, cfg.db) // the empty database's schema
	if err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	db.Close()
	return tmp, nil
}
