package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"github.com/pistahq/pista/internal/access"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// idempotency reads the body and the Idempotency-Key: a retry of a POST
// with the same key and body gets the first response byte for byte; the
// same key with another body is refused.
func idempotency(r *http.Request, tok *store.Token) (*intake.Idem, []byte, error) {
	body, err := readAll(r)
	if err != nil {
		return nil, nil, err
	}
	r.Body = &readBody{Reader: bytes.NewReader(body), body: body}
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return nil, body, nil
	}
	if len(key) > 255 {
		return nil, nil, problem.Fields("bad Idempotency-Key", problem.Field{Name: "Idempotency-Key", Reason: "at most 255 characters"})
	}
	if why := lead.TextProblem(key); why != "" {
		return nil, nil, problem.Fields("bad Idempotency-Key", problem.Field{Name: "Idempotency-Key", Reason: why})
	}
	h := sha256.New()
	io.WriteString(h, r.Method+" "+r.URL.Path+"\n")
	h.Write(body)
	return &intake.Idem{TokenID: tok.ID, Key: key, Fingerprint: hex.EncodeToString(h.Sum(nil))}, body, nil
}

// readAll reads the request's body into one buffer the size its
// Content-Length gives (up to 16 MB; the handler's limit still applies),
// instead of growing one step by step from 512 bytes, copying it each
// time: a batch of 100 inquiries is about 60 KB.
func readAll(r *http.Request) ([]byte, error) {
	n := r.ContentLength
	if n <= 0 || n > 16<<20 {
		return io.ReadAll(r.Body)
	}
	buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
	_, err := buf.ReadFrom(r.Body)
	return buf.Bytes(), err
}

// readBody is a request body already read whole (by idempotency), so that
// decoding takes the bytes instead of reading and copying them again.
type readBody struct {
	*bytes.Reader
	body []byte
}

func (*readBody) Close() error { return nil }

// bodyBytes reads the request's body, or takes it if it was read already.
func bodyBytes(r *http.Request) ([]byte, error) {
	if rb, ok := r.Body.(*readBody); ok && rb.Len() == len(rb.body) {
		rb.Seek(0, io.SeekEnd) // taken: a second read finds it consumed, as before
		return rb.body, nil
	}
	return readAll(r)
}

func writeRaw(w http.ResponseWriter, status int, body []byte, replay bool) {
	w.Header().Set("Content-Type", "application/json")
	if replay {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.WriteHeader(status)
	w.Write(body)
}

// writeAnswer sends intake's answer: its status, and its result as intake
// encoded (and stored) it.
func writeAnswer[R any](w http.ResponseWriter, a intake.Answer[R]) {
	writeRaw(w, outcomeStatus(a.Outcome), a.Encoded, a.Replayed)
}

// outcomeStatus is the HTTP status of what intake did.
func outcomeStatus(o intake.Outcome) int {
	switch o {
	case intake.Created:
		return http.StatusCreated
	case intake.Accepted:
		return http.StatusAccepted
	case intake.Invalid:
		return http.StatusUnprocessableEntity
	case intake.Failed:
		return http.StatusInternalServerError
	default: // Merged, Updated
		return http.StatusOK
	}
}

func (s *Server) postInquiry(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	idem, _, err := idempotency(r, tok)
	if err != nil {
		return err
	}
	var in intake.Inquiry
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.Suspicious = nil // only web forms mark submissions
	in.Untrusted = !access.Allows(tok.Role, access.Vouch)
	in.Token = tok.ID
	ans, err := s.svc.Submit(r.Context(), in, idem)
	if err != nil {
		return err
	}
	writeAnswer(w, ans)
	return nil
}

// postInquiryBatch takes {"inquiries": [...]}: up to 1,000 inquiries in one
// request and one group commit, each answered as POST /api/v1/inquiries
// would answer it, in order.
func (s *Server) postInquiryBatch(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	idem, _, err := idempotency(r, tok)
	if err != nil {
		return err
	}
	var in intake.Batch
	raw, err := decodeJSONOnly(r, &in)
	if err != nil {
		return err
	}
	for i := range in.Inquiries {
		in.Inquiries[i].Untrusted = !access.Allows(tok.Role, access.Vouch)
		in.Inquiries[i].Token = tok.ID
	}
	// Text that cannot be stored refuses its inquiry only.
	for _, f := range textProblems(raw, len(in.Inquiries)+1) {
		index, rest, _ := strings.Cut(strings.TrimPrefix(f.Name, "inquiries["), "]")
		i, err := strconv.Atoi(index)
		if err != nil || !strings.HasPrefix(f.Name, "inquiries[") || i < 0 || i >= len(in.Inquiries) {
			return problem.Fields("the request has text that cannot be stored", f)
		}
		f.Name = strings.TrimPrefix(rest, ".")
		in.Inquiries[i].Refused = append(in.Inquiries[i].Refused, f)
	}
	answers, replayed, err := s.svc.SubmitBatch(r.Context(), in.Inquiries, idem)
	if err != nil {
		return err
	}
	if allRefused(answers) {
		// None reached the transaction that checks the token.
		if err := s.confirmToken(r); err != nil {
			return err
		}
	}
	body, err := encodeBatch(answers)
	if err != nil {
		return err
	}
	writeRaw(w, http.StatusOK, append(body, '\n'), replayed)
	return nil
}

func (s *Server) postEvents(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	idem, _, err := idempotency(r, tok)
	if err != nil {
		return err
	}
	var in intake.EventBatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ans, err := s.svc.AddEvents(r.Context(), in.Events, idem)
	if err != nil {
		return err
	}
	writeAnswer(w, ans)
	return nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem.New(problem.NotFound, "%q is not an ID", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) postQualification(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	idem, _, err := idempotency(r, tok)
	if err != nil {
		return err
	}
	var q lead.Qualification
	if err := decodeJSON(r, &q); err != nil {
		return err
	}
	if err := intake.CheckQualification(&q, s.now()); err != nil {
		return err
	}
	// Who qualified is who acts, as for accept, reject and touch: the
	// token's user (by may be left out), or the user by names.
	a, err := s.actor(r, tok, q.By)
	if err != nil {
		return err
	}
	if a.User != nil {
		q.By, q.Role = a.User.Email, a.User.Role
	}
	if tok.UserID != 0 { // out of the user's sight, as in the web app
		if _, err := s.visibleLead(r, tok, id); err != nil {
			return err
		}
	}
	may := func(ctx context.Context, tx *store.Tx, leadID int64) error {
		return s.wf.MayWork(ctx, tx, a, leadID, "recording a BANT qualification")
	}
	ans, err := s.svc.QualifyAs(r.Context(), id, q, idem, may)
	if err != nil {
		return err
	}
	writeAnswer(w, ans)
	return nil
}

func (s *Server) undoMerge(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// The kept lead must be in the token's sight, as for every act on a
	// lead; an unknown merge is left to UndoMerge's 404.
	var kept int64
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		m, err := tx.Merge(r.Context(), id)
		if err == nil {
			kept = m.KeptID
		}
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if kept != 0 {
		if _, err := s.visibleLead(r, tok, kept); err != nil {
			return err
		}
	}
	res, err := s.svc.UndoMerge(r.Context(), id, tok.Name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// allRefused says whether every inquiry of a batch was refused.
func allRefused(answers []intake.Answer[*intake.InquiryResult]) bool {
	for _, a := range answers {
		if a.Outcome != intake.Invalid {
			return false
		}
	}
	return true
}
