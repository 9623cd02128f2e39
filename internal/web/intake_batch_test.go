package web

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/problem"
)

// TestEncodeBatchMatchesEncodingJSON: the spliced batch answer equals what
// encoding/json writes for the same items, so that it is valid JSON
// whichever answers it holds.
func TestEncodeBatchMatchesEncodingJSON(t *testing.T) {
	created := []byte(`{"lead_id":7,"created":true,"stage":"mql","evaluation":{"stage":"mql"}}`)
	answers := []intake.Answer[*intake.InquiryResult]{
		{Outcome: intake.Created, Encoded: created},
		{Outcome: intake.Invalid, Problem: problem.Fields("bad", problem.Field{Name: "person.email", Reason: "not an <e-mail>"})},
		{Outcome: intake.Merged, Replayed: true, Encoded: []byte(`{}`)},
		{Outcome: intake.Invalid, Problem: &problem.Error{Kind: problem.Invalid}},
		{Outcome: intake.Failed},
	}
	got, err := encodeBatch(answers)
	if err != nil {
		t.Fatal(err)
	}
	type item struct {
		Index  int             `json:"index"`
		Status int             `json:"status"`
		Errors []problem.Field `json:"errors,omitempty"`
		Detail string          `json:"detail,omitempty"`
		Result json.RawMessage `json:"result,omitempty"`
	}
	want, _ := json.Marshal(map[string]any{"results": []item{
		{Index: 0, Status: 201, Result: created},
		{Index: 1, Status: 422, Detail: "bad", Errors: answers[1].Problem.Fields},
		{Index: 2, Status: 200, Result: []byte(`{}`)},
		{Index: 3, Status: 422},
		{Index: 4, Status: 500, Detail: "this inquiry could not be stored; send it again"},
	}})
	if !bytes.Equal(got, want) {
		t.Errorf("encodeBatch:\n got %s\nwant %s", got, want)
	}
}
