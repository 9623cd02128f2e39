package intake

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// batchKey is the Idempotency-Key of one POST /api/v1/inquiries/batch.
// The answers of its inquiries are stored together, one row under the
// batch's key, instead of one row per inquiry: per inquiry, a stored row
// cost its writer as much as a sixth of the time (docs/PERFORMANCE.md).
// Each inquiry still has its own key, the batch's with "#" and its
// position, which is how its answer is found in the row, and how batches
// stored one row per inquiry by earlier versions are still answered.
type batchKey struct {
	idem    Idem
	now     time.Time     // when the batch arrived
	answers []batchAnswer // written in this transaction
	stored  bool          // the row exists: found, or written here
}

// batchRowStatus is the status stored with a batch's row: the batch as a
// whole was answered (see storedStatus).
const batchRowStatus = 200

// batchAnswer is one inquiry's stored answer: its status and body, or,
// for an inquiry refused in the write, 422 and the problem's detail and
// fields.
type batchAnswer struct {
	Index  int             `json:"i"`
	Status int             `json:"s"`
	Body   json.RawMessage `json:"b"`
	// evals: where Body shows its lead's evaluation (see encode).
	evals []store.EvalRef
}

// refusal is the stored body of an inquiry refused in the write.
type refusal struct {
	Detail string          `json:"detail"`
	Fields []problem.Field `json:"errors,omitempty"`
}

// itemKey is the key of the inquiry at index in a batch with key key.
func itemKey(key string, index int) string { return key + "#" + strconv.Itoa(index) }

// answered records a batch inquiry's answer, or its refusal.
func (sub *submission) answered() error {
	a := batchAnswer{Index: sub.index, Status: storedStatus(sub.outcome()), Body: sub.body, evals: sub.evalRefs(0)}
	if pe, ok := problem.As(sub.err); ok {
		a.evals = nil
		body, err := json.Marshal(refusal{Detail: pe.Detail, Fields: pe.Fields})
		if err != nil {
			return err
		}
		a.Body = body
	}
	sub.batch.answers = append(sub.batch.answers, a)
	return nil
}

// expand turns a stored batch row into the answers of its inquiries, by
// their own keys.
func (b *batchKey) expand(row *store.Idempotent, into map[idemRef]*store.Idempotent) error {
	var answers []batchAnswer
	if err := json.Unmarshal(row.Body, &answers); err != nil {
		return fmt.Errorf("stored answers of batch %q: %w", b.idem.Key, err)
	}
	for _, a := range answers {
		into[idemRef{b.idem.TokenID, itemKey(b.idem.Key, a.Index)}] = &store.Idempotent{Fingerprint: row.Fingerprint, Status: a.Status, Body: a.Body, CreatedAt: row.CreatedAt}
	}
	return nil
}

// encode is the row of a batch's answers: a JSON array, written by hand
// because encoding/json would check every byte of the bodies again; and
// where in it the answers show their leads' evaluations.
func (b *batchKey) encode() ([]byte, []store.EvalRef) {
	n := 2
	for _, a := range b.answers {
		n += len(a.Body) + 32
	}
	out := append(make([]byte, 0, n), '[')
	var evals []store.EvalRef
	for i, a := range b.answers {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, `{"i":`...)
		out = strconv.AppendInt(out, int64(a.Index), 10)
		out = append(out, `,"s":`...)
		out = strconv.AppendInt(out, int64(a.Status), 10)
		out = append(out, `,"b":`...)
		for _, e := range a.evals {
			e.At += len(out)
			evals = append(evals, e)
		}
		out = append(out, a.Body...)
		out = append(out, '}')
	}
	return append(out, ']'), evals
}

// replayRefusal answers a batch inquiry refused the first time the same
// way.
func (sub *submission) replayRefusal(body []byte) {
	var r refusal
	if err := json.Unmarshal(body, &r); err != nil {
		sub.err = fmt.Errorf("stored refusal of %q: %w", sub.idem.Key, err)
		return
	}
	sub.err = &problem.Error{Kind: problem.Invalid, Detail: r.Detail, Fields: r.Fields}
}
