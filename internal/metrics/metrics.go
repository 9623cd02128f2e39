// Package metrics holds Pista's Prometheus metrics: what an operator
// graphs and alerts on. Names start with pista_, carry their unit, and use
// only labels with a handful of values (a route pattern, an outcome),
// never a lead, an e-mail or a user.
//
// Every method is safe on a nil *Metrics, so code that records a figure
// needs no check for whether metrics are on.
package metrics

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pistahq/pista/internal/store"
)

// Metrics is one server's registry and the figures it records as they
// happen; the database's state is read at scrape time (WatchDB).
type Metrics struct {
	reg  *prometheus.Registry
	docs []Doc

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	inquiries    *prometheus.CounterVec
	events       *prometheus.CounterVec
	groupSize    prometheus.Histogram
	groupWait    prometheus.Histogram
	commit       prometheus.Histogram
	importRows   *prometheus.CounterVec
	forms        *prometheus.CounterVec
	webhooks     *prometheus.CounterVec
	timerLate    prometheus.Histogram
}

// New registers Pista's metrics and the Go runtime's and process's own.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	lat := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}
	m.httpRequests = m.counterVec("pista_http_requests_total", "HTTP requests answered, by route pattern, method and status code.", "route", "method", "code")
	m.httpDuration = m.histogramVec("pista_http_request_duration_seconds", "Time to answer an HTTP request, by route pattern.", lat, "route")
	m.inquiries = m.counterVec("pista_inquiries_total", "Inquiries taken by intake (API, forms, imports), by outcome: created, merged, replayed, refused.", "outcome")
	m.events = m.counterVec("pista_events_total", "Behaviour events posted, by outcome: accepted, refused.", "outcome")
	m.groupSize = m.histogram("pista_commit_group_writes", "Writes committed together in one group commit (one transaction, one sync to disk).",
		[]float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024})
	m.groupWait = m.histogram("pista_commit_group_wait_seconds", "Time a write waited in the writer's queue before its group began.",
		[]float64{.0001, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1})
	m.commit = m.histogram("pista_commit_group_duration_seconds", "Time to write and commit one group.",
		[]float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1})
	m.importRows = m.counterVec("pista_import_rows_total", "Rows of lists imported through the API or the app, by outcome: created, merged, unchanged, invalid.", "outcome")
	m.forms = m.counterVec("pista_form_submissions_total", "Web-form submissions, by verdict: accepted, suspicious, refused, limited.", "verdict")
	m.webhooks = m.counterVec("pista_webhook_attempts_total", "Webhook delivery attempts, by result: delivered, retried, failed.", "result")
	m.timerLate = m.histogram("pista_timer_lateness_seconds", "How long after its due time a timer (SLA deadline, re-contact, routing) fired.",
		[]float64{.1, .5, 1, 2, 5, 10, 30, 60, 300, 900})
	for _, d := range dbDescs {
		m.document(d.name, "gauge", d.help, d.labels...)
	}
	m.document("pista_writer_queue_depth", "gauge", queueHelp)
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	m.document(name, "counter", help, labels...)
	return c
}

func (m *Metrics) histogram(name, help string, buckets []float64) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets})
	m.reg.MustRegister(h)
	m.document(name, "histogram", help)
	return h
}

func (m *Metrics) histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	m.reg.MustRegister(h)
	m.document(name, "histogram", help, labels...)
	return h
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Request records one answered HTTP request. route is the mux pattern
// ("POST /api/v1/leads/{id}/accept"), never the path with its ids.
func (m *Metrics) Request(route, method string, code int, took time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(route, method, codeLabel(code)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(took.Seconds())
}

// Inquiries counts n inquiries with one outcome.
func (m *Metrics) Inquiries(outcome string, n int) {
	if m == nil || n == 0 {
		return
	}
	m.inquiries.WithLabelValues(outcome).Add(float64(n))
}

// Events counts n behaviour events with one outcome.
func (m *Metrics) Events(outcome string, n int) {
	if m == nil || n == 0 {
		return
	}
	m.events.WithLabelValues(outcome).Add(float64(n))
}

// Group records one group commit: how many writes, how long the first
// of them waited for it, and how long it took.
func (m *Metrics) Group(writes int, waited, took time.Duration) {
	if m == nil {
		return
	}
	m.groupSize.Observe(float64(writes))
	m.groupWait.Observe(waited.Seconds())
	m.commit.Observe(took.Seconds())
}

// ImportRows counts n imported rows with one outcome.
func (m *Metrics) ImportRows(outcome string, n int) {
	if m == nil || n == 0 {
		return
	}
	m.importRows.WithLabelValues(outcome).Add(float64(n))
}

// Form counts one web-form submission with its verdict.
func (m *Metrics) Form(verdict string) {
	if m == nil {
		return
	}
	m.forms.WithLabelValues(verdict).Inc()
}

// Webhook counts one delivery attempt's result.
func (m *Metrics) Webhook(result string) {
	if m == nil {
		return
	}
	m.webhooks.WithLabelValues(result).Inc()
}

// TimerFired records how late a timer fired.
func (m *Metrics) TimerFired(late time.Duration) {
	if m == nil {
		return
	}
	m.timerLate.Observe(max(late, 0).Seconds())
}

// WatchQueue reports the writer's queue depth at each scrape.
func (m *Metrics) WatchQueue(depth func() int) {
	if m == nil {
		return
	}
	help := queueHelp
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "pista_writer_queue_depth", Help: help},
		func() float64 { return float64(depth()) }))
}

// WatchDB reads the database's operational state at scrape time, at most
// once every minAge, so that a scrape every few seconds costs nothing.
func (m *Metrics) WatchDB(db *store.DB, now func() time.Time, minAge time.Duration) {
	if m == nil {
		return
	}
	m.reg.MustRegister(&dbCollector{db: db, now: now, minAge: minAge})
}

// Doc is one metric as the documentation lists it.
type Doc struct {
	Name, Type, Help string
	Labels           []string
}

// Docs lists every metric Pista itself defines, sorted by name: the table
// in docs/operations.md is generated from it, so the two cannot drift.
func (m *Metrics) Docs() []Doc {
	out := slices.Clone(m.docs)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (m *Metrics) document(name, typ, help string, labels ...string) {
	m.docs = append(m.docs, Doc{Name: name, Type: typ, Help: help, Labels: labels})
}

func codeLabel(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return string(rune('0'+code/100)) + string(rune('0'+code/10%10)) + string(rune('0'+code%10))
}

type dbCollector struct {
	db     *store.DB
	now    func() time.Time
	minAge time.Duration

	mu   sync.Mutex
	last store.OpsStats
	at   time.Time
	err  error
}

// dbDescs are the figures read from the database at scrape time.
var dbDescs = []struct {
	name, help string
	labels     []string
}{
	{"pista_sla_clocks", "First-touch SLA clocks open now, by state: pending, due_soon (due within 2 h, counted in pending too), breached (past due and untouched), paused.", []string{"state"}},
	{"pista_timers_overdue", "Timers past their due time and not yet fired.", nil},
	{"pista_timers_oldest_overdue_seconds", "How late the most overdue unfired timer is.", nil},
	{"pista_webhook_deliveries", "Webhook deliveries by state: pending (waiting or retrying), failed (given up).", []string{"state"}},
	{"pista_reevaluation_leads", "The running re-evaluation after a definition was activated, by part: total leads and done so far (0 when none runs).", []string{"part"}},
	{"pista_database_size_bytes", "Size of the database.", nil},
	{"pista_database_up", "1 when the database answered the last state query, 0 when not.", nil},
}

func dbDesc(name string) *prometheus.Desc {
	for _, d := range dbDescs {
		if d.name == name {
			return prometheus.NewDesc(d.name, d.help, d.labels, nil)
		}
	}
	panic("metrics: no description for " + name) // a programming error caught by the tests
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range dbDescs {
		ch <- dbDesc(d.name)
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	if c.at.IsZero() || time.Since(c.at) >= c.minAge {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c.last, c.err = c.db.OpsStats(ctx, c.now())
		cancel()
		c.at = time.Now()
	}
	s, err := c.last, c.err
	c.mu.Unlock()
	g := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	if err != nil {
		g(dbDesc("pista_database_up"), 0)
		return
	}
	g(dbDesc("pista_database_up"), 1)
	g(dbDesc("pista_sla_clocks"), float64(s.ClocksPending), "pending")
	g(dbDesc("pista_sla_clocks"), float64(s.ClocksDueSoon), "due_soon")
	g(dbDesc("pista_sla_clocks"), float64(s.ClocksBreached), "breached")
	g(dbDesc("pista_sla_clocks"), float64(s.ClocksPaused), "paused")
	g(dbDesc("pista_timers_overdue"), float64(s.TimersOverdue))
	g(dbDesc("pista_timers_oldest_overdue_seconds"), s.OldestOverdueTimer.Seconds())
	g(dbDesc("pista_webhook_deliveries"), float64(s.WebhooksPending), "pending")
	g(dbDesc("pista_webhook_deliveries"), float64(s.WebhooksFailed), "failed")
	g(dbDesc("pista_reevaluation_leads"), float64(s.ReevalTotal), "total")
	g(dbDesc("pista_reevaluation_leads"), float64(s.ReevalDone), "done")
	g(dbDesc("pista_database_size_bytes"), float64(s.SizeBytes))
}

const queueHelp = "Writes waiting for the next group commit."
