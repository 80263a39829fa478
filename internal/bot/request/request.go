package request

import (
	"context"
	"errors"
	"fmt"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/waitlist"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// RequestEvent is what the new-cohort flow needs from an issues event.
type RequestEvent struct {
	Installation int64
	Repo         string
	IssueID      int64
	Number       int
	Body         string
	Labels       []string // the issue's labels as the event carried them
	State        string
	Sender       string
	URL          string
}

// HandleRequest validates a new-cohort request issue and, once valid, creates
// the cohort (SPEC §2). It is safe to call any number of times for the same
// issue: the cohort is keyed by the request issue's id, and every write to
// GitHub is recorded by an effect key of its own.
func HandleRequest(ctx context.Context, env *kernel.Env, g kernel.RequestGitHub, cs kernel.ConfigSource, ev RequestEvent) error {
	log := zerolog.Ctx(ctx)
	unlock, err := env.LockIssue(ctx, ev.Repo, ev.Number)
	if err != nil {
		return err
	}
	defer unlock()

	existing, skip, err := requestState(ctx, env, ev)
	if skip || err != nil {
		return err
	}
	cfg, done, err := kernel.IssueConfig(ctx, env, g, cs, ev.Repo, ev.Number, ev.IssueID)
	if done || err != nil {
		return err
	}
	if existing.State == store.StateCreating {
		// A crash or failure interrupted creation: finish it with the stored spec.
		return createCohort(ctx, env, g, cfg, existing, nil)
	}

	ok, err := kernel.IsOrganizer(ctx, g, cfg, ev.Repo, ev.Sender)
	if err != nil && kernel.OnlyInvisible(err) {
		return kernel.ReportInvisibleTeam(ctx, env, g, ev.Repo, ev.Number, ev.IssueID, ev.Sender, err)
	}
	if err != nil {
		return err
	}
	if !ok {
		return refuseRequest(ctx, env, g, cfg, ev)
	}
	if err := labelRequest(ctx, env, g, ev); err != nil {
		return err
	}

	spec, problems, warnings, err := validateRequest(ctx, env, cfg, ev)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return reportProblems(ctx, env, g, ev, spec, problems, warnings)
	}
	c, _, err := env.Store.CreateCohort(ctx, store.Cohort{
		ID: ev.IssueID, InstallationID: ev.Installation, Repo: ev.Repo,
		RequestNumber: ev.Number, Spec: spec, CreatedAt: env.Now(),
	})
	if err != nil {
		return err
	}
	log.Info().Str("cohort", spec.Slug).Msg("cohort request is valid; creating the cohort")
	return createCohort(ctx, env, g, cfg, c, warnings)
}

// requestState is the cohort a request already became (State creating
// while an interrupted creation waits to be finished), or skip when there
// is nothing to do: the request became a cohort, or it is closed.
func requestState(ctx context.Context, env *kernel.Env, ev RequestEvent) (existing store.Cohort, skip bool, err error) {
	log := zerolog.Ctx(ctx)
	existing, err = env.Store.Cohort(ctx, ev.IssueID)
	switch {
	case err == nil && existing.State != store.StateCreating:
		log.Debug().Str("cohort", existing.Spec.Slug).Msg("skip: request already became a cohort")
		return existing, true, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return existing, true, err
	case err != nil && ev.State != "open":
		log.Debug().Msg("skip: request issue is closed")
		return existing, true, nil
	}
	return existing, false, nil
}

// IsRequest decides whether an open issue is a new-cohort request (SPEC §2
// "What counts as a request"): labelled cohort/request, or holding the
// form's Cohort name and Ladder step headings. GitHub applies the form's
// label only when it exists already, so the first request of a fresh
// repository arrives with the headings and no label. A cohort's hub and
// mentee issues are never requests, nor is a draft proposed by
// /propose-cohort (cohort/draft) until an organizer adds cohort/request.
func IsRequest(labels []string, body string) bool {
	if kernel.HasLabel(labels, kernel.LabelHub) || kernel.HasLabel(labels, kernel.LabelMentee) {
		return false
	}
	if kernel.HasLabel(labels, waitlist.LabelDraft) && !kernel.HasLabel(labels, kernel.LabelRequest) {
		return false
	}
	return kernel.HasLabel(labels, kernel.LabelRequest) || HasFormHeadings(body)
}

// HasFormHeadings reports whether body holds the form's "### Cohort name"
// and "### Ladder step" as headings, the way the real parser
// (cohort.ParseForm) finds them: a mention of them in prose is not enough.
func HasFormHeadings(body string) bool {
	f := cohort.ParseForm(body)
	_, name := f.Fields[cohort.FieldName]
	_, step := f.Fields[cohort.FieldStep]
	return name && step
}

// labelRequest adds cohort/request to a request recognised by its headings
// alone (creating the label), once: organizers find their requests by it,
// and later events of the issue carry it.
func labelRequest(ctx context.Context, env *kernel.Env, g kernel.RequestGitHub, ev RequestEvent) error {
	if kernel.HasLabel(ev.Labels, kernel.LabelRequest) {
		return nil
	}
	_, err := env.Store.Once(ctx, kernel.RequestLabelKey(ev.IssueID), nil, func() (string, error) {
		if err := g.EnsureLabels(ctx, ev.Repo, kernel.LabelSpecs(kernel.LabelRequest)...); err != nil {
			return "", err
		}
		zerolog.Ctx(ctx).Info().Msg("request recognised by the form's headings; labelling it " + kernel.LabelRequest)
		return "added", g.AddLabels(ctx, ev.Repo, ev.Number, kernel.LabelRequest)
	})
	return err
}

// validateRequest parses the form and applies every rule that needs state
// (mentees busy in another active cohort, a slug already taken).
func validateRequest(ctx context.Context, env *kernel.Env, cfg config.Repo, ev RequestEvent) (cohort.Spec, []cohort.Problem, []cohort.Warning, error) {
	busy, err := env.Store.BusyMentees(ctx, ev.Repo, ev.IssueID)
	if err != nil {
		return cohort.Spec{}, nil, nil, err
	}
	spec, problems, warnings := cohort.Validate(cohort.ParseForm(ev.Body), cfg.Rules(), env.Now(), busy)
	if spec.Slug != "" {
		taken, err := env.Store.ActiveSlugs(ctx, ev.Repo, ev.IssueID)
		if err != nil {
			return cohort.Spec{}, nil, nil, err
		}
		if taken[spec.Slug] {
			problems = append(problems, cohort.Problem{
				Field:   cohort.FieldName,
				Message: fmt.Sprintf("a running cohort in this repository already uses the name %q (slug %s)", spec.Name, spec.Slug),
				Fix:     "choose another name, e.g. add the year or the area",
			})
		}
	}
	return spec, problems, warnings, nil
}

const reportMarker = "<!-- cohortbot:request-report -->"

// reportProblems writes (or edits) the one validation comment and labels the
// request cohort/needs-fixes.
func reportProblems(ctx context.Context, env *kernel.Env, g kernel.RequestGitHub, ev RequestEvent, spec cohort.Spec, ps []cohort.Problem, ws []cohort.Warning) error {
	body, err := templates.RenderProblems(templates.ProblemsData{Sender: ev.Sender, Problems: ps, Warnings: ws})
	if err != nil {
		return err
	}
	section, err := waitlistSection(ctx, env, ev.Repo, spec)
	if err != nil {
		return err
	}
	body = waitlist.WithSection(body, section)
	if _, err := env.UpsertComment(ctx, g, kernel.ReportKey(ev.IssueID), ev.Repo, ev.Number, reportMarker, body); err != nil {
		return err
	}
	if e, err := env.Store.GetEffect(ctx, kernel.NeedsFixesKey(ev.IssueID)); err == nil && e.Value == "on" {
		return nil
	}
	if err := g.EnsureLabels(ctx, ev.Repo, kernel.LabelSpecs(kernel.LabelNeedsFixes)...); err != nil {
		return err
	}
	if err := g.AddLabels(ctx, ev.Repo, ev.Number, kernel.LabelNeedsFixes); err != nil {
		return err
	}
	return env.Store.PutEffect(ctx, kernel.NeedsFixesKey(ev.IssueID), store.EffectDone, "on")
}

// refuseRequest answers a request (or an edit of one) by someone who is not
// an organizer: one reply per user and request, no label, nothing created.
func refuseRequest(ctx context.Context, env *kernel.Env, g kernel.RequestGitHub, cfg config.Repo, ev RequestEvent) error {
	zerolog.Ctx(ctx).Info().Str("sender", ev.Sender).Msg("refused: cohort request by a non-organizer")
	body, err := templates.RenderRefusal(templates.RefusalData{
		User:  ev.Sender,
		Why:   kernel.OrganizerRule(cfg) + " open a cohort. An organizer can edit this issue to submit it; nothing was created.",
		URL:   ev.URL,
		Quote: kernel.FirstLines(ev.Body, 12),
	})
	if err != nil {
		return err
	}
	key := kernel.RequestRefusalKey(ev.IssueID, ev.Sender)
	_, err = env.Store.Once(ctx, key, func() (string, bool, error) {
		return kernel.FindComment(ctx, g, ev.Repo, ev.Number, "@"+ev.Sender+": "+kernel.OrganizerRule(cfg))
	}, func() (string, error) {
		id, err := g.CreateComment(ctx, ev.Repo, ev.Number, body)
		return fmt.Sprint(id), err
	})
	return err
}
