package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pistahq/pista/internal/engine"
)

func cmdExplain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	defPath := fs.String("definition", "", "lead definition file (YAML)")
	nowFlag := fs.String("now", "", "evaluate as of this time (RFC 3339); default: the current time")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: pista explain --definition FILE [--now RFC3339] LEAD.json")
		return exitError{2}
	}
	def, now, err := loadDefAndNow(*defPath, *nowFlag, stderr)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	l, err := decodeLead(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	res := engine.Evaluate(def, &l.Lead, l.Events, l.Qualification, now)
	return engine.WriteText(stdout, def, &res)
}
