package intake

import (
	"encoding/json"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/problem"
)

// Outcome is what intake did with a request. The API turns it into a
// status code; the command line and the import count it.
type Outcome int

const (
	Created  Outcome = iota + 1 // a new lead
	Merged                      // added to a known lead
	Accepted                    // events stored; their leads are evaluated soon after
	Updated                     // a lead changed and was evaluated again at once
	Invalid                     // refused: Answer.Problem says why
	// Failed: the database refused an inquiry of a batch on its own;
	// nothing of it was stored, and sending it again writes it.
	Failed
)

// Answer is what intake did with one request and the result to tell its
// sender. A request with an Idempotency-Key has its answer stored in the
// transaction that wrote it; a retry gets the stored answer (Replayed),
// Encoded byte for byte as the first time.
type Answer[R any] struct {
	Outcome  Outcome
	Replayed bool
	// Result is the typed result; nil when Invalid.
	Result R
	// Problem says why an inquiry of a batch was refused (Invalid); a
	// request refused as a whole returns the problem as its error.
	Problem *problem.Error
	// Encoded is Result as JSON, made once, in the write, and stored with
	// it: the API sends these bytes without encoding them again.
	Encoded []byte
}

// Qualified is the result of recording a BANT qualification: the lead and
// its new evaluation. (Fields in this order: the answer was once a map.)
type Qualified struct {
	Evaluation *engine.Result `json:"evaluation"`
	LeadID     int64          `json:"lead_id"`
}

// inquiryAnswer is the answer of an inquiry: created or merged as its
// result says.
func inquiryAnswer(res *InquiryResult, encoded []byte, replayed bool) Answer[*InquiryResult] {
	a := Answer[*InquiryResult]{Outcome: Merged, Replayed: replayed, Result: res, Encoded: encoded}
	if res.Created {
		a.Outcome = Created
	}
	return a
}

// storedStatus is the number an answer is stored with, next to its body:
// the HTTP status the API first sent with it. Stored answers are data;
// these numbers stay as they are whatever the API does later.
func storedStatus(o Outcome) int {
	switch o {
	case Created:
		return 201
	case Accepted:
		return 202
	case Invalid:
		return 422
	default:
		return 200
	}
}

// decodeStored reads back a result that intake encoded itself.
func decodeStored[R any](encoded []byte) R {
	var r R
	json.Unmarshal(encoded, &r) // our own answer
	return r
}
