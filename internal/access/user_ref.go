package access

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/quality"
	"github.com/pistahq/pista/internal/store"
)

// UserRef names a user by e-mail or by ID, as people write them by hand:
// "ana@example.com", 7 or "7".
type UserRef string

// UnmarshalJSON reads an e-mail or an ID, as a string or a number.
func (u *UserRef) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*u = UserRef(strings.TrimSpace(s))
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err == nil && n > 0 {
		*u = UserRef(strconv.FormatInt(n, 10))
		return nil
	}
	return errors.New("want a user's e-mail or ID")
}

// FindUser finds the user a reference names. When there is none, why says
// so in words fit for a field's reason, and err is nil.
func FindUser(ctx context.Context, db *store.DB, ref UserRef) (u *store.User, why string, err error) {
	if ref == "" {
		return nil, "missing: a user's e-mail or ID", nil
	}
	if id, perr := strconv.ParseInt(string(ref), 10, 64); perr == nil {
		u, err = db.User(ctx, id)
	} else {
		email, nerr := quality.NormalizeEmail(string(ref))
		if nerr != nil {
			return nil, nerr.Error(), nil
		}
		u, err = db.UserByEmail(ctx, strings.ToLower(email))
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Sprintf("there is no user %q (see GET /api/v1/users)", string(ref)), nil
	}
	return u, "", err
}
