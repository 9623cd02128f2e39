package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/suggest"
)

// Webhook subscriptions and their delivery log (see docs/webhooks.md).
// Only admins manage them: a subscription sends lead data to any URL.

// webhookInput creates a subscription.
type webhookInput struct {
	URL         string   `json:"url"`
	Types       []string `json:"types"`
	Secret      string   `json:"secret,omitempty"`
	Description string   `json:"description,omitempty"`
	Active      *bool    `json:"active,omitempty"`
}

// webhookPatch changes the fields it has.
type webhookPatch struct {
	URL         *string   `json:"url,omitempty"`
	Types       *[]string `json:"types,omitempty"`
	Active      *bool     `json:"active,omitempty"`
	Description *string   `json:"description,omitempty"`
}

// webhookCreated is the answer to a creation: the only time the secret is
// shown.
type webhookCreated struct {
	store.Webhook
	Secret string `json:"secret"`
}

func (s *Server) postWebhook(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	var in webhookInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var bad []problem.Field
	if in.URL == "" {
		bad = append(bad, problem.Field{Name: "url", Reason: "missing: the http:// or https:// address to POST events to"})
	} else {
		bad = append(bad, checkWebhookURL(in.URL)...)
	}
	types, typeErrs := checkEventTypes(in.Types)
	bad = append(bad, typeErrs...)
	if in.Secret != "" && (len(in.Secret) < 16 || len(in.Secret) > 256 || strings.ContainsFunc(in.Secret, func(r rune) bool { return r <= ' ' || r > '~' })) {
		bad = append(bad, problem.Field{Name: "secret", Reason: "want 16 to 256 printable ASCII characters without spaces, or leave it out and Pista generates one"})
	}
	bad = append(bad, checkDescription(in.Description)...)
	if len(bad) > 0 {
		return problem.Fields("the webhook is not valid", bad...)
	}
	if in.Secret == "" {
		b := make([]byte, 24)
		rand.Read(b)
		in.Secret = "whsec_" + hex.EncodeToString(b)
	}
	now := s.now()
	wh := &store.Webhook{URL: in.URL, Secret: in.Secret, Types: types, Active: in.Active == nil || *in.Active,
		Description: in.Description, CreatedAt: now, UpdatedAt: now}
	if err := s.db.CreateWebhook(r.Context(), wh); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/webhooks/%d", wh.ID))
	return writeJSON(w, http.StatusCreated, webhookCreated{Webhook: *wh, Secret: wh.Secret})
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	list, err := s.db.Webhooks(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"webhooks": list, "event_types": store.EventTypes})
}

// loadWebhook is the subscription named by the path's {id}.
func (s *Server) loadWebhook(r *http.Request) (*store.Webhook, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	wh, err := s.db.Webhook(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem.New(problem.NotFound, "webhook %d does not exist", id)
	}
	return wh, err
}

func (s *Server) getWebhook(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	wh, err := s.loadWebhook(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, wh)
}

func (s *Server) patchWebhook(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in webhookPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var (
		bad   []problem.Field
		types []string
	)
	if in.URL != nil {
		bad = append(bad, checkWebhookURL(*in.URL)...)
	}
	if in.Types != nil {
		var errs []problem.Field
		types, errs = checkEventTypes(*in.Types)
		bad = append(bad, errs...)
	}
	if in.Description != nil {
		bad = append(bad, checkDescription(*in.Description)...)
	}
	if len(bad) > 0 {
		return problem.Fields("the change is not valid", bad...)
	}
	wh, err := s.db.UpdateWebhook(r.Context(), id, s.now(), func(wh *store.Webhook) error {
		if in.URL != nil {
			wh.URL = *in.URL
		}
		if in.Types != nil {
			wh.Types = types
		}
		if in.Active != nil {
			wh.Active = *in.Active
		}
		if in.Description != nil {
			wh.Description = *in.Description
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return problem.New(problem.NotFound, "webhook %d does not exist", id)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, wh)
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteWebhook(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		return problem.New(problem.NotFound, "webhook %d does not exist", id)
	} else if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listDeliveries is the delivery log, newest first; next_cursor pages on.
func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	wh, err := s.loadWebhook(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.DeliveryFilter{Limit: 50, Status: q.Get("status")}
	var bad []problem.Field
	for name := range q {
		switch name {
		case "status", "limit", "cursor":
		default:
			bad = append(bad, problem.Field{Name: name, Reason: "unknown parameter; use status, limit, cursor"})
		}
	}
	if f.Status != "" && f.Status != store.DeliveryPending && f.Status != store.DeliveryDelivered && f.Status != store.DeliveryFailed {
		bad = append(bad, problem.Field{Name: "status", Reason: "want pending, delivered or failed"})
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 200 {
			bad = append(bad, problem.Field{Name: "limit", Reason: "want a number from 1 to 200"})
		}
	}
	if v := q.Get("cursor"); v != "" {
		if f.BeforeID, err = strconv.ParseInt(v, 10, 64); err != nil || f.BeforeID < 1 {
			bad = append(bad, problem.Field{Name: "cursor", Reason: "not a cursor from a previous page"})
		}
	}
	if len(bad) > 0 {
		return problem.Fields("bad query parameters", bad...)
	}
	limit := f.Limit
	f.Limit++ // one more tells whether there is a next page
	list, err := s.db.WebhookDeliveries(r.Context(), wh.ID, f)
	if err != nil {
		return err
	}
	out := map[string]any{"deliveries": list}
	if len(list) > limit {
		list = list[:limit]
		out["deliveries"], out["next_cursor"] = list, strconv.FormatInt(list[limit-1].ID, 10)
	}
	return writeJSON(w, http.StatusOK, out)
}

// redeliver sends a delivery again now, whatever its state, with a fresh
// 72-hour retry window. The event keeps its ID, so a receiver that already
// has it can tell.
func (s *Server) redeliver(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	wh, err := s.loadWebhook(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("delivery"), 10, 64)
	if err != nil || id < 1 {
		return problem.New(problem.NotFound, "%q is not a delivery ID", r.PathValue("delivery"))
	}
	if !wh.Active {
		return problem.New(problem.Conflict, "webhook %d is paused; activate it (PATCH {\"active\": true}) to redeliver", wh.ID)
	}
	switch err := s.db.Redeliver(r.Context(), wh.ID, id, s.now()); {
	case errors.Is(err, store.ErrNotFound):
		return problem.New(problem.NotFound, "webhook %d has no delivery %d", wh.ID, id)
	case errors.Is(err, store.ErrDeliveryInFlight):
		return problem.New(problem.Conflict, "delivery %d is being sent right now; look at its log in a minute and redeliver then if needed", id)
	case err != nil:
		return err
	}
	d, err := s.db.WebhookDelivery(r.Context(), wh.ID, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, d)
}

// checkWebhookURL accepts an absolute http or https URL. Any host is
// allowed, loopback and private ones included: only admins subscribe, and
// receivers often sit on the same network.
func checkWebhookURL(raw string) []problem.Field {
	u, err := url.Parse(raw)
	switch {
	case len(raw) > 2048:
		return []problem.Field{{Name: "url", Reason: "longer than 2048 characters"}}
	case err != nil:
		return []problem.Field{{Name: "url", Reason: "not a URL: " + strings.TrimPrefix(err.Error(), "parse "+strconv.Quote(raw)+": ")}}
	case u.Scheme != "http" && u.Scheme != "https":
		return []problem.Field{{Name: "url", Reason: fmt.Sprintf("want an absolute http:// or https:// URL, got %q", raw)}}
	case u.Host == "" || u.Hostname() == "":
		return []problem.Field{{Name: "url", Reason: "the URL has no host"}}
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return []problem.Field{{Name: "url", Reason: "drop the #fragment: it is never sent to the server"}}
	}
	return nil
}

// checkEventTypes checks a subscription's event types against
// store.EventTypes, suggesting the nearest for a typo, and drops repeats.
func checkEventTypes(types []string) ([]string, []problem.Field) {
	if len(types) == 0 {
		return nil, []problem.Field{{Name: "types", Reason: "list at least one event type: " + strings.Join(store.EventTypes, ", ")}}
	}
	var (
		out []string
		bad []problem.Field
	)
	for i, t := range types {
		if slices.Contains(store.EventTypes, t) {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
			continue
		}
		reason := fmt.Sprintf("unknown event type %q", t)
		if s := suggest.Closest(t, store.EventTypes, 4); s != "" {
			reason += fmt.Sprintf("; did you mean %q?", s)
		}
		bad = append(bad, problem.Field{Name: fmt.Sprintf("types[%d]", i), Reason: reason + " (one of: " + strings.Join(store.EventTypes, ", ") + ")"})
	}
	return out, bad
}

func checkDescription(d string) []problem.Field {
	if len([]rune(d)) > 500 {
		return []problem.Field{{Name: "description", Reason: "longer than 500 characters"}}
	}
	return nil
}
