package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/lab"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// backtestOptions is what POST /api/v1/lab/backtest takes besides the
// file: which stored definitions to compare and how to read the outcomes
// (the same names as `pista lab backtest`'s flags).
type backtestOptions struct {
	Outcome  string `json:"outcome"`
	Positive string `json:"positive,omitempty"`
	// DefinitionID is the candidate (a stored version, often a draft);
	// 0 means the active definition.
	DefinitionID int64 `json:"definition_id,omitempty"`
	// Against is a stored version to compare with, or "active".
	Against         json.RawMessage `json:"against,omitempty"`
	Holdout         float64         `json:"holdout,omitempty"`
	Seed            uint64          `json:"seed,omitempty"`
	TimeColumn      string          `json:"time_column,omitempty"`
	SplitAt         string          `json:"split_at,omitempty"`
	Capacity        int             `json:"capacity,omitempty"`
	Weeks           float64         `json:"weeks,omitempty"`
	TargetPrecision float64         `json:"target_precision,omitempty"`
	Import          importOptions   `json:"import,omitempty"`
}

// postBacktest proves a stored definition on an uploaded spreadsheet of
// leads with their outcomes and answers the report (lab.BacktestReport),
// as `pista lab backtest --json` prints it. The file is read within the
// server's import limits and removed afterwards.
func (s *Server) postBacktest(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	up, err := s.receiveUpload(r)
	if up != nil && up.path != "" {
		defer os.RemoveAll(filepath.Dir(up.path))
	}
	if err != nil {
		return err
	}
	var in backtestOptions
	dec := json.NewDecoder(strings.NewReader(up.options))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return problem.Fields("bad backtest options", problem.Field{Name: "options", Reason: strings.TrimPrefix(err.Error(), "json: ")})
	}
	var bad []problem.Field
	if strings.TrimSpace(in.Outcome) == "" {
		bad = append(bad, problem.Field{Name: "options.outcome", Reason: "name the column that says whether each lead converted"})
	}
	if in.Holdout < 0 || in.Holdout >= 1 {
		bad = append(bad, problem.Field{Name: "options.holdout", Reason: "a share from 0 to below 1, like 0.3"})
	}
	if in.TargetPrecision < 0 || in.TargetPrecision > 1 {
		bad = append(bad, problem.Field{Name: "options.target_precision", Reason: "a share from 0 to 1, like 0.3"})
	}
	if in.Capacity < 0 || in.Weeks < 0 {
		bad = append(bad, problem.Field{Name: "options.capacity", Reason: "capacity and weeks cannot be negative"})
	}
	split := lab.Split{Holdout: in.Holdout, Seed: in.Seed, TimeColumn: in.TimeColumn}
	if (in.TimeColumn == "") != (in.SplitAt == "") {
		bad = append(bad, problem.Field{Name: "options.split_at", Reason: "time_column and split_at go together"})
	} else if in.SplitAt != "" {
		if split.At, err = lab.ParseDate(in.SplitAt); err != nil {
			bad = append(bad, problem.Field{Name: "options.split_at", Reason: err.Error()})
		}
	}
	if len(bad) > 0 {
		return problem.Fields("bad backtest options", bad...)
	}
	cand, err := lab.StoredDefinition(r.Context(), s.db, in.DefinitionID, "options.definition_id")
	if err != nil {
		return err
	}
	var against *definition.Definition
	if len(in.Against) > 0 && string(in.Against) != "null" {
		var id int64
		if string(in.Against) != `"active"` {
			if err := json.Unmarshal(in.Against, &id); err != nil || id <= 0 {
				return problem.Fields("bad backtest options", problem.Field{Name: "options.against", Reason: `a definition id, or "active"`})
			}
		}
		if against, err = lab.StoredDefinition(r.Context(), s.db, id, "options.against"); err != nil {
			return err
		}
	}
	lim := s.importLimits
	lim.TempDir = s.tempDir
	rep, err := lab.Backtest(lab.BacktestConfig{Data: up.path, Import: importer.Options(in.Import), Limits: &lim,
		Outcome: in.Outcome, Positive: in.Positive, Candidate: cand, Against: against, Split: split, Now: s.now(),
		Capacity: in.Capacity, Weeks: in.Weeks, TargetPrecision: in.TargetPrecision})
	if err != nil {
		var le *importer.LimitError
		if errors.As(err, &le) {
			return problem.Fields("the spreadsheet is over a limit", problem.Field{Name: "file", Reason: err.Error()})
		}
		return problem.Fields("the backtest cannot run on this file", problem.Field{Name: "file", Reason: err.Error()})
	}
	return writeJSON(w, http.StatusOK, rep)
}

// outcomeOptions is what POST /api/v1/outcomes takes besides the file
// (the flags of `pista lab outcomes`).
type outcomeOptions struct {
	By            string        `json:"by"`
	KeyColumn     string        `json:"key_column"`
	OutcomeColumn string        `json:"outcome_column"`
	Positive      string        `json:"positive,omitempty"`
	DateColumn    string        `json:"date_column,omitempty"`
	AmountColumn  string        `json:"amount_column,omitempty"`
	Import        importOptions `json:"import,omitempty"`
}

// postOutcomes imports outcomes for known leads from an uploaded
// spreadsheet, keyed by lead id, external id or e-mail, and answers the
// counts (lab.OutcomeStats). Sending the same file again adds nothing.
func (s *Server) postOutcomes(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	up, err := s.receiveUpload(r)
	if up != nil && up.path != "" {
		defer os.RemoveAll(filepath.Dir(up.path))
	}
	if err != nil {
		return err
	}
	var in outcomeOptions
	dec := json.NewDecoder(strings.NewReader(up.options))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return problem.Fields("bad outcome options", problem.Field{Name: "options", Reason: strings.TrimPrefix(err.Error(), "json: ")})
	}
	var bad []problem.Field
	if in.By == "" {
		in.By = "email"
	}
	if in.By != "id" && in.By != "email" && in.By != "external_id" {
		bad = append(bad, problem.Field{Name: "options.by", Reason: "id, external_id or email"})
	}
	if in.KeyColumn == "" {
		bad = append(bad, problem.Field{Name: "options.key_column", Reason: "name the column that identifies the lead"})
	}
	if in.OutcomeColumn == "" {
		bad = append(bad, problem.Field{Name: "options.outcome_column", Reason: "name the column with the outcome"})
	}
	if len(bad) > 0 {
		return problem.Fields("bad outcome options", bad...)
	}
	lim := s.importLimits
	lim.TempDir = s.tempDir
	st, err := lab.ImportOutcomes(r.Context(), s.db, lab.OutcomeImport{Data: up.path, Import: importer.Options(in.Import), Limits: &lim, Key: in.By,
		KeyColumn: in.KeyColumn, OutcomeColumn: in.OutcomeColumn, Positive: in.Positive, DateColumn: in.DateColumn,
		AmountColumn: in.AmountColumn, Now: s.now()})
	if err != nil {
		if r.Context().Err() != nil {
			return err
		}
		return problem.Fields("the outcomes cannot be read from this file", problem.Field{Name: "file", Reason: err.Error()})
	}
	return writeJSON(w, http.StatusOK, st)
}
