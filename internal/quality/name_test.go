package quality

import (
	"strings"
	"testing"
)

func TestIsFakeName(t *testing.T) {
	tests := []struct {
		first, last string
		why         string // "" means a real name
	}{
		// Fictional and placeholder people.
		{"Mickey", "Mouse", whyFictional},
		{"MICKEY", "MOUSE", whyFictional},
		{"Mouse", "Mickey", whyFictional},
		{"Mickey Mouse", "", whyFictional},
		{"Donald", "Duck", whyFictional},
		{"Pato", "Donald", whyFictional},
		{"Ratón", "Pérez", whyFictional},
		{"John", "Doe", whyFictional},
		{"Jane", "Doe", whyFictional},
		{"Homer", "Simpson", whyFictional},
		{"Pedro", "Picapiedra", whyFictional},
		{"Bob", "Esponja", whyFictional},
		{"Batman", "", whyFictional},
		{"Max", "Mustermann", whyPlaceholder},
		{"Fulano", "de Tal", whyPlaceholder},
		{"Fulano", "", whyPlaceholder},
		{"Beltrano", "Silva", whyPlaceholder},
		{"Zé", "Ninguém", whyPlaceholder},
		{"Pedro", "Ninguém", whyPlaceholder},
		{"Mengano", "", whyPlaceholder},
		{"Nombre", "Apellido", whyPlaceholder},
		{"Sr.", "Cliente", whyPlaceholder},
		{"Cliente", "", whyPlaceholder},
		{"Sin", "Nombre", whyPlaceholder},
		{"First", "Last", whyPlaceholder},
		{"Anónimo", "", whyPlaceholder},
		// Tests and mashes.
		{"Test", "", whyTest},
		{"Test", "Test", whyTest},
		{"Teste", "Silva", whyTest},
		{"Juan", "Prueba", whyTest},
		{"Usuario", "Prueba", whyTest},
		{"Asdf", "Asdf", whyTest},
		{"asdfgh", "qwerty", whyTest},
		{"Xxx", "", whyTest},
		{"N/A", "", whyTest},
		{"Jkljkl", "Pérez", whyMash},
		{"Juan", "Xkcdqwrtz", whyMash},
		{"Jajaja", "", whyMash},
		// Shape.
		{"J.", "D.", whyInitials},
		{"A", "", whyInitials},
		{"Aa", "Aa", whyTest}, // "aaaa" once spaces go
		{"Ab", "Ab", whySameShort},
		{"Juan123", "Pérez", whyDigits},
		{"Juan", "Pérez 2", whyDigits},
		{"juan@gmail.com", "", whyEmail},
		{"www.empresa.com", "", whyWeb},
		{"...", "", whyNoLetters},
		{"-", "-", whyNoLetters},
		{strings.Repeat("Ana ", 30), "", whyTooLong},
		{strings.Repeat("a", 1<<20), "", whyTooLong},
		// Real people, including look-alikes of the above.
		{"Mickey", "Rourke", ""},
		{"Donald", "Glover", ""},
		{"Donald", "Trump", ""},
		{"Minnie", "Driver", ""},
		{"Daisy", "Ridley", ""},
		{"Samuel", "Doe", ""},
		{"Juan", "Pérez", ""},
		{"JUAN", "PEREZ", ""},
		{"José", "da Silva", ""},
		{"Mario", "Rossi", ""},
		{"John", "Smith", ""},
		{"Maria", "", ""},
		{"", "Gómez", ""},
		{"Jennifer", "Null", ""},
		{"Joe", "Sample", ""},
		{"Christopher", "Guest", ""},
		{"Nada", "Petrović", ""},
		{"Nil", "Karaibrahimgil", ""},
		{"Li", "Na", ""},
		{"Sem", "de Jong", ""},
		{"Testa", "", ""},
		{"Fulgencio", "Batista", ""},
		{"J.", "Smith", ""}, // an initial is fine with a surname
		{"María José", "de la Cruz", ""},
		{"Ó", "Súilleabháin", ""},
		{"Ng", "Wei", ""},
		{"Thomas", "Thomas", ""}, // same long word: real
		{"伟", "王", ""},           // single Chinese characters are not initials
		{"Szczepański", "Wojciechowski", ""},
		{"John", "Smith III", ""},
		{"", "", ""}, // missing, not fake
		{"  ", "\t", ""},
		{"\xff\xfe", "", whyNoLetters},
		{"Jos\xe9", "P\xe9rez", ""}, // Latin-1 from a bad import: intake's problem, not a fake
	}
	for _, tc := range tests {
		fake, why := IsFakeName(tc.first, tc.last)
		if fake != (tc.why != "") || why != tc.why {
			t.Errorf("IsFakeName(%.30q, %.30q) = %v, %q; want %q", tc.first, tc.last, fake, why, tc.why)
		}
	}
}
