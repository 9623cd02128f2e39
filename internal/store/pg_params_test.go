package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/pistahq/pista/internal/testenv"
)

// TestSizeHint checks that a statement's arguments, the first wrapped in
// a sizeHint, encode to the same bytes as without it, and that the buffer
// is grown once, before the first, to hold them all.
func TestSizeHint(t *testing.T) {
	long := strings.Repeat("{\"evaluation\":1}", 400)
	values := []any{"a@x.com", int64(1), long, nil, 2.5, []byte("raw"),
		"b@x.com", nil, long + "!", "q", 3.0, []byte{}}
	types := []string{"text", "int8", "text", "text", "float8", "bytea"}
	m := manyRows{head: "INSERT INTO t (a, b, c, d, e, f)", types: types}
	_, args, err := allRows([]manyRows{m}, [][]any{values})
	if err != nil {
		t.Fatal(err)
	}
	hint, ok := args[0].(sizeHint)
	if !ok {
		t.Fatalf("first argument %T, want a sizeHint", args[0])
	}
	oids := map[string]uint32{"text": pgtype.TextArrayOID, "int8": pgtype.Int8ArrayOID,
		"float8": pgtype.Float8ArrayOID, "bytea": pgtype.ByteaArrayOID}

	plain := pgtype.NewMap()
	hinted := pgtype.NewMap()
	hinted.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{sizeHints(nil)}, hinted.TryWrapEncodePlanFuncs...)
	var want, got []byte
	for i, typ := range types {
		if want, err = plain.Encode(oids[typ], pgtype.BinaryFormatCode, unhinted(args[i]), want); err != nil {
			t.Fatalf("argument %d without the hint: %v", i+1, err)
		}
		if got, err = hinted.Encode(oids[typ], pgtype.BinaryFormatCode, args[i], got); err != nil {
			t.Fatalf("argument %d with the hint: %v", i+1, err)
		}
		if i == 0 && cap(got) < hint.size {
			t.Fatalf("buffer after the first argument holds %d bytes, want room for all %d", cap(got), hint.size)
		}
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("encoded with the hint differs from without it")
	}
	if len(got) > hint.size || len(got) < hint.size-8*len(types) {
		t.Errorf("hint %d bytes, encoded %d", hint.size, len(got))
	}
}

func unhinted(v any) any {
	if h, ok := v.(sizeHint); ok {
		return h.value
	}
	return v
}

// Warm leaves the PostgreSQL pool holding the connections it opened, idle,
// for the first requests.
func TestWarm(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, testenv.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before := db.sql.Stats().OpenConnections
	if before >= 6 {
		t.Fatalf("a new pool already has %d connections open", before)
	}
	if err := db.Warm(ctx, 6); err != nil {
		t.Fatal(err)
	}
	if st := db.sql.Stats(); st.OpenConnections < 6 || st.Idle < 6 {
		t.Fatalf("after Warm(6): %d connections open, %d idle; want 6 and 6", st.OpenConnections, st.Idle)
	}
}

// roomFor writes nothing, and a large Bind message after it is copied
// into the buffer it grew instead of into one grown again and again.
func TestRoomFor(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what is allocated")
	}
	// A group's statement: tens of arrays, some large.
	var params [][]byte
	size := 0
	for i := range 30 {
		p := bytes.Repeat([]byte("x"), 1000+i*2000)
		params = append(params, p)
		size += len(p) + 4
	}
	bind := &pgproto3.Bind{PreparedStatement: "s", Parameters: params}
	send := func(room bool) ([]byte, uint64) {
		out := sha256.New() // what was written, without allocating
		f := pgproto3.NewFrontend(nil, out)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if room {
			f.Send(roomFor{size + 1024})
		}
		f.SendBind(bind)
		if err := f.Flush(); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return out.Sum(nil), after.TotalAlloc - before.TotalAlloc
	}
	plain, plainBytes := send(false)
	roomy, roomyBytes := send(true)
	if !bytes.Equal(plain, roomy) {
		t.Fatalf("with roomFor other bytes were written than without")
	}
	t.Logf("%d-byte message: %d bytes allocated with roomFor, %d without", size, roomyBytes, plainBytes)
	if roomyBytes > uint64(size)*11/10 || plainBytes < uint64(size)*3/2 {
		t.Errorf("bytes allocated for a %d-byte message: %d with roomFor (want at most 1.1 times), %d without (want 1.5 times or more)",
			size, roomyBytes, plainBytes)
	}
}

// pgArray turns a column of rows into an array whose values are the
// column's, each its own, with NULL where the row has nil.
func TestPgArray(t *testing.T) {
	rows := []any{
		"a", int64(1), 1.5, []byte("x"),
		nil, nil, nil, nil,
		[]byte("c"), 3, 3.5, "z",
	}
	tests := []struct {
		typ  string
		c    int
		want []any
	}{
		{"text", 0, []any{"a", nil, "c"}},
		{"int8", 1, []any{int64(1), nil, int64(3)}},
		{"float8", 2, []any{1.5, nil, 3.5}},
		{"bytea", 3, []any{"x", nil, "z"}},
	}
	for _, tt := range tests {
		col, err := pgArray(rows, 4, tt.c, tt.typ)
		if err != nil {
			t.Fatalf("%s: %v", tt.typ, err)
		}
		var got []any
		switch c := col.(type) {
		case []*string:
			for _, v := range c {
				got = append(got, deref(v))
			}
		case []*int64:
			for _, v := range c {
				got = append(got, deref(v))
			}
		case []*float64:
			for _, v := range c {
				got = append(got, deref(v))
			}
		case [][]byte:
			for _, v := range c {
				if v == nil {
					got = append(got, nil)
				} else {
					got = append(got, string(v))
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s column: %v, want %v", tt.typ, got, tt.want)
		}
	}
	if _, err := pgArray([]any{"one"}, 1, 0, "int8"); err == nil || !strings.Contains(err.Error(), "string is not an integer") {
		t.Errorf("text in an int8 column: %v, want an error naming it", err)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
