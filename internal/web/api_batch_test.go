package web_test

import (
	"encoding/json"
	"testing"
)

// TestAPIInquiryBatch: many inquiries in one request, each answered as the
// single call would, a bad one not stopping the others, retries replayed.
func TestAPIInquiryBatch(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		again := laura()
		again["person"].(map[string]any)["email"] = "LAURA.CHEN@helixbio.com"
		bad := laura()
		delete(bad["person"].(map[string]any), "email")
		delete(bad["person"].(map[string]any), "phone")
		other := laura()
		other["person"].(map[string]any)["email"] = "marc@nordpharma.ca"
		other["person"].(map[string]any)["phone"] = "+1 416 555 0199"
		body := map[string]any{"inquiries": []any{laura(), again, bad, other}}
		first := e.call("integration", "POST", "/api/v1/inquiries/batch", body, "Idempotency-Key", "batch-1")
		if first.Status != 200 {
			t.Fatalf("batch: %d %s", first.Status, first.Body)
		}
		var out struct {
			Results []struct {
				Index  int `json:"index"`
				Status int `json:"status"`
				Result struct {
					LeadID   int64  `json:"lead_id"`
					Created  bool   `json:"created"`
					MergedBy string `json:"merged_by"`
				} `json:"result"`
				Errors []struct{ Name string } `json:"errors"`
			} `json:"results"`
		}
		if err := json.Unmarshal(first.Body, &out); err != nil || len(out.Results) != 4 {
			t.Fatalf("%v %s", err, first.Body)
		}
		r := out.Results
		if r[0].Status != 201 || !r[0].Result.Created || r[1].Status != 200 || r[1].Result.MergedBy != "email" ||
			r[1].Result.LeadID != r[0].Result.LeadID || r[2].Status != 422 || len(r[2].Errors) == 0 || r[3].Status != 201 {
			t.Errorf("results %s", first.Body)
		}
		retry := e.call("integration", "POST", "/api/v1/inquiries/batch", body, "Idempotency-Key", "batch-1")
		if retry.Status != 200 || string(retry.Body) != string(first.Body) || retry.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry: %d %s\nfirst: %s", retry.Status, retry.Body, first.Body)
		}
		body["inquiries"] = []any{laura()}
		checkProblem(t, e.call("integration", "POST", "/api/v1/inquiries/batch", body, "Idempotency-Key", "batch-1"), 422)
		checkProblem(t, e.call("integration", "POST", "/api/v1/inquiries/batch", map[string]any{"inquiries": []any{}}), 422, "inquiries")
		if leads := e.leads(""); len(leads) != 2 {
			t.Errorf("%d leads, want 2", len(leads))
		}
	})
}
