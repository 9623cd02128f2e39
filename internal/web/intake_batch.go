package web

import (
	"encoding/json"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/problem"
)

// batchItem is one inquiry's answer in POST /api/v1/inquiries/batch
// without its result, which encodeBatch splices in as intake encoded it.
type batchItem struct {
	Index  int             `json:"index"`
	Status int             `json:"status"`
	Errors []problem.Field `json:"errors,omitempty"`
	Detail string          `json:"detail,omitempty"`
}

// encodeBatch encodes the answer to POST /api/v1/inquiries/batch,
// {"results": [...]}: for each inquiry its index and status, the problem
// that refused it or its result. The results are copied in as they are:
// encoding/json would check every byte of them again.
func encodeBatch(answers []intake.Answer[*intake.InquiryResult]) ([]byte, error) {
	size := 16
	for _, a := range answers {
		size += len(a.Encoded) + 64
	}
	out := make([]byte, 0, size) // grown once: answers are a kilobyte each
	out = append(out, `{"results":[`...)
	for i, a := range answers {
		if i > 0 {
			out = append(out, ',')
		}
		it := batchItem{Index: i, Status: outcomeStatus(a.Outcome)}
		if a.Problem != nil {
			it.Errors, it.Detail = a.Problem.Fields, a.Problem.Detail
		}
		if a.Outcome == intake.Failed {
			it.Detail = "this inquiry could not be stored; send it again"
		}
		b, err := json.Marshal(&it)
		if err != nil {
			return nil, err
		}
		if len(a.Encoded) > 0 {
			out = append(out, b[:len(b)-1]...)
			out = append(out, `,"result":`...)
			out = append(append(out, a.Encoded...), '}')
			continue
		}
		out = append(out, b...)
	}
	return append(out, ']', '}'), nil
}
