package webform

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/lead"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
		want   []string // every error, in order; nil means valid
	}{
		{"valid", func(c *Config) {}, nil},
		{"misspelt lead field", func(c *Config) { c.Fields["e-mail"] = "person.emial"; delete(c.Fields, "email") },
			[]string{`fields."e-mail": unknown lead field "person.emial" (did you mean person.email?)`}},
		{"misspelt map prefix", func(c *Config) { c.Fields["x"] = "person.atributes.size" },
			[]string{`fields."x": unknown lead field "person.atributes.size" (did you mean person.attributes.size?)`}},
		{"nothing like a lead field", func(c *Config) { c.Fields["x"] = "zzzzzzzz" },
			[]string{`fields."x": unknown lead field "zzzzzzzz"; use person.email`}},
		{"attribute key not snake_case", func(c *Config) { c.Fields["x"] = "company.attributes.Tamaño" },
			[]string{`fields."x": lead field "company.attributes.Tamaño": the key after "company.attributes." must be snake_case`}},
		{"reserved prop", func(c *Config) { c.Fields["x"] = "action.props.spam_signals" },
			[]string{`fields."x": lead field "action.props.spam_signals": action.props.spam_signals is written by pista`}},
		{"thank you url relative", func(c *Config) { c.ThankYouURL = "/gracias" },
			[]string{"thank_you_url: must be an absolute http(s) URL"}},
		{"thank you url javascript", func(c *Config) { c.ThankYouURL = "javascript:alert(1)" },
			[]string{"thank_you_url: must be an absolute http(s) URL"}},
		{"thank you url missing: the hosted thank-you page", func(c *Config) { c.ThankYouURL = "" }, nil},
		{"labels and title", func(c *Config) {
			c.Labels = map[string]map[string]string{"producto": {"es": "Producto", "pt": "Produto", "en": "Product"}}
			c.Title = map[string]string{"es": "Pida su precio"}
			c.Campaign = " precios-2026 "
		}, nil},
		{"label of an unmapped field", func(c *Config) { c.Labels = map[string]map[string]string{"color": {"es": "Color"}} },
			[]string{`labels.color: "color" is not a field of the form`}},
		{"label in another language", func(c *Config) { c.Labels = map[string]map[string]string{"email": {"fr": "Courriel"}} },
			[]string{`labels.email.fr: "fr" is not a language forms speak`}},
		{"label too long and title on two lines", func(c *Config) {
			c.Labels = map[string]map[string]string{"email": {"en": strings.Repeat("x", 201)}}
			c.Title = map[string]string{"en": "Ask\nus"}
		}, []string{"title.en: \"Ask\\nus\": one line", "labels.email.en: 201 bytes; the limit is 200"}},
		{"campaign too long", func(c *Config) { c.Campaign = strings.Repeat("c", 300) }, []string{"campaign: 300 bytes"}},
		{"error url ftp", func(c *Config) { c.ErrorURL = "ftp://example.com/x" }, []string{"error_url: must be an absolute http(s) URL"}},
		{"name format", func(c *Config) { c.Name = "Contacto Web" }, []string{`name: "Contacto Web": use 1 to 64 of a-z, 0-9 and -`}},
		{"name too long", func(c *Config) { c.Name = strings.Repeat("a", 65) }, []string{"name: "}},
		{"name missing", func(c *Config) { c.Name = "" }, []string{"name: missing"}},
		{"action missing", func(c *Config) { c.Action = "" }, []string{"action: missing"}},
		{"action not snake_case", func(c *Config) { c.Action = "PriceRequest" }, []string{`action: "PriceRequest": use snake_case`}},
		{"source format", func(c *Config) { c.SourceFormat = "website" }, []string{`source_format: "website": use one of web_form`}},
		{"default country", func(c *Config) { c.DefaultCountry = "Narnia" }, []string{`default_country: "Narnia": use an ISO 3166 two-letter code`}},
		{"no fields", func(c *Config) { c.Fields = nil }, []string{"fields: missing", "required[0]:"}},
		{"field name with space", func(c *Config) { c.Fields["e mail"] = "person.email" }, []string{`fields."e mail": HTML field name "e mail": use letters`}},
		{"field is the honeypot", func(c *Config) { c.Fields["website_url"] = "company.domain" }, []string{`fields."website_url": "website_url" is the form's honeypot`}},
		{"field reserved", func(c *Config) { c.Fields["_pista_x"] = "company.domain" }, []string{`fields."_pista_x": names starting with _pista are reserved`}},
		{"honeypot and timestamp equal", func(c *Config) { c.Honeypot = "hp"; c.TimestampField = "hp" }, []string{`timestamp_field: "hp" is also the honeypot`}},
		{"min fill too long", func(c *Config) { c.MinFillSeconds = 7200 }, []string{"min_fill_seconds: 7200: at most 3600"}},
		{"required unknown", func(c *Config) { c.Required = []string{"person.emial"} },
			[]string{`required[0]: unknown lead field "person.emial" (did you mean person.email?)`}},
		{"required not fillable", func(c *Config) { c.Required = []string{"person.email", "company.industry"} },
			[]string{`required[1]: "company.industry" is not filled by any field`}},
		{"required alternatives, one fillable", func(c *Config) { c.Required = []string{"company.industry|company.name"} }, nil},
		{"required via person.name", func(c *Config) { c.Required = []string{"person.first_name", "person.last_name"} }, nil},
		{"required via default country and utm", func(c *Config) { c.Required = []string{"person.country", "source.channel"} }, nil},
		{"default required needs a contact field", func(c *Config) { c.Fields = map[string]string{"empresa": "company.name"} },
			[]string{`required[0]: "person.email|person.phone" is not filled by any field`}},
		{"several errors at once", func(c *Config) { c.Name = "X"; c.ThankYouURL = "x" },
			[]string{"name: ", "thank_you_url: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testConfig()
			tt.change(c)
			err := c.Validate()
			var errs lead.FieldErrors
			if err != nil && !errors.As(err, &errs) {
				t.Fatalf("Validate returned %T, want lead.FieldErrors", err)
			}
			if len(errs) != len(tt.want) {
				t.Fatalf("Validate = %v, want %d errors: %q", err, len(tt.want), tt.want)
			}
			for i, e := range errs {
				if !strings.HasPrefix(e.Error(), tt.want[i]) {
					t.Errorf("error %d = %q, want it to start with %q", i, e.Error(), tt.want[i])
				}
			}
		})
	}
}

func TestValidateFillsDefaults(t *testing.T) {
	c := testConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.SourceFormat != "web_form" || c.Honeypot != "website_url" || c.TimestampField != "_pista_ts" ||
		c.MinFillSeconds != 3 || strings.Join(c.Required, ",") != "person.email|person.phone" ||
		c.UTM == nil || !*c.UTM || c.DefaultCountry != "CO" {
		t.Errorf("defaults not filled: %+v", c)
	}
}

func TestConfigJSON(t *testing.T) {
	var c Config
	in := `{"name":"demo","fields":{"email":"person.email"},"action":"demo_request",
		"thank_you_url":"https://example.com/ok","min_fill_seconds":5,"utm":false}`
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.MinFillSeconds != 5 || c.utm() {
		t.Errorf("min_fill_seconds %d, utm %v: JSON names not read", c.MinFillSeconds, c.utm())
	}
	out, _ := json.Marshal(&c)
	for _, key := range []string{`"thank_you_url"`, `"source_format"`, `"timestamp_field"`, `"min_fill_seconds"`} {
		if !strings.Contains(string(out), key) {
			t.Errorf("JSON %s lacks %s", out, key)
		}
	}
}
