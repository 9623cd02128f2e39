package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// manyRows is a multi-row INSERT: the statement up to its column list,
// the PostgreSQL type of each column, and a clause after the rows. On
// PostgreSQL, statement, if set, is the whole statement instead, with
// {rows} where the rows go as a table (a multi-row UPDATE ... FROM).
type manyRows struct {
	head      string
	types     []string // int8, text, bytea or float8
	suffix    string
	statement string
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
	if tx.db.dialect != Postgres {
		return tx.insertRowsThen(ctx, m.head+` VALUES `, len(m.types), values, m.suffix)
	}
	return tx.insertAll(ctx, []manyRows{m}, [][]any{values})
}

// insertAll is insertMany for several tables at once, on PostgreSQL: one
// statement, each table's INSERT but the last in a WITH clause of the
// last. Foreign keys are checked at the end of the statement, so a row
// may refer to one inserted beside it (a new lead's timeline entry). The
// parts of one statement do not see each other's rows: an UPDATE in it
// must not be of a row inserted in it (see UpdateLead).
func (tx *Tx) insertAll(ctx context.Context, ms []manyRows, values [][]any) error {
	if len(ms) == 0 {
		return nil
	}
	query, args, err := allRows(ms, values)
	if err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, query, args...); err != nil {
		return insertAllError(ms, err)
	}
	return nil
}

// insertAllError names the tables of a failed insertAll statement.
func insertAllError(ms []manyRows, err error) error {
	var tables []string
	for _, m := range ms {
		tables = append(tables, m.table())
	}
	return fmt.Errorf("insert %s: %w", strings.Join(tables, ", "), err)
}

// allRows is insertAll's statement and its arguments.
func allRows(ms []manyRows, values [][]any) (string, []any, error) {
	var args []any
	size := 0 // of the encoded arguments: see sizeHint
	inserts := make([]string, len(ms))
	for i, m := range ms {
		var b strings.Builder
		b.WriteString(`unnest(`)
		width := len(m.types)
		for c, typ := range m.types {
			if c > 0 {
				b.WriteByte(',')
			}
			b.WriteString("$" + strconv.Itoa(len(args)+1) + "::" + typ + "[]")
			col, err := pgArray(values[i], width, c, typ)
			if err != nil {
				return "", nil, fmt.Errorf("%s: column %d: %w", m.table(), c+1, err)
			}
			n, err := encodedSize(col)
			if err != nil {
				return "", nil, err
			}
			size += n
			args = append(args, col)
		}
		b.WriteByte(')')
		if m.statement != "" {
			inserts[i] = strings.Replace(m.statement, "{rows}", b.String(), 1)
		} else {
			inserts[i] = m.head + ` SELECT * FROM ` + b.String() + m.suffix
		}
	}
	var b strings.Builder
	for i, ins := range inserts[:len(inserts)-1] {
		if i == 0 {
			b.WriteString("WITH ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString("w" + strconv.Itoa(i) + " AS (" + ins + ")")
	}
	if len(inserts) > 1 {
		b.WriteByte(' ')
	}
	b.WriteString(inserts[len(inserts)-1])
	if len(args) > 0 {
		args[0] = sizeHint{value: args[0], size: size}
	}
	return b.String(), args, nil
}

// table is the table m inserts into.
func (m manyRows) table() string {
	f := strings.Fields(m.head)
	if len(f) < 3 {
		return m.head
	}
	return f[2]
}

// pgArray takes column c of rows of width values as a Go slice the
// driver sends as a PostgreSQL array of typ; nil values are NULL. The
// pointers point into one backing slice per column, not one allocation
// per value: a group of a thousand leads has tens of thousands of values.
func pgArray(values []any, width, c int, typ string) (any, error) {
	n := len(values) / width
	switch typ {
	case "int8":
		out, backing := make([]*int64, n), make([]int64, n)
		for i := range n {
			switch v := values[i*width+c].(type) {
			case nil:
				continue
			case int64:
				backing[i] = v
			case int:
				backing[i] = int64(v)
			default:
				return nil, fmt.Errorf("%T is not an integer", v)
			}
			out[i] = &backing[i]
		}
		return out, nil
	case "float8":
		out, backing := make([]*float64, n), make([]float64, n)
		for i := range n {
			switch v := values[i*width+c].(type) {
			case nil:
				continue
			case float64:
				backing[i] = v
			default:
				return nil, fmt.Errorf("%T is not a number", v)
			}
			out[i] = &backing[i]
		}
		return out, nil
	case "text":
		out, backing := make([]*string, n), make([]string, n)
		for i := range n {
			switch v := values[i*width+c].(type) {
			case nil:
				continue
			case string:
				backing[i] = v
			case []byte:
				backing[i] = string(v)
			default:
				return nil, fmt.Errorf("%T is not text", v)
			}
			out[i] = &backing[i]
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
