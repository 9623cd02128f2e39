package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// evalNow fixes the clock for the examples' golden results.
const evalNow = "2026-11-20T10:00:00-05:00"

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

// TestExamplesGolden scores every example's sample leads and compares them
// with the committed expected results (examples/leads/*.golden.jsonl).
// Run `go test ./cmd/pista -run Golden -update` after an intended change
// and review the diff.
func TestExamplesGolden(t *testing.T) {
	defs, _ := filepath.Glob("../../examples/definitions/*.yaml")
	if len(defs) < 3 {
		t.Fatalf("found %d example definitions", len(defs))
	}
	for _, def := range defs {
		name := strings.TrimSuffix(filepath.Base(def), ".yaml")
		t.Run(name, func(t *testing.T) {
			leads, err := os.ReadFile(filepath.Join("../../examples/leads", name+".jsonl"))
			if err != nil {
				t.Fatalf("every example definition needs sample leads: %v", err)
			}
			code, out, errs := runCLI(t, string(leads), "score", "--definition", def, "--now", evalNow)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			golden := filepath.Join("../../examples/leads", name+".golden.jsonl")
			pretty := indentLines(t, out)
			if *update {
				if err := os.WriteFile(golden, []byte(pretty), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if pretty != string(want) {
				t.Errorf("results differ from %s; run with -update and review the diff.\ngot:\n%s", golden, pretty)
			}
		})
	}
}

// indentLines re-indents JSON Lines so golden diffs are readable; results
// are separated by a blank line.
func indentLines(t *testing.T, s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		var buf bytes.Buffer
		if err := json.Indent(&buf, []byte(line), "", "  "); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		b.Write(buf.Bytes())
		b.WriteString("\n\n")
	}
	return b.String()
}

func TestCheck(t *testing.T) {
	code, out, _ := runCLI(t, "", "check", "../../examples/definitions/instrumentos.yaml")
	if code != 0 || !strings.HasPrefix(out, "instrumentos.yaml: ok: ") || strings.Count(out, "\n") != 1 {
		t.Errorf("exit %d, output %q", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("name: x\nlead: {when: inquiry}\nfit:\n  - {name: vp_plus, when: person.senority == \"vp\", points: 1}\nbands:\n  - {name: a, action: route}\n"), 0o644)
	code, out, errs := runCLI(t, "", "check", bad)
	want := `bad.yaml:4: fit rule "vp_plus": unknown field person.senority (did you mean seniority?)`
	if code != 1 || out != "" || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, _, _ := runCLI(t, "", "check"); code != 2 {
		t.Errorf("no file: exit %d", code)
	}
}

func TestScoreBadLines(t *testing.T) {
	in := `{"id":"ok","actions":[{"type":"contact_form"}],"person":{"email":"a.b@acme.com","first_name":"Ana","last_name":"Bello"}}
{"id":"typo","persn":{}}
not json

{"id":"ev","events":[{"type":"page_view"}]}
{"id":"q","qualification":{"authority":"boss"}}
`
	code, out, errs := runCLI(t, in, "score", "--definition", "../../examples/definitions/bant-classic.yaml", "--now", evalNow)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if n := strings.Count(out, "\n"); n != 1 || !strings.Contains(out, `"lead_id":"ok"`) {
		t.Errorf("want the one good lead scored, got %q", out)
	}
	for _, want := range []string{
		`stdin:2: json: unknown field "persn"`,
		`stdin:3: invalid JSON`,
		`stdin:5: events[0].at: missing`,
		`stdin:6: qualification.authority: "boss"`,
		`4 line(s) could not be scored`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

func TestScoreFlags(t *testing.T) {
	if code, _, errs := runCLI(t, "", "score"); code != 2 || !strings.Contains(errs, "--definition") {
		t.Errorf("exit %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "score", "--definition", "../../examples/definitions/bant-classic.yaml", "--now", "yesterday"); code != 2 || !strings.Contains(errs, "RFC 3339") {
		t.Errorf("exit %d %q", code, errs)
	}
}

func TestExplain(t *testing.T) {
	dir := t.TempDir()
	first, _ := os.ReadFile("../../examples/leads/instrumentos.jsonl")
	leadFile := filepath.Join(dir, "lead.json")
	os.WriteFile(leadFile, bytes.SplitN(first, []byte("\n"), 2)[0], 0o644)
	code, out, errs := runCLI(t, "", "explain", "--definition", "../../examples/definitions/instrumentos.yaml", "--now", evalNow, leadFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Lead INS-001", "Inquiry: yes, price_request", "paginas_producto_un_dia (5 matching events)  [instrumentos.yaml:",
		"+20 ciencias_de_la_vida", "Lead gate: format true, characteristics true, behaviour true, when true -> a lead",
		"Stage: mql, action route", "Team: norteamerica (rule estados_unidos)", "SLA: mql, first touch within 2 business days",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
}

func TestUsageAndServe(t *testing.T) {
	if code, _, errs := runCLI(t, ""); code != 2 || !strings.Contains(errs, "Usage") {
		t.Errorf("no args: %d %q", code, errs)
	}
	if code, _, _ := runCLI(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: %d", code)
	}
}

func TestDemoIsReproducible(t *testing.T) {
	var outs []string
	for range 2 {
		db := filepath.Join(t.TempDir(), "demo.db")
		// Up to a fixed moment: played up to now, two runs either side
		// of midnight, or a second apart when an event falls between,
		// differ.
		code, out, errs := runCLI(t, "", "demo", "--db", db, "--leads", "150", "--seed", "7", "--until", "2026-12-07T12:00:00Z")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if !strings.Contains(out, "Leads by stage:") || !strings.Contains(out, "Loaded ") || !strings.Contains(out, "Sales waterfall:") {
			t.Fatalf("output %q", out)
		}
		_, stages, _ := strings.Cut(out, "Leads by stage:")
		// The sign-in passwords are random on purpose; the data is not.
		stages, _, _ = strings.Cut(stages, "Sign in to the web app")
		outs = append(outs, stages)
	}
	if outs[0] != outs[1] {
		t.Errorf("the same seed gave different data:\n%s\n%s", outs[0], outs[1])
	}
}

func TestTokens(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	code, tok, errs := runCLI(t, "", "token", "create", "--name", "site", "--role", "integration", "--db", db)
	if code != 0 || !strings.HasPrefix(tok, "pst_") {
		t.Fatalf("create: %d %q %s", code, tok, errs)
	}
	if code, _, _ := runCLI(t, "", "token", "create", "--name", "x", "--role", "boss", "--db", db); code != 2 {
		t.Errorf("unknown role: exit %d", code)
	}
	code, out, _ := runCLI(t, "", "token", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "site\tintegration") || !strings.Contains(out, "active") || strings.Contains(out, "pst_") {
		t.Errorf("list: %d %q", code, out)
	}
	if code, _, _ := runCLI(t, "", "token", "revoke", "1", "--db", db); code != 0 {
		t.Errorf("revoke: exit %d", code)
	}
	if code, _, errs := runCLI(t, "", "token", "revoke", "1", "--db", db); code != 1 || !strings.Contains(errs, "already revoked") {
		t.Errorf("revoke twice: %d %s", code, errs)
	}
	if _, out, _ := runCLI(t, "", "token", "list", "--db", db); !strings.Contains(out, "revoked") {
		t.Errorf("list after revoke: %q", out)
	}
}

// PISTA_CPUPROFILE and PISTA_TRACE profile any command: each writes its
// file, which Go's tools read; a path that cannot be created is reported
// and the command still runs.
func TestProfileAnyCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PISTA_CPUPROFILE": filepath.Join(dir, "cpu.pprof"), "PISTA_TRACE": filepath.Join(dir, "run.trace")}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"check", "../../examples/definitions/instrumentos.yaml"}, strings.NewReader(""), &out, &errb,
		func(k string) string { return env[k] })
	if code != 0 || errb.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	for name, magic := range map[string]string{"cpu.pprof": "\x1f\x8b", "run.trace": "go 1."} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("%s: %d bytes starting %.8q (err %v), want it to start %q", name, len(b), b, err, magic)
		}
	}
	env["PISTA_TRACE"] = filepath.Join(dir, "missing", "run.trace")
	errb.Reset()
	code = run(context.Background(), []string{"check", "../../examples/definitions/instrumentos.yaml"}, strings.NewReader(""), &out, &errb,
		func(k string) string { return env[k] })
	if code != 0 || !strings.Contains(errb.String(), "run.trace") {
		t.Errorf("unwritable trace: exit %d, stderr %q", code, errb.String())
	}
}
