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

// ParseMoney reads amounts as people write them: "3500 USD", "USD 3500",
// "300M USD", "3.3B USD", "2.5k EUR", "COP 2.500.000" (dots as thousands
// separators when there are several), "1,000,000 MXN". The suffixes k, M and
// B mean thousand, million and billion. The currency may be omitted.
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
	s = strings.TrimPrefix(s, "$")
	switch {
	case strings.Count(s, ".") > 1: // 2.500.000
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case strings.Contains(s, ","): // 1,000,000 or 1,000.50
		s = strings.ReplaceAll(s, ",", "")
	}
	s = strings.ReplaceAll(s, "_", "")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount", s)
	}
	return f * mult, nil
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

// UnmarshalJSON reads a budget and upper-cases its currency code, so that
// "usd" and "USD" compare equal.
func (b *Budget) UnmarshalJSON(data []byte) error {
	type plain Budget
	if err := json.Unmarshal(data, (*plain)(b)); err != nil {
		return err
	}
	b.Currency = strings.ToUpper(strings.TrimSpace(b.Currency))
	return nil
}
