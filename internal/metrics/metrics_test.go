package metrics_test

import (
	"flag"
	"io"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/metrics"
	"github.com/pistahq/pista/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the metrics table in docs/operations.md")

// TestDocsListEveryMetric: the table of metrics in docs/operations.md is
// generated from the code (go test ./internal/metrics -update), so a
// metric added without its line, or a line left for a metric removed,
// fails here.
func TestDocsListEveryMetric(t *testing.T) {
	const path = "../../docs/operations.md"
	const begin, end = "<!-- metrics:begin (generated: go test ./internal/metrics -update) -->\n", "<!-- metrics:end -->"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no metrics table between %q and %q", path, strings.TrimSpace(begin), end)
	}
	var table strings.Builder
	table.WriteString("| metric | type | labels | what it says |\n|---|---|---|---|\n")
	for _, d := range metrics.New().Docs() {
		labels := strings.Join(d.Labels, ", ")
		table.WriteString("| `" + d.Name + "` | " + d.Type + " | " + labels + " | " + d.Help + " |\n")
	}
	want := doc[:i+len(begin)] + table.String() + doc[j:]
	if want == doc {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the metrics table in %s is out of date: run go test ./internal/metrics -update", path)
}

// TestScrape: every documented metric of Pista's own appears in a scrape
// once it has been recorded, with the database's state read at scrape time.
func TestScrape(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db := target.Open(t)
			m := metrics.New()
			m.WatchDB(db, time.Now, time.Second)
			m.WatchQueue(func() int { return 3 })
			m.Request("POST /api/v1/inquiries", "POST", 201, 3*time.Millisecond)
			m.Inquiries("created", 2)
			m.Events("accepted", 5)
			m.Group(7, time.Millisecond, 2*time.Millisecond)
			m.ImportRows("created", 10)
			m.Form("accepted")
			m.Webhook("delivered")
			m.TimerFired(1500 * time.Millisecond)
			rec := httptest.NewRecorder()
			m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
			body, _ := io.ReadAll(rec.Body)
			text := string(body)
			for _, d := range m.Docs() {
				if !strings.Contains(text, "\n"+d.Name) && !strings.HasPrefix(text, d.Name) {
					t.Errorf("%s is documented but not in the scrape", d.Name)
				}
			}
			for _, line := range []string{
				`pista_http_requests_total{code="201",method="POST",route="POST /api/v1/inquiries"} 1`,
				`pista_inquiries_total{outcome="created"} 2`,
				`pista_writer_queue_depth 3`,
				`pista_database_up 1`,
				`pista_sla_clocks{state="pending"} 0`,
			} {
				if !strings.Contains(text, line) {
					t.Errorf("the scrape lacks %q", line)
				}
			}
			if strings.Contains(text, "@") {
				t.Error("the scrape holds an @: no e-mail may become a label")
			}
		})
	}
}

// TestNilIsOff: code records figures without checking whether metrics are
// on; a nil *Metrics takes them all silently.
func TestNilIsOff(t *testing.T) {
	var m *metrics.Metrics
	m.Request("x", "GET", 200, time.Second)
	m.Inquiries("created", 1)
	m.Events("accepted", 1)
	m.Group(1, 0, 0)
	m.ImportRows("created", 1)
	m.Form("accepted")
	m.Webhook("failed")
	m.TimerFired(time.Second)
	m.WatchQueue(func() int { return 0 })
}

// TestDashboardUsesRealMetrics: every pista_ name the Grafana dashboard
// queries is one the code defines.
func TestDashboardUsesRealMetrics(t *testing.T) {
	b, err := os.ReadFile("../../docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, d := range metrics.New().Docs() {
		for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
			known[d.Name+suffix] = true
		}
	}
	for _, name := range regexp.MustCompile(`pista_[a-z_]+`).FindAllString(string(b), -1) {
		if !known[name] {
			t.Errorf("the dashboard queries %s, which Pista does not define", name)
		}
	}
}
