package webform

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

func TestMap(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want map[string]string // path → value; a value starting with "~" must be contained
	}{
		{
			name: "everything",
			form: form("nombre=  María José García López ", "email=Ana.Perez@Acme.COM ", "telefono=300 123 4567",
				"empresa=Acme S.A.S.", "web=https://www.Acme.com.co/contacto", "empleados=1.200", "ingresos=COP 2.500.000",
				"pais=Colombia", "cargo=Gerente de compras", "nivel=Gerente", "mensaje=Hola,\r\nnecesito   precios",
				"producto=medidores", "sector=farma", "campana=feria-2026"),
			want: map[string]string{
				"person.first_name": "María José", "person.last_name": "García López",
				"person.email": "Ana.Perez@Acme.COM", "person.phone": "+573001234567",
				"company.name": "Acme S.A.S.", "company.domain": "acme.com.co", "company.employees": "1200",
				"company.revenue": "2.5e+06 COP", "person.country": "CO", "person.title": "Gerente de compras",
				"person.seniority": "Gerente", "props.message": "Hola,\nnecesito precios",
				"person.attributes.product": "medidores", "company.attributes.sector": "farma",
				"source.campaign": "feria-2026", "source.format": "web_form",
				"action": "price_request@2026-03-02T15:04:05Z", "missing": "", "suspicious": "", "notes": "",
			},
		},
		{
			name: "name split: one, two, three words and a comma",
			form: form("nombre=Cher", "email=a@b.co"),
			want: map[string]string{"person.first_name": "Cher", "person.last_name": ""},
		},
		{
			name: "three words: one given name",
			form: form("nombre=Juan García López", "email=a@b.co"),
			want: map[string]string{"person.first_name": "Juan", "person.last_name": "García López"},
		},
		{
			name: "surnames first with a comma",
			form: form("nombre=García López, María José", "email=a@b.co"),
			want: map[string]string{"person.first_name": "María José", "person.last_name": "García López"},
		},
		{
			name: "blank words are missing",
			form: form("nombre=N/A", "email=-", "telefono= none ", "empresa=ninguno", "cargo=Não tenho", "web=n.a."),
			want: map[string]string{"person.first_name": "", "person.email": "", "person.phone": "",
				"company.name": "", "person.title": "", "company.domain": "", "missing": "person.email|person.phone"},
		},
		{
			name: "phone alone is enough contact",
			form: form("telefono=+55 11 98765-4321"),
			want: map[string]string{"person.phone": "+5511987654321", "missing": ""},
		},
		{
			name: "unreadable phone kept as typed",
			form: form("telefono=llámame", "email=a@b.co"),
			want: map[string]string{"person.phone": "llámame", "notes": "~person.phone: kept as typed"},
		},
		{
			name: "employees forms",
			form: form("empleados=50-200", "email=a@b.co"),
			want: map[string]string{"company.employees": "50"},
		},
		{
			name: "employees plus",
			form: form("empleados=1000+", "email=a@b.co"),
			want: map[string]string{"company.employees": "1000"},
		},
		{
			name: "employees unreadable: kept as a prop",
			form: form("empleados=muchos", "email=a@b.co"),
			want: map[string]string{"company.employees": "0", "props.empleados": "muchos", "unmapped.empleados": "muchos",
				"notes": `~company.employees: "muchos" is not a number of employees; kept as action.props.empleados`},
		},
		{
			name: "revenue unreadable",
			form: form("ingresos=bastante", "email=a@b.co"),
			want: map[string]string{"company.revenue": "0 ", "props.ingresos": "bastante"},
		},
		{
			name: "countries by name and code",
			form: form("pais=Estados Unidos", "email=a@b.co"),
			want: map[string]string{"person.country": "US"},
		},
		{
			name: "country lower-case code",
			form: form("pais= br ", "email=a@b.co"),
			want: map[string]string{"person.country": "BR"},
		},
		{
			name: "country alpha-3 and accents",
			form: form("pais=México", "email=a@b.co", "telefono=55 1234 5678"),
			want: map[string]string{"person.country": "MX", "person.phone": "+525512345678"},
		},
		{
			// Kept as typed for the definition's vocabulary, which may know
			// it, or count it in coverage.
			name: "unknown country is kept and not replaced by the default",
			form: form("pais=Narnia", "email=a@b.co"),
			want: map[string]string{"person.country": "Narnia", "props.pais": "<nil>"},
		},
		{
			name: "no country field: default country",
			form: form("email=a@b.co", "telefono=3001234567"),
			want: map[string]string{"person.country": "CO", "person.phone": "+573001234567", "notes": "~default_country CO"},
		},
		{
			name: "several values: first non-empty, others in extra_values",
			form: form("email=", "email=uno@a.co", "email=dos@a.co", "interes=a", "interes=b", "interes=c"),
			want: map[string]string{"person.email": "uno@a.co", "props.extra_values": "map[email:[dos@a.co] interes:[b c]]",
				"unmapped.interes": "a", "props.interes": "a"},
		},
		{
			name: "unmapped fields kept; honeypot, timestamp and utm are not unmapped",
			form: form("email=a@b.co", "comentario=hola", "website_url=", "utm_source=LinkedIn", "utm_medium=cpc",
				"utm_campaign=Q2", "utm_term=x", "_pista_other=1"),
			want: map[string]string{"unmapped.comentario": "hola", "props.comentario": "hola", "unmapped.website_url": "",
				"unmapped.utm_source": "", "unmapped._pista_other": "", "source.channel": "linkedin",
				"props.utm_source": "LinkedIn", "props.utm_term": "x", "source.campaign": "Q2"},
		},
		{
			name: "mapped campaign beats utm",
			form: form("email=a@b.co", "campana=feria", "utm_campaign=Q2", "utm_medium=email"),
			want: map[string]string{"source.campaign": "feria", "source.channel": "email"},
		},
		{
			name: "unmapped name colliding with a mapped prop or a reserved key",
			form: form("email=a@b.co", "message=otro", "mensaje=uno", "spam_signals=x"),
			want: map[string]string{"props.message": "uno", "props.unmapped_message": "otro",
				"props.unmapped_spam_signals": "x", "unmapped.message": "otro"},
		},
		{
			name: "oversized values are cut and noted",
			form: form("email=a@b.co", "empresa="+strings.Repeat("x", 1500), "mensaje="+strings.Repeat("é", 12000)),
			want: map[string]string{"company.name": strings.Repeat("x", 1000), "props.message": strings.Repeat("é", 5000),
				"notes": "~\"empresa\": 1500 characters; kept the first 1000"},
		},
		{
			// An accented letter is two bytes: intake's 10,000-byte cap on
			// a text is reached at 5,000 of them.
			name: "free text cut at intake's byte limit",
			form: form("email=a@b.co", "mensaje="+strings.Repeat("é", 6000)),
			want: map[string]string{"props.message": strings.Repeat("é", 5000),
				"notes": "~\"mensaje\": 6000 characters; kept the first 5000"},
		},
		{
			name: "control characters and invalid UTF-8",
			form: form("email=a@b.co", "empresa=Ac\x00me\xff\u200b Ltd\t\n"),
			want: map[string]string{"company.name": "Acme\uFFFD Ltd"},
		},
		{
			// Seniority is mapped by intake, through the definition's
			// vocabulary: the form keeps what was chosen.
			name: "seniority kept as chosen",
			form: form("email=a@b.co", "nivel=Jefe de planta"),
			want: map[string]string{"person.seniority": "Jefe de planta", "props.nivel": "<nil>"},
		},
		{
			name: "empty form",
			form: url.Values{},
			want: map[string]string{"missing": "person.email|person.phone", "person.country": "CO"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Map(testConfig(), stamped(tt.form, time.Minute), testNow, testKey)
			for path, want := range tt.want {
				got := get(t, s, path)
				if sub, ok := strings.CutPrefix(want, "~"); ok {
					if !strings.Contains(got, sub) {
						t.Errorf("%s = %q, want it to contain %q", path, got, sub)
					}
				} else if got != want && !(want == "" && got == "<nil>") {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
			if err := lead.Validate(&s.Lead, nil, nil); err != nil {
				t.Errorf("mapped lead does not validate: %v", err)
			}
		})
	}
}

func TestMapSpamSignals(t *testing.T) {
	cfg := testConfig()
	tests := []struct {
		name string
		form url.Values
		key  []byte
		want string // joined Suspicious
	}{
		{"clean", stamped(form("email=a@b.co"), time.Minute), testKey, ""},
		{"honeypot filled", stamped(form("email=a@b.co", "website_url=http://spam.example"), time.Minute), testKey, "honeypot filled"},
		{"honeypot only spaces", stamped(form("email=a@b.co", "website_url=  "), time.Minute), testKey, ""},
		{"too fast", stamped(form("email=a@b.co"), 1500*time.Millisecond), testKey, "filled in 1s (minimum 3s)"},
		{"no timestamp", form("email=a@b.co"), testKey, "no timestamp"},
		{"forged", form("email=a@b.co", "_pista_ts="+Stamp([]byte("another-key-of-16-bytes"), testNow.Add(-time.Hour))), testKey, "timestamp forged"},
		{"garbage", form("email=a@b.co", "_pista_ts=hello"), testKey, "timestamp forged"},
		{"future", stamped(form("email=a@b.co"), -time.Hour), testKey, "timestamp in the future"},
		{"too old", stamped(form("email=a@b.co"), 25*time.Hour), testKey, "timestamp too old (form rendered 25h ago; maximum 24h)"},
		{"short server key", stamped(form("email=a@b.co"), time.Minute), []byte("short"), "timestamp not verified: the server key is shorter than 16 bytes"},
		{"several at once", form("email=a@b.co", "website_url=x"), testKey, "honeypot filled,no timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Map(cfg, tt.form, testNow, tt.key)
			if got := strings.Join(s.Suspicious, ","); got != tt.want {
				t.Errorf("Suspicious = %q, want %q", got, tt.want)
			}
			signals, _ := s.Lead.Actions[0].Props[propSpam].([]any)
			if len(signals) != len(s.Suspicious) {
				t.Errorf("action.props.spam_signals = %v, want %v", signals, s.Suspicious)
			}
		})
	}
}

func TestMapChecksOff(t *testing.T) {
	cfg := testConfig()
	cfg.Honeypot, cfg.TimestampField, cfg.MinFillSeconds = Off, Off, -1
	s := Map(cfg, form("email=a@b.co", "website_url=x"), testNow, nil)
	if len(s.Suspicious) != 0 {
		t.Errorf("Suspicious = %v with checks off", s.Suspicious)
	}
	if s.Unmapped["website_url"] != "x" {
		t.Errorf("website_url is an ordinary field with the honeypot off; Unmapped = %v", s.Unmapped)
	}
}

func TestMapUnvalidatedConfig(t *testing.T) {
	cfg := &Config{Action: "contact_form", DefaultCountry: "Narnia", Fields: map[string]string{"tel": "person.phone", "x": "person.nam"}}
	s := Map(cfg, form("tel=3001234567", "x=Ana"), testNow, testKey)
	if s.Lead.Person.Country != "" || s.Lead.Person.Phone != "3001234567" || s.Unmapped["x"] != "Ana" {
		t.Errorf("lead %+v, unmapped %v: a bad default country or path must not leak into the lead", s.Lead.Person, s.Unmapped)
	}
}

func TestMapUTMOff(t *testing.T) {
	cfg := testConfig()
	cfg.UTM = new(false)
	s := Map(cfg, stamped(form("email=a@b.co", "utm_source=google"), time.Minute), testNow, testKey)
	if s.Lead.Source.Channel != "" || s.Unmapped["utm_source"] != "google" {
		t.Errorf("channel %q, unmapped %v: with utm off utm_source is an ordinary field", s.Lead.Source.Channel, s.Unmapped)
	}
}

func TestMapRequired(t *testing.T) {
	tests := []struct {
		required []string
		form     url.Values
		want     string
	}{
		{nil, form("email=a@b.co"), ""},
		{nil, form("telefono=3001234567"), ""},
		{nil, form("empresa=Acme"), "person.email|person.phone"},
		{[]string{"person.email", "company.name"}, form("telefono=3001234567"), "person.email,company.name"},
		{[]string{"person.first_name"}, form("nombre=Ana"), ""},
		{[]string{"person.last_name"}, form("nombre=Ana"), "person.last_name"},
		{[]string{"company.employees", "action.props.message", "person.attributes.product"},
			form("empleados=10", "mensaje=hola", "producto=x"), ""},
		{[]string{"company.revenue", "action.props.message"}, form("ingresos=no sé"), "company.revenue,action.props.message"},
		{[]string{"person.country"}, form(), ""}, // default_country
	}
	for _, tt := range tests {
		cfg := testConfig()
		cfg.Required = tt.required
		s := Map(cfg, tt.form, testNow, testKey)
		if got := strings.Join(s.Missing, ","); got != tt.want {
			t.Errorf("Required %v, form %v: Missing = %q, want %q", tt.required, tt.form, got, tt.want)
		}
	}
}

func TestMapTooManyFields(t *testing.T) {
	f := form("email=a@b.co")
	for i := range 80 {
		f.Set("f"+strings.Repeat("x", i%3)+string(rune('a'+i%26))+string(rune('a'+i/26)), "v")
	}
	f.Set("bad name", "v")
	s := Map(testConfig(), f, testNow, testKey)
	if len(s.Unmapped) != maxUnmapped {
		t.Errorf("kept %d unmapped fields, want %d", len(s.Unmapped), maxUnmapped)
	}
	if !strings.Contains(get(t, s, "notes"), "31 fields not kept") {
		t.Errorf("notes = %q, want the count of fields not kept", s.Notes)
	}
}

func TestFlag(t *testing.T) {
	s := Map(testConfig(), stamped(form("email=a@b.co"), time.Minute), testNow, testKey)
	s.Flag(RateLimited)
	if got := get(t, s, "props."+propSpam); got != "["+RateLimited+"]" {
		t.Errorf("spam_signals = %s", got)
	}
}

func TestErrorLocation(t *testing.T) {
	cfg := testConfig()
	got := ErrorLocation(cfg, []string{"person.email|person.phone", "company.name"})
	want := "https://example.com/contacto?error=missing&missing=person.email%7Cperson.phone&missing=company.name&ref=x"
	if got != want {
		t.Errorf("ErrorLocation = %s, want %s", got, want)
	}
	cfg.ErrorURL = ""
	if got := ErrorLocation(cfg, []string{"x"}); got != "" {
		t.Errorf("without error_url: %q, want empty", got)
	}
}

// TestMapCampaign: the form's campaign is the default; a field of the form
// or utm_campaign says better.
func TestMapCampaign(t *testing.T) {
	cfg := testConfig()
	cfg.Campaign = "precios-2026"
	tests := []struct {
		form url.Values
		want string
	}{
		{form("email=a@b.co"), "precios-2026"},
		{form("email=a@b.co", "utm_campaign=Q2"), "Q2"},
		{form("email=a@b.co", "campana=feria", "utm_campaign=Q2"), "feria"},
	}
	for _, tt := range tests {
		if s := Map(cfg, tt.form, testNow, testKey); s.Lead.Source.Campaign != tt.want {
			t.Errorf("%v: campaign %q, want %q", tt.form, s.Lead.Source.Campaign, tt.want)
		}
	}
}
