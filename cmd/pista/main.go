// Command pista is Pista's server and command-line tool. See README.md.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// exitError carries an exit code for failures that were already reported.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

const usage = `Pista: lead qualification and routing.

Usage:
  pista check FILE                                 validate a lead definition
  pista score --definition FILE [--now RFC3339]    score leads: JSON Lines in, JSON Lines out
  pista score --definition FILE --input LIST.csv|.xlsx [--mapping M.yaml] [--map H=field] [--output csv|jsonl]
                                                   score a spreadsheet offline, one line per row
  pista explain --definition FILE [--now RFC3339] LEAD.json
                                                   explain one lead in plain text
  pista explain --lead ID [--db ...]               explain a stored lead's last evaluation
  pista serve [--addr 127.0.0.1:8080] [--db pista.db|postgres://...]
                                                   run the server (SQLite by default)
  pista migrate [--db ...]                         apply database migrations
  pista demo [--db ...] [--leads 3000] [--seed 1]  fill a database with realistic demo data
  pista import [--mapping M.yaml] [--map Header=field] [--format F] [--action A] [--dry-run] FILE
                                                   import a CSV or XLSX list of leads
  pista campaign-costs import [--db ...] FILE.csv  set campaigns' monthly costs (campaign, month, amount, currency)
  pista token create --name N --role ROLE [--user EMAIL] [--db ...]
                                                   create an API token (printed once), acting as a user
  pista token list | revoke ID [--db ...]          list tokens, or revoke one
  pista user create --name N --email E --role ROLE [--language es|pt|en] [--timezone TZ] [--db ...]
                                                   add a user (admin, marketing, manager, bdr, rep)
  pista lab learn --data FILE --outcome COLUMN --out LEARNED.yaml [...]
                                                   learn a definition from outcomes (docs/lab.md)
  pista lab backtest --definition FILE [--against ACTIVE.yaml] --data FILE --outcome COLUMN [...]
                                                   prove a definition against outcomes
  pista migrate --status [--db ...]                list applied and pending migrations
  pista backup --to FILE [--db pista.db]           copy a SQLite database while the server runs
  pista restore --from FILE [--db pista.db] [--replace]
                                                   put a backup in place of a stopped server's database
  pista health [--url http://127.0.0.1:8080/readyz]
                                                   exit 0 when the server is ready (container health check)
  pista version

Docs: docs/definition.md (the definition file), docs/lead-model.md (the lead JSON).
`

// run is main without the process: it returns the exit code so tests can
// call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if path := getenv("PISTA_CPUPROFILE"); path != "" {
		// Profiling any command (an import, a demo) needs no special build.
		if stop, err := startWriting(path, pprof.StartCPUProfile, pprof.StopCPUProfile); err != nil {
			fmt.Fprintln(stderr, "pista:", err)
		} else {
			defer stop()
		}
	}
	if path := getenv("PISTA_TRACE"); path != "" {
		// An execution trace shows who waits for whom (go tool trace).
		if stop, err := startWriting(path, trace.Start, trace.Stop); err != nil {
			fmt.Fprintln(stderr, "pista:", err)
		} else {
			defer stop()
		}
	}
	var err error
	switch args[0] {
	case "check":
		err = cmdCheck(args[1:], stdout, stderr)
	case "score":
		err = cmdScore(ctx, args[1:], stdin, stdout, stderr)
	case "explain":
		err = cmdExplain(ctx, args[1:], stdout, stderr, getenv)
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr, getenv)
	case "migrate":
		err = cmdMigrate(ctx, args[1:], stdout, stderr, getenv)
	case "token":
		err = cmdToken(ctx, args[1:], stdout, stderr, getenv)
	case "user":
		err = cmdUser(ctx, args[1:], stdin, stdout, stderr, getenv)
	case "demo":
		err = cmdDemo(ctx, args[1:], stdout, stderr, getenv)
	case "import":
		err = cmdImport(ctx, args[1:], stdout, stderr, getenv)
	case "campaign-costs":
		err = cmdCampaignCosts(ctx, args[1:], stdout, stderr, getenv)
	case "lab":
		err = cmdLab(ctx, args[1:], stdout, stderr, getenv)
	case "backup":
		err = cmdBackup(ctx, args[1:], stdout, stderr, getenv)
	case "restore":
		err = cmdRestore(ctx, args[1:], stdout, stderr, getenv)
	case "health":
		err = cmdHealth(ctx, args[1:], stdout, stderr, getenv)
	case "version":
		fmt.Fprintln(stdout, "pista", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "pista: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err == nil {
		return 0
	}
	if e, ok := err.(exitError); ok {
		return e.code
	}
	fmt.Fprintln(stderr, "pista:", err)
	return 1
}

const version = "0.1.0-dev"

// startWriting creates path and starts writing to it with start (a CPU
// profile, an execution trace) until the function returned is called,
// which ends the writing with end and closes the file.
func startWriting(path string, start func(io.Writer) error, end func()) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { end(); f.Close() }, nil
}
