package kernel

import (
	"context"
	"time"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ladder"
)

// Creator is what creating a cohort's issues needs.
type Creator interface {
	CreateIssue(ctx context.Context, repo string, ni gh.NewIssue) (gh.Issue, error)
	SetIssueBody(ctx context.Context, repo string, number int, body string) error
	CloseIssue(ctx context.Context, repo string, number int, reason string) error
	ListIssuesWithLabel(ctx context.Context, repo, label string) ([]gh.Issue, error)
	AddSubIssue(ctx context.Context, repo string, parent int, childID int64) error
}

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

// RequestGitHub is every GitHub operation the new-cohort flow uses.
type RequestGitHub interface {
	Commenter
	Labeler
	Permissions
	Creator
}

// Measurer counts the pull requests login authored or reviewed in scope
// (repositories owner/name or organizations owner) since since: the search
// API of SPEC §10, paced within its 30 requests a minute, plugs in here. An
// error leaves the follow-up for the next tick, which resumes with the
// mentees not measured yet.
type Measurer interface {
	ActiveSince(ctx context.Context, installation int64, login string, scope []string, since time.Time) (int, error)
}

// Searcher is the one GitHub call retention measurement makes.
type Searcher interface {
	CountIssues(ctx context.Context, query string) (ladder.Count, ladder.Quota, error)
}

// RosterEditor is what roster changes need from GitHub beyond commenting,
// labelling and creating issues.
type RosterEditor interface {
	SetIssueTitle(ctx context.Context, repo string, number int, title string) error
	ReopenIssue(ctx context.Context, repo string, number int) error
	AddIssueAssignees(ctx context.Context, repo string, number int, users ...string) error
	RemoveIssueAssignees(ctx context.Context, repo string, number int, users ...string) error
}

// TickGitHub is what the scheduler's work needs on one installation.
type TickGitHub interface {
	Commenter
	Labeler
	Creator
	TaskWriter
	GetIssue(ctx context.Context, repo string, number int) (gh.Issue, error)
}

// Installation gives the scheduler an installation's GitHub access and the
// mentoring repository's config.
type Installation func(ctx context.Context, installationID int64) (TickGitHub, ConfigSource, error)

// TaskWriter hands a mentoring task to a mentee and takes it back.
type TaskWriter interface {
	TaskPeople(ctx context.Context, repo string, number int, pr bool) (gh.TaskPeople, error)
	RequestReview(ctx context.Context, repo string, number int, user string) error
	RemoveReviewRequest(ctx context.Context, repo string, number int, user string) error
	AddAssignee(ctx context.Context, repo string, number int, user string) (bool, error)
	RemoveAssignee(ctx context.Context, repo string, number int, user string) error
}

// TaskGitHub is every GitHub operation the task flows use.
type TaskGitHub interface {
	Commenter
	Labeler
	TaskWriter
}

// IssueGone reports GitHub answering that an issue is not there any more:
// deleted (410), or transferred or hidden (404). A waitlist issue that is
// gone leaves the waitlist; retrying would loop.
func IssueGone(err error) bool {
	return err != nil && (gh.IsNotFound(err) || gh.IsRefusal(err))
}
