package store

import (
	"context"
	"time"
)

// CampaignCost is what a campaign cost in one month, entered by marketing
// (campaign_costs): what cost per MQL and per won lead divide.
type CampaignCost struct {
	Campaign  string    `json:"campaign"`
	Month     string    `json:"month"` // "2026-11"
	Amount    float64   `json:"amount"`
	Currency  string    `json:"currency"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PutCampaignCost sets a campaign's cost for a month.
func (db *DB) PutCampaignCost(ctx context.Context, c *CampaignCost) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO campaign_costs (campaign, month, amount, currency, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (campaign, month) DO UPDATE SET amount = excluded.amount, currency = excluded.currency, updated_at = excluded.updated_at`,
			c.Campaign, c.Month, c.Amount, c.Currency, millis(c.UpdatedAt))
		return err
	})
}

// PutCampaignCosts sets several costs in one transaction: all or none.
func (db *DB) PutCampaignCosts(ctx context.Context, costs []CampaignCost) error {
	return db.InTx(ctx, func(tx *Tx) error {
		for _, c := range costs {
			if _, err := tx.exec(ctx, `INSERT INTO campaign_costs (campaign, month, amount, currency, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (campaign, month) DO UPDATE SET amount = excluded.amount, currency = excluded.currency, updated_at = excluded.updated_at`,
				c.Campaign, c.Month, c.Amount, c.Currency, millis(c.UpdatedAt)); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteCampaignCost removes a campaign's cost for a month; ErrNotFound if
// none was entered.
func (db *DB) DeleteCampaignCost(ctx context.Context, campaign, month string) error {
	res, err := db.execWrite(ctx, `DELETE FROM campaign_costs WHERE campaign = ? AND month = ?`, campaign, month)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

// CampaignCosts lists the costs of the months [from, to] ("2026-01"), by
// campaign then month.
func (db *DB) CampaignCosts(ctx context.Context, from, to string) ([]CampaignCost, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT campaign, month, amount, currency, updated_at FROM campaign_costs
		WHERE month >= ? AND month <= ? ORDER BY campaign, month`), from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CampaignCost{}
	for rows.Next() {
		var (
			c  CampaignCost
			at int64
		)
		if err := rows.Scan(&c.Campaign, &c.Month, &c.Amount, &c.Currency, &at); err != nil {
			return nil, err
		}
		c.UpdatedAt = fromMillis(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
