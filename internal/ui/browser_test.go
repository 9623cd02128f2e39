package ui_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// One Chromium for the whole test binary; each test gets its own
// incognito browser context (its own cookies) in it.
var browserCtx context.Context

func TestMain(m *testing.M) {
	os.Exit(runWithBrowser(m))
}

func runWithBrowser(m *testing.M) int {
	path := os.Getenv("PISTA_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		return m.Run() // the browser tests skip themselves
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1280, 860),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("lang", "en-US"))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "chromium did not start:", err)
		return 1
	}
	browserCtx = ctx
	return m.Run()
}

// tab is one person's browser window on the test server.
type tab struct {
	t       *testing.T
	e       *env
	ctx     context.Context
	dialogs atomic.Int32
}

func (e *env) tab() *tab {
	e.t.Helper()
	if browserCtx == nil {
		if os.Getenv("PISTA_REQUIRE_CHROMIUM") != "" {
			e.t.Fatal("no Chromium: install it (apt-get install -y chromium) or set PISTA_CHROMIUM")
		}
		e.t.Skip("no Chromium at /usr/bin/chromium (set PISTA_CHROMIUM)")
	}
	tb := &tab{t: e.t, e: e}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext(), chromedp.WithListener(func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			tb.dialogs.Add(1)
			e.t.Errorf("a JavaScript dialog opened: %q", d.Message)
		}
	}))
	e.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		e.t.Fatal(err)
	}
	tb.ctx = ctx
	return tb
}

// do runs steps with a time limit.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.shot("failure-" + strings.ReplaceAll(tb.t.Name(), "/", "-"))
		tb.t.Fatalf("browser: %v (at %s)", err, tb.location())
	}
}

func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

func (tb *tab) open(path string) { tb.t.Helper(); tb.do(chromedp.Navigate(tb.e.URL + path)) }

// text is the text of the first element a CSS selector matches.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	// A page that is still being replaced by the next one can drop the
	// node between finding it and reading it: read again until it holds.
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
		s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
		cancel()
		if err == nil {
			return s
		}
		if time.Now().After(deadline) || !strings.Contains(err.Error(), "No node") {
			tb.t.Fatalf("text of %s: %v (at %s)", sel, err, tb.location())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// eval runs JavaScript and returns its value.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// waitFor waits until a JavaScript condition holds.
func (tb *tab) waitFor(what, js string) {
	tb.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)) // fails while a page loads
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.shot("timeout-" + strings.ReplaceAll(tb.t.Name(), "/", "-"))
			tb.t.Fatalf("timed out waiting for %s at %s", what, tb.location())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// submit clicks a button that posts a form and waits for the page it
// leads to (its URL contains want).
func (tb *tab) submit(button, want string) {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(button)))
	tb.waitFor("a page at "+want, fmt.Sprintf(`location.href.includes(%q) && document.readyState === "complete"`, want))
}

// signIn signs a user in through the form.
func (tb *tab) signIn(first, next string) {
	tb.t.Helper()
	tb.open(next)
	tb.waitFor("the sign-in page", `location.pathname === "/login"`)
	tb.do(chromedp.SetValue(chromedp.CSS("#email"), first+"@instrumentos.example"),
		chromedp.SetValue(chromedp.CSS("#password"), password))
	tb.submit("form[action='/login'] button", next)
}

// shot saves a screenshot of the viewport when PISTA_UI_SCREENSHOTS names
// a directory (docs/img when the user guide's pictures are refreshed).
func (tb *tab) shot(name string) {
	dir := os.Getenv("PISTA_UI_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
	}
}
