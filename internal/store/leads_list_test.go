package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	lstage "github.com/pistahq/pista/internal/stage"
)

// TestEffectiveStageSQL: the list's stage filter says what stage.Effective
// says, for every pair of stages.
func TestEffectiveStageSQL(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stages := []string{"", lstage.None, lstage.Inquiry, lstage.MQL, lstage.SAL, lstage.SQL, lstage.Opportunity, lstage.Won,
		lstage.Lost, lstage.Nurture, lstage.Disqualified, lstage.Recycled}
	expr := strings.NewReplacer("human_stage", "h", "stage", "e").Replace(EffectiveStageSQL)
	for _, engine := range stages[1:] {
		for _, human := range stages {
			var got string
			if err := db.sql.QueryRowContext(ctx, `SELECT `+expr+` FROM (SELECT ? AS e, ? AS h) AS t`, engine, human).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := lstage.Effective(engine, human); got != want {
				t.Errorf("engine %q, human %q: SQL says %q, stage.Effective %q", engine, human, got, want)
			}
		}
	}
}
