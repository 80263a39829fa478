package kernel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/cohortbot/cohortbot/internal/store"
)

// Hash is a short digest used to tell whether a rendered body changed.
func Hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// UpsertComment keeps one bot comment per key on an issue: created the first
// time, edited in place afterwards (only when the text changed), found again
// by its marker after a crash between creating it and recording it.
func (e *Env) UpsertComment(ctx context.Context, c Commenter, key, repo string, number int, marker, body string) (int64, error) {
	created := false
	v, err := e.Store.Once(ctx, key, func() (string, bool, error) {
		return FindComment(ctx, c, repo, number, marker)
	}, func() (string, error) {
		id, err := c.CreateComment(ctx, repo, number, body)
		created = true
		return strconv.FormatInt(id, 10), err
	})
	if err != nil {
		return 0, err
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	if id == 0 {
		return 0, nil // GitHub refused to create it for good (store.EffectFailed): nothing to edit
	}
	hkey := key + ":hash"
	if created {
		return id, e.Store.PutEffect(ctx, hkey, store.EffectDone, Hash(body))
	}
	if prev, err := e.Store.GetEffect(ctx, hkey); err == nil && prev.Value == Hash(body) {
		return id, nil
	}
	if err := c.EditComment(ctx, repo, id, body); err != nil {
		return 0, err
	}
	return id, e.Store.PutEffect(ctx, hkey, store.EffectDone, Hash(body))
}

// FindComment looks for a bot comment carrying marker.
func FindComment(ctx context.Context, c Commenter, repo string, number int, marker string) (string, bool, error) {
	cs, err := c.ListComments(ctx, repo, number)
	if err != nil {
		return "", false, err
	}
	for _, cm := range cs {
		if strings.HasSuffix(cm.User, "[bot]") && strings.Contains(cm.Body, marker) {
			return strconv.FormatInt(cm.ID, 10), true, nil
		}
	}
	return "", false, nil
}
