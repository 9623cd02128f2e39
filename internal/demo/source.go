package demo

import (
	"math/rand/v2"

	"github.com/pistahq/pista/internal/lead"
)

// Inquiry action types (DOMAIN.md: what makes someone an inquiry).
const (
	actNewsletter   = "newsletter_signup"
	actDownload     = "content_download"
	actWebinarReg   = "webinar_registered"
	actWebinarAtt   = "webinar_attended"
	actContactForm  = "contact_form"
	actDemoRequest  = "demo_request"
	actPriceRequest = "price_request"
	actReferral     = "referral"
)

// formatShares: most inquiries arrive through web forms.
var formatShares = []w[string]{
	{"web_form", 55}, {"api", 12}, {"import", 7}, {"webinar_list", 10}, {"business_cards", 5},
	{"purchased_list", 5}, {"referral", 6},
}

// firstActions is what people arriving in each format did first.
var firstActions = map[string][]w[string]{
	"web_form": {{actNewsletter, 22}, {actDownload, 32}, {actWebinarReg, 6}, {actContactForm, 15},
		{actDemoRequest, 10}, {actPriceRequest, 15}},
	"api": {{actNewsletter, 20}, {actDownload, 30}, {actWebinarReg, 8}, {actContactForm, 17},
		{actDemoRequest, 12}, {actPriceRequest, 13}},
	"import":         {{actNewsletter, 30}, {actDownload, 30}, {actContactForm, 20}, {actWebinarReg, 20}},
	"webinar_list":   {{actWebinarReg, 45}, {actWebinarAtt, 55}},
	"business_cards": {{actContactForm, 70}, {actDemoRequest, 15}, {actPriceRequest, 15}},
	"purchased_list": {{actNewsletter, 100}},
	"referral":       {{actReferral, 100}},
}

// nextActions is what people do after their first action: they move up
// the funnel (a download, then a webinar, then a price request).
var nextActions = []w[string]{
	{actDownload, 30}, {actWebinarReg, 15}, {actWebinarAtt, 10}, {actContactForm, 10},
	{actDemoRequest, 15}, {actPriceRequest, 20},
}

// intentOf is how much buying intent an action shows; it feeds the
// hidden fit and the amount of web behaviour.
var intentOf = map[string]float64{
	actNewsletter: -0.4, actDownload: 0, actWebinarReg: 0.1, actWebinarAtt: 0.5, actContactForm: 0.4,
	actDemoRequest: 0.8, actPriceRequest: 0.8, actReferral: 0.5,
}

// channels by format: how the person reached the form.
var webChannels = []w[string]{{"organic", 35}, {"paid_search", 25}, {"paid_social", 15}, {"email", 15}, {"direct", 10}}

// newSource draws how an inquiry arrived.
func newSource(r *rand.Rand, loc locale) lead.Source {
	return sourceOf(r, loc, pick(r, formatShares), webChannels)
}

// sourceOf draws the channel and campaign of an inquiry of format, from
// web the channels of web forms and API posts.
func sourceOf(r *rand.Rand, loc locale, format string, web []w[string]) lead.Source {
	s := lead.Source{Format: format}
	switch s.Format {
	case "web_form", "api":
		s.Channel = pick(r, web)
	case "webinar_list":
		s.Channel = "webinar"
	case "business_cards":
		s.Channel = "event"
	case "import", "purchased_list":
		s.Channel = "list"
	case "referral":
		s.Channel = pick(r, []w[string]{{"partner", 50}, {"customer", 40}, {"employee", 10}})
		s.Trusted = chance(r, 0.6)
	}
	if camps := campaigns[loc][s.Channel]; len(camps) > 0 && (s.Channel != "organic" || chance(r, 0.3)) {
		s.Campaign = one(r, camps)
	}
	return s
}

// campaigns by locale and channel.
var campaigns = [numLocales]map[string][]string{
	es: {"organic": {"seo-registradores-temperatura", "blog-cadena-frio"}, "paid_search": {"sem-dataloggers", "sem-precios-2026", "google-ads-humedad"},
		"paid_social": {"linkedin-ciencias-vida", "linkedin-calidad-farma"}, "email": {"newsletter-2026", "nurture-ciencias-vida", "promo-calibracion"},
		"webinar": {"webinar-humedad-2026", "webinar-mapeo-termico", "webinar-gxp"}, "event": {"expo-farma-2026", "andina-pack-2026", "expo-alimentos-mx"},
		"list": {"base-asociacion-farma", "lista-feria-2025"}, "partner": {"distribuidor-andino", "partner-calibracion"}},
	pt: {"organic": {"seo-registradores-temperatura"}, "paid_search": {"sem-dataloggers-br", "google-ads-umidade"},
		"paid_social": {"linkedin-ciencias-da-vida"}, "email": {"newsletter-2026", "nutricao-farma"},
		"webinar": {"webinar-mapeamento-termico", "webinar-umidade-2026"}, "event": {"fispal-2026", "analitica-latin-america"},
		"list": {"lista-sindusfarma", "base-feira-2025"}, "partner": {"distribuidor-sp"}},
	en: {"organic": {"seo-data-loggers", "blog-cold-chain"}, "paid_search": {"sem-data-loggers", "sem-pricing-2026", "google-ads-humidity"},
		"paid_social": {"linkedin-life-sciences", "linkedin-quality-pharma"}, "email": {"newsletter-2026", "nurture-life-sciences"},
		"webinar": {"webinar-humidity-2026", "webinar-thermal-mapping", "webinar-gxp-data-integrity"}, "event": {"interphex-2026", "pack-expo-2026"},
		"list": {"ispe-members-2025", "tradeshow-list-2025"}, "partner": {"reseller-northeast", "calibration-partner"}},
	fr: {"paid_search": {"sem-enregistreurs"}, "email": {"infolettre-2026"}, "webinar": {"webinaire-humidite-2026"},
		"event": {"salon-biotech-montreal"}, "list": {"liste-salon-2025"}, "partner": {"distributeur-quebec"}},
}
