package engine_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
)

// TestQualityAsEvaluate: Quality gives the quality verdict and anonymity
// Evaluate gives, with the explanation's steps up to them, for every
// sample lead of every example definition, and for an anonymous one.
func TestQualityAsEvaluate(t *testing.T) {
	defs, _ := filepath.Glob("../../examples/definitions/*.yaml")
	if len(defs) < 3 {
		t.Fatalf("found %d example definitions", len(defs))
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	verdicts := map[string]bool{}
	for _, path := range defs {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d, err := definition.Parse(path, src)
		if err != nil {
			t.Fatal(err)
		}
		ev := engine.New(d)
		samples, err := os.ReadFile(filepath.Join("../../examples/leads", name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		anonymous := lead.Lead{Source: lead.Source{ExternalID: "visitor-1"}}
		leads := []lead.Lead{anonymous}
		var events [][]lead.Event
		events = append(events, nil)
		in := bufio.NewScanner(bytes.NewReader(samples))
		in.Buffer(make([]byte, 64<<10), 1<<20)
		for in.Scan() {
			line := bytes.TrimSpace(in.Bytes())
			if len(line) == 0 {
				continue
			}
			var l lead.Lead
			var e struct {
				Events []lead.Event `json:"events"`
			}
			if err := json.Unmarshal(line, &l); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := json.Unmarshal(line, &e); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			leads, events = append(leads, l), append(events, e.Events)
		}
		if len(leads) < 5 {
			t.Fatalf("%s: %d sample leads", name, len(leads))
		}
		for i := range leads {
			whole := ev.Evaluate(&leads[i], events[i], nil, now)
			part := ev.Quality(&leads[i], events[i], now)
			if part.Quality != whole.Quality || part.Anonymous != whole.Anonymous {
				t.Errorf("%s, lead %d: Quality gives %q (anonymous %v), Evaluate %q (anonymous %v)",
					name, i, part.Quality, part.Anonymous, whole.Quality, whole.Anonymous)
			}
			if len(part.Explanation) >= len(whole.Explanation) ||
				!slices.EqualFunc(part.Explanation, whole.Explanation[:len(part.Explanation)], func(a, b engine.Step) bool {
					return a.Kind == b.Kind && a.Rule == b.Rule && a.Value == b.Value
				}) {
				t.Errorf("%s, lead %d: Quality's steps %v are not the first of Evaluate's %v", name, i, part.Explanation, whole.Explanation)
			}
			if part.Total != 0 || part.Band != "" || part.Stage != "" {
				t.Errorf("%s, lead %d: Quality scored: %v %q %q", name, i, part.Total, part.Band, part.Stage)
			}
			verdicts[whole.Quality] = true
		}
	}
	if len(verdicts) < 2 {
		t.Errorf("the samples gave only the verdicts %v: the test needs more than one", verdicts)
	}
}
