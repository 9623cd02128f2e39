package view

// Reports is the dashboards page: the funnel of the period with its
// table, the last months side by side, and why sales rejected leads.
type Reports struct {
	Base
	From, To, Team, Source  string
	Teams, SourceOptions    []Option
	Funnel                  Funnel
	Months                  []string   // column heads: this month first
	MonthRows               []MonthRow // one per stage
	Reasons                 []CountRow // rejection reasons, most first
	CSV                     string     // the funnel's CSV, same filters
	FollowUp                Heat
	FollowUpCSV             string
	Sources, Bands, Deciles Conversion
	BandsCSV                string
	// Timezone is the organisation's: the days of the filters and the
	// months and ISO weeks of the tables are its.
	Timezone string
	// Campaigns: conversion and cost per campaign; Forms: per form.
	Campaigns    []CampaignRow
	CampaignsCSV string
	Forms        Conversion
	// CostForm enters a campaign's monthly cost (marketing and admins).
	CostForm *CostForm
	// CostsHidden: the page counts some teams' leads (a manager's), and a
	// campaign's cost is not split between teams, so no cost is shown.
	CostsHidden bool
}

// CampaignRow is one campaign: its conversion and, where a cost was
// entered, the cost and cost per MQL and per won lead in local format.
type CampaignRow struct {
	ConvRow
	Cost, CostPerMQL, CostPerWon string
}

// CostForm is the campaign cost form: the campaigns known (for the
// datalist) and the values typed.
type CostForm struct {
	Action                            string // the form's URL, with the page's filters
	Known                             []string
	Campaign, Month, Amount, Currency string
}

// Funnel is the waterfall drawn as bars; the geometry is computed in Go
// so the template only places numbers into attributes.
type Funnel struct {
	Width, Height int
	Centre        int // the bars' middle, where the rates go
	Bars          []FunnelBar
}

// FunnelBar is one stage: its bar, its count and the rate from the stage
// above (empty on the first).
type FunnelBar struct {
	Stage, Label   string
	Count          int64
	CountText      string
	Rate           string // "45,0 %" or "—"
	X, Y, W, H     int
	LabelY, CountX int
	RateY          int
}

// MonthRow is one stage's count in each month.
type MonthRow struct {
	Label  string
	Counts []string
}

// CountRow is a named count with its share, for small tables.
type CountRow struct {
	Label, Count, Share string
}

// Heat is the follow-up heat map: each rep's share of first touches
// within the SLA per week; the colour repeats what the text says.
type Heat struct {
	Weeks []string
	Rows  []HeatRow
}

// HeatRow is one rep.
type HeatRow struct {
	Rep, Team string
	Cells     []HeatCell
}

// HeatCell is one rep's week: Class is heat-good, heat-mid, heat-bad or
// heat-none (nothing routed).
type HeatCell struct {
	Class, Share, Detail string
}

// Conversion is a table of groups (sources, bands, deciles) and how
// their leads converted, each with a small bar of the won rate.
type Conversion struct {
	MidLabel string // the middle stage's name (MQL for sources, SAL for bands)
	Rows     []ConvRow
}

// ConvRow is one group; Bar is the won rate's bar width (0–100).
type ConvRow struct {
	Label, Leads, Mid, Won, MidRate, WonRate, Lift string
	Bar                                            int
}
