package lead

import (
	"encoding/json"
	"fmt"
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
// "COP 2.500.000", "1.234,56 EUR", "1,000,000 MXN". The suffixes k, M and B
// mean thousand, million and billion. With both separators the last one is
// the decimal mark; with one kind only, a group of exactly three digits
// after it means thousands ("2.500" is 2500, "1,5" is 1.5). The currency
// may be omitted.
func ParseMoney(s string) (Money, error) {
	fields := strings.Fields(s)
	var amount, cur string
	switch len(fields) {
	case 1:
		amount = fields[0]
	case 2:
		if isCurrencyCode(fields[0]) {
			cur, amount = fields[0], fields[1]
		} else {
			amount, cur = fields[0], fields[1]
		}
	default:
		return Money{}, fmt.Errorf("money %q: want an amount and an optional currency, like \"3500 USD\"", s)
	}
	f, err := parseAmount(amount)
	if err != nil {
		return Money{}, fmt.Errorf("money %q: %w", s, err)
	}
	c, err := normCurrency(cur)
	if err != nil {
		return Money{}, fmt.Errorf("money %q: %w", s, err)
	}
	return Money{Amount: f, Currency: c}, nil
}

func parseAmount(s string) (float64, error) {
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k") || strings.HasSuffix(s, "K"):
		mult, s = 1e3, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mult, s = 1e6, s[:len(s)-1]
	case strings.HasSuffix(s, "B") || strings.HasSuffix(s, "bn"):
		mult, s = 1e9, strings.TrimSuffix(strings.TrimSuffix(s, "B"), "bn")
	}
	s = strings.ReplaceAll(strings.TrimPrefix(s, "$"), "_", "")
	s = normaliseSeparators(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount", s)
	}
	return f * mult, nil
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
