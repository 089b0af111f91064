package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/dharmaplans/dharmaplans/internal/audit"
)

var _ audit.Store = (*Store)(nil)

const auditColumns = `id, at, actor_id, actor_label, action, target_type, target_id, target_label, details`

// CreateAuditEntry implements audit.Store.
func (s *Store) CreateAuditEntry(ctx context.Context, e *audit.Entry) error {
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	data, err := json.Marshal(details)
	if err != nil {
		return err
	}
	_, err = s.db.Write.ExecContext(ctx, `
		INSERT INTO audit_log (`+auditColumns+`, actor_search, target_search)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.ID, e.At.UTC(), nullString(e.ActorID), e.ActorLabel, string(e.Action), e.TargetType, e.TargetID,
		e.TargetLabel, string(data), searchName(e.ActorLabel), searchName(e.TargetLabel))
	return s.fail(err, "audit entry")
}

// ListAuditEntries implements audit.Store.
func (s *Store) ListAuditEntries(ctx context.Context, q audit.Query) ([]*audit.Entry, error) {
	w := where{}
	if q.ActorID != "" {
		w.add(`actor_id = ` + w.arg(q.ActorID))
	}
	if prefix, ok := strings.CutSuffix(q.Action, "."); ok {
		w.add(`action LIKE ` + w.arg(likeEscaper.Replace(prefix)+".%") + ` ESCAPE '\'`)
	} else if q.Action != "" {
		w.add(`action = ` + w.arg(q.Action))
	}
	if q.TargetType != "" {
		w.add(`target_type = ` + w.arg(q.TargetType))
	}
	if q.TargetID != "" {
		w.add(`target_id = ` + w.arg(q.TargetID))
	}
	if !q.Since.IsZero() {
		w.add(`at >= ` + w.arg(q.Since.UTC()))
	}
	if !q.Until.IsZero() {
		w.add(`at < ` + w.arg(q.Until.UTC()))
	}
	if q.Q != "" {
		// As for users: the labels are kept lower-cased in Go, the pattern
		// too, and its own wildcards match literally.
		p := w.arg("%" + likeEscaper.Replace(searchName(q.Q)) + "%")
		w.add(`(actor_search LIKE ` + p + ` ESCAPE '\' OR target_search LIKE ` + p + ` ESCAPE '\')`)
	}
	if !q.AfterAt.IsZero() {
		at, id := w.arg(q.AfterAt.UTC()), w.arg(q.AfterID)
		w.add(`(at < ` + at + ` OR (at = ` + at + ` AND id < ` + id + `))`)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = audit.DefaultPageSize
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log`+w.sql()+
		` ORDER BY at DESC, id DESC LIMIT `+w.arg(limit), w.args...)
	if err != nil {
		return nil, s.fail(err, "")
	}
	defer rows.Close()
	var list []*audit.Entry
	for rows.Next() {
		var (
			e       audit.Entry
			actor   sql.NullString
			action  string
			details string
		)
		if err := rows.Scan(&e.ID, &e.At, &actor, &e.ActorLabel, &action, &e.TargetType, &e.TargetID, &e.TargetLabel, &details); err != nil {
			return nil, s.fail(err, "")
		}
		e.At, e.ActorID, e.Action = e.At.UTC(), actor.String, audit.Action(action)
		if err := json.Unmarshal([]byte(details), &e.Details); err != nil || e.Details == nil {
			e.Details = map[string]any{}
		}
		list = append(list, &e)
	}
	return list, s.fail(rows.Err(), "")
}

// AuditActorLabel implements audit.Store: an account is known by its email
// address.
func (s *Store) AuditActorLabel(ctx context.Context, userID string) (string, error) {
	var email string
	err := s.db.Read.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, userID).Scan(&email)
	return email, s.fail(err, "user")
}

// forgetAuditUser replaces the labels of the account id (its email
// address) in the audit log with audit.DeletedAccount, keeping the ids;
// DeleteUser calls it in its transaction, so no address outlives the
// account.
func forgetAuditUser(ctx context.Context, tx *sql.Tx, id string) error {
	label := audit.DeletedAccount
	if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET actor_label = $2, actor_search = $3 WHERE actor_id = $1`,
		id, label, searchName(label)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE audit_log SET target_label = $3, target_search = $4
		WHERE target_type = $1 AND target_id = $2`, audit.TargetUser, id, label, searchName(label))
	return err
}
