package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/pistahq/pista/internal/problem"
)

// problemBody is RFC 9457 problem details, with the bad fields listed.
type problemBody struct {
	Type     string          `json:"type"`
	Title    string          `json:"title"`
	Status   int             `json:"status"`
	Detail   string          `json:"detail,omitempty"`
	Instance string          `json:"instance,omitempty"`
	Errors   []problem.Field `json:"errors,omitempty"`
	// RequestID is also in the X-Request-Id header and the server's log.
	RequestID string `json:"request_id,omitempty"`
}

var kinds = map[problem.Kind]struct {
	status int
	title  string
}{
	problem.Invalid:          {http.StatusUnprocessableEntity, "Invalid request"},
	problem.NotFound:         {http.StatusNotFound, "Not found"},
	problem.Conflict:         {http.StatusConflict, "Conflict"},
	problem.Forbidden:        {http.StatusForbidden, "Forbidden"},
	problem.Unauthorized:     {http.StatusUnauthorized, "Unauthorized"},
	problem.TooLarge:         {http.StatusRequestEntityTooLarge, "Request too large"},
	problem.MethodNotAllowed: {http.StatusMethodNotAllowed, "Method not allowed"},
	problem.UnsupportedMedia: {http.StatusUnsupportedMediaType, "Unsupported media type"},
	problem.TooMany:          {http.StatusTooManyRequests, "Too many requests"},
}

// writeProblem answers with problem JSON; errors that are not user errors
// become a generic 500 (the cause is logged by the caller, never shown).
func writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	body := problemBody{Type: "about:blank", Status: 500, Title: "Internal Server Error", Detail: "something went wrong on our side; it was logged", Instance: r.URL.Path, RequestID: RequestID(r.Context())}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = problem.New(problem.TooLarge, "the request body is over the limit of %d bytes", mbe.Limit)
	}
	if pe, ok := problem.As(err); ok {
		k := kinds[pe.Kind]
		body.Status, body.Title, body.Detail, body.Errors = k.status, k.title, pe.Detail, pe.Fields
		body.Type = "https://pista.dev/problems/" + strings.ToLower(strings.ReplaceAll(k.title, " ", "-"))
	}
	setRetryAfter(w, err)
	if body.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pista"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(body.Status)
	json.NewEncoder(w).Encode(body)
}

// decodeJSON reads a JSON body strictly: unknown fields and trailing data
// are errors naming the field, so a typo is never silently dropped.
func decodeJSON(r *http.Request, v any) error {
	body, err := decodeJSONOnly(r, v)
	if err != nil {
		return err
	}
	return checkBodyText(body)
}

// fastDecoder is a body type that can read itself without reflection
// (intake.Inquiry, intake.Batch, intake.EventBatch): as encoding/json would, or not at all,
// leaving the body to encoding/json, whose errors name what is wrong.
type fastDecoder interface {
	DecodeFast(doc []byte) bool
}

// decodeJSONOnly is decodeJSON without the check of the body's text, for
// a caller that refuses bad text per item (see textProblems); it returns
// the body.
func decodeJSONOnly(r *http.Request, v any) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil, problem.New(problem.UnsupportedMedia, "send JSON with Content-Type: application/json (got %q)", ct)
	}
	body, err := bodyBytes(r)
	if err != nil {
		return nil, err // over the size limit: 413
	}
	if f, ok := v.(fastDecoder); ok && f.DecodeFast(body) {
		return body, nil // it refuses a key given twice: duplicateKey would find none
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, problem.New(problem.Invalid, "the body is not valid JSON (at byte %d): it ends before the JSON value does; was it cut short?", len(body))
		}
		var se *json.SyntaxError
		if !errors.As(err, &se) && len(bytes.TrimSpace(body)) > 0 {
			if path, why := locate(body, reflect.TypeOf(v), ""); path != "" {
				return nil, problem.Fields("the body does not fit the request", problem.Field{Name: path, Reason: why})
			}
		}
		return nil, jsonProblem(err)
	}
	if dec.More() {
		return nil, problem.New(problem.Invalid, "the body has more than one JSON value")
	}
	if path := duplicateKey(body); path != "" {
		return nil, problem.Fields("the body has a key twice", problem.Field{Name: path, Reason: "given twice; send each key once"})
	}
	return body, nil
}

func jsonProblem(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return problem.Fields("the body has a value of the wrong type", problem.Field{Name: te.Field, Reason: "want " + jsonType(te.Type.Kind().String()) + ", got JSON " + te.Value})
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return problem.New(problem.Invalid, "the body is not valid JSON (at byte %d): %v", se.Offset, err)
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return problem.Fields("the body has a field Pista does not know", problem.Field{Name: strings.Trim(f, `"`), Reason: "unknown field (see /api/v1/openapi.json)"})
	}
	if msg == "EOF" {
		return problem.New(problem.Invalid, "the body is empty; send a JSON object")
	}
	return problem.New(problem.Invalid, "the body could not be read: %s", strings.TrimPrefix(msg, "json: "))
}

func jsonType(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "string":
		return "text"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return kind
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}
