package ui

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
)

// takeNext is the queue's "Take next": the lead due first in the user's
// teams' queue becomes theirs (waterfall.Take, the API's
// POST /api/v1/leads/{id}/take) and opens. A lead another rep took a
// moment before is skipped for the next one. With nothing waiting in the
// team queue it opens the user's own lead due first; with nothing at all,
// the queue says so. The form's idempotency key makes a double click
// take one lead, not two.
func (u *UI) takeNext(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	key := r.PostFormValue("idem")
	if key != "" {
		if prev, err := u.idempotent(ctx, rq, key); err != nil {
			return err
		} else if prev != "" {
			http.Redirect(w, r, prev, http.StatusSeeOther)
			return nil
		}
	}
	next, err := u.takeOne(ctx, rq)
	if err != nil {
		return err
	}
	if next == "" {
		next = "/app/queue?done=nothing_to_take"
	}
	if key != "" {
		err := u.db.InTx(ctx, func(tx *store.Tx) error {
			return tx.PutIdempotent(ctx, -rq.User.ID, "ui:"+key, &store.Idempotent{Fingerprint: r.URL.Path, Status: http.StatusSeeOther, Body: []byte(next), CreatedAt: u.now()})
		})
		if err != nil && !store.IsConflict(err) {
			return err
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// takeOne takes the team queue's first lead, or finds the user's own
// lead due first, and returns the address to open ("" for none): the
// queue page's order (store.QueuePage), read a few at a time.
func (u *UI) takeOne(ctx context.Context, rq *request) (string, error) {
	sc, _, err := u.scope(ctx, rq)
	if err != nil {
		return "", err
	}
	q := store.QueueQuery{Teams: sc.Teams, Limit: 20}
	for {
		waiting, err := u.db.QueuePage(ctx, q)
		if err != nil {
			return "", err
		}
		for _, l := range waiting.Leads {
			_, err := u.wf.Take(ctx, l.ID, actor(rq))
			if pe, ok := problem.As(err); ok && pe.Kind == problem.Conflict {
				continue // taken by someone else meanwhile
			}
			if err != nil {
				return "", err
			}
			return leadURL(l.ID, "taken"), nil
		}
		if !waiting.More {
			break
		}
		q.After = waiting.Keys[len(waiting.Keys)-1]
	}
	mine, err := u.db.QueuePage(ctx, store.QueueQuery{Owner: rq.User.ID, Stages: stage.OpenStages(), Limit: 1})
	if err != nil {
		return "", err
	}
	if len(mine.Leads) > 0 {
		return "/app/leads/" + strconv.FormatInt(mine.Leads[0].ID, 10), nil
	}
	return "", nil
}

// idempotent is where an earlier submit of the same form went, or "".
func (u *UI) idempotent(ctx context.Context, rq *request, key string) (string, error) {
	var prev string
	err := u.db.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.Idempotent(ctx, -rq.User.ID, "ui:"+key)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err == nil {
			prev = string(p.Body)
		}
		return err
	})
	return prev, err
}
