package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/pistahq/pista/internal/lead"
)

// prefetch holds leads, with their events, read for a group of inquiries
// in one statement (PrefetchLeads), so that LeadBy, LeadToReevaluate and
// LeadEvents answer from memory instead of a round trip to PostgreSQL for
// each known person.
//
// An answer is given from memory only while it is still what the database
// would answer: each lead is handed out once, and a lookup by a value that
// a lead written in this transaction since then had or has (dirty) goes to
// the database. A lead not among those read did not have any value asked
// for (they were all read), so writing it can only change the answers for
// its new values, which are marked dirty when it is written.
type prefetch struct {
	found map[string]int64 // column and value → the lead found; 0: none
	leads map[int64]*prefetched
	dirty map[string]bool // column and value: ask the database
}

type prefetched struct {
	row                  leadRow
	events               []lead.Event
	leadUsed, eventsUsed bool
}

// prefetchKey names a lookup: a column and a value.
func prefetchKey(column, value string) string { return column + "\x00" + value }

// PrefetchLeads reads, on PostgreSQL, the live leads with these e-mails,
// phones or external IDs, and the latest events of each, in one
// statement, locking the leads as LeadBy does (in the order of their
// IDs). Until DropPrefetch, LeadBy, LeadToReevaluate and LeadEvents
// answer for them without asking the database again. On SQLite, where a
// query costs no round trip, it does nothing.
func (tx *Tx) PrefetchLeads(ctx context.Context, emails, phones, externalIDs []string) error {
	tx.pre = nil
	if tx.db.dialect != Postgres || len(emails)+len(phones)+len(externalIDs) == 0 {
		return nil
	}
	// The events: as LeadEvents reads them, oldest first of the latest
	// maxEventsLoaded, each as [type, at, props].
	rows, err := tx.rows(ctx, `SELECT `+leadColumns+`, `+partialColumns+`,
			(SELECT json_agg(json_build_array(e.type, e.at, e.props) ORDER BY e.at, e.id)
				FROM (SELECT type, at, props, id FROM events WHERE lead_id = leads.id ORDER BY at DESC, id DESC LIMIT ?) e)
		FROM leads
		WHERE id IN (SELECT id FROM leads WHERE email = ANY(?::text[])
			UNION SELECT id FROM leads WHERE phone = ANY(?::text[])
			UNION SELECT id FROM leads WHERE external_id = ANY(?::text[]))
		AND merged_into IS NULL ORDER BY id FOR NO KEY UPDATE`, maxEventsLoaded, emails, phones, externalIDs)
	if err != nil {
		return err
	}
	defer rows.Close()
	p := &prefetch{found: map[string]int64{}, leads: map[int64]*prefetched{}, dirty: map[string]bool{}}
	for column, values := range map[string][]string{"email": emails, "phone": phones, "external_id": externalIDs} {
		for _, v := range values {
			p.found[prefetchKey(column, v)] = 0
		}
	}
	for rows.Next() {
		pl := &prefetched{}
		var events sql.NullString
		if err := rows.Scan(append(pl.row.dest(true), &events)...); err != nil {
			return err
		}
		if events.Valid {
			if pl.events, err = decodeEvents(events.String); err != nil {
				return fmt.Errorf("lead %d events: %w", pl.row.id, err)
			}
		}
		p.leads[pl.row.id] = pl
		// Rows come in ID order: a phone keeps the oldest lead's, as
		// LeadByPhone finds.
		for column, v := range pl.row.identities() {
			if k := prefetchKey(column, v); v != "" && p.found[k] == 0 {
				if _, asked := p.found[k]; asked {
					p.found[k] = pl.row.id
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	tx.pre = p
	return nil
}

// DropPrefetch forgets what PrefetchLeads read.
func (tx *Tx) DropPrefetch() { tx.pre = nil }

// identities are the row's lookup values by column.
func (row *leadRow) identities() map[string]string {
	return map[string]string{"email": row.email.String, "phone": row.phone.String, "external_id": row.external.String}
}

// decodeEvents reads the [type, at, props] arrays of PrefetchLeads.
func decodeEvents(text string) ([]lead.Event, error) {
	var raw [][3]json.RawMessage
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, err
	}
	out := make([]lead.Event, len(raw))
	for i, r := range raw {
		var (
			at    int64
			props *string
		)
		if err := json.Unmarshal(r[0], &out[i].Type); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(r[1], &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(r[2], &props); err != nil {
			return nil, err
		}
		out[i].At = fromMillis(at)
		if props != nil {
			if err := json.Unmarshal([]byte(*props), &out[i].Props); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// prefetchedLead answers LeadBy from what PrefetchLeads read, if it still
// may: ok is false when the database must be asked.
func (tx *Tx) prefetchedLead(by, value string, partial bool) (l *Lead, ok bool, err error) {
	p := tx.pre
	if p == nil || p.dirty[prefetchKey(by, value)] {
		return nil, false, nil
	}
	id, asked := p.found[prefetchKey(by, value)]
	switch {
	case !asked:
		return nil, false, nil
	case id == 0:
		return nil, true, ErrNotFound
	}
	pl := p.leads[id]
	if pl.leadUsed {
		return nil, false, nil
	}
	pl.leadUsed = true
	for column, v := range pl.row.identities() {
		p.dirty[prefetchKey(column, v)] = true // the caller may change it
	}
	l, err = pl.row.lead(partial)
	return l, true, err
}

// prefetchedEvents answers LeadEvents from what PrefetchLeads read, once
// per lead.
func (tx *Tx) prefetchedEvents(leadID int64) ([]lead.Event, bool) {
	if tx.pre == nil {
		return nil, false
	}
	pl := tx.pre.leads[leadID]
	if pl == nil || pl.eventsUsed {
		return nil, false
	}
	pl.eventsUsed = true
	return pl.events, true
}

// prefetchWrote notes that a lead was written: lookups by the values it
// has now (and had, if it was read ahead) go to the database.
func (tx *Tx) prefetchWrote(l *Lead) {
	p := tx.pre
	if p == nil {
		return
	}
	if pl := p.leads[l.ID]; pl != nil {
		pl.leadUsed = true
		for column, v := range pl.row.identities() {
			p.dirty[prefetchKey(column, v)] = true
		}
	}
	for column, v := range map[string]string{"email": l.Email, "phone": l.Phone, "external_id": l.ExternalID} {
		if v != "" {
			p.dirty[prefetchKey(column, v)] = true
		}
	}
}

// prefetchEventsChanged notes that a lead's events changed (leadID 0:
// any lead's).
func (tx *Tx) prefetchEventsChanged(leadID int64) {
	if tx.pre == nil {
		return
	}
	if leadID == 0 {
		for _, pl := range tx.pre.leads {
			pl.eventsUsed = true
		}
		return
	}
	if pl := tx.pre.leads[leadID]; pl != nil {
		pl.eventsUsed = true
	}
}
