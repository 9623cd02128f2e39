package store

import (
	"bytes"
	"context"
	"strings"
	"testing"

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
	hinted.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{trySizeHint}, hinted.TryWrapEncodePlanFuncs...)
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
