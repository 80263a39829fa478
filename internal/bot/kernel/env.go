package kernel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/rs/zerolog"
)

// Commenter is what a flow needs to talk on an issue.
type Commenter interface {
	CreateComment(ctx context.Context, repo string, number int, body string) (int64, error)
	EditComment(ctx context.Context, repo string, id int64, body string) error
	ListComments(ctx context.Context, repo string, number int) ([]gh.Comment, error)
}

// Labeler is what a flow needs to label issues.
type Labeler interface {
	EnsureLabels(ctx context.Context, repo string, labels ...gh.LabelSpec) error
	AddLabels(ctx context.Context, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, repo string, number int, label string) error
}

// Permissions is what deciding "is this user an organizer" needs.
type Permissions interface {
	Permission(ctx context.Context, repo, user string) (string, error)
	IsTeamMember(ctx context.Context, org, team, user string) (bool, error)
}

// ConfigSource loads a repository's cohortbot.yml. A broken file is a
// *ConfigError, not a plain error, so the flow can show it on the issue.
type ConfigSource interface {
	RepoConfig(ctx context.Context, repo string) (config.Repo, error)
}

// ConfigError is a repository config file that exists but is invalid.
type ConfigError struct {
	Source, Path string
	Err          error
}

func (e *ConfigError) Error() string { return fmt.Sprintf("%s in %s: %v", e.Path, e.Source, e.Err) }

// Unwrap returns the parse error.
func (e *ConfigError) Unwrap() error { return e.Err }

// Env is what every flow gets: the store and the clock. GitHub access is
// passed per call, as the narrow interface each flow declares.
type Env struct {
	Store *store.Store
	// Now is the clock; flows never call time.Now themselves.
	Now func() time.Time
	// Owner identifies this worker in issue locks.
	Owner string
	// LockTTL is the lease of an issue or cohort lock (default 2 minutes):
	// the job timeout, since locks are held within one job attempt, so a
	// lease outlives its holder only when the holder's process died.
	LockTTL time.Duration
	// Jobs queues follow-up work (re-renders).
	Jobs Jobs
	// Budget says when an installation's GitHub budget runs low, so that
	// non-urgent work yields (nil: never low), see budget.go.
	Budget Budget
	// Flood is the per-user command budget (nil: unlimited), see flood.go.
	Flood *FloodGuard
	// Organizers caches organizer checks briefly (nil: no cache), see
	// organizer.go.
	Organizers *OrganizerCache
	// Measurer counts mentees' pull requests for the retention follow-ups
	// (nil: no follow-ups), see retention.go.
	Measurer Measurer
	// Search paces the search API's requests per installation (SPEC §10;
	// nil: one is made on first use), see ladder.go.
	Search *ladder.Pacer
	// WebURL is GitHub's web host, for the search links of ladder progress
	// (default https://github.com).
	WebURL string
}

// lockIssue serialises the writes to one issue across workers and replicas.
// It returns ErrBusy when another worker holds the issue; the job is then
// snoozed and tried again shortly.
func (e *Env) LockIssue(ctx context.Context, repo string, number int) (func(), error) {
	return e.Lock(ctx, issueLock(repo, number))
}

// lock takes the lease on key, or returns ErrBusy.
func (e *Env) Lock(ctx context.Context, key string) (func(), error) {
	// Each acquisition has its own token: workers of one process must
	// exclude each other too.
	owner := e.Owner + "/" + strconv.FormatUint(lockSeq.Add(1), 10)
	ttl := e.LockTTL
	if ttl <= 0 {
		ttl = 2 * time.Minute
	}
	if err := e.Store.Lock(ctx, key, owner, ttl); err != nil {
		if errors.Is(err, store.ErrLocked) {
			return nil, ErrBusy
		}
		return nil, err
	}
	return func() {
		if err := e.Store.Unlock(context.WithoutCancel(ctx), key, owner); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Str("lock", key).Msg("could not release issue lock; it expires by itself")
		}
	}, nil
}

var lockSeq atomic.Uint64

// ErrBusy means another worker is writing to the same issue right now.
var ErrBusy = errors.New("issue busy")

// hash is a short digest used to tell whether a rendered body changed.
func Hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// upsertComment keeps one bot comment per key on an issue: created the first
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

// findComment looks for a bot comment carrying marker.
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
