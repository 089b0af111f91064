package catalog

import (
	"context"

	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/identity"
)

// record reports an administrator's action to the audit log, after it has
// succeeded. The recorder logs a failure; the action stands. The actor's
// label (their email address) is the recorder's to look up.
func (s *Service) record(ctx context.Context, p *identity.Principal, action audit.Action, targetType, id, label string, details map[string]any) {
	e := audit.Entry{Action: action, TargetType: targetType, TargetID: id, TargetLabel: label, Details: details}
	if p != nil {
		e.ActorID = p.UserID
	}
	_ = s.audit.Record(ctx, e)
}

// authorChanges is what an administrator changed in an author, for the
// audit log: "changed" lists the fields, and each short field has its
// value before ("from", absent for a new author) and after ("to"). The
// biography, long Markdown, is only named.
func authorChanges(before, after *Author) map[string]any {
	if before == nil {
		before = &Author{}
	}
	out := map[string]any{}
	var changed []string
	short := func(field, from, to string) {
		if from == to {
			return
		}
		changed = append(changed, field)
		v := map[string]any{"to": to}
		if before.ID != "" {
			v["from"] = from
		}
		out[field] = v
	}
	short("name", before.Name, after.Name)
	if before.Bio != after.Bio {
		changed = append(changed, "bio")
	}
	short("tradition", string(before.Tradition), string(after.Tradition))
	short("photo_media_id", before.PhotoMediaID, after.PhotoMediaID)
	short("user_id", before.UserID, after.UserID)
	if len(changed) == 0 {
		return nil
	}
	out["changed"] = changed
	return out
}
