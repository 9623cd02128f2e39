package intake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/pistahq/pista/internal/jsonappend/jsonappendtest"
)

// strictDecode is how the API read an inquiry before DecodeFast, and
// reads what DecodeFast leaves: encoding/json, unknown fields refused,
// one value only.
func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one value")
	}
	return nil
}

// TestInquiryDecodeFast: Inquiry.DecodeFast and Batch.DecodeFast read
// random inquiries (every field set at random or left zero, as a client
// writes them with encoding/json) as the strict encoding/json decoding
// does, and the same bodies altered at random (see jsonappendtest.Alter)
// either as it does or not at all, leaving the inquiry alone.
func TestInquiryDecodeFast(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	sent, fast := 0, 0
	check := func(name string, b []byte) bool {
		t.Helper()
		var want, got Inquiry
		werr := strictDecode(b, &want)
		ok := got.DecodeFast(b)
		switch {
		case ok && werr != nil:
			t.Fatalf("%s: DecodeFast read what encoding/json refuses (%v)\n%s", name, werr, b)
		case ok && !reflect.DeepEqual(got, want):
			t.Fatalf("%s: DecodeFast\n got %#v\nwant %#v\n%s", name, got, want, b)
		case !ok && !reflect.DeepEqual(got, Inquiry{}):
			t.Fatalf("%s: DecodeFast declined but changed the inquiry: %#v", name, got)
		}
		return ok
	}
	var batch []Inquiry
	for i := range 3000 {
		var in Inquiry
		jsonappendtest.Fill(rng, reflect.ValueOf(&in).Elem(), i%10 == 0)
		in.Suspicious, in.Untrusted, in.Mappings, in.Refused = nil, false, nil, nil // not JSON fields
		b, err := json.Marshal(&in)
		if err != nil {
			continue
		}
		name := fmt.Sprintf("inquiry %d", i)
		if strictDecode(b, &Inquiry{}) == nil {
			sent++
			if check(name, b) {
				fast++
			}
			if len(batch) < 50 {
				batch = append(batch, in)
			}
		}
		for k := range 8 {
			check(fmt.Sprintf("%s altered %d", name, k), jsonappendtest.Alter(rng, b))
		}
	}
	// Whatever a client's encoding/json writes and the API accepts is
	// read fast (json.Marshal writes text that is not UTF-8 as U+FFFD).
	if sent < 1000 || fast != sent {
		t.Errorf("DecodeFast read %d of %d inquiries", fast, sent)
	}

	body, err := json.Marshal(Batch{Inquiries: batch})
	if err != nil {
		t.Fatal(err)
	}
	sameBatch(t, rng, body, (*Batch).DecodeFast)
}

// sameBatch checks a batch's DecodeFast against the strict encoding/json
// decoding: the body must be read, and 400 alterations of it read the same
// or declined, leaving the batch alone.
func sameBatch[T any](t *testing.T, rng *rand.Rand, body []byte, decodeFast func(*T, []byte) bool) {
	t.Helper()
	for k := range 400 {
		b := body
		if k > 0 {
			b = jsonappendtest.Alter(rng, body)
		}
		var want, got, zero T
		werr := strictDecode(b, &want)
		ok := decodeFast(&got, b)
		if k == 0 && !ok {
			t.Fatalf("the batch was not read:\n%s", b)
		}
		if ok && (werr != nil || !reflect.DeepEqual(got, want)) {
			t.Fatalf("batch altered %d: DecodeFast read it, encoding/json: %v, equal %v\n%s", k, werr, reflect.DeepEqual(got, want), b)
		}
		if !ok && !reflect.DeepEqual(got, zero) {
			t.Fatalf("batch altered %d: DecodeFast declined but changed the batch", k)
		}
	}
}

// TestEventBatchDecodeFast: EventBatch.DecodeFast reads batches of random
// events (every field set at random or left zero) as the strict
// encoding/json decoding does, and altered ones the same or not at all.
func TestEventBatchDecodeFast(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	checked := 0
	for round := range 20 {
		var events []EventIn
		for i := range 30 {
			var e EventIn
			jsonappendtest.Fill(rng, reflect.ValueOf(&e).Elem(), i%10 == 0)
			if _, err := json.Marshal(&e); err == nil {
				events = append(events, e)
			}
		}
		body, err := json.Marshal(EventBatch{Events: events})
		if err != nil {
			t.Fatal(err)
		}
		if strictDecode(body, &EventBatch{}) != nil {
			continue // a value encoding/json writes but does not read back
		}
		checked++
		t.Run(fmt.Sprint(round), func(t *testing.T) { sameBatch(t, rng, body, (*EventBatch).DecodeFast) })
	}
	if checked < 10 {
		t.Errorf("only %d of 20 random batches could be read back by encoding/json", checked)
	}
}

// TestInquiryDecodeFastCases: what the API reads differently from a
// stored lead is left to encoding/json: a head count as text or with a
// decimal point (Company's UnmarshalJSON reads them), one beyond 2^53 (it
// would round), a field in other case, a key twice.
func TestInquiryDecodeFastCases(t *testing.T) {
	for _, c := range []struct {
		json string
		fast bool
	}{
		{`{"person":{"email":"ana@acme.co"},"company":{"name":"Acme","employees":120},"action":{"type":"demo_request","at":"2026-12-01T10:00:00-05:00"}}`, true},
		{`{"person":{"email":"ana@acme.co"}}`, true},
		{`{}`, true},
		{`{"company":{"employees":"1.200"}}`, false},
		{`{"company":{"employees":120.0}}`, false},
		{`{"company":{"employees":9007199254740993}}`, false},
		{`{"company":{"Employees":1}}`, false},
		{`{"company":{"name":"a","name":"b"}}`, false},
		{`{"person":{"email":"a@b.co"},"persona":{}}`, false},
		{`{"person":{"email":"a@b.co"}}{}`, false},
	} {
		var want, got Inquiry
		werr := strictDecode([]byte(c.json), &want)
		ok := got.DecodeFast([]byte(c.json))
		if ok != c.fast {
			t.Errorf("%s: read by DecodeFast %v, want %v", c.json, ok, c.fast)
		}
		if ok && (werr != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: DecodeFast %#v, encoding/json %#v (%v)", c.json, got, want, werr)
		}
	}
}

// BenchmarkDecodeInquiry: an inquiry as the API reads it, by the strict
// encoding/json decoding and by DecodeFast.
func BenchmarkDecodeInquiry(b *testing.B) {
	body := []byte(`{"person":{"email":"lucia.gomez@andina.com.co","first_name":"Lucía","last_name":"Gómez","phone":"+57 301 555 0101","title":"Gerente de compras","country":"CO","city":"Medellín"},"company":{"name":"Andina Logística","domain":"andina.com.co","industry":"logistics","employees":850,"country":"CO"},"source":{"format":"web_form","channel":"organic","campaign":"q4-demo"},"action":{"type":"demo_request","at":"2026-12-01T10:00:00-05:00","props":{"form":"demo","page":"/precios"}}}`)
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var in Inquiry
			if err := strictDecode(body, &in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DecodeFast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var in Inquiry
			if !in.DecodeFast(body) {
				b.Fatal("not read")
			}
		}
	})
}

// BenchmarkDecodeEvents: a batch of 100 page views as POST
// /api/v1/events reads it, by the strict encoding/json decoding and by
// EventBatch.DecodeFast.
func BenchmarkDecodeEvents(b *testing.B) {
	var body []byte
	body = append(body, `{"events":[`...)
	for i := range 100 {
		if i > 0 {
			body = append(body, ',')
		}
		body = fmt.Appendf(body, `{"email":"visita%d@andina.com.co","type":"page_view","at":"2026-12-01T10:%02d:00-05:00","props":{"url":"/precios","title":"Precios","seconds":%d}}`, i, i%60, 10+i)
	}
	body = append(body, "]}"...)
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var in EventBatch
			if err := strictDecode(body, &in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DecodeFast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var in EventBatch
			if !in.DecodeFast(body) {
				b.Fatal("not read")
			}
		}
	})
}
