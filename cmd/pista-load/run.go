package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"time"
)

// run is main without the process, so tests drive it against an
// httptest server. It prints the report to stdout and returns an error
// when the run failed (see report.failure).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "bench":
			return bench(ctx, args[1:], stdout, stderr)
		case "ratios":
			return ratios(ctx, args[1:], stdout, stderr)
		case "ceiling":
			return ceiling(ctx, args[1:], stdout, stderr)
		case "bare-http":
			return bareHTTP(ctx, args[1:], stderr)
		}
	}
	cfg, err := parseConfig(args, os.Getenv, stderr)
	if err != nil {
		return err
	}
	var raw float64
	var rawErr error
	if cfg.rawDB != "" {
		raw, rawErr = rawRate(ctx, cfg.rawDB, 2*time.Second)
	}
	rep := load(ctx, cfg)
	rep.RawCommitsPerS = raw
	if rawErr != nil {
		rep.RawError = rawErr.Error()
	}
	if cfg.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		rep.writeText(stdout)
	}
	if rawErr != nil {
		return rawErr
	}
	return rep.failure()
}
