package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// ceilingColumns are the leads columns the ceiling writes: every one
// Pista writes, but the company (the ceiling has no companies table to
// refer to).
const ceilingColumns = `email, phone, data, qualification, evaluation, stage, band, action, team, quality, score,
	country, source_format, owner, search, definition_id, external_id, created_at, updated_at`

// leadRows reads the leads the instances stored, as the ceiling inserts
// them again.
func leadRows(ctx context.Context, admin *sql.DB, schema string) ([][]any, error) {
	rows, err := admin.QueryContext(ctx, `SELECT `+ceilingColumns+` FROM `+schema+`.leads ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	width := strings.Count(ceilingColumns, ",") + 1
	var out [][]any
	for rows.Next() {
		row := make([]any, width)
		ptrs := make([]any, width)
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// ceiling is what PostgreSQL takes of the same leads without Pista: one
// client sending plain multi-row INSERTs of --batch-inquiries rows each,
// each its own durable transaction, into a freshly migrated schema (the
// same table and indexes), for the duration. Rows are sent again with
// their e-mail and external ID made unique when they run out.
func (c *benchConfig) ceiling(ctx context.Context, admin *sql.DB, rows [][]any) (benchFigure, error) {
	f := benchFigure{Setup: "ceiling: multi-row INSERTs"}
	if len(rows) == 0 {
		return f, fmt.Errorf("the ceiling has no rows: the instances stored no lead")
	}
	schema, dbURL, err := freshSchema(ctx, admin, c.db)
	if err != nil {
		return f, err
	}
	defer admin.ExecContext(context.WithoutCancel(ctx), "DROP SCHEMA "+schema+" CASCADE")
	if out, err := exec.CommandContext(ctx, c.pista, "migrate", "--db", dbURL).CombinedOutput(); err != nil {
		return f, fmt.Errorf("pista migrate: %v: %s", err, out)
	}
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return f, err
	}
	defer db.Close()
	width := len(rows[0])
	var q strings.Builder
	q.WriteString(`INSERT INTO leads (` + ceilingColumns + `) VALUES `)
	for r := range c.batch {
		if r > 0 {
			q.WriteByte(',')
		}
		q.WriteByte('(')
		for col := range width {
			if col > 0 {
				q.WriteByte(',')
			}
			q.WriteString("$" + strconv.Itoa(r*width+col+1))
		}
		q.WriteByte(')')
	}
	stmt, err := db.PrepareContext(ctx, q.String())
	if err != nil {
		return f, err
	}
	defer stmt.Close()
	args := make([]any, 0, c.batch*width)
	next, pass, inserted := 0, 0, 0
	pg0 := postgresCPU()
	start := time.Now()
	for time.Since(start) < c.duration && ctx.Err() == nil {
		args = args[:0]
		for range c.batch {
			if next == len(rows) {
				next, pass = 0, pass+1
			}
			row := rows[next]
			next++
			args = append(args, row...)
			if pass > 0 {
				i := len(args) - width
				args[i] = unique(args[i], pass)       // email
				args[i+16] = unique(args[i+16], pass) // external_id
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return f, fmt.Errorf("ceiling insert: %w", err)
		}
		inserted += c.batch
	}
	f.PerS = float64(inserted) / time.Since(start).Seconds()
	f.PGCPU = (postgresCPU() - pg0) / float64(inserted) * 1000
	return f, nil
}

// unique makes a copied e-mail or external ID differ from the pass before.
func unique(v any, pass int) any {
	switch s := v.(type) {
	case string:
		return strconv.Itoa(pass) + "." + s
	case []byte:
		return strconv.Itoa(pass) + "." + string(s)
	}
	return v
}

// cpuOf is the processor time, in seconds, the processes have used.
func cpuOf(pids []int) float64 {
	var total float64
	for _, pid := range pids {
		total += procCPU(pid)
	}
	return total
}

// postgresCPU is the processor time of every postgres process on this
// machine: the database server the instances share (with whatever else
// uses it meanwhile).
func postgresCPU() float64 {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var total float64
	for _, d := range dirs {
		comm, err := os.ReadFile(filepath.Join(d, "comm"))
		if err != nil || !strings.HasPrefix(string(comm), "postgres") {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(d))
		total += procCPU(pid)
	}
	return total
}

// procCPU reads a process's user and system time from /proc (0 where
// there is no /proc).
func procCPU(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command, which is in parentheses and may hold spaces.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100 // clock ticks of 10 ms on Linux
}

func runtimeCPUs() int { return runtime.NumCPU() }

// writeBench prints each run's figures, the medians and the ratios.
func writeBench(w io.Writer, c *benchConfig, figures [][]benchFigure) {
	cols := len(figures[0])
	med := make([]benchFigure, cols)
	for col := range cols {
		var per, pc, gc []float64
		for _, row := range figures {
			per, pc, gc = append(per, row[col].PerS), append(pc, row[col].PistaCPU), append(gc, row[col].PGCPU)
			med[col].Failed += row[col].Failed
		}
		med[col].Setup, med[col].Instances = figures[0][col].Setup, figures[0][col].Instances
		med[col].PerS, med[col].PistaCPU, med[col].PGCPU = median(per), median(pc), median(gc)
	}
	one, ceil := med[0].PerS, med[1].PerS
	if c.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"runs": figures, "median": med,
			"one_instance_vs_ceiling": one / ceil})
		return
	}
	fmt.Fprintf(w, "PostgreSQL scale-out: batches of %d, %d clients in all, %s per figure, %d runs, GOMAXPROCS %s, pinned %v\n\n",
		c.batch, c.concurrency, c.duration, c.runs, orDefault(c.gomaxprocs), c.pin)
	fmt.Fprintf(w, "%-28s %12s %10s %8s %14s %14s\n", "setup", "median /s", "runs", "failed", "pista cpu/1k", "postgres cpu/1k")
	for col, m := range med {
		var runs []string
		for _, row := range figures {
			runs = append(runs, fmt.Sprintf("%.0f", row[col].PerS))
		}
		fmt.Fprintf(w, "%-28s %12.0f %10s %8d %13.2fs %13.2fs\n", m.Setup, m.PerS, strings.Join(runs, "/"), m.Failed, m.PistaCPU, m.PGCPU)
	}
	fmt.Fprintf(w, "\n1 instance / ceiling: %.2f\n", one/ceil)
	for _, m := range med {
		if m.Instances > 0 && m.Instances != med[0].Instances {
			fmt.Fprintf(w, "%d instances / %d: %.2f\n", m.Instances, med[0].Instances, m.PerS/one)
		}
	}
}

func orDefault(n int) string {
	if n == 0 {
		return "default"
	}
	return strconv.Itoa(n)
}
