package waitlists

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/waitlist"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// WaitlistGitHub is every GitHub operation the waitlist flow uses.
type WaitlistGitHub interface {
	kernel.Commenter
	kernel.Labeler
	CloseIssue(ctx context.Context, repo string, number int, reason string) error
}

// WaitlistEvent is what the waitlist flow needs from an issues event about
// an interest or a mentor offer (SPEC §11).
type WaitlistEvent struct {
	Installation int64
	Repo         string
	IssueID      int64
	Number       int
	Body         string
	Labels       []string
	State        string
	Action       string // opened, edited, reopened, labeled, closed, deleted, transferred
	Author       string // the person who waits: the issue's author
	CreatedAt    time.Time
}

// HandleWaitlist validates an interest or offer and keeps the waitlist in
// step with it: a valid open issue is on the waitlist, anything else is
// not. It is safe to call any number of times for the same issue.
func HandleWaitlist(ctx context.Context, env *kernel.Env, g WaitlistGitHub, cs kernel.ConfigSource, ev WaitlistEvent) error {
	log := zerolog.Ctx(ctx)
	if ev.State != "open" || ev.Action == "closed" || ev.Action == "deleted" || ev.Action == "transferred" ||
		strings.EqualFold(ev.Author, "ghost") {
		if gone, err := env.Store.RemoveWaiting(ctx, ev.IssueID); err != nil || gone {
			log.Info().Str("action", ev.Action).Msg("left the waitlist")
			return err
		}
		log.Debug().Msg("skip: issue is not open")
		return nil
	}
	kind := waitlist.KindOf(ev.Labels, ev.Body)
	if kind == "" {
		return nil
	}
	unlock, err := env.Lock(ctx, "waitlist:"+strings.ToLower(ev.Repo)+":"+kind+":"+strings.ToLower(ev.Author))
	if err != nil {
		return err
	}
	defer unlock()
	cfg, done, err := kernel.IssueConfig(ctx, env, g, cs, ev.Repo, ev.Number, ev.IssueID)
	if done || err != nil {
		return err
	}
	if first, err := env.Store.WaitingPerson(ctx, ev.Repo, kind, ev.Author); err == nil && first.IssueID != ev.IssueID {
		return closeDuplicate(ctx, env, g, ev, first)
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	e, problems := waitlist.Parse(kind, ev.Body, cfg.MenteesPerMentor, cfg.MaxMentees)
	if len(problems) > 0 {
		return waitlistProblems(ctx, env, g, ev, kind, problems)
	}
	return waitlistAccept(ctx, env, g, ev, e)
}

const waitlistMarker = waitlist.AcceptedMarker

// waitlistProblems takes an invalid issue off the waitlist (an edit can
// break a valid one), shows the problems in the one comment and labels the
// issue cohort/needs-fixes.
func waitlistProblems(ctx context.Context, env *kernel.Env, g WaitlistGitHub, ev WaitlistEvent, kind string, ps []cohort.Problem) error {
	if gone, err := env.Store.RemoveWaiting(ctx, ev.IssueID); err != nil {
		return err
	} else if gone && kernel.HasLabel(ev.Labels, waitlist.WaitLabel(kind)) {
		if err := g.RemoveLabel(ctx, ev.Repo, ev.Number, waitlist.WaitLabel(kind)); err != nil && !kernel.IssueGone(err) {
			return err
		}
	}
	body, err := templates.RenderProblems(templates.ProblemsData{Sender: ev.Author, Problems: ps})
	if err != nil {
		return err
	}
	body = strings.Replace(body, "<!-- cohortbot:request-report -->", waitlistMarker, 1)
	body = strings.Replace(body, "This cohort request needs fixes", waitlistNoun(kind)+" needs fixes", 1)
	body = strings.Replace(body, "with this request", "with "+strings.ToLower(waitlistNoun(kind)), 1)
	if _, err := env.UpsertComment(ctx, g, kernel.WaitlistReportKey(ev.IssueID), ev.Repo, ev.Number, waitlistMarker, body); err != nil {
		return goneOr(ctx, env, ev, err)
	}
	zerolog.Ctx(ctx).Info().Int("problems", len(ps)).Msg("waitlist issue has problems")
	return setNeedsFixes(ctx, env, g, ev.Repo, ev.Number, ev.IssueID, true)
}

func waitlistNoun(kind string) string {
	if kind == waitlist.KindMentor {
		return "This offer to mentor"
	}
	return "This interest in a cohort"
}

// setNeedsFixes adds or removes cohort/needs-fixes, remembering which it
// did under the same key as requests use.
func setNeedsFixes(ctx context.Context, env *kernel.Env, g kernel.Labeler, repo string, number int, issueID int64, on bool) error {
	e, err := env.Store.GetEffect(ctx, kernel.NeedsFixesKey(issueID))
	isOn := err == nil && e.Value == "on"
	switch {
	case on == isOn:
		return nil
	case on:
		if err := g.EnsureLabels(ctx, repo, kernel.LabelSpecs(kernel.LabelNeedsFixes)...); err != nil {
			return err
		}
		err = g.AddLabels(ctx, repo, number, kernel.LabelNeedsFixes)
	default:
		err = g.RemoveLabel(ctx, repo, number, kernel.LabelNeedsFixes)
	}
	if err != nil && !kernel.IssueGone(err) {
		return err
	}
	state := map[bool]string{true: "on", false: "off"}[on]
	return env.Store.PutEffect(ctx, kernel.NeedsFixesKey(issueID), store.EffectDone, state)
}

// waitlistAccept records a valid entry, labels it and edits the one comment
// into what happens next.
func waitlistAccept(ctx context.Context, env *kernel.Env, g WaitlistGitHub, ev WaitlistEvent, e waitlist.Entry) error {
	since := ev.CreatedAt
	if since.IsZero() {
		since = env.Now()
	}
	w := waitlist.Waiting{IssueID: ev.IssueID, Installation: ev.Installation, Repo: ev.Repo, Number: ev.Number,
		Kind: e.Kind, Handle: ev.Author, Step: e.Step, Areas: e.Areas, TimeZone: e.TimeZone, Capacity: e.Capacity, Since: since}
	err := env.Store.PutWaiting(ctx, w)
	if errors.Is(err, store.ErrWaitingElsewhere) {
		first, ferr := env.Store.WaitingPerson(ctx, ev.Repo, e.Kind, ev.Author)
		if ferr != nil {
			return ferr
		}
		return closeDuplicate(ctx, env, g, ev, first)
	}
	if err != nil {
		return err
	}
	want := []string{waitlist.Label(e.Kind), waitlist.WaitLabel(e.Kind)}
	var add []string
	for _, l := range want {
		if !kernel.HasLabel(ev.Labels, l) {
			add = append(add, l)
		}
	}
	if len(add) > 0 {
		if err := g.EnsureLabels(ctx, ev.Repo, kernel.LabelSpecs(want...)...); err != nil {
			return err
		}
		if err := g.AddLabels(ctx, ev.Repo, ev.Number, add...); err != nil {
			return goneOr(ctx, env, ev, err)
		}
	}
	if err := setNeedsFixes(ctx, env, g, ev.Repo, ev.Number, ev.IssueID, false); err != nil {
		return err
	}
	all, err := env.Store.Waitlist(ctx, ev.Repo)
	if err != nil {
		return err
	}
	body := waitlist.Accepted(w, all)
	if _, err := env.UpsertComment(ctx, g, kernel.WaitlistReportKey(ev.IssueID), ev.Repo, ev.Number, waitlistMarker, body); err != nil {
		return goneOr(ctx, env, ev, err)
	}
	zerolog.Ctx(ctx).Info().Str("kind", e.Kind).Str("step", e.Step).Msg("on the waitlist")
	return nil
}

// closeDuplicate answers a second open interest (or offer) of a person with
// a link to the first and closes it as a duplicate, once.
func closeDuplicate(ctx context.Context, env *kernel.Env, g WaitlistGitHub, ev WaitlistEvent, first waitlist.Waiting) error {
	zerolog.Ctx(ctx).Info().Int("first", first.Number).Msg("duplicate waitlist issue; closing it")
	_, err := env.Store.Once(ctx, kernel.WaitlistDuplicateKey(ev.IssueID), nil, func() (string, error) {
		id, err := g.CreateComment(ctx, ev.Repo, ev.Number, waitlist.Duplicate(ev.Author, first))
		if kernel.IssueGone(err) {
			return "gone", nil
		}
		return fmt.Sprint(id), err
	})
	if err != nil {
		return err
	}
	_, err = env.Store.Once(ctx, kernel.WaitlistDuplicateClosedKey(ev.IssueID), nil, func() (string, error) {
		err := g.CloseIssue(ctx, ev.Repo, ev.Number, "duplicate")
		if kernel.IssueGone(err) {
			return "gone", nil
		}
		return "closed", err
	})
	return err
}

// goneOr takes an issue that is gone off the waitlist and ends the work
// quietly; any other error is returned.
func goneOr(ctx context.Context, env *kernel.Env, ev WaitlistEvent, err error) error {
	if !kernel.IssueGone(err) {
		return err
	}
	zerolog.Ctx(ctx).Warn().Err(err).Msg("waitlist issue is gone; taking it off the waitlist")
	_, rerr := env.Store.RemoveWaiting(ctx, ev.IssueID)
	return rerr
}
