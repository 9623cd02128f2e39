package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"
)

// NotTextError is a file named as CSV that is not text: an image, an
// archive or random bytes. Reading it as Windows-1252 (which any byte
// string is) would import junk rows, so it is refused before anything is
// written.
type NotTextError struct {
	File string
	Why  string
}

func (e *NotTextError) Error() string {
	return e.File + " is not a text file: " + e.Why + "; pista reads CSV text (UTF-8, UTF-16 with a BOM or Windows-1252) and .xlsx workbooks"
}

// signatures are the starts of common files that are not text, each with
// what to say about it.
var signatures = []struct {
	magic []byte
	what  string
}{
	{[]byte("PK\x03\x04"), "it is a zip archive (an .xlsx workbook? then name it .xlsx)"},
	{[]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), "it is an old Office file (.xls?); save the sheet as .xlsx or .csv"},
	{[]byte("\x89PNG\r\n\x1A\n"), "it is a PNG image"},
	{[]byte("\xFF\xD8\xFF"), "it is a JPEG image"},
	{[]byte("GIF87a"), "it is a GIF image"},
	{[]byte("GIF89a"), "it is a GIF image"},
	{[]byte("%PDF-"), "it is a PDF document"},
	{[]byte("\x1F\x8B"), "it is gzip-compressed; decompress it first"},
	{[]byte("7z\xBC\xAF\x27\x1C"), "it is a 7-Zip archive"},
	{[]byte("Rar!\x1A\x07"), "it is a RAR archive"},
}

// maxControlShare: a text file may hold a few stray control characters
// (a NUL, a form feed, an escape pasted from a terminal); more than one
// byte in this many is not text.
const maxControlShare = 1000

// checkText refuses a CSV file that is not text: a known binary
// signature at its start, or more control characters (NULs included)
// than text has. A stray one is let through: the import drops control
// characters from what it stores. It reads the whole file once (fast: byte scans), so that junk
// after a text-looking start is refused too. UTF-16 files (with a BOM)
// are checked by their decoded sample instead, since every other byte
// of them is a NUL.
func checkText(f *os.File, name string) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	defer f.Seek(0, io.SeekStart)
	buf := make([]byte, 1<<20)
	var (
		offset   int64
		controls int64 // NULs included
		nuls     int64
		first    int64 = -1
	)
	for {
		n, err := f.Read(buf)
		chunk := buf[:n]
		if offset == 0 {
			for _, s := range signatures {
				if bytes.HasPrefix(chunk, s.magic) {
					return &NotTextError{File: name, Why: s.what}
				}
			}
		}
		nuls += int64(bytes.Count(chunk, []byte{0}))
		for i, b := range chunk {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7F {
				controls++
				if first < 0 {
					first = offset + int64(i)
				}
			}
		}
		offset += int64(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	if nuls*4 > offset {
		return &NotTextError{File: name, Why: fmt.Sprintf("%d of its %d bytes are NULs; if it is UTF-16 text, save it as UTF-8 or with a byte order mark", nuls, offset)}
	}
	if controls > 8 && controls*maxControlShare > offset {
		return &NotTextError{File: name, Why: fmt.Sprintf("%d of its %d bytes are control characters (the first at byte %d): it looks like a binary file", controls, offset, first)}
	}
	return nil
}

// checkDecodedText is checkText for a decoded sample (UTF-16 files).
func checkDecodedText(sample []byte, name string) error {
	var controls, runes int
	for len(sample) > 0 {
		r, size := utf8.DecodeRune(sample)
		sample = sample[size:]
		runes++
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7F || r == utf8.RuneError {
			controls++
		}
	}
	if controls > 8 && controls*maxControlShare > runes {
		return &NotTextError{File: name, Why: fmt.Sprintf("%d of its first %d characters are control characters or cannot be decoded: it looks like a binary file", controls, runes)}
	}
	return nil
}
