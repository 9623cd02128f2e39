package definition

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRatesFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	rates, err := LoadRates(write("ok.yaml", "# 2026-12-04\ncop: 0.00025\nBRL: 0.18\n"))
	if err != nil || rates["COP"] != 0.00025 || rates["BRL"] != 0.18 {
		t.Fatalf("rates %v, err %v", rates, err)
	}
	for text, want := range map[string]string{
		"COP: 0.00025\npesos: 1\n": `bad.yaml:2: "pesos" is not a currency code`,
		"COP: 0.00025\nBRL: -1\n":  "bad.yaml:2: BRL must be positive",
		"COP: lots\n":              `bad.yaml:1: COP: "lots" is not a number`,
		"- COP\n":                  "bad.yaml:1: a rates file is a mapping",
	} {
		_, err := LoadRates(write("bad.yaml", text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", text, err, want)
		}
	}
	// A money rule in COP needs the rate: the file gives it.
	src := []byte("name: t\nlead:\n  when: fit > 0\nfit:\n  - {name: big, when: company.revenue.base > money(\"4000000 COP\"), points: 5}\nbands:\n  - {name: A, action: route}\n")
	if _, err := Parse("t.yaml", src); err == nil || !strings.Contains(err.Error(), "no exchange rate for COP") {
		t.Fatalf("without rates: %v", err)
	}
	def, err := ParseWithRates("t.yaml", src, rates)
	if err != nil || def.Rates["COP"] != 0.00025 {
		t.Fatalf("with rates: %v", err)
	}
}
