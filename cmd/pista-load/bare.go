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
//
// With --store and --store-from it is the least a durable intake does
// (the "stored" bound of `pista-load ratios`): after decoding, each
// inquiry's lead row is written, and the answer waits for its commit. The
// rows are leads a Pista database stored (--store-from), inserted again
// into the migrated database --store (Pista's schema, indexes and, on
// SQLite, pragmas) as the storage ceiling inserts them: on SQLite one
// prepared INSERT a row (store.CeilingInserter), on PostgreSQL multi-row
// INSERTs (pgInserter), as Pista writes there. One goroutine writes, in
// one transaction, whatever queued up while the last group committed, as
// Pista's writer does. No server that answers only after storing the lead
// can be faster on the same machine.
func bareHTTP(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("pista-load bare-http", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:18099", "listen address")
	into := fs.String("store", "", "a migrated database (SQLite file or PostgreSQL URL) to store each inquiry's lead row in before answering")
	from := fs.String("store-from", "", "with --store: the Pista database whose leads rows are stored again")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if (*into == "") != (*from == "") {
		return fmt.Errorf("%w: --store and --store-from go together", errUsage)
	}
	var store func(n int) error
	if *into != "" {
		s, err := openStored(ctx, *into, *from)
		if err != nil {
			return err
		}
		defer s.close()
		store = s.store
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: bareHandler(store), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// bareHandler answers as bareHTTP does; with store, each request's
// inquiries are stored (store(n) returns once they are committed) before
// the answer.
func bareHandler(store func(n int) error) http.Handler {
	if store == nil {
		store = func(int) error { return nil }
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("POST /api/v1/inquiries", func(w http.ResponseWriter, r *http.Request) {
		var in intake.Inquiry
		bareDecode(w, r, &in, func() error { return store(1) }, `{"lead_id":1,"created":true}`)
	})
	mux.HandleFunc("POST /api/v1/inquiries/batch", func(w http.ResponseWriter, r *http.Request) {
		var in intake.Batch
		bareDecode(w, r, &in, func() error { return store(len(in.Inquiries)) }, `{"inquiries":[]}`)
	})
	return mux
}

func bareDecode(w http.ResponseWriter, r *http.Request, v any, store func() error, answer string) {
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
	if err := store(); err != nil {
		http.Error(w, `{"title":"not stored"}`, http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	io.WriteString(w, answer)
}
