package quality

import (
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string // substring of the error; "" means success
	}{
		{"juan@empresa.com.co", "juan@empresa.com.co", ""},
		{"  Juan.Perez@Empresa.COM.co \n", "juan.perez@empresa.com.co", ""},
		{"\ufeffana@empresa.mx\u200b", "ana@empresa.mx", ""},
		{"maria+newsletter@gmail.com", "maria+newsletter@gmail.com", ""},
		{"o'brien@firm.ie", "o'brien@firm.ie", ""},
		{"josé@café.com.co", "josé@xn--caf-dma.com.co", ""},
		{"JOSÉ@CAFÉ.COM.CO", "josé@xn--caf-dma.com.co", ""},
		{"ana@xn--caf-dma.com.co", "ana@xn--caf-dma.com.co", ""},
		{"ana@XN--CAF-DMA.com.co", "ana@xn--caf-dma.com.co", ""},
		{"ana@empresa.xn--p1ai", "ana@empresa.xn--p1ai", ""},
		{"ana@empresa.рф", "ana@empresa.xn--p1ai", ""},
		{"ana@ｅｍｐｒｅｓａ.com", "ana@empresa.com", ""}, // full-width, as some IMEs type
		{"a@b.co", "a@b.co", ""},
		{"", "", "email is empty"},
		{"   ", "", "email is empty"},
		{"juan", "", `email "juan": missing @`},
		{"a@@b.com", "", `email "a@@b.com": more than one @`},
		{"a@b@c.com", "", "more than one @"},
		{"@empresa.com", "", "nothing before the @"},
		{"juan@", "", "nothing after the @"},
		{"juan perez@gmail.com", "", `contains ' '`},
		{`"juan"@gmail.com`, "", `contains '"'`},
		{"juan,perez@gmail.com", "", "contains ','"},
		{".juan@gmail.com", "", "starts or ends with a dot"},
		{"juan.@gmail.com", "", "starts or ends with a dot"},
		{"juan..perez@gmail.com", "", "two dots in a row"},
		{"juan@gmail", "", "has no dot"},
		{"juan@localhost", "", "has no dot"},
		{"juan@192.168.0.1", "", "top-level domain"},
		{"juan@empresa.c", "", "top-level domain"},
		{"juan@empresa.c0m", "", "top-level domain"},
		{"juan@[192.168.0.1]", "", "IP address"},
		{"juan@gmail..com", "", "empty part"},
		{"juan@.gmail.com", "", "empty part"},
		{"juan@gmail.com.", "", "empty part"},
		{"juan@-gmail.com", "", "hyphen"},
		{"juan@gmail-.com", "", "hyphen"},
		{"juan@gm_ail.com", "", "contains '_'"},
		{"juan@gmail,com", "", "contains ','"},
		{"juan@ab--cd.com", "", "internationalised"},
		{"juan@xn--zz.com", "", "internationalised"},
		{"juan@" + strings.Repeat("a", 64) + ".com", "", "longer than 63"},
		{strings.Repeat("a", 65) + "@empresa.com", "", "longer than 64"},
		{"a@" + strings.Repeat("abcdefghi.", 25) + "com", "", "longer than 254"},
		{"ju\xffan@gmail.com", "", "not valid UTF-8"},
		{strings.Repeat("a", 1<<20) + "@gmail.com", "", "longer than 254"},
	}
	for _, tc := range tests {
		got, err := NormalizeEmail(tc.in)
		if tc.wantErr == "" {
			if err != nil || got != tc.want {
				t.Errorf("NormalizeEmail(%.60q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			if again, err := NormalizeEmail(got); err != nil || again != got {
				t.Errorf("NormalizeEmail(%q) is not idempotent: %q, %v", got, again, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("NormalizeEmail(%.60q) = %q, %v; want error containing %q", tc.in, got, err, tc.wantErr)
		}
		if err != nil && len(err.Error()) > 400 {
			t.Errorf("NormalizeEmail(%.60q): error is %d bytes; long input must be clipped", tc.in, len(err.Error()))
		}
	}
}

// An address already in normal form is returned as is, without building a
// new string: intake normalises every imported row.
func TestNormalizeEmailNoAllocWhenNormal(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := NormalizeEmail("juan.perez@empresa.com.co"); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("NormalizeEmail allocates %.0f times for a normal address", allocs)
	}
}

func TestEmailDomain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"juan@Empresa.com.co", "empresa.com.co"},
		{"juan perez@empresa.com.co", "empresa.com.co"}, // broken local part, usable domain
		{"a@@b.com", "b.com"},
		{"josé@café.com", "xn--caf-dma.com"},
		{"juan@gmail", ""},
		{"juan", ""},
		{"", ""},
		{"juan@", ""},
		{"\xff@\xfe.com", ""},
		{strings.Repeat("x", 1<<20), ""},
	}
	for _, tc := range tests {
		if got := EmailDomain(tc.in); got != tc.want {
			t.Errorf("EmailDomain(%.60q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
