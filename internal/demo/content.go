package demo

import (
	"math/rand/v2"
	"strings"

	"github.com/pistahq/pista/internal/lead"
)

// The demo company is seed 002's maker of temperature and humidity
// instruments: its products, gated assets, webinars and site map.

var products = []string{"HX-200", "HX-350", "TH-10", "TH-20", "DL-50", "DL-80", "MAP-KIT", "CAL-SVC"}

// asset is a gated download; high-tier assets (white papers, studies) are
// the "high-value assets" of seed 002's behaviour criterion.
type asset struct {
	slug string
	high bool
}

var assets = [numLocales][]asset{
	es: {{"libro-blanco-humedad", true}, {"guia-validacion-gxp", true}, {"informe-cadena-frio-2026", true}, {"estudio-mapeo-termico", true},
		{"infografia-humedad-relativa", false}, {"checklist-calibracion", false}, {"plantilla-registro-temperatura", false}, {"ebook-basico-sensores", false}},
	pt: {{"livro-branco-umidade", true}, {"guia-validacao-gxp", true}, {"estudo-mapeamento-termico", true},
		{"infografico-umidade", false}, {"checklist-calibracao", false}, {"planilha-registro-temperatura", false}},
	en: {{"white-paper-humidity-control", true}, {"gxp-validation-guide", true}, {"cold-chain-report-2026", true}, {"thermal-mapping-study", true},
		{"humidity-infographic", false}, {"calibration-checklist", false}, {"temperature-log-template", false}, {"sensors-101-ebook", false}},
	fr: {{"livre-blanc-humidite", true}, {"guide-validation-bpf", true}, {"aide-memoire-etalonnage", false}, {"gabarit-registre-temperature", false}},
}

var webinars = [numLocales][]string{
	es: {"webinar-humedad-2026", "webinar-mapeo-termico", "webinar-gxp-integridad-datos", "webinar-cadena-frio"},
	pt: {"webinar-mapeamento-termico", "webinar-umidade-2026", "webinar-cadeia-fria"},
	en: {"webinar-humidity-2026", "webinar-thermal-mapping", "webinar-gxp-data-integrity", "webinar-cold-chain"},
	fr: {"webinaire-humidite-2026", "webinaire-cartographie-thermique"},
}

// siteMap is the company website in one language.
type siteMap struct {
	product, pricing, careers string
	blog, docs                []string
}

var sites = [numLocales]siteMap{
	es: {"/productos/", "/precios", "/empleos", []string{"/blog/que-es-la-humedad-relativa", "/blog/mapeo-termico-bodegas", "/blog/cadena-de-frio-vacunas", "/blog/norma-iso-17025"},
		[]string{"/docs/manual-hx-200", "/docs/calibracion", "/docs/api", "/docs/software-dl"}},
	pt: {"/produtos/", "/precos", "/carreiras", []string{"/blog/o-que-e-umidade-relativa", "/blog/mapeamento-termico-armazens", "/blog/cadeia-fria-vacinas"},
		[]string{"/docs/manual-hx-200", "/docs/calibracao", "/docs/api"}},
	en: {"/products/", "/pricing", "/careers", []string{"/blog/what-is-relative-humidity", "/blog/warehouse-thermal-mapping", "/blog/vaccine-cold-chain", "/blog/iso-17025"},
		[]string{"/docs/hx-200-manual", "/docs/calibration", "/docs/api", "/docs/dl-software"}},
	fr: {"/produits/", "/prix", "/carrieres", []string{"/blog/humidite-relative", "/blog/cartographie-thermique"},
		[]string{"/docs/manuel-hx-200", "/docs/etalonnage"}},
}

// pageView draws a page of category cat for the site in loc.
func pageView(r *rand.Rand, loc locale, cat string) map[string]any {
	s := &sites[loc]
	var path string
	switch cat {
	case "product":
		path = s.product + strings.ToLower(one(r, products))
	case "pricing":
		path = s.pricing
	case "careers":
		path = s.careers
	case "docs":
		path = one(r, s.docs)
	default:
		path = one(r, s.blog)
	}
	return map[string]any{"category": cat, "path": path}
}

// download draws a gated asset, high tier with probability pHigh.
func download(r *rand.Rand, loc locale, pHigh float64) map[string]any {
	high := chance(r, pHigh)
	for {
		a := one(r, assets[loc])
		if a.high == high {
			tier := "low"
			if high {
				tier = "high"
			}
			return map[string]any{"tier": tier, "asset": a.slug}
		}
	}
}

// actionProps are the details a form or list records with an action.
func actionProps(r *rand.Rand, loc locale, typ string, s *lead.Source) map[string]any {
	switch typ {
	case actDownload:
		return download(r, loc, 0.35)
	case actWebinarReg, actWebinarAtt:
		return map[string]any{"webinar": one(r, webinars[loc])}
	case actDemoRequest, actPriceRequest:
		return map[string]any{"product": one(r, products)}
	case actNewsletter:
		return map[string]any{"list": "newsletter-" + langOf[loc]}
	case actContactForm:
		return map[string]any{"topic": one(r, []string{"quote", "support", "calibration", "distribution", "other"})}
	case actReferral:
		if s != nil && s.Referrer != "" {
			return map[string]any{"referrer": s.Referrer}
		}
	}
	return nil
}
