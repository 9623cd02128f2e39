//go:build ignore

// Refresh rebuilds disposable_domains.txt from the npm package
// disposable-email-domains (see README.md). It lives here, behind the ignore
// build tag, so the one command that produces the data file ships next to
// it and never becomes part of the pista binary.
//
//	go run ./internal/quality/data/refresh.go PKG/index.json PKG/wildcard.json > internal/quality/data/disposable_domains.txt
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "refresh:", err)
		os.Exit(1)
	}
}

func run(files []string) error {
	if len(files) == 0 {
		return fmt.Errorf("usage: go run refresh.go index.json [wildcard.json]")
	}
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var list []string
		if err := json.Unmarshal(b, &list); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, d := range list {
			// The package stores a few IDN domains in Unicode; pista compares
			// the punycode form that NormalizeEmail produces.
			a, err := idna.Lookup.ToASCII(strings.ToLower(strings.TrimSpace(d)))
			if err != nil || !strings.Contains(a, ".") {
				fmt.Fprintf(os.Stderr, "refresh: skipping %q: not a valid domain\n", d)
				continue
			}
			// A public suffix (com.br, co.uk) would mark every domain under
			// it disposable, because lookups also match parent domains.
			if ps, icann := publicsuffix.PublicSuffix(a); icann && ps == a {
				fmt.Fprintf(os.Stderr, "refresh: skipping %q: it is a public suffix\n", d)
				continue
			}
			seen[a] = true
		}
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	slices.Sort(out)
	_, err := os.Stdout.WriteString(strings.Join(out, "\n") + "\n")
	return err
}
