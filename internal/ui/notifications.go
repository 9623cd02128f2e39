package ui

import (
	"net/http"
	"strconv"

	"github.com/pistahq/pista/internal/notify"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// notificationsPage lists what the user was told (new leads, first
// touches about to fall due, reassignments, breaches), newest first, in
// their language; the same texts as the e-mails.
func (u *UI) notificationsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	const page = 50
	before, _ := strconv.ParseInt(get(r, "before"), 10, 64)
	list, err := u.db.Notifications(r.Context(), rq.User.ID, before, page+1)
	if err != nil {
		return err
	}
	p := &view.Notifications{Base: u.base(r, rq, "notify.title")}
	if len(list) > page {
		list = list[:page]
		p.Older = list[page-1].ID
	}
	for _, n := range list {
		subject, body := notify.Text(rq.P, n, rq.Loc)
		p.Items = append(p.Items, view.Notification{ID: n.ID, Subject: subject, Body: body, At: n.CreatedAt, Unread: n.ReadAt == nil,
			LeadID: n.LeadID, MailFailed: n.MailStatus == store.MailFailed})
	}
	return u.render(w, http.StatusOK, "notifications", p)
}

// notificationsRead marks the user's notifications read: the one named
// by id, or all of them.
func (u *UI) notificationsRead(w http.ResponseWriter, r *http.Request, rq *request) error {
	var ids []int64
	if id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64); err == nil && id > 0 {
		ids = []int64{id}
	}
	if _, err := u.db.MarkNotificationsRead(r.Context(), rq.User.ID, ids, u.now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/app/notifications", http.StatusSeeOther)
	return nil
}
