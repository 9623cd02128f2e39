package ui_test

import (
	"io/fs"
	"os"
	"regexp"
	"testing"

	"github.com/pistahq/pista/internal/i18n"
)

// TestTemplateKeys: every message a template names is in the catalog
// (whose own test checks it is in es, pt and en).
func TestTemplateKeys(t *testing.T) {
	cat, err := i18n.New("")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`\bT "([a-z0-9_.]+)"`)
	n := 0
	err = fs.WalkDir(os.DirFS("templates"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(os.DirFS("templates"), p)
		if err != nil {
			return err
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			n++
			if !cat.Has(m[1]) {
				t.Errorf("%s: %q is not in the catalog", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("found only %d messages in the templates", n)
	}
}
