package web

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
)

type apiFunc = func(http.ResponseWriter, *http.Request, *store.Token) error

// keyed gives the administrative POSTs (definitions, activation, undoing a
// merge) the same Idempotency-Key promise as intake: a retry with the same
// key and body gets the first answer byte for byte; another body gets 422.
// These are rare and slow operations, so the answer is stored right after
// the operation commits rather than inside its transaction; two retries
// racing each other may both run it.
func (s *Server) keyed(h apiFunc) apiFunc {
	return func(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
		idem, _, err := idempotency(r, tok)
		if err != nil || idem == nil {
			if err != nil {
				return err
			}
			return h(w, r, tok)
		}
		var prev *store.Idempotent
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			p, err := tx.Idempotent(r.Context(), idem.TokenID, idem.Key)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			prev = p
			return err
		})
		if err != nil {
			return err
		}
		if prev != nil {
			if prev.Fingerprint != idem.Fingerprint {
				return intake.ErrIdemMismatch
			}
			writeRaw(w, prev.Status, prev.Body, true)
			return nil
		}
		rec := &recorder{header: w.Header()}
		if err := h(rec, r, tok); err != nil {
			return err // failures are not stored: the client may fix and retry
		}
		err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
			return tx.PutIdempotent(r.Context(), idem.TokenID, idem.Key, &store.Idempotent{
				Fingerprint: idem.Fingerprint, Status: rec.status, Body: rec.body.Bytes(), CreatedAt: s.now()})
		})
		if err != nil && !store.IsConflict(err) {
			return err
		}
		w.WriteHeader(rec.status)
		w.Write(rec.body.Bytes())
		return nil
	}
}

// recorder captures a response so it can be stored before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
