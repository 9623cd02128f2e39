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
