package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pistahq/pista/internal/lead"
)

// Event is website behaviour to store: for a known lead, or for an e-mail
// not yet an inquiry (anonymous activity, attached when it becomes one).
type Event struct {
	LeadID int64
	Email  string
	lead.Event
}

// InsertEvents stores events with multi-row INSERTs.
func (tx *Tx) InsertEvents(ctx context.Context, events []Event) error {
	tx.prefetchEventsChanged(0)
	const perStatement = 100 // 5 parameters each, well under both databases' limits
	for len(events) > 0 {
		n := min(len(events), perStatement)
		var b strings.Builder
		b.WriteString(`INSERT INTO events (lead_id, email, type, at, props) VALUES `)
		args := make([]any, 0, n*5)
		for i, e := range events[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?)")
			var props any
			if len(e.Props) > 0 {
				p, err := json.Marshal(e.Props)
				if err != nil {
					return err
				}
				props = string(p)
			}
			args = append(args, nullInt(e.LeadID), nullString(e.Email), e.Type, millis(e.At), props)
		}
		if _, err := tx.exec(ctx, b.String(), args...); err != nil {
			return err
		}
		events = events[n:]
	}
	return nil
}

// maxEventsLoaded bounds what one evaluation reads: the most recent ones.
const maxEventsLoaded = 10_000

// LeadEvents loads a lead's events, oldest first (at most the latest
// 10,000, which is what evaluation looks at).
func (tx *Tx) LeadEvents(ctx context.Context, leadID int64) ([]lead.Event, error) {
	if events, ok := tx.prefetchedEvents(leadID); ok {
		return events, nil
	}
	rows, err := tx.rows(ctx, `SELECT type, at, props FROM events WHERE lead_id = ? ORDER BY at DESC, id DESC LIMIT ?`, leadID, maxEventsLoaded)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lead.Event
	for rows.Next() {
		var (
			e     lead.Event
			at    int64
			props sql.NullString
		)
		if err := rows.Scan(&e.Type, &at, &props); err != nil {
			return nil, err
		}
		e.At = fromMillis(at)
		if props.Valid {
			if err := json.Unmarshal([]byte(props.String), &e.Props); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, rows.Err()
}

// AttachAnonymous gives a lead the anonymous events recorded for its e-mail.
func (tx *Tx) AttachAnonymous(ctx context.Context, email string, leadID int64) (int64, error) {
	tx.prefetchEventsChanged(leadID)
	res, err := tx.exec(ctx, `UPDATE events SET lead_id = ? WHERE lead_id IS NULL AND email = ?`, leadID, email)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// AnonymousEmails returns which of the e-mails have anonymous events
// waiting for their person to become a lead.
func (tx *Tx) AnonymousEmails(ctx context.Context, emails []string) (map[string]bool, error) {
	out := map[string]bool{}
	if tx.db.dialect == Postgres {
		// One statement for any number of addresses.
		if len(emails) == 0 {
			return out, nil
		}
		rows, err := tx.rows(ctx, anonymousEmailsPG, emails)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return out, scanAnonymous(rows, out)
	}
	err := inChunks(emails, func(chunk []string, ph string) error {
		// One index probe per address, stopping at its first event: a
		// visitor may have thousands of anonymous events, and reading them
		// all here would hold up every inquiry in the group commit.
		rows, err := tx.rows(ctx, `SELECT v.column1 FROM (VALUES `+strings.ReplaceAll(ph, "?", "(?)")+`) AS v
			WHERE EXISTS (SELECT 1 FROM events e WHERE e.email = v.column1 AND e.lead_id IS NULL)`, anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return scanAnonymous(rows, out)
	})
	return out, err
}

// anonymousEmailsPG is AnonymousEmails' statement on PostgreSQL: one
// index probe per address, stopping at its first event (a visitor may
// have thousands of anonymous events).
const anonymousEmailsPG = `SELECT v.e FROM unnest(?::text[]) AS v(e)
	WHERE EXISTS (SELECT 1 FROM events x WHERE x.email = v.e AND x.lead_id IS NULL)`

func scanAnonymous(rows rowReader, out map[string]bool) error {
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return err
		}
		out[e] = true
	}
	return rows.Err()
}

// scanLeadEvent reads one row of `SELECT lead_id, type, at, props FROM
// events`, the shape every bulk reader of leads' events uses.
func scanLeadEvent(rows *sql.Rows) (int64, lead.Event, error) {
	var (
		id    int64
		e     lead.Event
		at    int64
		props sql.NullString
	)
	if err := rows.Scan(&id, &e.Type, &at, &props); err != nil {
		return 0, e, err
	}
	e.At = fromMillis(at)
	if props.Valid && props.String != "" {
		if err := json.Unmarshal([]byte(props.String), &e.Props); err != nil {
			return 0, e, fmt.Errorf("event of lead %d: props: %w", id, err)
		}
	}
	return id, e, nil
}
