package definition

import (
	"fmt"
	yaml "go.yaml.in/yaml/v3"
	"strings"
)

// The raw* types mirror the YAML file one to one. They are decoded first,
// then compiled into Definition; docs/definition.md documents every key.

type rawFile struct {
	Name          string                    `yaml:"name"`
	Version       string                    `yaml:"version"`
	Description   string                    `yaml:"description"`
	Timezone      string                    `yaml:"timezone"`
	Currency      string                    `yaml:"currency"`
	ExchangeRates map[string]float64        `yaml:"exchange_rates"`
	Calendar      *rawCalendar              `yaml:"calendar"`
	Calendars     map[string]rawCalendar    `yaml:"calendars"`
	Inquiry       *rawInquiry               `yaml:"inquiry"`
	Quality       []rawQuality              `yaml:"quality"`
	Signals       map[string]rawSignal      `yaml:"signals"`
	Lead          *rawLead                  `yaml:"lead"`
	Fit           []rawFit                  `yaml:"fit"`
	Grades        []rawGrade                `yaml:"grades"`
	Engagement    *rawEngagement            `yaml:"engagement"`
	BANT          *rawBANT                  `yaml:"bant"`
	Score         *rawScore                 `yaml:"score"`
	Bands         []rawBand                 `yaml:"bands"`
	Stages        *rawStages                `yaml:"stages"`
	SLA           []rawSLA                  `yaml:"sla"`
	Routing       *rawRouting               `yaml:"routing"`
	Waterfall     *rawWaterfall             `yaml:"waterfall"`
	Vocabularies  map[string]*rawVocabulary `yaml:"vocabularies"`
}

// rawWaterfall is what sales does with routed leads: the reasons that
// pause a first-touch clock and where each rejection reason sends a lead.
type rawWaterfall struct {
	PauseReasons []string                `yaml:"pause_reasons"`
	Rejections   map[string]rawRejection `yaml:"rejections"`
	line         int
}

func (r *rawWaterfall) UnmarshalYAML(n *yaml.Node) error {
	type plain rawWaterfall
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawRejection struct {
	To        string `yaml:"to"`
	Recontact string `yaml:"recontact"`
}

type rawCalendar struct {
	Country  string   `yaml:"country"`
	Timezone string   `yaml:"timezone"`
	Hours    string   `yaml:"hours"`
	Days     []string `yaml:"days"`
	Holidays []string `yaml:"holidays"`
	line     int
}

func (r *rawCalendar) UnmarshalYAML(n *yaml.Node) error {
	type plain rawCalendar
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawInquiry struct {
	Actions []string `yaml:"actions"`
	When    src      `yaml:"when"`
}

type rawQuality struct {
	Name    string `yaml:"name"`
	When    src    `yaml:"when"`
	Verdict string `yaml:"verdict"`
	Reason  string `yaml:"reason"`
	line    int
}

func (r *rawQuality) UnmarshalYAML(n *yaml.Node) error {
	type plain rawQuality
	r.line = n.Line
	return n.Decode((*plain)(r))
}

// rawMatch is the event filter shared by signals and engagement rules.
type rawMatch struct {
	Type  scalarList     `yaml:"type"`
	Props map[string]any `yaml:"props"`
	Where src            `yaml:"where"`
}

type rawSignal struct {
	rawMatch `yaml:",inline"`
	AtLeast  *float64 `yaml:"at_least"`
	Per      string   `yaml:"per"`
	Within   string   `yaml:"within"`
	line     int
}

func (r *rawSignal) UnmarshalYAML(n *yaml.Node) error {
	type plain rawSignal
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawLead struct {
	Format          src `yaml:"format"`
	Characteristics src `yaml:"characteristics"`
	Behaviour       src `yaml:"behaviour"`
	When            src `yaml:"when"`
	line            int
}

func (r *rawLead) UnmarshalYAML(n *yaml.Node) error {
	type plain rawLead
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawFit struct {
	Name     string     `yaml:"name"`
	When     src        `yaml:"when"`
	Points   *rawPoints `yaml:"points"`
	Group    string     `yaml:"group"`
	rawTable `yaml:",inline"`
	line     int
}

func (r *rawFit) UnmarshalYAML(n *yaml.Node) error {
	type plain rawFit
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawGrade struct {
	Name string   `yaml:"name"`
	From *float64 `yaml:"from"`
	line int
}

func (r *rawGrade) UnmarshalYAML(n *yaml.Node) error {
	type plain rawGrade
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawEngagement struct {
	HalfLife string              `yaml:"half_life"`
	Rules    []rawEngagementRule `yaml:"rules"`
	line     int
}

func (r *rawEngagement) UnmarshalYAML(n *yaml.Node) error {
	type plain rawEngagement
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawEngagementRule struct {
	Name     string `yaml:"name"`
	rawMatch `yaml:",inline"`
	Counter  src        `yaml:"counter"`
	Points   *rawPoints `yaml:"points"`
	Max      *float64   `yaml:"max"`
	HalfLife string     `yaml:"half_life"`
	Within   string     `yaml:"within"`
	line     int
}

func (r *rawEngagementRule) UnmarshalYAML(n *yaml.Node) error {
	type plain rawEngagementRule
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawBANT struct {
	Weights   map[string]float64 `yaml:"weights"`
	Threshold *float64           `yaml:"threshold"`
	Budget    *struct {
		Minimum string   `yaml:"minimum"`
		Partial *float64 `yaml:"partial"`
	} `yaml:"budget"`
	Authority map[string]float64 `yaml:"authority"`
	Need      map[string]float64 `yaml:"need"`
	Timing    *struct {
		Within        string   `yaml:"within"`
		LeadTime      string   `yaml:"lead_time"`
		PartialWithin string   `yaml:"partial_within"`
		Partial       *float64 `yaml:"partial"`
		Immediate     string   `yaml:"immediate"`
	} `yaml:"timing"`
	line int
}

func (r *rawBANT) UnmarshalYAML(n *yaml.Node) error {
	type plain rawBANT
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawScore struct {
	Total src `yaml:"total"`
}

type rawBand struct {
	Name      string   `yaml:"name"`
	From      *float64 `yaml:"from"`
	When      src      `yaml:"when"`
	Action    string   `yaml:"action"`
	Recontact string   `yaml:"recontact"`
	// Labels name the band in each language (es, pt, en) on screens.
	Labels map[string]string `yaml:"labels"`
	line   int
}

func (r *rawBand) UnmarshalYAML(n *yaml.Node) error {
	type plain rawBand
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawStages struct {
	MQL src `yaml:"mql"`
	SQL src `yaml:"sql"`
}

type rawSLA struct {
	Name          string `yaml:"name"`
	When          src    `yaml:"when"`
	FirstTouch    string `yaml:"first_touch"`
	EscalateAfter string `yaml:"escalate_after"`
	OnEscalation  string `yaml:"on_escalation"`
	Calendar      string `yaml:"calendar"`
	line          int
}

func (r *rawSLA) UnmarshalYAML(n *yaml.Node) error {
	type plain rawSLA
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawRouting struct {
	Default string             `yaml:"default"`
	Teams   map[string]rawTeam `yaml:"teams"`
	Rules   []rawRoute         `yaml:"rules"`
	line    int
}

func (r *rawRouting) UnmarshalYAML(n *yaml.Node) error {
	type plain rawRouting
	r.line = n.Line
	return n.Decode((*plain)(r))
}

type rawTeam struct {
	Calendar string `yaml:"calendar"`
	Label    string `yaml:"label"`
}

type rawRoute struct {
	Name string `yaml:"name"`
	When src    `yaml:"when"`
	Team string `yaml:"team"`
	line int
}

func (r *rawRoute) UnmarshalYAML(n *yaml.Node) error {
	type plain rawRoute
	r.line = n.Line
	return n.Decode((*plain)(r))
}

// src is an expression as written in the file, with its position.
type src struct {
	Text string
	Line int
	Col  int
}

func (s *src) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{lineMsg(n.Line, "an expression must be text, e.g. company.country in [\"US\", \"CA\"]")}}
	}
	s.Text, s.Line, s.Col = n.Value, n.Line, n.Column
	return nil
}

// rawPoints is a rule's points: a number (`points: 15`) or a formula
// written as quoted text (`points: 'person.attributes.visits * 2'`).
type rawPoints struct {
	Num     float64
	Formula src // set when the points are a formula
}

func (r *rawPoints) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{lineMsg(n.Line, "points must be a number, or a formula in quotes like 'person.attributes.visits * 2'")}}
	}
	if n.Tag == "!!str" && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0 {
		// Unquoted text is more likely a typo than a formula.
		return &yaml.TypeError{Errors: []string{lineMsg(n.Line, fmt.Sprintf("points %q is not a number; write a formula in quotes, like points: 'person.attributes.visits * 2'", n.Value))}}
	}
	if n.Tag == "!!str" {
		r.Formula = src{Text: n.Value, Line: n.Line, Col: n.Column}
		if strings.TrimSpace(n.Value) == "" {
			return &yaml.TypeError{Errors: []string{lineMsg(n.Line, "points is empty: give a number or a formula")}}
		}
		return nil
	}
	return n.Decode(&r.Num)
}

// scalarList accepts one value or a list: `type: page_view` or
// `type: [page_view, visit]`.
type scalarList []string

func (l *scalarList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*l = scalarList{n.Value}
		return nil
	case yaml.SequenceNode:
		var v []string
		if err := n.Decode(&v); err != nil {
			return err
		}
		*l = v
		return nil
	}
	return &yaml.TypeError{Errors: []string{lineMsg(n.Line, "want a name or a list of names")}}
}
