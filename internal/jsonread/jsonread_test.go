package jsonread

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// sameAsUnmarshal fails unless Value, when it reads doc whole, reads what
// json.Unmarshal reads into an any. It reports whether Value read it.
func sameAsUnmarshal(t *testing.T, doc []byte) bool {
	t.Helper()
	var want any
	werr := json.Unmarshal(doc, &want)
	r := New(doc)
	got, ok := r.Value()
	ok = ok && r.End()
	if ok && (werr != nil || !reflect.DeepEqual(got, want)) {
		t.Fatalf("%q: Value %#v, json.Unmarshal %#v (%v)", doc, got, want, werr)
	}
	return ok
}

// TestValue: values Value reads, and values it leaves to encoding/json.
func TestValue(t *testing.T) {
	for _, c := range []struct {
		doc  string
		read bool
	}{
		{`"plain"`, true},
		{`"esc \" \\ \/ \b \f \n \r \t \u00e9 \u0026 \ud83d\ude00"`, true},
		{`"lone \ud800 and \udc00 and \ud800\u0041"`, true},
		{`"São Paulo — ñ"`, true},
		{` {"a":[1,-0,2.5e-3,1E+2,true,false,null,{}],"b":{"c":[]}} `, true},
		{`0`, true},
		{`-12.75`, true},
		{`"bad \x"`, false},
		{"\"raw \x01 control\"", false},
		{"\"not utf-8 \xff\"", false},
		{`"cut`, false},
		{`01`, false},
		{`+1`, false},
		{`.5`, false},
		{`1.`, false},
		{`1e`, false},
		{`1e400`, false},
		{`NaN`, false},
		{`{"a":1,"a":2}`, false}, // a key twice: encoding/json keeps the last
		{`{"a":1,}`, false},
		{`[1,]`, false},
		{`{"a" 1}`, false},
		{`tru`, false},
		{`nul`, false},
		{`[] []`, false},
		{``, false},
	} {
		if got := sameAsUnmarshal(t, []byte(c.doc)); got != c.read {
			t.Errorf("%q: read %v, want %v", c.doc, got, c.read)
		}
	}
}

// TestInt: an int is read only from an integer in int's range.
func TestInt(t *testing.T) {
	for doc, want := range map[string]bool{`42`: true, `-0`: true, `-9223372036854775808`: true,
		`9223372036854775808`: false, `1.0`: false, `1e2`: false, `"1"`: false, `null`: false} {
		var n int
		r := New([]byte(doc))
		ok := r.Int(&n) && r.End()
		var m int
		werr := json.Unmarshal([]byte(doc), &m)
		if ok != want || (ok && (werr != nil || m != n)) {
			t.Errorf("%s: read %v (%d), want %v; json.Unmarshal %d, %v", doc, ok, n, want, m, werr)
		}
	}
}

// TestManyKeys: an object of many keys is read, a key given twice among
// them is refused, and neither takes quadratic time (100,000 keys would
// take minutes compared one by one).
func TestManyKeys(t *testing.T) {
	var b []byte
	b = append(b, '{')
	for i := range 100000 {
		b = fmt.Appendf(b, `"k%d":%d,`, i, i)
	}
	doc := append(bytes.Clone(b[:len(b)-1]), '}')
	if !sameAsUnmarshal(t, doc) {
		t.Fatal("an object of 100,000 keys was not read")
	}
	dup := append(b, `"k99999":1}`...)
	if sameAsUnmarshal(t, dup) {
		t.Fatal("a key given twice among 100,000 was read")
	}
	small := []byte(`{"a":1,"b":2,"a":3}`)
	if sameAsUnmarshal(t, small) {
		t.Fatal("a key given twice among three was read")
	}
}

// TestInt64: an int64 is read only from an integer in its range.
func TestInt64(t *testing.T) {
	for doc, want := range map[string]bool{`9223372036854775807`: true, `-9223372036854775808`: true, `7`: true,
		`9223372036854775808`: false, `7.0`: false, `7e0`: false, `"7"`: false, `null`: false} {
		var n int64
		r := New([]byte(doc))
		ok := r.Int64(&n) && r.End()
		var m int64
		werr := json.Unmarshal([]byte(doc), &m)
		if ok != want || (ok && (werr != nil || m != n)) {
			t.Errorf("%s: read %v (%d), want %v; json.Unmarshal %d, %v", doc, ok, n, want, m, werr)
		}
	}
}

// FuzzValue: whatever Value reads, it reads as json.Unmarshal does.
func FuzzValue(f *testing.F) {
	for _, s := range []string{`{"a":[1,"x",{"b":null}],"c":true}`, `"\ud83d\ude00\u0026"`, `-1.5e-7`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) { sameAsUnmarshal(t, doc) })
}
