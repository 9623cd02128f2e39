package ui

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// act runs one act on a lead from a form: the lead must be one the user
// sees; the form's idempotency key makes a double submit (or a reload of
// the POST) a no-op, as Idempotency-Key does for the API, in the same
// table under the user's negative ID; a refused act shows the lead page
// again with the problem and what was typed (bant).
func (u *UI) act(w http.ResponseWriter, r *http.Request, rq *request, done string, bant *bantInput, run func(id int64) error) error {
	ctx := r.Context()
	l, _, _, err := u.visibleLead(ctx, r, rq)
	if err != nil {
		return err
	}
	key := r.PostFormValue("idem")
	owner := -rq.User.ID
	if key != "" {
		var prev *store.Idempotent
		err := u.db.InTx(ctx, func(tx *store.Tx) error {
			p, err := tx.Idempotent(ctx, owner, "ui:"+key)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			prev = p
			return err
		})
		if err != nil {
			return err
		}
		if prev != nil {
			http.Redirect(w, r, leadURL(l.ID, string(prev.Body)), http.StatusSeeOther)
			return nil
		}
	}
	if err := run(l.ID); err != nil {
		if _, ok := problem.As(err); !ok {
			return err
		}
		return u.showLead(w, r, rq, statusOf(err), err, bant)
	}
	if key != "" {
		err := u.db.InTx(ctx, func(tx *store.Tx) error {
			return tx.PutIdempotent(ctx, owner, "ui:"+key, &store.Idempotent{Fingerprint: r.URL.Path, Status: http.StatusSeeOther, Body: []byte(done), CreatedAt: u.now()})
		})
		if err != nil && !store.IsConflict(err) {
			return err
		}
	}
	http.Redirect(w, r, leadURL(l.ID, done), http.StatusSeeOther)
	return nil
}

func leadURL(id int64, done string) string {
	return "/app/leads/" + strconv.FormatInt(id, 10) + "?done=" + done
}

// actor is the signed-in user as the waterfall records them.
func actor(rq *request) waterfall.Actor {
	return waterfall.Actor{User: rq.User, Role: rq.User.Role, Name: rq.User.Email}
}

// The acts, each through the waterfall's own method, as the API's.

func (u *UI) accept(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.act(w, r, rq, "accepted", nil, func(id int64) error {
		_, err := u.wf.Accept(r.Context(), id, actor(rq), r.PostFormValue("note"))
		return err
	})
}

func (u *UI) reject(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.act(w, r, rq, "rejected", nil, func(id int64) error {
		_, err := u.wf.Reject(r.Context(), id, actor(rq), r.PostFormValue("reason"), r.PostFormValue("note"))
		return err
	})
}

func (u *UI) touch(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.act(w, r, rq, "touch", nil, func(id int64) error {
		_, err := u.wf.Touch(r.Context(), id, actor(rq), waterfall.TouchInput{Kind: r.PostFormValue("kind"), Outcome: r.PostFormValue("outcome"), Note: r.PostFormValue("note")})
		return err
	})
}

func (u *UI) opportunity(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.act(w, r, rq, "opportunity", nil, func(id int64) error {
		amount, err := parseAmount(r.PostFormValue("amount"), rq.P.Lang)
		if err != nil {
			return problem.Fields("the opportunity has invalid fields", problem.Field{Name: "amount", Reason: "want an amount such as 25000", Code: "number"})
		}
		_, err = u.wf.Opportunity(r.Context(), id, actor(rq), waterfall.OpportunityInput{Name: r.PostFormValue("name"), Amount: amount, Currency: r.PostFormValue("currency")})
		return err
	})
}

func (u *UI) won(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.act(w, r, rq, "won", nil, func(id int64) error {
		_, err := u.wf.Won(r.Context(), id, actor(rq), r.PostFormValue("note"))
		return err
	})
}

func (u *UI) lost(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.act(w, r, rq, "lost", nil, func(id int64) error {
		_, err := u.wf.Lost(r.Context(), id, actor(rq), r.PostFormValue("reason"), r.PostFormValue("note"))
		return err
	})
}

func (u *UI) pause(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.act(w, r, rq, "paused", nil, func(id int64) error {
		_, err := u.wf.Pause(r.Context(), id, actor(rq), r.PostFormValue("reason"))
		return err
	})
}

func (u *UI) resume(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.act(w, r, rq, "resumed", nil, func(id int64) error {
		_, err := u.wf.Resume(r.Context(), id, actor(rq))
		return err
	})
}

// assign is a manager's reassignment.
func (u *UI) assign(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.act(w, r, rq, "assigned", nil, func(id int64) error {
		to, err := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
		if err != nil || to <= 0 {
			return problem.Fields("choose who gets the lead", problem.Field{Name: "user", Reason: "choose one of the team's reps", Code: "choose"})
		}
		_, err = u.wf.Assign(r.Context(), id, actor(rq), to, r.PostFormValue("note"))
		return err
	})
}
