package lead

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in a currency (ISO 4217 code). Base is the amount in
// the definition's currency; the engine fills it from the definition's
// exchange rates so that rules can compare amounts across currencies.
type Money struct {
	Amount   float64 `json:"amount" expr:"amount"`
	Currency string  `json:"currency,omitempty" expr:"currency"`
	Base     float64 `json:"-" expr:"base"`
}

// IsZero reports whether no amount was given.
func (m Money) IsZero() bool { return m.Amount == 0 && m.Currency == "" }

// Canonical reports whether m's amount and currency are what reading m
// back from JSON gives (Base, which JSON does not carry, aside): a finite
// amount, and a currency that is empty or an upper-case ISO code.
func (m Money) Canonical() bool {
	if math.IsInf(m.Amount, 0) || math.IsNaN(m.Amount) {
		return false
	}
	return m.Currency == "" || (isCurrencyCode(m.Currency) && strings.ToUpper(m.Currency) == m.Currency)
}

// UnmarshalJSON accepts {"amount": 5e6, "currency": "USD"}, a bare number,
// or a string such as "5M USD" or "COP 2.500.000" (see ParseMoney).
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		return nil
	case strings.HasPrefix(s, "{"):
		var raw struct {
			Amount   float64 `json:"amount"`
			Currency string  `json:"currency"`
		}
		dec := json.NewDecoder(strings.NewReader(s))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("money: %w", err)
		}
		cur, err := normCurrency(raw.Currency)
		if err != nil {
			return err
		}
		*m = Money{Amount: raw.Amount, Currency: cur}
		return nil
	case strings.HasPrefix(s, `"`):
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		v, err := ParseMoney(str)
		if err != nil {
			return err
		}
		*m = v
		return nil
	default:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("money: want a number, {\"amount\":…, \"currency\":…} or \"5M USD\", got %s", s)
		}
		*m = Money{Amount: f}
		return nil
	}
}

// ParseMoney reads amounts as people write them in the Americas and Europe:
// "3500 USD", "USD 3500", "300M USD", "3.3B USD", "2.5k EUR", "1,5M BRL",
// "COP 2.500.000", "1.234,56 EUR", "1,000,000 MXN", "3,3 bi", "R$ 4,5
// bilhões", "120.000 millones COP", "US$ 2 mil millones". Multipliers are
// letters (k, M or MM, B or bn) or words in es/pt/en (mil, millones,
// milhões, mi, billion, bilhões, bi; Spanish "billones" are 10¹²), and
// several multiply ("mil millones" is 10⁹). With both separators the last
// one is the decimal mark; with one kind only, a group of exactly three
// digits after it means thousands ("2.500" is 2500, "1,5" is 1.5). The
// currency, an ISO code or a symbol (US$, R$, €, £), may be omitted; "$"
// alone names none, since pesos write it too.
func ParseMoney(s string) (Money, error) {
	var amount, cur string
	mult := 1.0
	for _, tok := range moneyTokens(s) {
		switch {
		case tok[0] >= '0' && tok[0] <= '9':
			if amount != "" {
				return Money{}, fmt.Errorf("money %q: two amounts; write one, like \"3500 USD\"", s)
			}
			amount = tok
		case tok == "$":
		case moneySymbols[tok] != "" || isCurrencyCode(tok) && moneyWords[strings.ToLower(tok)] == 0:
			c := moneySymbols[tok]
			if c == "" {
				c = strings.ToUpper(tok)
			}
			if cur != "" && cur != c {
				return Money{}, fmt.Errorf("money %q: two currencies, %s and %s", s, cur, c)
			}
			cur = c
		default:
			m, ok := moneyWords[foldMoneyWord(tok)]
			if !ok {
				return Money{}, fmt.Errorf("money %q: %q is not a currency or a multiplier; write it like \"3500 USD\" or \"4,5 bilhões BRL\"", s, tok)
			}
			mult *= m
		}
	}
	if amount == "" {
		return Money{}, fmt.Errorf("money %q: want an amount and an optional currency, like \"3500 USD\"", s)
	}
	f, err := parseAmount(amount)
	if err != nil {
		return Money{}, fmt.Errorf("money %q: %w", s, err)
	}
	return Money{Amount: f * mult, Currency: cur}, nil
}

// moneyTokens splits "R$4,5bi" into "R$", "4,5", "bi": runs of digits
// (with the separators between them) and runs of anything else, at white
// space and where one kind meets the other.
func moneyTokens(s string) []string {
	var out []string
	start, num := -1, false
	flush := func(i int) {
		if start >= 0 {
			out = append(out, s[start:i])
		}
		start = -1
	}
	for i, r := range s {
		isNum := r >= '0' && r <= '9' || (r == '.' || r == ',' || r == '_') && num && start >= 0
		switch {
		case r == ' ' || r == '\t' || r == '\u00a0':
			flush(i)
		case start < 0:
			start, num = i, isNum
		case isNum != num:
			flush(i)
			start, num = i, isNum
		}
	}
	flush(len(s))
	return out
}

// moneySymbols are currency symbols people write before amounts.
var moneySymbols = map[string]string{
	"US$": "USD", "U$S": "USD", "USD$": "USD", "R$": "BRL", "€": "EUR", "£": "GBP", "MX$": "MXN", "COL$": "COP",
	"CA$": "CAD", "C$": "CAD", "S/": "PEN", "S/.": "PEN", "¥": "JPY",
}

// moneyWords are multipliers, lower case and without accents.
var moneyWords = map[string]float64{
	"k": 1e3, "mil": 1e3, "thousand": 1e3, "thousands": 1e3,
	"m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "mi": 1e6, "million": 1e6, "millions": 1e6, "millon": 1e6,
	"millones": 1e6, "milhao": 1e6, "milhoes": 1e6,
	"b": 1e9, "bn": 1e9, "bi": 1e9, "billion": 1e9, "billions": 1e9, "bilhao": 1e9, "bilhoes": 1e9, "mmm": 1e9,
	"billon": 1e12, "billones": 1e12, "trillion": 1e12, "tri": 1e12, "trilhao": 1e12, "trilhoes": 1e12,
	"de": 1, "of": 1,
}

// foldMoneyWord lower-cases a word and drops the accents money words
// carry (millón, milhões, bilhão).
func foldMoneyWord(w string) string {
	return moneyFold.Replace(strings.ToLower(w))
}

var moneyFold = strings.NewReplacer("ó", "o", "õ", "o", "ã", "a", "Ó", "o", "Õ", "o", "Ã", "a", ".", "")

func parseAmount(s string) (float64, error) {
	s = strings.ReplaceAll(s, "_", "")
	s = normaliseSeparators(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount", s)
	}
	return f, nil
}

// normaliseSeparators rewrites an amount with thousands separators and a
// decimal comma or point into plain "1234.56".
func normaliseSeparators(s string) string {
	dot, comma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	var decimal byte
	switch {
	case dot >= 0 && comma >= 0: // both: the later one is the decimal mark
		decimal = '.'
		if comma > dot {
			decimal = ','
		}
	case dot >= 0 || comma >= 0:
		sep, at := byte('.'), dot
		if comma >= 0 {
			sep, at = ',', comma
		}
		groups := strings.Count(s, string(sep))
		if groups == 1 && len(s)-at-1 != 3 {
			decimal = sep // "1,5" or "3.25"
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == decimal:
			b.WriteByte('.')
		case c == '.' || c == ',':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

func normCurrency(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if !isCurrencyCode(s) {
		return "", fmt.Errorf("currency %q is not a three-letter ISO 4217 code like USD, COP, BRL", s)
	}
	return strings.ToUpper(s), nil
}

// UnmarshalJSON reads a budget as {"min":…, "max":…, "currency":…},
// {"amount":…, "currency":…} or a string such as "5000 USD", and
// upper-cases the currency so that "usd" and "USD" compare equal.
func (b *Budget) UnmarshalJSON(data []byte) error {
	if s := strings.TrimSpace(string(data)); strings.HasPrefix(s, `"`) {
		var m Money
		if err := m.UnmarshalJSON(data); err != nil {
			return err
		}
		*b = Budget{Min: m.Amount, Max: m.Amount, Currency: m.Currency}
		return nil
	}
	var raw struct {
		Min      float64  `json:"min"`
		Max      float64  `json:"max"`
		Amount   *float64 `json:"amount"`
		Currency string   `json:"currency"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	cur, err := normCurrency(strings.TrimSpace(raw.Currency))
	if err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	*b = Budget{Min: raw.Min, Max: raw.Max, Currency: cur}
	if raw.Amount != nil {
		b.Min, b.Max = *raw.Amount, *raw.Amount
	}
	return nil
}
