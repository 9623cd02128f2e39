package ui

import (
	"net/http"

	"github.com/pistahq/pista/internal/access"
)

// Register mounts the web app's routes: one table, every page and action
// with the permission it needs (the same as the API's for the same act).
func (u *UI) Register(mux *http.ServeMux) {
	page := func(pattern string, perm access.Permission, h handler) { mux.Handle(pattern, u.app(perm, h)) }
	mux.Handle("GET /login", u.public(u.loginPage))
	mux.Handle("POST /login", u.public(u.login))
	mux.Handle("GET /static/", u.assets)
	mux.Handle("GET /login/reset/{token}", u.public(u.passwordResetPage))
	mux.Handle("POST /login/reset/{token}", u.public(u.passwordReset))
	page("POST /logout", access.Read, u.logout)
	page("GET /app/{$}", access.Read, u.homePage)
	page("POST /app/language", access.Read, u.setLanguage)
	page("GET /app/queue", access.Qualify, u.queuePage)
	page("POST /app/queue/next", access.Qualify, u.takeNext)
	page("GET /app/leads", access.Read, u.leadsPage)
	page("GET /app/leads.csv", access.Read, u.leadsCSV)
	page("GET /app/leads/{id}", access.Read, u.leadPage)
	page("GET /app/leads/{id}/bant", access.Qualify, u.bantPreview)
	page("POST /app/leads/{id}/accept", access.Qualify, u.accept)
	page("POST /app/leads/{id}/reject", access.Qualify, u.reject)
	page("POST /app/leads/{id}/touch", access.Qualify, u.touch)
	page("POST /app/leads/{id}/bant", access.Qualify, u.saveBANT)
	page("POST /app/leads/{id}/opportunity", access.Qualify, u.opportunity)
	page("POST /app/leads/{id}/won", access.Qualify, u.won)
	page("POST /app/leads/{id}/lost", access.Qualify, u.lost)
	page("POST /app/leads/{id}/pause", access.Qualify, u.pause)
	page("POST /app/leads/{id}/resume", access.Qualify, u.resume)
	page("POST /app/leads/{id}/assign", access.Qualify, u.assign)
	page("GET /app/team", access.ManageLeads, u.teamPage)
	page("GET /app/reports", access.Analyse, u.reportsPage)
	page("GET /app/reports/funnel.csv", access.Analyse, u.reportsCSV)
	page("GET /app/reports/follow-up.csv", access.Analyse, u.reportsFollowUpCSV)
	page("GET /app/reports/bands.csv", access.Analyse, u.reportsBandsCSV)
	page("GET /app/reports/campaigns.csv", access.Analyse, u.reportsCampaignsCSV)
	page("POST /app/reports/campaign-costs", access.Define, u.saveCampaignCost)
	page("GET /app/campaigns", access.Define, u.campaignsPage)
	page("POST /app/campaigns", access.Define, u.campaignCostsUpload)
	page("GET /app/settings", access.Read, u.settingsPage)
	page("POST /app/settings", access.Read, u.saveSettings)
	page("POST /app/settings/password", access.Read, u.changePassword)
	page("POST /app/settings/organisation", access.Configure, u.saveOrgSettings)
	page("GET /app/notifications", access.Read, u.notificationsPage)
	page("POST /app/notifications/read", access.Read, u.notificationsRead)
	page("GET /app/users", access.ManagePeople, u.usersPage)
	page("POST /app/users", access.ManagePeople, u.userCreate)
	page("GET /app/users/{id}", access.ManagePeople, u.userEditPage)
	page("POST /app/users/{id}", access.ManagePeople, u.userSave)
	page("GET /app/forms", access.Define, u.formsPage)
	page("GET /app/forms/new", access.Define, u.formNewPage)
	page("POST /app/forms", access.Define, u.formSave)
	page("POST /app/forms/preview", access.Define, u.formPreview)
	page("GET /app/forms/{name}", access.Define, u.formEditPage)
	page("GET /app/imports", access.Define, u.importsPage)
	page("POST /app/imports", access.Define, u.importUpload)
	page("POST /app/imports/mapping", access.Define, u.importMapping)
	page("GET /app/imports/{id}", access.Define, u.importPage)
	page("GET /app/imports/{id}/report.csv", access.Define, u.importReport)
	page("GET /app/definitions", access.Define, u.definitionsPage)
	page("GET /app/definitions/new", access.Define, u.definitionEditPage)
	mux.Handle("POST /app/definitions/new", u.appSized(access.Define, definitionFormLimit, u.definitionSave))
	page("GET /app/definitions/diff", access.Define, u.definitionDiffPage)
	page("GET /app/definitions/{id}", access.Define, u.definitionPage)
	page("GET /app/definitions/{id}/progress", access.Define, u.definitionProgress)
	page("GET /app/definitions/{id}/activate", access.Define, u.definitionActivatePage)
	page("POST /app/definitions/{id}/activate", access.Define, u.definitionActivate)
	page("GET /app/lab", access.Define, u.labPage)
	page("POST /app/lab/outcomes", access.Define, u.labOutcomes)
	page("POST /app/lab/backtest", access.Define, u.labBacktest)
	page("GET /app/", access.Read, u.notFound)
	mux.Handle("GET /app", http.RedirectHandler("/app/", http.StatusSeeOther))
}

// notFound is an address under /app/ that is no page.
func (u *UI) notFound(w http.ResponseWriter, r *http.Request, rq *request) error {
	return notFoundPage(rq)
}
