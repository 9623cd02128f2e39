package quality

import (
	"strings"
	"testing"
)

// realNames must never be called keyboard mash. They are picked for the
// patterns the rules look at: consonant clusters (Polish, German, Welsh,
// Armenian, Nahuatl), few vowels, reduplication (Chinese), keys next to
// each other (Ewert, Trew, Dallas) and letters off the US keyboard.
var realNames = []struct{ name, origin string }{
	// Latin America
	{"Juan Pérez", "CO"}, {"José Guadalupe", "MX"}, {"Xóchitl", "MX (Nahuatl)"},
	{"Cuauhtémoc", "MX (Nahuatl)"}, {"Huitzilopochtli", "MX (Nahuatl)"},
	{"Nezahualcóyotl", "MX (Nahuatl)"}, {"Xicoténcatl", "MX"}, {"Itzel", "MX"},
	{"Ñusta", "PE (Quechua)"}, {"Ayelén", "AR"}, {"Ñancupil", "CL (Mapuche)"},
	{"Jhon", "CO"}, {"Jhonny", "CO"}, {"Yeferson", "CO"}, {"Brayan Stiven", "CO"},
	{"Yuliana", "CO"}, {"Wilmer", "VE"}, {"Maicol", "CO"}, {"Jhojan", "CO"},
	// Brazil and Portugal
	{"João", "BR"}, {"Conceição", "BR"}, {"Gonçalves", "PT"}, {"Araújo", "BR"},
	{"Guimarães", "BR"}, {"Assunção", "PT"}, {"Magalhães", "PT"}, {"Thiago", "BR"},
	{"Kléber", "BR"}, {"Cauã", "BR"}, {"Gonçalo Vasconcelos", "PT"}, {"José da Silva", "BR"},
	// Spain
	{"Iñaki", "ES (Basque)"}, {"Aitziber", "ES (Basque)"}, {"Txomin Etxeberria", "ES (Basque)"},
	{"Goikoetxea", "ES (Basque)"}, {"Lluís Llull", "ES (Catalan)"}, {"Puigdemont", "ES"},
	{"Begoña Ibáñez", "ES"}, {"Muñoz", "ES"}, {"Castañeda", "ES"}, {"Ximena", "ES"},
	// US and UK
	{"Mickey Rourke", "US"}, {"Donald Glover", "US"}, {"Schuyler", "US"}, {"Dwight", "US"},
	{"Bartholomew", "US"}, {"Shaquille", "US"}, {"Brynn", "US"}, {"Glynn", "US"},
	{"Flynn", "US"}, {"Dallas", "US"}, {"Halsall", "UK"}, {"Trew", "UK"}, {"Humphreys", "UK"},
	{"Knightsbridge", "UK"}, {"Tyrer", "UK"}, {"Potter", "UK"},
	// Poland and Czechia
	{"Szczepański", "PL"}, {"Wojciechowski", "PL"}, {"Krzysztof", "PL"},
	{"Brzezinski", "PL"}, {"Brzęczyszczykiewicz", "PL"}, {"Przybylski", "PL"},
	{"Grzegorz", "PL"}, {"Zbigniew", "PL"}, {"Strzelczyk", "PL"}, {"Chrzanowski", "PL"},
	{"Pszczółkowski", "PL"}, {"Błaszczykowski", "PL"}, {"Małgorzata", "PL"},
	{"Dvořák", "CZ"}, {"Vlk", "CZ"}, {"Smrž", "CZ"}, {"Hrdlička", "CZ"},
	// Vietnam
	{"Nguyễn", "VN"}, {"Nguyen", "VN"}, {"Ng", "VN"}, {"Trần", "VN"}, {"Phạm", "VN"},
	{"Huỳnh", "VN"}, {"Ngô", "VN"}, {"Đặng", "VN"}, {"Dương", "VN"},
	// China
	{"Xiao", "CN"}, {"Zhang", "CN"}, {"Qiang", "CN"}, {"Zhou", "CN"}, {"Xu", "CN"},
	{"Qiu", "CN"}, {"Zhuang", "CN"}, {"Li", "CN"}, {"Wu", "CN"}, {"Weiwei", "CN"},
	{"Feifei", "CN"}, {"Lanlan", "CN"}, {"Xiaoxiao", "CN"}, {"Tingting", "CN"},
	{"Yanyan", "CN"}, {"王伟", "CN"},
	// Wales and Ireland
	{"Llwyd", "Wales"}, {"Rhys", "Wales"}, {"Gwyneth", "Wales"}, {"Dafydd", "Wales"},
	{"Llewellyn", "Wales"}, {"Llywelyn", "Wales"}, {"Rhydderch", "Wales"},
	{"Myfanwy", "Wales"}, {"Ffion", "Wales"}, {"Cadwgan", "Wales"},
	{"Ó Súilleabháin", "Ireland"}, {"Ní Bhriain", "Ireland"}, {"Dubhghaill", "Ireland"},
	// Germany, Austria, the Netherlands, Scandinavia
	{"Schmidt", "DE"}, {"Schwarzkopf", "DE"}, {"Nietzsche", "DE"}, {"Müller", "DE"},
	{"Strauß", "DE"}, {"Ewert", "DE"}, {"Werth", "DE"}, {"Wertz", "DE"}, {"Hertz", "DE"},
	{"Pfitzner", "DE"}, {"Zschäpe", "DE"}, {"Hirschsprung", "DE"}, {"Knecht", "DE"},
	{"Dijkstra", "NL"}, {"Schrijver", "NL"}, {"Björk", "IS"}, {"Ångström", "SE"},
	{"Borchgrevink", "NO"},
	// India
	{"Srinivas", "IN"}, {"Lakshmi", "IN"}, {"Krishnamurthy", "IN"}, {"Subrahmanyam", "IN"},
	{"Chakraborty", "IN"}, {"Bhattacharya", "IN"}, {"Parthasarathy", "IN"}, {"Jyothi", "IN"},
	// Elsewhere
	{"Tchaikovsky", "RU"}, {"Mkrtchyan", "AM"}, {"Mhd Rizki", "ID"}, {"Mhmd", "SY"},
	{"Kealoha", "US (Hawaii)"}, {"John Smith III", "US"}, {"O'Brien", "IE"},
	{"Jean-Luc", "FR"}, {"D'Angelo", "IT"},
}

// mashes must be caught.
var mashes = []string{
	"asdf", "asdfgh", "asdfghjkl", "qwerty", "qwertyuiop", "zxcvb", "zxcvbnm", "poiuy",
	"lkjhg", "ñlkjh", "çlkjh", "mnbvc", "fdsa", "rewq", "trewq", "hjkl", "vcxz", "qwer",
	"asd", "sdf", "jkl", "zxc", "lkj", "qwe",
	"jkljkl", "asdasd", "qweqwe", "sdfsdf", "dfgdfg", "fghfgh",
	"jajaja", "jejeje", "hahaha", "kkkkkk", "rsrsrs", "hjhjhj", "wqwqwq", "aaaa", "xxxxx",
	"xkcdqwrtz", "bcdfghk", "qzxvbkt", "ajsdkajsd", "aksjdhaksjd", "sdkfjsdkf", "dkdkdk",
	"ASDF", "QWERTY", "Juan Asdfgh", "Asdf Ltda",
	strings.Repeat("a", 65), strings.Repeat("ab", 40),
}

func TestIsKeyboardMashRealNames(t *testing.T) {
	if len(realNames) < 60 {
		t.Fatalf("only %d real names; keep at least 60", len(realNames))
	}
	for _, tc := range realNames {
		if IsKeyboardMash(tc.name) {
			t.Errorf("IsKeyboardMash(%q) (%s) = true, want false", tc.name, tc.origin)
		}
	}
}

func TestIsKeyboardMashMashes(t *testing.T) {
	if len(mashes) < 30 {
		t.Fatalf("only %d mashes; keep at least 30", len(mashes))
	}
	for _, s := range mashes {
		if !IsKeyboardMash(s) {
			t.Errorf("IsKeyboardMash(%q) = false, want true", s)
		}
	}
}

func TestIsKeyboardMashEdges(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"   ", false},
		{"\xff\xfe\xfd", false},
		{"Jos\xe9", false}, // Latin-1 bytes, not UTF-8
		{"123456", false},  // digits are for IsTestValue
		{"HSBC", false},    // acronym
		{"KPMG", false},
		{"hsbc", true}, // as a name; company names read it as an acronym
		{"Tre", false}, // top-row three-letter runs are words
		{"Yui", false},
		{"Lulu", false},   // two repeats with vowels: a name
		{"йцукен", false}, // Cyrillic is not judged
		{"Josè\u0301", false},
		{strings.Repeat("x", 1<<20), true},
		{strings.Repeat("Ana ", 1<<18), false},
		{strings.Repeat("\xff", 1<<20), false},
	}
	for _, tc := range tests {
		if got := IsKeyboardMash(tc.in); got != tc.want {
			t.Errorf("IsKeyboardMash(%.40q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestIsMashCompany(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"hsbc", false},
		{"kpmg Colombia", false},
		{"PwC", false},
		{"Grupo Bimbo", false},
		{"Schwarzkopf & Henkel", false},
		{"Asdfgh Ltda", true},
		{"Xkcdqwrtz S.A.S.", true},
		{"jajaja", true},
	}
	for _, tc := range tests {
		if got := isMash(tc.in, mashCompany); got != tc.want {
			t.Errorf("isMash(%q, mashCompany) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// Email local parts get only the layout rules: consonant-heavy initials
// are normal there.
func TestIsMashLocalPart(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"jdmr1987", false},
		{"jgnzlz", false},
		{"asdfgh", true},
		{"jajaja", true},
		{"juan.perez", false},
		{"qwerty123", true},
		{"asd", false}, // initials
		{"jkl.perez", false},
		{"asdf", true},
	}
	for _, tc := range tests {
		if got := isMash(tc.in, mashLocal); got != tc.want {
			t.Errorf("isMash(%q, mashLocal) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
