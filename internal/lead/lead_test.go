package lead_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in     string
		amount float64
		cur    string
	}{
		{"3500 USD", 3500, "USD"},
		{"USD 3500", 3500, "USD"},
		{"300M USD", 300e6, "USD"},
		{"3300M usd", 3300e6, "USD"},
		{"3.3B USD", 3.3e9, "USD"},
		{"2.5k EUR", 2500, "EUR"},
		{"1,5M BRL", 1.5e6, "BRL"},
		{"COP 2.500.000", 2.5e6, "COP"},
		{"COP 2.500", 2500, "COP"},
		{"1.234,56 EUR", 1234.56, "EUR"},
		{"1,234.56 USD", 1234.56, "USD"},
		{"1,000,000 MXN", 1e6, "MXN"},
		{"3.25", 3.25, ""},
		{"$1,200", 1200, ""},
		{"12", 12, ""},
		// As people write them (issue 16).
		{"USD 3.3B", 3.3e9, "USD"},
		{"3,3 bi", 3.3e9, ""},
		{"R$ 4,5 bilhões", 4.5e9, "BRL"},
		{"120.000 millones COP", 120e9, "COP"},
		{"4.2B USD", 4.2e9, "USD"},
		{"450M", 450e6, ""},
		{"US$ 2 mil millones", 2e9, "USD"},
		{"R$4,5bi", 4.5e9, "BRL"},
		{"€ 3,5 M", 3.5e6, "EUR"},
		{"2 billones COP", 2e12, "COP"},
		{"1,2 milhão BRL", 1.2e6, "BRL"},
		{"COP 800 MM", 800e6, "COP"},
	}
	for _, tt := range tests {
		m, err := lead.ParseMoney(tt.in)
		if err != nil || m.Amount != tt.amount || m.Currency != tt.cur {
			t.Errorf("ParseMoney(%q) = %+v, %v; want %v %s", tt.in, m, err, tt.amount, tt.cur)
		}
	}
	for _, bad := range []string{"", "lots USD", "5 dollars", "5 USD extra", "USD", "5 USD 6", "5 USD BRL"} {
		if m, err := lead.ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) = %+v, want an error", bad, m)
		}
	}
}

func TestMoneyAndBudgetJSON(t *testing.T) {
	var c lead.Company
	for in, want := range map[string]float64{
		`{"revenue": {"amount": 5e6, "currency": "usd"}}`: 5e6,
		`{"revenue": "5M USD"}`:                           5e6,
		`{"revenue": 7}`:                                  7,
	} {
		c = lead.Company{}
		if err := json.Unmarshal([]byte(in), &c); err != nil || c.Revenue.Amount != want {
			t.Errorf("%s: %+v %v", in, c.Revenue, err)
		}
	}
	if err := json.Unmarshal([]byte(`{"revenue": {"amout": 5}}`), &c); err == nil || !strings.Contains(err.Error(), "amout") {
		t.Errorf("unknown money field: %v", err)
	}
	var q lead.Qualification
	for in, want := range map[string][2]float64{
		`{"budget": {"min": 1, "max": 2, "currency": "usd"}}`: {1, 2},
		`{"budget": {"amount": 5000, "currency": "USD"}}`:     {5000, 5000},
		`{"budget": "5k USD"}`:                                {5000, 5000},
	} {
		q = lead.Qualification{}
		if err := json.Unmarshal([]byte(in), &q); err != nil || q.Budget.Min != want[0] || q.Budget.Max != want[1] || q.Budget.Currency != "USD" && !strings.Contains(in, "amount") {
			t.Errorf("%s: %+v %v", in, q.Budget, err)
		}
	}
	if err := json.Unmarshal([]byte(`{"budget": {"maximum": 5}}`), &q); err == nil || !strings.Contains(err.Error(), "maximum") {
		t.Errorf("unknown budget field: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"budget": {"max": 5, "currency": "dollars"}}`), &q); err == nil {
		t.Error("bad currency accepted")
	}
}

func TestValidate(t *testing.T) {
	neg := -1.0
	tests := []struct {
		name   string
		l      lead.Lead
		events []lead.Event
		q      *lead.Qualification
		want   []string
	}{
		{"valid", lead.Lead{Actions: []lead.Action{{Type: "price_request"}}, Source: lead.Source{Format: "web_form"}},
			[]lead.Event{{Type: "page_view", At: time.Now()}}, &lead.Qualification{Authority: "influencer", Need: "latent", Method: "call"}, nil},
		{"action without type", lead.Lead{Actions: []lead.Action{{}}}, nil, nil, []string{"actions[0].type: missing"}},
		{"event without time", lead.Lead{}, []lead.Event{{Type: "x"}}, nil, []string{"events[0].at: missing"}},
		{"event without type", lead.Lead{}, []lead.Event{{At: time.Now()}}, nil, []string{"events[0].type: missing"}},
		{"bad format", lead.Lead{Source: lead.Source{Format: "fax"}}, nil, nil, []string{`source.format: "fax": use one of web_form`}},
		{"negative employees", lead.Lead{Company: lead.Company{Employees: -5}}, nil, nil, []string{"company.employees: must not be negative"}},
		{"bad answers", lead.Lead{}, nil, &lead.Qualification{Authority: "boss", Need: "maybe", Method: "telepathy", TimingMonths: &neg},
			[]string{`qualification.authority: "boss"`, `qualification.need: "maybe"`, `qualification.method: "telepathy"`, "qualification.timing_months: must not be negative"}},
		{"budget max below min", lead.Lead{}, nil, &lead.Qualification{Budget: &lead.Budget{Min: 10, Max: 5}}, []string{"qualification.budget: max 5 is below min 10"}},
		{"huge name", lead.Lead{Person: lead.Person{FirstName: strings.Repeat("a", 20000)}}, nil, nil, []string{"person.first_name: is 20000 bytes long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lead.Validate(&tt.l, tt.events, tt.q)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want %v, got nil", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
