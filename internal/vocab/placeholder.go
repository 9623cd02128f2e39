package vocab

import "unicode/utf8"

// placeholders are what selects and spreadsheets hold when nobody chose
// (folded, see Fold): the value means blank, not a code nobody knows.
var placeholders = map[string]bool{
	"select": true, "seleccione": true, "selecciona": true, "seleccionar": true, "selecione": true,
	"selecionar": true, "choose": true, "elija": true, "escoja": true, "escolha": true, "select one": true,
	"please select": true, "select an option": true, "choose one": true, "seleccione una opcion": true,
	"seleccione uno": true, "selecione uma opcao": true, "escolha uma opcao": true, "elige una opcion": true,
	"n a": true, "na": true, "none": true, "null": true, "nil": true, "undefined": true, "no aplica": true,
	"nao se aplica": true, "not applicable": true, "#n a": true,
}

// IsPlaceholder reports whether a value is a placeholder that means
// blank: "Select", "Seleccione", "Selecione…", "--", "N/A", "none". A
// value of punctuation only ("--", "…") is one too.
func IsPlaceholder(v string) bool {
	if len(v) > 40 {
		return false
	}
	// Most values start with a letter no placeholder starts with.
	if c := v[0]; c < utf8.RuneSelf && c > ' ' && !placeholderStart(c) {
		return false
	}
	k := Fold(v)
	return k == "" || placeholders[k]
}

func placeholderStart(c byte) bool {
	switch c | 0x20 { // lower case for letters
	case 's', 'c', 'e', 'p', 'n', 'u':
		return true
	}
	return !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
}
