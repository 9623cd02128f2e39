package report

import (
	"strings"
	"testing"
)

func TestParseCampaignCosts(t *testing.T) {
	t.Run("english, spanish and portuguese headers, both separators, BOM", func(t *testing.T) {
		for _, file := range []string{
			"campaign,month,amount,currency\nferia-2026,2026-11,1500.50,usd\nwebinar,2026-10,0,COP\n",
			"\ufeffCampaña;Mes;Monto;Moneda\r\nferia-2026;2026-11;1500,50;USD\r\n\r\nwebinar;2026-10;0;COP\r\n",
			"campanha;mês;valor;moeda\nferia-2026;2026-11;1 500,50;USD\nwebinar;2026-10;0;cop\n",
		} {
			costs, bad, err := ParseCampaignCosts(strings.NewReader(file))
			if err != nil || len(bad) > 0 {
				t.Fatalf("%q: %v %v", file, err, bad)
			}
			if len(costs) != 2 || costs[0].Campaign != "feria-2026" || costs[0].Month != "2026-11" || costs[0].Amount != 1500.5 ||
				costs[0].Currency != "USD" || costs[1].Currency != "COP" || costs[1].Amount != 0 {
				t.Fatalf("%q: %+v", file, costs)
			}
		}
	})
	t.Run("bad lines are all named, and nothing is kept", func(t *testing.T) {
		file := "campaign,month,amount,currency\n" +
			"ok,2026-11,10,USD\n" + // line 2
			"ok,2026-13,10,USD\n" + // line 3: month
			",2026-11,abc,US\n" + // line 4: campaign, amount, currency
			"ok,2026-11,-5,USD\n" + // line 5: amount
			"ok,2026-11,12,USD\n" // line 6: twice
		costs, bad, err := ParseCampaignCosts(strings.NewReader(file))
		if err != nil || costs != nil {
			t.Fatalf("costs %v err %v", costs, err)
		}
		var got []string
		for _, b := range bad {
			got = append(got, b.Error())
		}
		want := []string{
			"line 3: month: want a month as 2026-11",
			`line 4: amount: "abc" is not an amount; write 1500 or 1500.50; campaign: name the campaign (1 to 200 characters), as leads carry it in source.campaign; currency: want a three-letter ISO 4217 code such as USD`,
			"line 5: amount: want an amount of zero or more",
			"line 6: campaign: ok in 2026-11 is already on line 2",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("files that cannot be read", func(t *testing.T) {
		for file, want := range map[string]string{
			"":                                     "the file is empty",
			"campaign,month,amount\nx,2026-11,1\n": "line 1: no currency column",
			"campaign,month,amount,currency,colour\n": `line 1: unknown column "colour"`,
			"campaign,month,amount,currency\n":        "header but no cost",
		} {
			_, _, err := ParseCampaignCosts(strings.NewReader(file))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%q: error %v, want %q", file, err, want)
			}
		}
	})
}
