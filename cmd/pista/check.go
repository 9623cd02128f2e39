package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/pistahq/pista/internal/definition"
)

func cmdCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "also count the values of this list (.csv, .xlsx, or .jsonl of leads) that no vocabulary code or rule matches")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: pista check [--data FILE] DEFINITION.yaml")
		return exitError{2}
	}
	def, err := definition.Load(fs.Arg(0))
	if err != nil {
		var list definition.Errors
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintln(stderr, e)
			}
			fmt.Fprintf(stderr, "%d problem(s)\n", len(list))
			return exitError{1}
		}
		return err
	}
	fmt.Fprintln(stdout, summary(def))
	if *data != "" {
		if _, err := checkData(stdout, def, *data); err != nil {
			return err
		}
	}
	return nil
}

// summary is the one-line description `pista check` prints.
func summary(d *definition.Definition) string {
	v := d.Version
	if v == "" {
		v = "unversioned"
	}
	return fmt.Sprintf("%s: ok: %q %s (hash %s): %d inquiry actions, %d quality rules, %d signals, %d fit rules, %d engagement rules, %d bands, %d SLA policies, %d routing rules",
		d.File, d.Name, v, d.Hash, len(d.Inquiry.Actions), len(d.Quality), len(d.Signals), len(d.Fit),
		len(d.Engagement.Rules), len(d.Bands), len(d.SLA), len(d.Routing.Rules))
}
