package webform

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestSnippetDoc keeps SNIPPET.md's example equal to what Snippet makes
// from the configuration shown beside it.
func TestSnippetDoc(t *testing.T) {
	b, err := os.ReadFile("SNIPPET.md")
	if err != nil {
		t.Fatal(err)
	}
	block := func(lang string) string {
		_, rest, ok := strings.Cut(string(b), "```"+lang+"\n")
		body, _, ok2 := strings.Cut(rest, "```")
		if !ok || !ok2 {
			t.Fatalf("SNIPPET.md has no %s block", lang)
		}
		return body
	}
	var c Config
	if err := json.Unmarshal([]byte(block("json")), &c); err != nil {
		t.Fatalf("SNIPPET.md config: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("SNIPPET.md config: %v", err)
	}
	if got, want := Snippet(&c, "https://pista.example.com", printer(t, "es")), block("html"); got != want {
		t.Errorf("SNIPPET.md is out of date; Snippet now gives:\n%s", got)
	}
}
