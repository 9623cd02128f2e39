package lab

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteLearnReport prints what learning did, for a person.
func WriteLearnReport(w io.Writer, r *LearnReport) {
	fmt.Fprintf(w, "Learned from %s: %s rows (%s left out: unreadable or no outcome)\n", r.File, thousands(r.Rows), thousands(r.Skipped))
	fmt.Fprintf(w, "%s\n", r.Split)
	fmt.Fprintf(w, "Learning rows: %s, converted %s (%.1f%%); test rows: %s\n\n", thousands(r.LearnRows), thousands(r.Positives),
		100*float64(r.Positives)/float64(max(r.LearnRows, 1)), thousands(r.TestRows))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "column\tfield\tstatus\tAUC alone\trule / reason")
	for _, c := range r.Columns {
		auc := ""
		if c.AUC > 0 {
			auc = fmt.Sprintf("%.3f", c.AUC)
		}
		why := c.Rule
		if c.Reason != "" {
			why = c.Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Header, c.Field, c.Status, auc, why)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRegularisation by cross-validation (mean held-out log-loss):\n")
	for _, p := range r.CV {
		mark := ""
		if p.Lambda == r.Lambda {
			mark = "  <- chosen"
		}
		fmt.Fprintf(w, "  lambda %-6g %.5f%s\n", p.Lambda, p.LogLoss, mark)
	}
	fmt.Fprintf(w, "\nRanking (AUC, 95%% interval):\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tmodel\tlearned definition (integer points)")
	fmt.Fprintf(tw, "learning rows\t%s\t%s\n", aucText(r.ModelLearn), aucText(r.DefLearn))
	if r.ModelTest != nil {
		fmt.Fprintf(tw, "test rows\t%s\t%s\n", aucText(*r.ModelTest), aucText(*r.DefTest))
	}
	tw.Flush()
	fmt.Fprintf(w, "Learned in %.1f s.\n", r.Seconds)
}

func aucText(a AUC) string { return fmt.Sprintf("%.4f (%.4f–%.4f)", a.Value, a.Low, a.High) }

// WriteBacktestReport prints a backtest as tables for a person.
func WriteBacktestReport(w io.Writer, r *BacktestReport) {
	fmt.Fprintf(w, "Backtest on %s: %s rows, %s scored, %s left out (unreadable, no outcome, or not a test row)\n",
		r.File, thousands(r.Rows), thousands(r.Scored), thousands(r.Skipped))
	fmt.Fprintf(w, "%s\n%s\n", r.Split, r.TimeNote)
	fmt.Fprintf(w, "Converted: %s of %s (%.1f%%)\n", thousands(r.Positives), thousands(r.Scored), 100*r.Conversion)
	writeDef(w, "Candidate", &r.Candidate)
	if r.Against != nil {
		writeDef(w, "Active", r.Against)
		c := r.Compare
		fmt.Fprintf(w, "\nCandidate against active on the same %s leads (paired DeLong):\n", thousands(r.Scored))
		fmt.Fprintf(w, "  AUC %.4f vs %.4f: difference %+.4f (95%% interval %+.4f to %+.4f, p = %.3g)\n",
			r.Candidate.AUC.Value, r.Against.AUC.Value, c.Diff.Diff, c.Diff.Low, c.Diff.High, c.Diff.P)
		fmt.Fprintf(w, "  %s leads (%.1f%%) change band:\n", thousands(c.Moved), 100*rate(c.Moved, r.Scored))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "  from (active)\tto (candidate)\tleads\tconverted\t")
		for _, m := range c.Moves {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%.1f%%\t\n", m.From, m.To, thousands(m.Leads), 100*rate(m.Converted, m.Leads))
		}
		tw.Flush()
		if len(c.Examples) > 0 {
			fmt.Fprintln(w, "  for example:")
			for _, e := range c.Examples {
				id := e.ID
				if id != "" {
					id = " " + id
				}
				fmt.Fprintf(w, "    row %d%s: %s (%s) -> %s (%s), converted: %v\n", e.Row, id, e.From, num(e.Active), e.To, num(e.Candidate), e.Converted)
			}
		}
	}
	fmt.Fprintf(w, "\nWorking the best-scored leads (candidate):\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	perWeek := r.Weeks > 0
	head := "  work\ttotal at least\tleads\t"
	if perWeek {
		head += "a week\t"
	}
	fmt.Fprintln(tw, head+"precision\trecall\t")
	row := func(t Threshold) {
		line := fmt.Sprintf("  %s\t%s\t%s\t", t.Label, num(t.Total), thousands(t.Leads))
		if perWeek {
			line += fmt.Sprintf("%.0f\t", t.PerWeek)
		}
		fmt.Fprintf(tw, "%s%.1f%%\t%.1f%%\t\n", line, 100*t.Precision, 100*t.Recall)
	}
	for _, t := range r.Tradeoff {
		row(t)
	}
	tw.Flush()
	if r.Capacity != nil {
		fmt.Fprintf(w, "Capacity %s: work leads with a total of %s or more: %s leads, %.1f%% convert, %.1f%% of all conversions.\n",
			r.Capacity.Label, num(r.Capacity.Total), thousands(r.Capacity.Leads), 100*r.Capacity.Precision, 100*r.Capacity.Recall)
	}
	if r.Precision != nil {
		fmt.Fprintf(w, "Target %s: work leads with a total of %s or more: %s leads, %.1f%% convert, %.1f%% of all conversions.\n",
			r.Precision.Label, num(r.Precision.Total), thousands(r.Precision.Leads), 100*r.Precision.Precision, 100*r.Precision.Recall)
	}
	fmt.Fprintf(w, "Backtest took %.1f s.\n", r.Seconds)
}

func writeDef(w io.Writer, role string, d *DefReport) {
	version := d.Version
	if version != "" {
		version = " " + version
	}
	fmt.Fprintf(w, "\n%s: %s%s (hash %s)\n", role, d.Name, version, d.Hash)
	fmt.Fprintf(w, "AUC %s\n", aucText(d.AUC))
	fmt.Fprintln(w, "\nDeciles (best scored first):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  decile\ttotals\tleads\tconverted\tconversion\tlift\tcumulative recall\t")
	for _, dc := range d.Deciles {
		fmt.Fprintf(tw, "  %d\t%s–%s\t%s\t%s\t%.1f%%\t%.2f\t%.1f%%\t\n", dc.Decile, num(dc.MinTotal), num(dc.MaxTotal),
			thousands(dc.Leads), convertedText(dc.Converted), 100*dc.Conversion, dc.Lift, 100*dc.CumRecall)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nBands (precision and recall: working this band and those above it):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  band\taction\tleads\tshare\tconversion\tprecision\trecall\t")
	for _, b := range d.Bands {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%.1f%%\t%.1f%%\t%.1f%%\t%.1f%%\t\n", b.Band, b.Action, thousands(b.Leads), 100*b.Share,
			100*b.Conversion, 100*b.Precision, 100*b.Recall)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nCalibration (total against observed conversion):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  total\tleads\tconverted\tconversion\t")
	for _, c := range d.Calibration {
		fmt.Fprintf(tw, "  %s–%s\t%s\t%s\t%.1f%%\t\n", num(c.From), num(c.Below), thousands(c.Leads), thousands(c.Converted), 100*c.Conversion)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRules (suggested points: the rule's log-odds ratio at %.3f log-odds per point):\n", d.Slope)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  rule\tentry\tpoints\tfired\tconversion\trest\tsuggested\t")
	for _, r := range d.Rules {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%.1f%%\t%.1f%%\t%s\t\n", r.Rule, r.Entry, num(r.Points), thousands(r.Fired),
			100*r.Conversion, 100*r.Rest, num(r.Suggested))
	}
	tw.Flush()
}

// convertedText writes a count that may carry a share of tied leads.
func convertedText(f float64) string {
	if f == float64(int(f)) {
		return thousands(int(f))
	}
	whole := int(f)
	return fmt.Sprintf("%s.%d", thousands(whole), int((f-float64(whole))*10+0.5)%10)
}
