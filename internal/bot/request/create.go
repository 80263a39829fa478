package request

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/bot/render"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/waitlist"
	"github.com/cohortbot/cohortbot/templates"
	"github.com/rs/zerolog"
)

// createCohort performs SPEC §2's "on success" steps. Each step is an
// effect with its own key, so a run interrupted anywhere finishes on the
// next attempt without a second hub, mentee issue or comment.
func createCohort(ctx context.Context, env *kernel.Env, g kernel.RequestGitHub, cfg config.Repo, c store.Cohort, warnings []cohort.Warning) error {
	slug := c.Spec.Slug
	labels := []string{kernel.LabelHub, kernel.LabelActive, kernel.LabelMentee, kernel.InCohortLabel(slug)}
	if err := g.EnsureLabels(ctx, c.Repo, kernel.LabelSpecs(labels...)...); err != nil {
		return err
	}
	hub, err := createTracked(ctx, env, g, c, kernel.HubKey(c.ID), hubMarker(c.ID), gh.NewIssue{
		Title: c.Spec.Title(), Labels: []string{kernel.LabelHub, kernel.LabelActive, kernel.InCohortLabel(slug)},
		Assignees: c.Spec.Mentors,
	}, func() (string, error) { return render.RenderHub(c, cfg) })
	if err != nil {
		return err
	}
	if c.HubNumber != hub.Number {
		c.HubNumber = hub.Number
		if err := env.Store.SetHubNumber(ctx, c.ID, hub.Number); err != nil {
			return err
		}
	}
	for i, m := range c.Spec.Mentees {
		mi, err := CreateMenteeIssue(ctx, env, g, cfg, c, m)
		if err != nil {
			return err
		}
		c.Spec.Mentees[i].Issue = mi.Number
	}
	body, err := render.RenderHub(c, cfg)
	if err != nil {
		return err
	}
	if err := setBodyOnce(ctx, env, g, c.Repo, hub.Number, body); err != nil {
		return err
	}
	if err := waitlistJoined(ctx, env, g, c); err != nil {
		return err
	}
	return finishRequest(ctx, env, g, c, warnings)
}

func hubMarker(id int64) string { return fmt.Sprintf("<!-- cohortbot:hub cohort=%d -->", id) }

func menteeMarker(id int64, handle string) string {
	return fmt.Sprintf("<!-- cohortbot:mentee cohort=%d handle=%s -->", id, handle)
}

// createTracked creates an issue once per key. After an interrupted attempt
// it looks for an issue carrying marker among the cohort's issues before
// creating another.
func createTracked(ctx context.Context, env *kernel.Env, g kernel.Creator, c store.Cohort, key, marker string, ni gh.NewIssue, body func() (string, error)) (gh.Issue, error) {
	var made gh.Issue
	v, err := env.Store.Once(ctx, key, func() (string, bool, error) {
		is, err := g.ListIssuesWithLabel(ctx, c.Repo, kernel.InCohortLabel(c.Spec.Slug))
		if err != nil {
			return "", false, err
		}
		for _, i := range is {
			if strings.Contains(i.Body, marker) {
				return encodeIssue(i), true, nil
			}
		}
		return "", false, nil
	}, func() (string, error) {
		b, err := body()
		if err != nil {
			return "", err
		}
		ni.Body = b
		made, err = g.CreateIssue(ctx, c.Repo, ni)
		if gh.IsUnprocessable(err) && len(ni.Assignees) > 0 {
			zerolog.Ctx(ctx).Warn().Err(err).Strs("assignees", ni.Assignees).Msg("GitHub refused the assignees; creating the issue unassigned")
			ni.Assignees = nil
			made, err = g.CreateIssue(ctx, c.Repo, ni)
		}
		return encodeIssue(made), err
	})
	if err != nil {
		return gh.Issue{}, err
	}
	return decodeIssue(v), nil
}

func encodeIssue(i gh.Issue) string { return fmt.Sprintf("%d:%d", i.Number, i.ID) }

func decodeIssue(v string) gh.Issue {
	n, id, _ := strings.Cut(v, ":")
	num, _ := strconv.Atoi(n)
	iid, _ := strconv.ParseInt(id, 10, 64)
	return gh.Issue{Number: num, ID: iid}
}

func CreateMenteeIssue(ctx context.Context, env *kernel.Env, g kernel.RequestGitHub, cfg config.Repo, c store.Cohort, m cohort.Mentee) (gh.Issue, error) {
	key := kernel.MenteeIssueKey(c.ID, m.Handle)
	mi, err := createTracked(ctx, env, g, c, key, menteeMarker(c.ID, m.Handle), gh.NewIssue{
		Title:     c.Spec.MenteeTitle(m.Handle),
		Labels:    []string{kernel.LabelMentee, kernel.LabelActive, kernel.InCohortLabel(c.Spec.Slug)},
		Assignees: []string{m.Handle},
	}, func() (string, error) { return render.RenderMentee(c, cfg, m, "", "") })
	if err != nil {
		return gh.Issue{}, err
	}
	if m.Issue != mi.Number {
		if err := env.Store.SetMenteeIssue(ctx, c.ID, m.Handle, mi.Number); err != nil {
			return gh.Issue{}, err
		}
	}
	// Sub-issues are best effort: not every GitHub offers them, and the hub
	// links every mentee issue anyway. Only a refusal skips them; a failure
	// (5xx, timeout, rate limit) is retried like any other. A retry after a
	// lost answer is refused as a duplicate: the link is there.
	_, err = env.Store.Once(ctx, kernel.SubIssueKey(c.ID, mi.Number), nil, func() (string, error) {
		if err := g.AddSubIssue(ctx, c.Repo, c.HubNumber, mi.ID); err != nil {
			if !gh.IsNotFound(err) && !gh.IsUnprocessable(err) && !gh.IsForbidden(err) {
				return "", err
			}
			zerolog.Ctx(ctx).Warn().Err(err).Int("issue", mi.Number).Msg("could not add sub-issue; skipped")
			return "skipped", nil
		}
		return "added", nil
	})
	return mi, err
}

// setBodyOnce writes an issue body unless the same text was written before.
func setBodyOnce(ctx context.Context, env *kernel.Env, g kernel.Creator, repo string, number int, body string) error {
	key := kernel.BodyKey(repo, number)
	if prev, err := env.Store.GetEffect(ctx, key); err == nil && prev.Value == kernel.Hash(body) {
		return nil
	}
	if err := g.SetIssueBody(ctx, repo, number, body); err != nil {
		return err
	}
	return env.Store.PutEffect(ctx, key, store.EffectDone, kernel.Hash(body))
}

// finishRequest turns the request's report into the success message, drops
// cohort/needs-fixes, closes the request and marks the cohort active.
func finishRequest(ctx context.Context, env *kernel.Env, g kernel.RequestGitHub, c store.Cohort, warnings []cohort.Warning) error {
	body, err := templates.RenderCreated(templates.CreatedData{
		Name: c.Spec.Name, HubNumber: c.HubNumber, Mentees: c.Spec.Mentees, Warnings: warnings,
	})
	if err != nil {
		return err
	}
	section, err := waitlistSection(ctx, env, c.Repo, c.Spec)
	if err != nil {
		return err
	}
	body = waitlist.WithSection(body, section)
	if _, err := env.UpsertComment(ctx, g, kernel.ReportKey(c.ID), c.Repo, c.RequestNumber, reportMarker, body); err != nil {
		return err
	}
	if e, err := env.Store.GetEffect(ctx, kernel.NeedsFixesKey(c.ID)); err == nil && e.Value == "on" {
		if err := g.RemoveLabel(ctx, c.Repo, c.RequestNumber, kernel.LabelNeedsFixes); err != nil {
			return err
		}
		if err := env.Store.PutEffect(ctx, kernel.NeedsFixesKey(c.ID), store.EffectDone, "off"); err != nil {
			return err
		}
	}
	_, err = env.Store.Once(ctx, kernel.RequestClosedKey(c.ID), nil, func() (string, error) {
		return "closed", g.CloseIssue(ctx, c.Repo, c.RequestNumber, "completed")
	})
	if err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("cohort", c.Spec.Slug).Int("hub", c.HubNumber).Msg("cohort created")
	return env.Store.SetState(ctx, c.ID, store.StateActive)
}
