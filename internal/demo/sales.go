package demo

import (
	"hash/fnv"
	"math"
	"slices"
	"strings"
)

// The demo's sales organisation and what its people do with the leads
// routed to them. Everything here is a pure function of its input (the
// definition's team names, an item), so the same seed gives the same
// waterfall however the loading goroutines interleave.

// SalesDomain is the e-mail domain of the demo's salespeople.
const SalesDomain = "demo.pista.example"

// Seller is one person of the demo's sales organisation.
type Seller struct {
	Name, Email string
	Role        string // "rep" or "manager"
	Language    string // es, pt or en
	Timezone    string
	Weight      float64 // share of the team's leads (reps)
	// Late is the share of the leads others would touch in time that this
	// rep touches after the deadline: the rep the manager's follow-up
	// report should single out.
	Late float64
}

// TeamCalendar is a team's business calendar, in the JSON form teams
// store (see PUT /api/v1/teams).
type TeamCalendar struct {
	Country  string `json:"country"`
	Timezone string `json:"timezone"`
	Hours    string `json:"hours"`
}

// SalesTeam is who works one routing team.
type SalesTeam struct {
	Name    string
	Manager Seller
	Reps    []Seller
	// Calendar is nil for teams the demo does not know: their clocks
	// count on the definition's calendar.
	Calendar *TeamCalendar
}

// knownTeams are the teams of the bundled definition (instrumentos.yaml),
// staffed for their region.
var knownTeams = map[string]SalesTeam{
	"latam": {
		Calendar: &TeamCalendar{Country: "CO", Timezone: "America/Bogota", Hours: "08:00-17:00"},
		Manager:  Seller{Name: "Claudia Restrepo", Language: "es", Timezone: "America/Bogota"},
		Reps: []Seller{
			{Name: "Andrés Ospina", Language: "es", Timezone: "America/Bogota", Weight: 2},
			{Name: "Mariana Castillo", Language: "es", Timezone: "America/Mexico_City", Weight: 1},
			{Name: "Rafael Oliveira", Language: "pt", Timezone: "America/Sao_Paulo", Weight: 1},
			{Name: "Valeria Quintero", Language: "es", Timezone: "America/Bogota", Weight: 1, Late: 0.7},
		},
	},
	"norteamerica": {
		Calendar: &TeamCalendar{Country: "US", Timezone: "America/New_York", Hours: "09:00-17:00"},
		Manager:  Seller{Name: "Ricardo Salazar", Language: "en", Timezone: "America/New_York"},
		Reps: []Seller{
			{Name: "Daniela Ortiz", Language: "en", Timezone: "America/New_York", Weight: 1},
			{Name: "Javier Mendoza", Language: "es", Timezone: "America/Chicago", Weight: 1, Late: 0.15},
			{Name: "Camila Reyes", Language: "en", Timezone: "America/New_York", Weight: 1},
		},
	},
	"canada": {
		Calendar: &TeamCalendar{Country: "CA", Timezone: "America/Toronto", Hours: "09:00-17:00"},
		Manager:  Seller{Name: "Patricia Gómez", Language: "en", Timezone: "America/Toronto"},
		Reps: []Seller{
			{Name: "Felipe Navarro", Language: "en", Timezone: "America/Toronto", Weight: 1},
			{Name: "Luciana Ferreira", Language: "pt", Timezone: "America/Toronto", Weight: 1},
		},
	},
}

// SalesOrg staffs the named teams: the known teams of the bundled
// definition as above, any other team with a manager and three reps
// named after a hash of the team's name, on the definition's calendar.
// E-mails are unique across the organisation and the same for the same
// names, so a second demo run finds the same people.
func SalesOrg(teams []string) []SalesTeam {
	names := slices.Clone(teams)
	slices.Sort(names)
	used := map[string]bool{}
	var out []SalesTeam
	for _, name := range names {
		t, ok := knownTeams[name]
		if !ok {
			t = inventTeam(name)
		} else {
			t.Reps = slices.Clone(t.Reps)
		}
		t.Name = name
		t.Manager.Role = "manager"
		t.Manager.Email = sellerEmail(t.Manager.Name, name, used)
		for i := range t.Reps {
			t.Reps[i].Role = "rep"
			t.Reps[i].Email = sellerEmail(t.Reps[i].Name, name, used)
		}
		out = append(out, t)
	}
	return out
}

// inventTeam staffs a team the demo does not know with Spanish-speaking
// people whose names follow from the team's name.
func inventTeam(name string) SalesTeam {
	person := func(i int) Seller {
		h := hash64("team:"+name, string(rune('0'+i)))
		first := firstNames[es][h%2]
		last := lastNames[es]
		return Seller{Name: first[(h>>8)%uint64(len(first))] + " " + last[(h>>24)%uint64(len(last))], Language: "es", Weight: 1}
	}
	t := SalesTeam{Manager: person(0)}
	for i := 1; i <= 3; i++ {
		t.Reps = append(t.Reps, person(i))
	}
	return t
}

// sellerEmail is nombre.apellido@SalesDomain, with the team's name added
// when two people of the organisation share a name.
func sellerEmail(name, team string, used map[string]bool) string {
	first, last, _ := strings.Cut(name, " ")
	local := fold(first) + "." + fold(last)
	e := local + "@" + SalesDomain
	for i := 2; used[e]; i++ {
		e = local + "." + fold(team)
		if i > 2 {
			e += string(rune('0' + i))
		}
		e += "@" + SalesDomain
	}
	used[e] = true
	return e
}

// Touch plans: when the owner first contacts a routed lead.
const (
	TouchInTime = "in_time"
	TouchLate   = "late"
	TouchNever  = "never"
)

// SalesPlan is what the lead's owner does once the lead is routed. It is
// drawn from the item's outcome and BANT call and from a hash of the
// e-mail, so it is the same in every run; which parts apply depends on the
// stage the lead reaches (only an MQL is accepted, only an inquiry, MQL
// or SAL rejected, only an SQL becomes an opportunity).
type SalesPlan struct {
	// Touch is TouchInTime, TouchLate or TouchNever. A lead never touched
	// gets no other act.
	Touch string
	// TouchAt places the first touch: for TouchInTime the share of the
	// time to the deadline that passed (0.05 to 0.9), for TouchLate the
	// hours after the deadline (1 to 30).
	TouchAt             float64
	TouchKind, TouchOut string
	// Reject is the reason code if the owner gives an inquiry, MQL or SAL
	// back to marketing, else "". RejectText goes with "other".
	Reject, RejectText string
	// Deal is the opportunity an SQL becomes, nil if it does not.
	Deal *Deal
	// Close is "won" or "lost" for a deal (per the item's Outcome; "" for
	// one still open), or "lost" for an SQL or SAL sales gave up on.
	Close, LostReason string
}

// LateShare is how often a salesperson of the demo touches late what
// others touch in time (see Seller.Late), by name.
func LateShare(name string) float64 {
	for _, t := range knownTeams {
		for _, r := range t.Reps {
			if r.Name == name {
				return r.Late
			}
		}
	}
	return 0
}

// ForOwner is the plan as the lead's owner carries it out: a rep who is
// often late (late, see Seller.Late) slips a share of the in-time touches
// past the deadline. The plan's own draw decides which, so a run is
// reproducible.
func (p SalesPlan) ForOwner(late float64) SalesPlan {
	if p.Touch != TouchInTime || late <= 0 {
		return p
	}
	if x := (p.TouchAt - 0.05) / 0.85; x < late {
		p.Touch, p.TouchAt = TouchLate, math.Round(1+29*x/late)
	}
	return p
}

// Deal is an opportunity's amount in one of the markets' currencies.
type Deal struct {
	Amount   float64
	Currency string
}

var rejectReasons = []w[string]{
	{"not_a_fit", 35}, {"no_budget", 25}, {"bad_timing", 20}, {"wrong_contact", 10}, {"duplicate", 4}, {"other", 6},
}

var lostReasons = []w[string]{
	{"competitor", 25}, {"price", 22}, {"no_decision", 20}, {"no_budget", 15}, {"timing", 12}, {"product_gap", 6},
}

var givenUpReasons = []w[string]{{"no_decision", 45}, {"no_budget", 30}, {"timing", 25}}

var touchKinds = []w[[2]string]{
	{[2]string{"call", "connected"}, 50}, {[2]string{"email", "sent"}, 22}, {[2]string{"call", "voicemail"}, 16},
	{[2]string{"message", "replied"}, 8}, {[2]string{"meeting", "held"}, 4},
}

// dealCurrencies are the currencies the demo's deals are written in; a
// budget in another currency is converted to US dollars.
var dealCurrencies = []string{"USD", "MXN", "BRL", "COP"}

// PlanSales draws what sales does with the lead of an item.
func PlanSales(it Item) SalesPlan {
	email := strings.ToLower(strings.TrimSpace(it.Lead.Person.Email))
	u := func(salt string) float64 { return float64(hash64(salt, email)>>11) / (1 << 53) }
	var p SalesPlan
	buyer := it.Outcome != ""
	switch x := u("touch"); {
	case buyer && x < 0.88, !buyer && x < 0.74:
		p.Touch, p.TouchAt = TouchInTime, 0.05+0.85*u("touch-at")
	case buyer, x < 0.9:
		p.Touch, p.TouchAt = TouchLate, math.Round(1+29*u("touch-at"))
	default:
		p.Touch = TouchNever
		return p
	}
	kind := pickU(u("touch-kind"), touchKinds)
	p.TouchKind, p.TouchOut = kind[0], kind[1]
	switch it.Outcome {
	case Won, Lost, Open:
		p.Deal = deal(it, u("amount"))
		if it.Outcome != Open {
			p.Close = it.Outcome
		}
		p.Close = slip(p.Close, u("slip"))
		if p.Close == Lost {
			p.LostReason = pickU(u("lost"), lostReasons)
		}
	default:
		if u("reject") < 0.2 {
			p.Reject = pickU(u("reason"), rejectReasons)
			if p.Reject == "other" {
				p.RejectText = "Es un distribuidor que revende; pasa a canales."
			}
		}
		if u("give-up") < 0.4 {
			p.Close, p.LostReason = Lost, pickU(u("lost"), givenUpReasons)
		}
	}
	return p
}

// slip is how a deal closes: most are lost at the end, even a buyer's
// (a competitor, a frozen budget), so about a quarter of closed deals are
// won, as in B2B sales.
func slip(close string, x float64) string {
	if close == Won && x < 0.55 {
		return Lost
	}
	return close
}

// deal sizes an opportunity: near the budget the person gave on the BANT
// call, else by market, rounded as salespeople quote.
func deal(it Item, x float64) *Deal {
	if q := it.Qualification; q != nil && q.Budget != nil && max(q.Budget.Min, q.Budget.Max) > 0 {
		amt, cur := max(q.Budget.Min, q.Budget.Max)*(0.8+0.8*x), q.Budget.Currency
		if !slices.Contains(dealCurrencies, cur) {
			amt, cur = amt/perUSD(cur), "USD"
		}
		return &Deal{Amount: roundSig(amt, 2), Currency: cur}
	}
	usd := 3500 * math.Pow(10, 1.2*x) // 3,500 to 55,000 USD
	cur := "USD"
	for _, c := range countries {
		if c.code == it.Lead.Company.Country && slices.Contains(dealCurrencies, c.currency) {
			cur = c.currency
		}
	}
	return &Deal{Amount: roundSig(usd*perUSD(cur), 2), Currency: cur}
}

// perUSD is the generator's exchange rate for a currency (1 if unknown).
func perUSD(currency string) float64 {
	for _, c := range countries {
		if c.currency == currency {
			return c.perUSD
		}
	}
	return 1
}

// pickU is pick with the uniform draw given.
func pickU[T any](x float64, table []w[T]) T {
	total := 0.0
	for _, e := range table {
		total += e.weight
	}
	x *= total
	for _, e := range table {
		if x < e.weight {
			return e.v
		}
		x -= e.weight
	}
	return table[len(table)-1].v
}

// hash64 is FNV-1a of a salt and a key: stable across runs and versions.
func hash64(salt, key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(salt))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return h.Sum64()
}
