package report_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// BenchmarkReports answers the reports over a database of
// PISTA_REPORT_BENCH_LEADS leads (default 100,000; docs/PERFORMANCE.md
// uses 1,000,000) spread over 2026, five stage changes each on the
// timeline, their report rows current, and a first-touch clock for each
// routed lead. Each sub-benchmark reports its 95th percentile latency.
//
//	PISTA_REPORT_BENCH_LEADS=1000000 go test -run '^$' -bench Reports -benchtime 20x -timeout 60m ./internal/report/
//
// PISTA_REPORT_BENCH_DB names a SQLite file to keep the filled database
// in: a second run with the same file skips the filling (a million leads
// take minutes to write).
func BenchmarkReports(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("PISTA_REPORT_BENCH_LEADS")); err == nil && v > 0 {
		n = v
	}
	targets := []struct {
		name string
		open func(b *testing.B) (*store.DB, *sql.DB, bool)
	}{{"sqlite", keptSQLite}}
	if os.Getenv("PISTA_TEST_POSTGRES_URL") != "" {
		targets = append(targets, struct {
			name string
			open func(b *testing.B) (*store.DB, *sql.DB, bool)
		}{"postgres", keptPostgres})
	}
	ctx := context.Background()
	november := report.Query{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	year := report.Query{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	with := func(q report.Query, fn func(*report.Query)) report.Query { fn(&q); return q }
	for _, target := range targets {
		b.Run(target.name, func(b *testing.B) {
			db, raw, filled := target.open(b)
			if !filled {
				start := time.Now()
				fillReports(b, db, raw, n)
				b.Logf("%s: %d leads, %d timeline entries filled in %v", target.name, n, 5*n, time.Since(start).Round(time.Second))
			}
			rep := report.New(db, noDefinition)
			// A database filled by an earlier version has its segments
			// packed here, before the timings.
			if err := rep.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			cases := []struct {
				name string
				run  func() error
			}{
				{"funnel_month_by_source", func() error {
					_, err := rep.Funnel(ctx, with(november, func(q *report.Query) { q.GroupBy = []string{"source"} }))
					return err
				}},
				{"funnel_year_by_source_month", func() error {
					_, err := rep.Funnel(ctx, with(year, func(q *report.Query) { q.GroupBy = []string{"source", "month"} }))
					return err
				}},
				{"funnel_year_by_owner", func() error {
					_, err := rep.Funnel(ctx, with(year, func(q *report.Query) { q.GroupBy = []string{"owner"} }))
					return err
				}},
				{"funnel_year_filtered_band_campaign", func() error {
					_, err := rep.Funnel(ctx, with(year, func(q *report.Query) {
						q.GroupBy, q.Filters = []string{"campaign"}, map[string][]string{"band": {"A"}, "source": {"web_form", "api"}}
					}))
					return err
				}},
				// Three dimensions: two grouped and a filter, a group and two
				// filters, and a manager's teams beside a grouping.
				{"funnel_year_by_source_month_team", func() error {
					_, err := rep.Funnel(ctx, with(year, func(q *report.Query) {
						q.GroupBy, q.Filters = []string{"source", "month"}, map[string][]string{"team": {"latam"}}
					}))
					return err
				}},
				{"funnel_year_by_owner_team_source", func() error {
					_, err := rep.Funnel(ctx, with(year, func(q *report.Query) {
						q.GroupBy, q.Filters = []string{"owner"}, map[string][]string{"team": {"latam", "brasil"}, "source": {"web_form"}}
					}))
					return err
				}},
				{"funnel_year_manager_by_campaign_band", func() error {
					_, err := rep.Funnel(ctx, with(year, func(q *report.Query) {
						q.GroupBy, q.Scope = []string{"campaign", "band"}, report.Scope{Limited: true, Teams: []string{"europa"}}
					}))
					return err
				}},
				{"flow_month", func() error {
					_, err := rep.Funnel(ctx, with(november, func(q *report.Query) { q.Flow = true }))
					return err
				}},
				{"flow_year_by_week", func() error {
					_, err := rep.Funnel(ctx, with(year, func(q *report.Query) { q.Flow, q.GroupBy = true, []string{"week"} }))
					return err
				}},
				{"bands_month", func() error { _, err := rep.Bands(ctx, november); return err }},
				{"bands_year", func() error { _, err := rep.Bands(ctx, year); return err }},
				// As the API and the web app ask: the active definition's leads.
				{"bands_year_definition", func() error {
					_, err := rep.Bands(ctx, with(year, func(q *report.Query) { q.DefinitionID = 1 }))
					return err
				}},
				{"follow_up_month", func() error { _, err := rep.FollowUp(ctx, november.From, november.To, ""); return err }},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					var lat []time.Duration
					cpu0 := processCPU()
					for b.Loop() {
						t0 := time.Now()
						if err := c.run(); err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t0))
					}
					cpu := processCPU() - cpu0
					slices.Sort(lat)
					p95 := lat[min(len(lat)-1, int(float64(len(lat))*0.95+0.999999)-1)]
					b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
					// Processor time of this process (Pista, and SQLite in it;
					// not the PostgreSQL server) per report: what the machine's
					// other load does not change.
					b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
				})
			}
		})
	}
}

// keptSQLite opens PISTA_REPORT_BENCH_DB when set (filled is true when
// the file existed), else a new database in a temporary directory.
func keptSQLite(b *testing.B) (*store.DB, *sql.DB, bool) {
	path := os.Getenv("PISTA_REPORT_BENCH_DB")
	if path == "" {
		db, raw := benchSQLite(b)
		return db, raw, false
	}
	_, err := os.Stat(path)
	db, raw := openSQLite(b, path)
	return db, raw, err == nil
}

func benchSQLite(b *testing.B) (*store.DB, *sql.DB) {
	return openSQLite(b, filepath.Join(b.TempDir(), "pista.db"))
}

func openSQLite(b *testing.B, path string) (*store.DB, *sql.DB) {
	db := storetest.OpenAt(b, path, 1)[0]
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=synchronous(OFF)")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	return db, raw
}

// keptPostgres opens the schema PISTA_REPORT_BENCH_PG_SCHEMA of
// PISTA_TEST_POSTGRES_URL when set, kept after the run (filled is true
// when it holds report rows already), else a fresh schema.
func keptPostgres(b *testing.B) (*store.DB, *sql.DB, bool) {
	schema := os.Getenv("PISTA_REPORT_BENCH_PG_SCHEMA")
	if schema == "" {
		db, raw := benchPostgres(b, storetest.PostgresURL(b))
		return db, raw, false
	}
	base := os.Getenv("PISTA_TEST_POSTGRES_URL")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
		b.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, raw := benchPostgres(b, u.String())
	var days int
	if err := raw.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM report_leads LIMIT 1) r`).Scan(&days); err != nil {
		b.Fatal(err)
	}
	return db, raw, days > 0
}

func benchPostgres(b *testing.B, url string) (*store.DB, *sql.DB) {
	db, err := store.Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	raw, err := sql.Open("pgx", url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	return db, raw
}

// fillReports writes n leads as the refresher would have left them: lead
// rows, report rows, five stage_changed entries each, and an assignment
// and first-touch clock for each lead sales got. Rates follow the seeds:
// about 30% of inquiries become MQLs, most of those are accepted, a
// quarter of opportunities are won.
func fillReports(b *testing.B, db *store.DB, raw *sql.DB, n int) {
	dialect := db.Dialect()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(15, uint64(n)))
	sources := []string{"web_form", "api", "import", "webinar_list", "purchased_list", "referral", "business_cards", "handwritten_list"}
	countries := []string{"US", "CA", "MX", "BR", "CO", "AR", "CL", "PE", "ES", "GB"}
	teams := []string{"norteamerica", "latam", "brasil", "europa"}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	year := int64(365 * 24 * time.Hour / time.Millisecond)
	const batch = 500
	ph := func(rows, width int) string {
		var sb strings.Builder
		k := 0
		for r := range rows {
			if r > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('(')
			for c := range width {
				if c > 0 {
					sb.WriteByte(',')
				}
				k++
				if dialect == store.Postgres {
					sb.WriteString("$" + strconv.Itoa(k))
				} else {
					sb.WriteByte('?')
				}
			}
			sb.WriteByte(')')
		}
		return sb.String()
	}
	exec := func(tx *sql.Tx, prefix string, width int, vals []any) {
		if len(vals) == 0 {
			return
		}
		if _, err := tx.ExecContext(ctx, prefix+ph(len(vals)/width, width), vals...); err != nil {
			b.Fatal(err)
		}
	}
	var timelineID, clockID int64
	for first := 1; first <= n; first += batch {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		var leads, rows, timeline, assigns, clocks []any
		for id := first; id < min(first+batch, n+1); id++ {
			at := start + rng.Int64N(year)
			src := sources[rng.IntN(len(sources))]
			band := []string{"A", "B", "B", "C", "C", "C"}[rng.IntN(6)]
			team := teams[rng.IntN(len(teams))]
			owner := fmt.Sprintf("rep%02d@pista.example", rng.IntN(24))
			score := rng.Float64() * 100

			// how far it went
			p := map[string]float64{"A": 0.7, "B": 0.3, "C": 0.08}[band]
			depth := 0
			for _, q := range []float64{p, 0.75, 0.45, 0.5, 0.25} {
				if rng.Float64() >= q {
					break
				}
				depth++
			}
			reach := make([]any, 5)
			hours := make([]any, 5)
			t := at
			for i := range depth {
				h := float64(rng.IntN(400)) / 10
				t += int64(h * float64(time.Hour/time.Millisecond))
				reach[i], hours[i] = t, h
			}
			rejected, recycled, cameBack := "", 0, 0
			if depth == 1 && rng.IntN(3) == 0 {
				rejected = []string{"not_a_fit", "no_budget", "wrong_contact", "bad_timing"}[rng.IntN(4)]
				if rng.IntN(2) == 0 {
					recycled, cameBack = 1, rng.IntN(2)
				}
			}
			won, cur := 0.0, ""
			if depth == 5 {
				won, cur = float64(1000*(1+rng.IntN(100))), "USD"
			}
			country := countries[rng.IntN(len(countries))]
			rows = append(rows, id, at, src, fmt.Sprintf("camp-%02d", rng.IntN(20)), fmt.Sprintf("form-%d", rng.IntN(6)), "v1",
				country, team, owner, band, score, 1)
			leads = append(leads, id, "{}", "inquiry", band, team, score, country, src, owner, at, at)
			rows = append(rows, reach...)
			rows = append(rows, hours...)
			rows = append(rows, rejected, recycled, cameBack, 0, won, cur)
			for k := range 5 {
				timelineID++
				timeline = append(timeline, timelineID, id, at+int64(k)*60_000, "stage_changed", `{"from":"inquiry","to":"mql"}`)
			}
			if depth >= 1 {
				assigns = append(assigns, id, id, team, "routing", "{}", "open", at)
				clockID++
				due := at + 2*24*3600*1000
				var touched any
				status := "breached"
				if rng.IntN(3) > 0 {
					tt := at + rng.Int64N(4*24*3600*1000)
					touched = tt
					if tt <= due {
						status = "met"
					}
				}
				clocks = append(clocks, clockID, id, id, team, "mql", "", at, due, status, touched)
			}
		}
		exec(tx, `INSERT INTO leads (id, data, stage, band, team, score, country, source_format, owner, created_at, updated_at) VALUES `, 11, leads)
		exec(tx, `INSERT INTO report_leads (lead_id, inquiry_at, source, campaign, form, version, country, team, owner, band, score, definition_id,
			mql_at, sal_at, sql_at, opportunity_at, won_at, h_mql, h_sal, h_sql, h_opportunity, h_won,
			rejected, recycled, came_back, converted, won_amount, won_currency) VALUES `, 28, rows)
		for i := 0; i < len(timeline); i += 500 * 5 {
			exec(tx, `INSERT INTO timeline (id, lead_id, at, kind, data) VALUES `, 5, timeline[i:min(i+500*5, len(timeline))])
		}
		exec(tx, `INSERT INTO assignments (id, lead_id, team, actor, reason, status, at) VALUES `, 7, assigns)
		exec(tx, `INSERT INTO clocks (id, lead_id, assignment_id, team, policy, calendar, started_at, due_at, status, touched_at) VALUES `, 10, clocks)
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	// The rows are current with the timeline, as the refresher leaves them.
	if _, err := raw.ExecContext(ctx, `UPDATE report_state SET value = `+strconv.FormatInt(timelineID, 10)+` WHERE name = 'timeline_id'`); err != nil {
		b.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	// The days, as the refresher keeps them.
	if err := db.RebuildReportSegments(ctx); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRefresh rebuilds the report rows of PISTA_REPORT_BENCH_LEADS
// leads (default 100,000) from their timelines (five stage changes
// each): what a first start after an upgrade, or a large import, costs.
//
//	go test -run '^$' -bench Refresh -benchtime 1x ./internal/report/
func BenchmarkRefresh(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("PISTA_REPORT_BENCH_LEADS")); err == nil && v > 0 {
		n = v
	}
	db, raw := benchSQLite(b)
	fillReports(b, db, raw, n)
	rep := report.New(db, noDefinition)
	var total time.Duration
	for b.Loop() {
		if _, err := raw.Exec(`UPDATE report_state SET value = 0 WHERE name = 'timeline_id'`); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := rep.Refresh(context.Background()); err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
	}
	b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "leads/s")
}

// processCPU is the processor time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
