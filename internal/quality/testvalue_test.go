package quality

import (
	"strings"
	"testing"
)

func TestIsTestValue(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"test", true},
		{"TEST", true},
		{" Test ", true},
		{"teste", true},
		{"prueba", true},
		{"Pruebas", true},
		{"testing", true},
		{"test123", true},
		{"Prueba 1", true},
		{"asdf", true},
		{"xxx", true},
		{"XXXXXX", true},
		{"aaa", true},
		{"fake", true},
		{"no tengo", true},
		{"No tengo", true},
		{"Não tenho", true},
		{"n/a", true},
		{"N/A", true},
		{"n.a.", true},
		{"none", true},
		{"ninguno", true},
		{"Ninguna", true},
		{"nenhuma", true},
		{"Sin empresa", true},
		{"-", true},
		{"...", true},
		{"123", true},
		{"1234", true},
		{"0000", true},
		{"Usuario de Prueba", true},
		{"Empresa Teste Ltda", true},
		{"Test Company Inc", true},
		{"Demo S.A.S.", true},
		{"test@empresa.com", true},
		{"TEST@empresa.com", true},
		{"prueba1@gmail.com", true},
		{"teste.123@empresa.com.br", true},
		{"asdf@gmail.com", true},
		{"noemail@gmail.com", true},
		{"tucorreo@gmail.com", true},
		{"juan@example.com", true},
		{"juan@mail.example.com", true},
		{"juan@example.org", true},
		{"juan@example.net", true},
		{"juan@example.com.br", true},
		{"juan@test.com", true},
		{"juan@empresa.test", true},
		{"nome@suaempresa.com.br", true},
		{"a@a.com", true},
		{"xxx@xxx.com", true},
		// Real values.
		{"", false},
		{"   ", false},
		{"Laboratorio de Pruebas", false},
		{"Test Systems Inc", false},
		{"Quality Testing Services", false},
		{"Testa", false},
		{"Null", true}, // alone it is the literal null; as a surname see IsFakeName
		{"Nada", false},
		{"Nil", false},
		{"Na", false},
		{"Particular", false},
		{"Independiente", false},
		{"ABC Ltda", false},
		{"3M", false},
		{"7-Eleven", false},
		{"2024", false},
		{"Juan Pérez", false},
		{"juan@empresa.com.co", false},
		{"nada@empresa.hr", false},
		{"ana@gmail.com", false},
		{"j@jlopez.com", false},
		{"test@", true},
		{"\xff\xfe", true}, // nothing readable
		{"Jos\xe9", false},
		{strings.Repeat("test ", 1<<18), false}, // beyond any table entry
	}
	for _, tc := range tests {
		if got := IsTestValue(tc.in); got != tc.want {
			t.Errorf("IsTestValue(%.60q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
