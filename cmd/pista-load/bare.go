package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/intake"
)

// bareHTTP is the HTTP ceiling (`pista-load bare-http`): a plain net/http
// server that does for POST /api/v1/inquiries what any Go JSON API does,
// and nothing of Pista's: it reads the body, checks that a bearer token
// was sent, decodes the inquiry strictly into the type Pista decodes it
// into, the way Pista decodes it, and answers 201 with a small JSON
// object. It stores nothing. POST /api/v1/inquiries/batch decodes
// {"inquiries": [...]} the same way.
func bareHTTP(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("pista-load bare-http", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:18099", "listen address")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: bareHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func bareHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("POST /api/v1/inquiries", func(w http.ResponseWriter, r *http.Request) {
		var in intake.Inquiry
		bareDecode(w, r, &in, `{"lead_id":1,"created":true}`)
	})
	mux.HandleFunc("POST /api/v1/inquiries/batch", func(w http.ResponseWriter, r *http.Request) {
		var in intake.Batch
		bareDecode(w, r, &in, `{"inquiries":[]}`)
	})
	return mux
}

func bareDecode(w http.ResponseWriter, r *http.Request, v any, answer string) {
	if !strings.HasPrefix(strings.ToLower(r.Header.Get("Authorization")), "bearer ") {
		http.Error(w, `{"title":"no token"}`, http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	// Decoded as Pista decodes it: without reflection where it can be
	// (intake.Inquiry.DecodeFast), else strictly by encoding/json.
	fast, _ := v.(interface{ DecodeFast([]byte) bool })
	if err == nil && (fast == nil || !fast.DecodeFast(body)) {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		err = dec.Decode(v)
	}
	if err != nil {
		http.Error(w, `{"title":"bad JSON"}`, http.StatusUnprocessableEntity)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	io.WriteString(w, answer)
}
