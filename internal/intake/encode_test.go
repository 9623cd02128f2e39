package intake

import (
	"bytes"
	"encoding/json"
	"testing"
)

// The spliced encodings must equal what encoding/json writes for the same
// values, so that answers are valid JSON whichever path made them.
func TestSplicedEncodingMatchesEncodingJSON(t *testing.T) {
	eval := json.RawMessage(`{"stage":"mql","explanation":[{"kind":"lead","value":"true"}]}`)
	res := &InquiryResult{LeadID: 7, Created: true, Stage: "mql", Score: 74.5, Band: "caliente", Action: "route", Quality: "ok", Definition: 2, Evaluation: eval}
	got, at, err := marshalResult(res)
	if err != nil {
		t.Fatal(err)
	}
	if at < 0 || !bytes.HasPrefix(got[at:], eval) {
		t.Errorf("marshalResult puts the evaluation at %d of %s", at, got)
	}
	want, _ := json.Marshal(res)
	if !bytes.Equal(got, want) {
		t.Errorf("marshalResult:\n got %s\nwant %s", got, want)
	}
	if string(res.Evaluation) != string(eval) {
		t.Error("marshalResult changed its argument")
	}
	noEval := &InquiryResult{LeadID: 8}
	if got, at, _ := marshalResult(noEval); !json.Valid(got) || bytes.Contains(got, []byte("evaluation")) || at != -1 {
		t.Errorf("without evaluation: %s", got)
	}

	if got := withRaw([]byte(`{}`), "k", []byte(`1`)); string(got) != `{"k":1}` {
		t.Errorf("withRaw on an empty object: %s", got)
	}
}
