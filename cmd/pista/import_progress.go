package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressEvery is how often an import says how far it got when its
// output is not a terminal.
var progressEvery = 10 * time.Second

// progress shows an import's rows as they go: a bar on a terminal; plain
// lines every progressEvery otherwise, so that a log file or a CI job gets
// no control characters; nothing when quiet.
type progress struct {
	bar   *progressbar.ProgressBar
	w     io.Writer // plain lines; nil on a terminal or when quiet
	name  string
	start time.Time
	last  time.Time
	rows  int64
}

func newProgress(w io.Writer, name string, total int64, quiet bool) *progress {
	p := &progress{name: name, start: time.Now()}
	p.last = p.start
	switch {
	case quiet:
	case isTerminal(w):
		if total == 0 {
			total = -1
		}
		p.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(w), progressbar.OptionSetItsString("rows"),
			progressbar.OptionShowIts(), progressbar.OptionShowCount(), progressbar.OptionSetDescription(name),
			progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	default:
		p.w = w
	}
	return p
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// add counts one row.
func (p *progress) add() {
	p.rows++
	switch {
	case p.bar != nil:
		p.bar.Add(1)
	case p.w != nil:
		if now := time.Now(); now.Sub(p.last) >= progressEvery {
			p.last = now
			fmt.Fprintf(p.w, "%s: %d rows so far (%.0f rows/s)\n", p.name, p.rows, float64(p.rows)/now.Sub(p.start).Seconds())
		}
	}
}

// finish ends the bar at the number of rows read: the line count the bar
// started from may differ (quoted line breaks, blank rows).
func (p *progress) finish() {
	if p.bar != nil {
		p.bar.ChangeMax64(p.rows)
		p.bar.Finish()
	}
}
