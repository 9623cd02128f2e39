package textdiff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/textdiff"
)

func render(d []textdiff.Line) string {
	var b strings.Builder
	for _, l := range d {
		fmt.Fprintf(&b, "%c%d,%d %s\n", l.Kind, l.A, l.B, l.Text)
	}
	return b.String()
}

func TestLines(t *testing.T) {
	cases := []struct {
		name, a, b, want string
	}{
		{"same", "x\ny\n", "x\ny\n", " 1,1 x\n 2,2 y\n"},
		{"empty to one", "", "a\n", "+0,1 a\n"},
		{"one line changed", "name: a\nbands: 1\nsla: 2\n", "name: a\nbands: 3\nsla: 2\n",
			" 1,1 name: a\n-2,0 bands: 1\n+0,2 bands: 3\n 3,3 sla: 2\n"},
		{"insert in the middle", "a\nb\nc\n", "a\nb\nx\nc\n", " 1,1 a\n 2,2 b\n+0,3 x\n 3,4 c\n"},
		{"remove and add apart", "a\nb\nc\nd\n", "b\nc\nd\ne\n", "-1,0 a\n 2,1 b\n 3,2 c\n 4,3 d\n+0,4 e\n"},
		{"CRLF is the same line", "a\r\nb\r\n", "a\nb\n", " 1,1 a\n 2,2 b\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := textdiff.Lines(c.a, c.b)
			if got := render(d); got != c.want {
				t.Errorf("got\n%swant\n%s", got, c.want)
			}
			if textdiff.Changed(d) != (c.a != c.b && c.name != "CRLF is the same line") {
				t.Errorf("Changed = %v", textdiff.Changed(d))
			}
		})
	}
}
