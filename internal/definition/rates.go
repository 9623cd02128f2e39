package definition

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// LoadRates reads a rates file: one "CODE: rate" per line, how many units
// of the definition's currency one unit of CODE is worth, like
// exchange_rates in a definition. Rates change more often than the
// definition, so a file kept beside it (no network is ever asked) can
// replace them: see ParseWithRates. Errors name the file and line.
func LoadRates(path string) (map[string]float64, error) {
	name := filepath.Base(path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Errors{{File: name, Msg: err.Error()}}
	}
	p := &problems{file: name}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		addYAMLError(p, err)
		return nil, p.err()
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		p.add(1, "", "a rates file is a mapping of currency codes to rates, like COP: 0.00025")
		return nil, p.err()
	}
	out := map[string]float64{}
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		code := strings.ToUpper(strings.TrimSpace(k.Value))
		rate, err := strconv.ParseFloat(strings.TrimSpace(v.Value), 64)
		switch {
		case !isCurrency(code):
			p.add(k.Line, "", "%q is not a currency code like COP", k.Value)
		case v.Kind != yaml.ScalarNode || err != nil:
			p.add(v.Line, "", "%s: %q is not a number (how many units of the definition's currency one %s is worth)", code, v.Value, code)
		case rate <= 0:
			p.add(v.Line, "", "%s must be positive (how many units of the definition's currency one %s is worth)", code, code)
		default:
			if _, dup := out[code]; dup {
				p.add(k.Line, "", "%s is given twice", code)
			}
			out[code] = rate
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ParseWithRates is Parse with the rates of a rates file laid over the
// definition's exchange_rates (the file's win: it is the newer).
func ParseWithRates(file string, data []byte, rates map[string]float64) (*Definition, error) {
	return parse(file, data, rates)
}
