package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Team is a group of users that leads are routed to, with its business
// calendar (JSON of calendar.Config; empty means the definition's) and
// its manager.
type Team struct {
	ID        int64           `json:"id"`
	Name      string          `json:"name"`
	Label     string          `json:"label,omitempty"`
	Calendar  json.RawMessage `json:"calendar,omitempty"`
	ManagerID int64           `json:"manager_id,omitempty"`
	Members   []Member        `json:"members"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Member is a user's place in a team's rotation. Credit is the rotation
// state (smooth weighted round-robin); DailyCapacity 0 means no limit.
type Member struct {
	UserID        int64   `json:"user_id"`
	Weight        float64 `json:"weight"`
	DailyCapacity int     `json:"daily_capacity,omitempty"`
	Credit        float64 `json:"credit"`
}

func scanTeam(sc interface{ Scan(...any) error }) (*Team, error) {
	var (
		t                Team
		cal              string
		manager          sql.NullInt64
		created, updated int64
	)
	if err := sc.Scan(&t.ID, &t.Name, &t.Label, &cal, &manager, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	if cal != "" {
		t.Calendar = json.RawMessage(cal)
	}
	t.ManagerID, t.CreatedAt, t.UpdatedAt = manager.Int64, fromMillis(created), fromMillis(updated)
	return &t, nil
}

const teamColumns = `id, name, label, calendar, manager_id, created_at, updated_at`

// PutTeam creates or replaces a team by name with its members. Members
// who stay keep their rotation credit, so editing a team does not reset
// fairness.
func (db *DB) PutTeam(ctx context.Context, t *Team, now time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		old, err := tx.LockTeam(ctx, t.Name)
		switch {
		case errors.Is(err, ErrNotFound):
			t.CreatedAt = now
			t.ID, err = tx.insert(ctx, `INSERT INTO teams (name, label, calendar, manager_id, created_at, updated_at) VALUES (?,?,?,?,?,?)`,
				t.Name, t.Label, string(t.Calendar), nullInt(t.ManagerID), millis(now), millis(now))
			if err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			t.ID, t.CreatedAt = old.ID, old.CreatedAt
			if _, err := tx.exec(ctx, `UPDATE teams SET label=?, calendar=?, manager_id=?, updated_at=? WHERE id=?`,
				t.Label, string(t.Calendar), nullInt(t.ManagerID), millis(now), t.ID); err != nil {
				return err
			}
			credit := map[int64]float64{}
			for _, m := range old.Members {
				credit[m.UserID] = m.Credit
			}
			for i := range t.Members {
				t.Members[i].Credit = credit[t.Members[i].UserID]
			}
			if _, err := tx.exec(ctx, `DELETE FROM team_members WHERE team_id = ?`, t.ID); err != nil {
				return err
			}
		}
		t.UpdatedAt = now
		for _, m := range t.Members {
			if _, err := tx.exec(ctx, `INSERT INTO team_members (team_id, user_id, weight, daily_capacity, credit) VALUES (?,?,?,?,?)`,
				t.ID, m.UserID, m.Weight, m.DailyCapacity, m.Credit); err != nil {
				return fmt.Errorf("member %d: %w", m.UserID, err)
			}
		}
		return nil
	})
}

// LockTeam loads a team with its members and, on PostgreSQL, locks it
// until the transaction ends: routing reads and advances the rotation,
// and two servers must not advance it from the same state.
func (tx *Tx) LockTeam(ctx context.Context, name string) (*Team, error) {
	t, err := scanTeam(tx.row(ctx, `SELECT `+teamColumns+` FROM teams WHERE name = ?`+tx.forUpdate(), name))
	if err != nil {
		return nil, err
	}
	rows, err := tx.rows(ctx, `SELECT user_id, weight, daily_capacity, credit FROM team_members WHERE team_id = ? ORDER BY user_id`, t.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.UserID, &m.Weight, &m.DailyCapacity, &m.Credit); err != nil {
			return nil, err
		}
		t.Members = append(t.Members, m)
	}
	return t, rows.Err()
}

// SaveCredits stores the rotation state after an assignment.
func (tx *Tx) SaveCredits(ctx context.Context, teamID int64, members []Member) error {
	for _, m := range members {
		if _, err := tx.exec(ctx, `UPDATE team_members SET credit = ? WHERE team_id = ? AND user_id = ?`, m.Credit, teamID, m.UserID); err != nil {
			return err
		}
	}
	return nil
}

// Team loads a team and its members.
func (db *DB) Team(ctx context.Context, name string) (*Team, error) {
	var t *Team
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		t, err = tx.LockTeam(ctx, name)
		return err
	})
	return t, err
}

// Teams lists every team with its members.
func (db *DB) Teams(ctx context.Context) ([]*Team, error) {
	names, err := column[string](db.sql.QueryContext(ctx, `SELECT name FROM teams ORDER BY name`))
	if err != nil {
		return nil, err
	}
	out := make([]*Team, 0, len(names))
	for _, n := range names {
		t, err := db.Team(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// AssignedSince counts each user's assignments since a time (a day's
// capacity).
func (tx *Tx) AssignedSince(ctx context.Context, userIDs []int64, since time.Time) (map[int64]int, error) {
	out := map[int64]int{}
	for _, id := range userIDs {
		var n int
		if err := tx.row(ctx, `SELECT count(*) FROM assignments WHERE user_id = ? AND at >= ?`, id, millis(since)).Scan(&n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, nil
}

// IsMember reports whether a user is a member of a team.
func (tx *Tx) IsMember(ctx context.Context, team string, userID int64) (bool, error) {
	var n int
	err := tx.row(ctx, `SELECT count(*) FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.name = ? AND m.user_id = ?`, team, userID).Scan(&n)
	return n > 0, err
}

// TeamsManagedBy lists the names of the teams a user manages.
func (tx *Tx) TeamsManagedBy(ctx context.Context, userID int64) ([]string, error) {
	rows, err := tx.rows(ctx, `SELECT name FROM teams WHERE manager_id = ? ORDER BY name`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
