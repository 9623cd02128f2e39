package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// An inquiry's answer is mostly its lead's evaluation (1.2 of its 1.3 KB),
// which the lead's row holds already: stored again under the answer's
// Idempotency-Key it nearly doubled the bytes an inquiry wrote. So an
// answer is stored with its evaluations cut out, and where they were, of
// which leads and with which hashes listed in its evals column; reading
// it back splices them in again from the leads' rows, or, for a lead
// evaluated again since, from the evaluation kept aside when it was
// replaced (keepEvaluation). Replays stay byte for byte the first answer.

// evalHash names an evaluation in a stored answer's evals.
func evalHash(eval []byte) string {
	sum := sha256.Sum256(eval)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// compactAnswer is body without the evaluations refs name, and the list
// of them ("at lead hash" each, ";" between them; at is the offset in the
// compact body), nil when there is none. A ref that does not match body
// leaves the answer whole.
func compactAnswer(body []byte, refs []EvalRef) ([]byte, any) {
	if len(refs) == 0 {
		return body, nil
	}
	out := make([]byte, 0, len(body))
	var list strings.Builder
	from := 0
	for i, r := range refs {
		if r.At < from || r.At+len(r.Eval) > len(body) || !bytes.Equal(body[r.At:r.At+len(r.Eval)], r.Eval) {
			return body, nil
		}
		out = append(out, body[from:r.At]...)
		if i > 0 {
			list.WriteByte(';')
		}
		list.WriteString(strconv.Itoa(len(out)))
		list.WriteByte(' ')
		list.WriteString(strconv.FormatInt(r.LeadID, 10))
		list.WriteByte(' ')
		list.WriteString(evalHash(r.Eval))
		from = r.At + len(r.Eval)
	}
	return append(out, body[from:]...), list.String()
}

type evalRef struct {
	at   int
	lead int64
	hash string
}

func parseEvals(s string) ([]evalRef, error) {
	var out []evalRef
	for part := range strings.SplitSeq(s, ";") {
		f := strings.Fields(part)
		if len(f) != 3 {
			return nil, fmt.Errorf("stored answer: bad evals %q", s)
		}
		at, err1 := strconv.Atoi(f[0])
		lead, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("stored answer: bad evals %q", s)
		}
		out = append(out, evalRef{at, lead, f[2]})
	}
	return out, nil
}

// rebuildAnswers splices their evaluations back into answers read with
// evals[i] ("" for an answer stored whole): from the leads' rows, with one
// query for all, and, for an evaluation replaced since, from those kept
// aside. An evaluation found in neither (the lead was evaluated again
// after the answer's 24 hours, and the answer not yet expired) is the
// lead's current one.
func (tx *Tx) rebuildAnswers(ctx context.Context, answers []*Idempotent, evals []string) error {
	refs := make([][]evalRef, len(answers))
	var leads []int64
	for i, s := range evals {
		if s == "" {
			continue
		}
		var err error
		if refs[i], err = parseEvals(s); err != nil {
			return err
		}
		for _, r := range refs[i] {
			leads = append(leads, r.lead)
		}
	}
	if len(leads) == 0 {
		return nil
	}
	current := map[int64][]byte{}
	byHash := map[string][]byte{} // lead and hash → evaluation
	read := func(query string, leadRows bool) error {
		return inChunks(leads, func(chunk []int64, ph string) error {
			rows, err := tx.rows(ctx, query+` (`+ph+`)`, anySlice(chunk)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var (
					id   int64
					eval sql.NullString
				)
				if err := rows.Scan(&id, &eval); err != nil {
					return err
				}
				b, err := storedJSON(eval.String)
				if err != nil {
					return fmt.Errorf("evaluation of lead %d: %w", id, err)
				}
				if leadRows {
					current[id] = b
				}
				byHash[strconv.FormatInt(id, 10)+" "+evalHash(b)] = b
			}
			return rows.Err()
		})
	}
	if err := read(`SELECT id, evaluation FROM leads WHERE id IN`, true); err != nil {
		return err
	}
	missing := false
	for i := range answers {
		for _, r := range refs[i] {
			if byHash[strconv.FormatInt(r.lead, 10)+" "+r.hash] == nil {
				missing = true
			}
		}
	}
	if missing {
		if err := read(`SELECT lead_id, evaluation FROM kept_evaluations WHERE lead_id IN`, false); err != nil {
			return err
		}
	}
	for i, a := range answers {
		if len(refs[i]) == 0 {
			continue
		}
		body := make([]byte, 0, len(a.Body)+len(refs[i])*1400)
		from := 0
		for _, r := range refs[i] {
			if r.at < from || r.at > len(a.Body) {
				return fmt.Errorf("stored answer: evaluation of lead %d out of place", r.lead)
			}
			eval := byHash[strconv.FormatInt(r.lead, 10)+" "+r.hash]
			if eval == nil {
				eval = current[r.lead]
			}
			body = append(append(body, a.Body[from:r.at]...), eval...)
			from = r.at
		}
		a.Body = append(body, a.Body[from:]...)
	}
	return nil
}

// keepEvaluation keeps aside the evaluation of a lead about to be
// evaluated again if an answer showed it (answered_leads, or an answer
// stored earlier in this transaction), for rebuildAnswers, and clears the
// mark: evaluations no answer showed are not kept.
func (tx *Tx) keepEvaluation(ctx context.Context, leadID int64, now time.Time) error {
	if shown, err := tx.takeMark(ctx, leadID, now); err != nil || !shown {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO kept_evaluations (lead_id, evaluation, created_at)
		SELECT id, evaluation, ? FROM leads WHERE id = ? AND evaluation IS NOT NULL`, millis(now), leadID)
	return err
}

// keepReplaced is keepEvaluation after the lead was saved, with the
// evaluation the save replaced: the row is written with the
// transaction's other buffered rows.
func (tx *Tx) keepReplaced(ctx context.Context, leadID int64, eval sql.NullString, now time.Time) error {
	if shown, err := tx.takeMark(ctx, leadID, now); err != nil || !shown || !eval.Valid {
		return err
	}
	tx.kept = append(tx.kept, leadID, eval.String, millis(now))
	return nil
}

// takeMark reports whether an answer showed the lead's evaluation, in
// this transaction or in the last 24 hours, and clears the mark. A mark
// read ahead with ReadAnsweredMarks is deleted with the transaction's
// buffered rows, the others at once.
func (tx *Tx) takeMark(ctx context.Context, leadID int64, now time.Time) (bool, error) {
	if _, ok := tx.answered[leadID]; ok {
		delete(tx.answered, leadID)
		return true, nil
	}
	if marked, ok := tx.marks[leadID]; ok {
		if marked {
			tx.marks[leadID] = false
			tx.unmark = append(tx.unmark, leadID)
		}
		return marked, nil
	}
	var id int64
	err := tx.row(ctx, `DELETE FROM answered_leads WHERE lead_id = ? AND answered_at > ? RETURNING lead_id`,
		leadID, millis(now.Add(-IdempotencyWindow))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// ReadAnsweredMarks reads, with one statement, which of the leads the
// transaction is about to save with SaveIfUnchanged an answer of the
// last 24 hours showed, so that saving each does not ask (on SQLite; on
// PostgreSQL the statement that saves a lead asks, see
// keepEvaluationCTE).
func (tx *Tx) ReadAnsweredMarks(ctx context.Context, ks []*KnownLead, now time.Time) error {
	if tx.db.dialect == Postgres {
		return nil
	}
	cutoff := millis(now.Add(-IdempotencyWindow))
	var ids []int64
	for _, k := range ks {
		if _, ok := tx.marks[k.Lead.ID]; !ok && k.updatedAt > cutoff {
			ids = append(ids, k.Lead.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if tx.marks == nil {
		tx.marks = map[int64]bool{}
	}
	return inChunks(ids, func(chunk []int64, ph string) error {
		marked, err := column[int64](tx.rows(ctx, `SELECT lead_id FROM answered_leads WHERE answered_at > ? AND lead_id IN (`+ph+`)`,
			append([]any{cutoff}, anySlice(chunk)...)...))
		if err != nil {
			return err
		}
		for _, id := range chunk {
			tx.marks[id] = false
		}
		for _, id := range marked {
			tx.marks[id] = true
		}
		return nil
	})
}

// deleteTakenMarks deletes the marks takeMark took from those
// ReadAnsweredMarks read, before the marks of this transaction's answers
// are written.
func (tx *Tx) deleteTakenMarks(ctx context.Context) error {
	ids := tx.unmark
	tx.unmark = nil
	return inChunks(ids, func(chunk []int64, ph string) error {
		_, err := tx.exec(ctx, `DELETE FROM answered_leads WHERE lead_id IN (`+ph+`)`, anySlice(chunk)...)
		return err
	})
}

// keepEvaluationCTE wraps update, an UPDATE of lead leadID with its
// args, in a statement that also does what keepEvaluation does, on
// PostgreSQL: one round trip instead of two or three. The statement
// returns the updated lead's ID, so its count of rows is the UPDATE's.
// The evaluation is kept aside, and the mark cleared, only if the UPDATE
// changed the lead: a lead another server changed meanwhile is left as it
// is, with its mark, for the caller to read again and save with
// UpdateLead. The parts of one statement read the rows as they were
// before it, so the evaluation kept is the one the UPDATE replaces; the
// caller clears tx.answered[leadID] once the lead is saved.
func (tx *Tx) keepEvaluationCTE(update string, args []any, leadID int64, now time.Time) (string, []any) {
	var b strings.Builder
	b.WriteString(`WITH saved AS (` + update + ` RETURNING id), `)
	if _, ok := tx.answered[leadID]; ok {
		b.WriteString(`kept AS (INSERT INTO kept_evaluations (lead_id, evaluation, created_at)
			SELECT id, evaluation, ? FROM leads WHERE id IN (SELECT id FROM saved) AND evaluation IS NOT NULL) `)
		args = append(args, millis(now))
	} else {
		b.WriteString(`answered AS (DELETE FROM answered_leads WHERE lead_id IN (SELECT id FROM saved) AND answered_at > ? RETURNING lead_id),
		kept AS (INSERT INTO kept_evaluations (lead_id, evaluation, created_at)
			SELECT id, evaluation, ? FROM leads WHERE id IN (SELECT lead_id FROM answered) AND evaluation IS NOT NULL) `)
		args = append(args, millis(now.Add(-IdempotencyWindow)), millis(now))
	}
	b.WriteString(`SELECT id FROM saved`)
	return b.String(), args
}

// keptRows are evaluations kept aside without reading them from the
// leads: those an answer showed that its own transaction had already
// replaced (see PutIdempotent).
var keptRows = manyRows{head: `INSERT INTO kept_evaluations (lead_id, evaluation, created_at)`, types: []string{"int8", "text", "int8"}}

// wroteEval notes the evaluation the transaction wrote over a lead's
// earlier one, the last it wrote so far (nil: none). A new lead's is not
// noted: until it is evaluated again, answers show the one it has.
func (tx *Tx) wroteEval(leadID int64, eval []byte) {
	if tx.evalWritten == nil {
		tx.evalWritten = map[int64][]byte{}
	}
	tx.evalWritten[leadID] = eval
}

// keepShown keeps aside the evaluations an answer shows that the
// transaction storing it has replaced already: a batch that sends one
// person twice answers the first with the evaluation the second replaced
// in the same transaction, before any answer marked the lead.
func (tx *Tx) keepShown(refs []EvalRef, at time.Time) {
	for _, e := range refs {
		if last, ok := tx.evalWritten[e.LeadID]; ok && !bytes.Equal(last, e.Eval) {
			tx.kept = append(tx.kept, e.LeadID, string(e.Eval), millis(at))
		}
	}
}

// answeredRows marks the leads whose evaluations answers showed.
var answeredRows = manyRows{head: `INSERT INTO answered_leads (lead_id, answered_at)`, types: []string{"int8", "int8"},
	suffix: ` ON CONFLICT (lead_id) DO UPDATE SET answered_at = excluded.answered_at`}

// answeredValues are the rows of the leads answers marked in this
// transaction, in the order of their IDs, and clears them. The marks
// read ahead of those leads are then marks again (see takeMark).
func (tx *Tx) answeredValues() []any {
	if len(tx.answered) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(tx.answered))
	out := make([]any, 0, 2*len(ids))
	for _, id := range ids {
		out = append(out, id, tx.answered[id])
		if _, read := tx.marks[id]; read {
			tx.marks[id] = true // as if read now
		}
	}
	tx.answered = nil
	return out
}
