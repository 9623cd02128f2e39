package ui_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chrome is a real Chromium (Debian's chromium package) driven over the
// DevTools protocol, signed in to the test server as one user.
type chrome struct {
	t   *testing.T
	e   *env
	ctx context.Context
}

// openChrome starts a headless Chromium for the test, or skips the test
// when none is installed (.ci/run installs it).
func openChrome(t *testing.T, e *env) *chrome {
	t.Helper()
	path := os.Getenv("PISTA_CHROMIUM")
	if path == "" {
		for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if full, err := exec.LookPath(p); err == nil {
				path = full
				break
			}
		}
	}
	if path == "" {
		t.Skip("no Chromium: install the chromium package")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.WindowSize(1200, 760), chromedp.Flag("lang", "es"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The browser starts with the first action on this context; started
	// from a context with a time limit it would end with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &chrome{t: t, e: e, ctx: ctx}
}

// do carries out browser actions with a time limit.
func (c *chrome) do(actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		c.t.Fatal(err)
	}
}

// text is the text of the first element a CSS selector matches.
func (c *chrome) text(css string) string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		c.t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// until waits for a JavaScript condition to hold.
func (c *chrome) until(expr string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
		page, _ := chromedp.Run(c.ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
		c.t.Fatalf("waiting for %s: %v\n%s", expr, err, page)
	}
}

// signIn fills in the sign-in form as a user of the test team.
func (c *chrome) signIn(first string) {
	c.t.Helper()
	c.do(chromedp.Navigate(c.e.URL+"/login"),
		chromedp.SendKeys(chromedp.ID("email"), first+"@instrumentos.example"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS("nav.side")))
}

// shot saves a screenshot of the window as docs/img/<name>.png when
// PISTA_SCREENSHOTS names the docs directory (the committed ones were
// made so).
func (c *chrome) shot(name string) {
	c.t.Helper()
	dir := os.Getenv("PISTA_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		c.t.Fatal(err)
	}
}
