package intake

import "github.com/pistahq/pista/internal/jsonread"

// DecodeFast reads an inquiry as it is sent (the body of POST
// /api/v1/inquiries) into in as encoding/json would, strictly (unknown
// fields refused), without reflection; or returns false, leaving in
// alone, for encoding/json to read it and name what is wrong (see
// package jsonread). It refuses a key given twice, which the API refuses
// too.
func (in *Inquiry) DecodeFast(doc []byte) bool {
	r := jsonread.New(doc)
	var out Inquiry
	if !out.readJSON(r) || !r.End() {
		return false
	}
	*in = out
	return true
}

func (in *Inquiry) readJSON(r *jsonread.Reader) bool {
	return r.Object(func(key []byte) bool {
		switch string(key) {
		case "person":
			return in.Person.ReadJSON(r)
		case "company":
			return in.Company.ReadJSON(r)
		case "source":
			return in.Source.ReadJSON(r)
		case "action":
			return in.Action.ReadJSON(r)
		}
		return false
	})
}

// Batch is the body of POST /api/v1/inquiries/batch.
type Batch struct {
	Inquiries []Inquiry `json:"inquiries"`
}

// DecodeFast is Inquiry.DecodeFast for a batch.
func (b *Batch) DecodeFast(doc []byte) bool {
	r := jsonread.New(doc)
	var out Batch
	ok := r.Object(func(key []byte) bool {
		return string(key) == "inquiries" && jsonread.Slice(r, &out.Inquiries, (*Inquiry).readJSON)
	})
	if !ok || !r.End() {
		return false
	}
	*b = out
	return true
}

// EventBatch is the body of POST /api/v1/events.
type EventBatch struct {
	Events []EventIn `json:"events"`
}

// DecodeFast is Inquiry.DecodeFast for a batch of events.
func (b *EventBatch) DecodeFast(doc []byte) bool {
	r := jsonread.New(doc)
	var out EventBatch
	ok := r.Object(func(key []byte) bool {
		return string(key) == "events" && jsonread.Slice(r, &out.Events, (*EventIn).readJSON)
	})
	if !ok || !r.End() {
		return false
	}
	*b = out
	return true
}

func (e *EventIn) readJSON(r *jsonread.Reader) bool {
	return r.Object(func(key []byte) bool {
		switch string(key) {
		case "lead_id":
			return r.Int64(&e.LeadID)
		case "email":
			return r.String(&e.Email)
		case "type":
			return r.String(&e.Type)
		case "at":
			return r.Time(&e.At)
		case "props":
			return r.Map(&e.Props)
		}
		return false
	})
}
