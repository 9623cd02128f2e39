package importer

// Run is how the command line and the API import a file: rows read by Next
// go through intake, concurrently, so that group commit writes many at
// once.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/vocab"
)

// Stats counts what an import did (or, in a dry run, would do).
type Stats struct {
	Rows      int `json:"rows"`
	Created   int `json:"created"`
	Merged    int `json:"merged"`
	Unchanged int `json:"unchanged"`
	Invalid   int `json:"invalid"`
	// Anonymous counts the rows stored (or merged) as anonymous leads: no
	// e-mail, phone or name, known by their external id.
	Anonymous int            `json:"anonymous,omitempty"`
	Flagged   map[string]int `json:"flagged,omitempty"` // quality verdict → rows
	// Coverage lists, per vocabulary field, the values of the file that
	// no code of the active definition's vocabularies and no rule matches.
	Coverage []vocab.FieldCoverage `json:"coverage,omitempty"`
	// Reasons groups why rows were refused, flagged or changed (values in
	// quotes do not split a group), the commonest first, with example
	// lines.
	Reasons []Reason `json:"reasons,omitempty"`
}

// Add counts one row.
func (s *Stats) Add(r intake.RowResult) {
	s.Rows++
	switch r.Status {
	case intake.RowCreated:
		s.Created++
	case intake.RowMerged:
		s.Merged++
	case intake.RowUnchanged:
		s.Unchanged++
	case intake.RowInvalid:
		s.Invalid++
	}
	if r.Anonymous && r.Status != intake.RowInvalid {
		s.Anonymous++
	}
	if r.Quality != "" && r.Quality != "ok" {
		if s.Flagged == nil {
			s.Flagged = map[string]int{}
		}
		s.Flagged[r.Quality]++
	}
}

// Flagged reports whether a row belongs in the rejected-and-flagged report.
func Flagged(r intake.RowResult) bool {
	return r.Status == intake.RowInvalid || (r.Quality != "" && r.Quality != "ok")
}

// RunConfig says how to run an import.
type RunConfig struct {
	Dry     bool // preview only: write nothing
	Workers int  // rows previewed at once in a dry run; default 64
	// OnRow is called for every row, from one goroutine, in completion order.
	OnRow func(Row, intake.RowResult)
}

// RowKey identifies a row by its content and how it is imported, so that
// importing the same file again stores nothing new.
func RowKey(o Options, r Row) string {
	return intake.RowKey(append([]string{o.Format, o.Action, o.ActionAt, r.ExternalID}, r.Values...)...)
}

// batchSize is how many rows are written together; two batches are in
// flight, one being prepared while the other is written. Larger batches
// spend less per row on each transaction's fixed costs.
const batchSize = 1024

// readAhead is how many rows the reader keeps ready beyond the batch being
// gathered. The next batch is gathered while two are in flight and handed
// over when one is done; rows held further ahead would only be more live
// heap for the garbage collector (docs/PERFORMANCE.md).
const readAhead = 64

// Run imports every row of f. An interrupted run can simply be run again:
// rows already stored are recognised by their key.
func Run(ctx context.Context, svc *intake.Service, f *File, o Options, cfg RunConfig) (Stats, error) {
	type job struct {
		row Row
		res intake.RowResult
	}
	var (
		firstErr error
		errOnce  sync.Once
	)
	fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
	rows := make(chan *job, readAhead)
	go func() {
		defer close(rows)
		for ctx.Err() == nil {
			row, err := f.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				fail(err)
				return
			}
			rows <- &job{row: row}
		}
	}()
	done := make(chan *job, batchSize*2)
	var wg sync.WaitGroup
	if cfg.Dry {
		workers := cfg.Workers
		if workers <= 0 {
			workers = 64
		}
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range rows {
					if !unreadable(j.row, &j.res) {
						var err error
						if j.res, err = svc.PreviewRow(ctx, j.row.Inquiry); err != nil {
							fail(fmt.Errorf("line %d: %w", j.row.Line, err))
						}
					}
					done <- j
				}
			}()
		}
	} else {
		batches := make(chan []*job)
		go func() {
			defer close(batches)
			batch := make([]*job, 0, batchSize)
			for j := range rows {
				if unreadable(j.row, &j.res) {
					done <- j
					continue
				}
				if batch = append(batch, j); len(batch) == batchSize {
					batches <- batch
					batch = make([]*job, 0, batchSize)
				}
			}
			if len(batch) > 0 {
				batches <- batch
			}
		}()
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for batch := range batches {
					items := make([]intake.ImportItem, len(batch))
					for i, j := range batch {
						items[i] = intake.ImportItem{Inquiry: j.row.Inquiry, Key: RowKey(o, j.row)}
					}
					results, err := svc.ImportBatch(ctx, items)
					if err != nil {
						fail(fmt.Errorf("lines %d-%d: %w", batch[0].row.Line, batch[len(batch)-1].row.Line, err))
					}
					for i, j := range batch {
						if err == nil {
							j.res = results[i]
						}
						done <- j
					}
				}
			}()
		}
	}
	go func() { wg.Wait(); close(done) }()
	var (
		st  Stats
		why reasons
	)
	cov := svc.NewCoverage()
	seen := map[string]bool{} // dry run: people already counted in this file
	for j := range done {
		if cfg.Dry && j.res.Status == intake.RowCreated {
			for _, k := range j.res.Keys {
				if seen[k] {
					j.res.Status = intake.RowMerged
				}
			}
		}
		for _, k := range j.res.Keys {
			seen[k] = true
		}
		st.Add(j.res)
		why.add(j.row.Line, Why(j.row, j.res))
		if j.row.Err == nil {
			cov.Lead(j.row.Inquiry.Lead())
		}
		if cfg.OnRow != nil {
			cfg.OnRow(j.row, j.res)
		}
	}
	st.Coverage, st.Reasons = cov.Report(), why.list()
	if firstErr != nil {
		return st, firstErr
	}
	if err := ctx.Err(); err != nil {
		return st, fmt.Errorf("interrupted after %d rows: run the same import again to finish; rows already stored are not stored twice", st.Rows)
	}
	return st, nil
}

// unreadable fills the outcome of a row that cannot be imported at all.
func unreadable(r Row, res *intake.RowResult) bool {
	switch {
	case r.Err != nil:
		*res = intake.RowResult{Status: intake.RowInvalid, Reason: r.Err.Error()}
	case len(r.Missing) > 0:
		*res = intake.RowResult{Status: intake.RowInvalid, Reason: "missing " + strings.Join(r.Missing, ", ")}
	default:
		return false
	}
	return true
}
