package view

import (
	"html/template"
	"time"
)

// FormRow is one web form in the list.
type FormRow struct {
	Name     string
	Title    string // its heading in the page's language, if it has one
	Action   string // the inquiry action, in the page's language
	Source   string
	Campaign string
	Fields   int
	Updated  time.Time
	Hosted   string // the hosted page's URL
}

// Forms lists the web forms.
type Forms struct {
	Base
	Rows     []FormRow
	MayEdit  bool
	Feeds    string // the active definition, which scores every submission
	Endpoint string // the server's address forms post to
}

// FormFieldRow is one field of the form in the editor.
type FormFieldRow struct {
	N        int
	Name     string // the HTML name
	Target   string // the lead field it fills
	Labels   []FormLabel
	Options  string // select options, comma-separated
	Required bool
	Errors   []string
}

// FormLabel is a field's own label in one language.
type FormLabel struct {
	Lang, Text string
}

// FormEdit creates or changes a web form, with its preview, its snippet
// and its hosted page.
type FormEdit struct {
	Base
	New            bool
	Name           string
	Action         string
	SourceFormat   string
	Campaign       string
	DefaultCountry string
	ThankYouURL    string
	ErrorURL       string
	Titles         []FormLabel
	UTM            bool
	Contact        bool // at least an e-mail or a phone is required
	Keep           []string
	Rows           []FormFieldRow
	Targets        []Option // lead fields, for the datalist
	Actions        []Option // inquiry actions, for the datalist
	Formats        []Option
	Feeds          string // the active definition
	Warnings       []string
	PreviewLangs   []Option
	Preview        template.HTML // webform.Hosted: built by Pista, every value escaped
	Snippet        string
	Hosted         string // the hosted page's URL ("" until saved)
	Saved          bool
	RequiredErrors []string // what is wrong with the required fields
}
