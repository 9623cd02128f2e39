package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// manyRows is a multi-row INSERT: the statement up to its column list,
// the PostgreSQL type of each column, and a clause after the rows.
type manyRows struct {
	head   string
	types  []string // int8, text, bytea or float8
	suffix string
}

// insertMany inserts rows given one after the other, len(m.types) values
// each. On SQLite that is one INSERT ... VALUES per hundred rows; on
// PostgreSQL one INSERT ... SELECT FROM unnest of one array per column for
// all of them: one statement text whatever the number of rows, so that it
// is prepared once per connection, and one round trip.
func (tx *Tx) insertMany(ctx context.Context, m manyRows, values []any) error {
	if len(values) == 0 {
		return nil
	}
	width := len(m.types)
	if tx.db.dialect != Postgres {
		return tx.insertRowsThen(ctx, m.head+` VALUES `, width, values, m.suffix)
	}
	var b strings.Builder
	b.WriteString(m.head)
	b.WriteString(` SELECT * FROM unnest(`)
	args := make([]any, width)
	for c, typ := range m.types {
		if c > 0 {
			b.WriteByte(',')
		}
		b.WriteString("$" + strconv.Itoa(c+1) + "::" + typ + "[]")
		col, err := pgArray(values, width, c, typ)
		if err != nil {
			return fmt.Errorf("%s: column %d: %w", m.head, c+1, err)
		}
		args[c] = col
	}
	b.WriteByte(')')
	b.WriteString(m.suffix)
	_, err := tx.tx.ExecContext(ctx, b.String(), args...)
	return err
}

// pgArray takes column c of rows of width values as a Go slice the
// driver sends as a PostgreSQL array of typ; nil values are NULL.
func pgArray(values []any, width, c int, typ string) (any, error) {
	n := len(values) / width
	switch typ {
	case "int8":
		out := make([]*int64, n)
		for i := range n {
			switch v := values[i*width+c].(type) {
			case nil:
			case int64:
				out[i] = &v
			case int:
				x := int64(v)
				out[i] = &x
			default:
				return nil, fmt.Errorf("%T is not an integer", v)
			}
		}
		return out, nil
	case "float8":
		out := make([]*float64, n)
		for i := range n {
			switch v := values[i*width+c].(type) {
			case nil:
			case float64:
				out[i] = &v
			default:
				return nil, fmt.Errorf("%T is not a number", v)
			}
		}
		return out, nil
	case "text":
		out := make([]*string, n)
		for i := range n {
			switch v := values[i*width+c].(type) {
			case nil:
			case string:
				out[i] = &v
			case []byte:
				s := string(v)
				out[i] = &s
			default:
				return nil, fmt.Errorf("%T is not text", v)
			}
		}
		return out, nil
	case "bytea":
		out := make([][]byte, n)
		for i := range n {
			switch v := values[i*width+c].(type) {
			case nil:
			case []byte:
				out[i] = v
			case string:
				out[i] = []byte(v)
			default:
				return nil, fmt.Errorf("%T is not bytes", v)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("no array of %s", typ)
}

// insertRowsThen inserts rows of width values each, up to 100 rows per
// statement, with a clause after the values.
func (tx *Tx) insertRowsThen(ctx context.Context, prefix string, width int, values []any, suffix string) error {
	const perStatement = 100
	for len(values) > 0 {
		n := min(len(values)/width, perStatement)
		var b strings.Builder
		b.WriteString(prefix)
		row := "(" + strings.Repeat("?,", width-1) + "?)"
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(row)
		}
		b.WriteString(suffix)
		if _, err := tx.exec(ctx, b.String(), values[:n*width]...); err != nil {
			return err
		}
		values = values[n*width:]
	}
	return nil
}
