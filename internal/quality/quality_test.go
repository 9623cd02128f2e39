package quality

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/lead"
)

func TestCompute(t *testing.T) {
	tests := []struct {
		name    string
		person  *lead.Person
		company *lead.Company
		need    Need
		want    Facts
	}{
		{
			name:    "good lead",
			person:  &lead.Person{Email: "Ana.Gomez@Empresa.com.co", FirstName: "Ana", LastName: "Gómez", Phone: "300 123 4567", Country: "CO"},
			company: &lead.Company{Name: "Empresa S.A.S."},
			need:    NeedAll,
			want:    Facts{EmailValid: true, EmailDomain: "empresa.com.co", PhoneValid: true},
		},
		{
			name:   "junk lead",
			person: &lead.Person{Email: "test@mailinator.com", FirstName: "Mickey", LastName: "Mouse", Phone: "123"},
			need:   NeedAll,
			want: Facts{EmailValid: true, EmailDisposable: true, EmailDomain: "mailinator.com",
				FakeName: true, TestValue: true},
		},
		{
			name:   "free role address",
			person: &lead.Person{Email: "ventas@hotmail.com.mx", FirstName: "Luis"},
			need:   NeedEmail,
			want:   Facts{EmailValid: true, EmailFree: true, EmailRole: true, EmailDomain: "hotmail.com.mx"},
		},
		{
			name:   "only what was asked",
			person: &lead.Person{Email: "test@mailinator.com", FirstName: "asdf", Phone: "300 123 4567", Country: "CO"},
			need:   NeedPhone,
			want:   Facts{PhoneValid: true},
		},
		{
			name:   "invalid email keeps its domain",
			person: &lead.Person{Email: "juan perez@gmail.com"},
			need:   NeedEmail,
			want:   Facts{EmailDomain: "gmail.com", EmailFree: true},
		},
		{
			name:    "phone read in the company's country",
			person:  &lead.Person{Phone: "55 1234 5678"},
			company: &lead.Company{Country: "MX"},
			need:    NeedPhone,
			want:    Facts{PhoneValid: true},
		},
		{
			name:    "person's country wins",
			person:  &lead.Person{Phone: "55 1234 5678", Country: "CO"},
			company: &lead.Company{Country: "MX"},
			need:    NeedPhone,
			want:    Facts{},
		},
		{
			name:   "missing",
			person: &lead.Person{},
			need:   NeedAll,
			want:   Facts{NameMissing: true, EmailMissing: true},
		},
		{
			name: "nil person and company",
			need: NeedAll,
			want: Facts{NameMissing: true, EmailMissing: true},
		},
		{
			name:    "mash in company and email",
			person:  &lead.Person{Email: "qwerty@gmail.com", FirstName: "Ana", LastName: "Gómez"},
			company: &lead.Company{Name: "Asdfgh"},
			need:    NeedName,
			want:    Facts{KeyboardMash: true},
		},
		{
			name:   "mash email only",
			person: &lead.Person{Email: "jajaja@gmail.com", FirstName: "Ana", LastName: "Gómez"},
			need:   NeedName,
			want:   Facts{KeyboardMash: true},
		},
		{
			name:   "fake for another reason and a mash",
			person: &lead.Person{FirstName: "asdf", LastName: "asdf"},
			need:   NeedName | NeedTest,
			want:   Facts{FakeName: true, KeyboardMash: true, TestValue: true},
		},
		{
			name:   "consonant initials in the address are not a mash",
			person: &lead.Person{Email: "jdmr1987@gmail.com", FirstName: "José", LastName: "Díaz"},
			need:   NeedName,
			want:   Facts{},
		},
		{
			name:    "test company",
			person:  &lead.Person{Email: "ana@empresa.co", FirstName: "Ana", LastName: "Gómez"},
			company: &lead.Company{Name: "N/A"},
			need:    NeedTest,
			want:    Facts{TestValue: true},
		},
		{
			name:   "test email domain",
			person: &lead.Person{Email: "ana@example.com", FirstName: "Ana", LastName: "Gómez"},
			need:   NeedTest,
			want:   Facts{TestValue: true},
		},
		{
			name: "invalid UTF-8 everywhere",
			person: &lead.Person{Email: "\xff@\xfe", FirstName: "\xff", LastName: "\xfe",
				Phone: "\xff", Country: "\xff"},
			company: &lead.Company{Name: "\xff", Country: "\xfe"},
			need:    NeedAll,
			want:    Facts{FakeName: true, TestValue: true},
		},
		{
			name: "1 MB fields",
			person: &lead.Person{Email: strings.Repeat("a", 1<<20) + "@gmail.com",
				FirstName: strings.Repeat("a", 1<<20), LastName: strings.Repeat("b", 1<<20),
				Phone: strings.Repeat("3", 1<<20), Country: strings.Repeat("C", 1<<20)},
			company: &lead.Company{Name: strings.Repeat("c", 1<<20)},
			need:    NeedAll,
			want:    Facts{FakeName: true, KeyboardMash: true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Compute(tc.person, tc.company, tc.need); got != tc.want {
				t.Errorf("Compute() =\n %+v\nwant\n %+v", got, tc.want)
			}
		})
	}
}

// The engine calls Compute on every evaluation, so the phone-free path must
// not allocate for an ordinary lead.
func TestComputeDoesNotAllocate(t *testing.T) {
	p := &lead.Person{Email: "ana.gomez@empresa.com.co", FirstName: "Ana María", LastName: "Gómez", Country: "CO"}
	c := &lead.Company{Name: "Empresa de Ingeniería S.A.S."}
	Compute(p, c, NeedAll&^NeedPhone) // build the disposable set outside the measurement
	if n := testing.AllocsPerRun(100, func() { Compute(p, c, NeedAll&^NeedPhone) }); n != 0 {
		t.Errorf("Compute without NeedPhone allocates %.0f times per call", n)
	}
}

// Every fact the engine can read must map to the Need that computes it;
// otherwise a rule would read a fact that is always false.
func TestNeedOfCoversEveryFact(t *testing.T) {
	typ := reflect.TypeFor[Facts]()
	seen := Need(0)
	for i := range typ.NumField() {
		f := typ.Field(i)
		name := f.Tag.Get("expr")
		if json := f.Tag.Get("json"); json != name {
			t.Errorf("field %s: json tag %q differs from expr tag %q", f.Name, json, name)
		}
		need, ok := NeedOf(name)
		if !ok {
			t.Errorf("NeedOf(%q) not known", name)
			continue
		}
		seen |= need
		// Asking for that need alone must be enough to set the fact.
		p := &lead.Person{Email: "test@mailinator.com", FirstName: "asdf", Phone: "300 123 4567", Country: "CO"}
		all := reflect.ValueOf(Compute(p, nil, NeedAll)).Field(i)
		only := reflect.ValueOf(Compute(p, nil, need)).Field(i)
		if !reflect.DeepEqual(all.Interface(), only.Interface()) {
			t.Errorf("%s: Compute with %v gives %v, with NeedAll %v", name, need, only, all)
		}
	}
	if seen != NeedAll {
		t.Errorf("facts cover needs %b, NeedAll is %b", seen, NeedAll)
	}
	if _, ok := NeedOf("fake"); ok {
		t.Error(`NeedOf("fake") = ok, want not a fact`)
	}
}

// The tables are matched against folded input, so an entry that is not
// folded itself ("Fulano", "não") could never match.
func TestTablesAreFolded(t *testing.T) {
	tables := map[string]map[string]struct{}{
		"testWordsStrong": testWordsStrong, "testWordsWeak": testWordsWeak, "testFiller": testFiller,
		"testExact": testExact, "testLocals": testLocals, "fictionalNames": fictionalNames,
		"fictionalSingles": fictionalSingles, "placeholderStrong": placeholderStrong,
		"placeholderWeak": placeholderWeak, "nameParticles": nameParticles, "roleLocals": roleLocals,
		"mashAllow": mashAllow, "romanNumerals": romanNumerals,
	}
	for name, table := range tables {
		for e := range table {
			if got := string(appendFolded(nil, e)); got != e {
				t.Errorf("%s: entry %q is not folded (folds to %q)", name, e, got)
			}
		}
	}
	for _, table := range []map[string]struct{}{freeDomains, testDomains} {
		for d := range table {
			if n, p, _ := normalizeDomain(d); p != emailOK || n != d {
				t.Errorf("domain table entry %q is not a normalised domain", d)
			}
		}
	}
	for local := range roleLocals {
		if strings.ContainsAny(local, " 0123456789") {
			t.Errorf("roleLocals: %q has a separator or digit, which lookups strip", local)
		}
	}
}

func TestFoldRune(t *testing.T) {
	for in, want := range map[rune]rune{
		'A': 'a', 'é': 'e', 'É': 'e', 'ñ': 'n', 'Ñ': 'n', 'ç': 'c', 'ã': 'a', 'ü': 'u', 'ł': 'l',
		'Ł': 'l', 'ø': 'o', 'đ': 'd', 'ễ': 'e', 'ỳ': 'y', 'ß': 's', 'ı': 'i', 'ő': 'o',
		'я': 'я', 'Я': 'я', '王': '王', '1': '1',
	} {
		if got := foldRune(in); got != want {
			t.Errorf("foldRune(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLatin1Fold(t *testing.T) {
	if len(latin1Fold) != 0x40 {
		t.Fatalf("latin1Fold has %d entries, want 64", len(latin1Fold))
	}
	for r := rune(0xC0); r <= 0xFF; r++ {
		if f := latin1Fold[r-0xC0]; f != '.' && rune(f) != foldRuneSlow(r) {
			t.Errorf("latin1Fold[%q] = %q, foldRuneSlow = %q", r, f, foldRuneSlow(r))
		}
	}
}

func TestAppendFolded(t *testing.T) {
	for in, want := range map[string]string{
		"  Fulano-de TAL. ": "fulano de tal",
		"N/A":               "n a",
		"José":              "jose",
		"Jose\u0301":        "jose",
		"Ó Súilleabháin":    "o suilleabhain",
		"Jos\xe9":           "jos",
		"---":               "",
		"王 伟":               "王 伟",
		"":                  "",
	} {
		if got := string(appendFolded(nil, in)); got != want {
			t.Errorf("appendFolded(%q) = %q, want %q", in, got, want)
		}
	}
}
