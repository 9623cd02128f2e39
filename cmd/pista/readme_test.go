package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadmeQuickstart runs the README's quick start, every ```sh block
// from "## Quick start" to the end of "The server in two minutes", as a
// newcomer would on a fresh clone: in a copy of the repository's files
// (those git tracks or would track), with bash. Two substitutions only:
// go run ./cmd/pista is the same program built once, and the server
// listens on a free port (PISTA_ADDR, which serve and health read) instead
// of 8080, which another program may hold. The quick start's lead must end
// an MQL routed to the rep the README creates, with its explanation.
func TestReadmeQuickstart(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	script := quickstartScript(t, string(readme))
	dir := freshClone(t)
	bin := filepath.Join(t.TempDir(), "pista")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	script = strings.ReplaceAll(script, "go run ./cmd/pista", bin)
	script = strings.ReplaceAll(script, "127.0.0.1:8080", addr)

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-c", script+"\nkill %1; wait\n")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PISTA_ADDR="+addr, "PISTA_DB=")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the server in the background too
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if err != nil {
		t.Fatalf("the quick start failed: %v\nscript:\n%s\nstdout:\n%s\nstderr:\n%s", err, script, out.String(), errb.String())
	}
	got := out.String()
	for _, want := range []string{
		`instrumentos.yaml: ok:`,    // check
		`"lead_id":"INS-001"`,       // score
		`Stage: mql, action route`,  // explain of a file
		`"accepted":5`,              // the events
		`"stage":"mql"`,             // the inquiry and the list
		`"owner":"ana@example.com"`, // routed to the rep
		`Lead 1, evaluated`,         // the stored lead's explanation
		`Team: norteamerica (rule estados_unidos)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the quick start's output lacks %s\nstdout:\n%s\nstderr:\n%s", want, got, errb.String())
		}
	}
	if strings.Contains(got, `{"leads":[]}`) {
		t.Errorf("the quick start ends on an empty list:\n%s", got)
	}
}

// quickstartScript is the README's quick-start commands, in order.
func quickstartScript(t *testing.T, readme string) string {
	_, rest, ok := strings.Cut(readme, "## Quick start")
	if !ok {
		t.Fatal("README.md has no \"## Quick start\"")
	}
	section, _, ok := strings.Cut(rest, "\nEvery inquiry is cleaned")
	if !ok {
		t.Fatal("README.md: the end of the server's quick start moved; update TestReadmeQuickstart")
	}
	var blocks []string
	for {
		_, after, ok := strings.Cut(section, "```sh\n")
		if !ok {
			break
		}
		block, tail, _ := strings.Cut(after, "```")
		blocks = append(blocks, dedent(block))
		section = tail
	}
	if len(blocks) < 4 {
		t.Fatalf("found %d sh blocks in the quick start", len(blocks))
	}
	return strings.Join(blocks, "\n")
}

// dedent removes the indentation of a code block inside a list item.
func dedent(block string) string {
	lines := strings.Split(block, "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			lines[i] = l[indent:]
		}
	}
	return strings.Join(lines, "\n")
}

// freshClone copies the files a clone would have (tracked, or new and not
// ignored) into a temporary folder: no database, no key, no build output.
func freshClone(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ls := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = root
	list, err := ls.Output()
	if err != nil {
		t.Skipf("git ls-files: %v (the quick start test needs a git checkout)", err)
	}
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		src := filepath.Join(root, name)
		b, err := os.ReadFile(src)
		if err != nil {
			continue // deleted in the working tree
		}
		dst := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
