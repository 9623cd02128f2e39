package store

import (
	"strings"
)

// inChunks runs fn over ids in chunks small enough for one IN (...) list.
func inChunks[T any](items []T, fn func(chunk []T, placeholders string) error) error {
	const chunk = 100
	for len(items) > 0 {
		n := min(len(items), chunk)
		if err := fn(items[:n], strings.TrimSuffix(strings.Repeat("?,", n), ",")); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

func anySlice[T any](items []T) []any {
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = v
	}
	return out
}
