package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
)

// Every key the flows record an effect under (Store.Once), keep a render
// generation under, or take a lease on, is built here and only here, from
// typed parts: two flows that mean the same effect cannot spell its key
// differently, and a handle or repository is always lower-cased. The
// strings are stored in databases: TestKeysAreStable pins each one, since a
// changed spelling would make an upgraded service repeat effects.

func low(s string) string { return strings.ToLower(s) }

// Leases.

func issueLock(repo string, number int) string {
	return "issue:" + low(repo) + "#" + strconv.Itoa(number)
}
func cohortLock(id int64) string { return fmt.Sprintf("cohort:%d", id) }

// A new-cohort request and its creation.

func requestLabelKey(issueID int64) string   { return fmt.Sprintf("request-label:%d", issueID) }
func reportKey(issueID int64) string         { return fmt.Sprintf("request-report:%d", issueID) }
func needsFixesKey(issueID int64) string     { return fmt.Sprintf("needs-fixes:%d", issueID) }
func configErrorKey(issueID int64) string    { return fmt.Sprintf("config-error:%d", issueID) }
func requestClosedKey(cohortID int64) string { return fmt.Sprintf("request-closed:%d", cohortID) }
func requestRefusalKey(issueID int64, sender string) string {
	return fmt.Sprintf("request-refusal:%d:%s", issueID, low(sender))
}
func teamInvisibleKey(issueID int64, sender string) string {
	return fmt.Sprintf("team-invisible:%d:%s", issueID, low(sender))
}
func hubKey(cohortID int64) string { return fmt.Sprintf("hub:%d", cohortID) }
func menteeIssueKey(cohortID int64, handle string) string {
	return fmt.Sprintf("mentee-issue:%d:%s", cohortID, low(handle))
}
func subIssueKey(cohortID int64, number int) string {
	return fmt.Sprintf("sub-issue:%d:%d", cohortID, number)
}
func bodyKey(repo string, number int) string { return fmt.Sprintf("body:%s#%d", low(repo), number) }

// Comments with commands.

func commandKey(kind string, commentID int64, idx int) string {
	return fmt.Sprintf("%s:%d:%d", kind, commentID, idx)
}
func reactKey(commentID int64, content string) string {
	return fmt.Sprintf("react:%d:%s", commentID, content)
}
func commentVersionKey(commentID int64) string { return fmt.Sprintf("comment-version:%d", commentID) }
func replyKey(commentID int64) string          { return fmt.Sprintf("reply:%d", commentID) }
func partKey(commentID int64, idx int) string  { return fmt.Sprintf("reply:%d:%d", commentID, idx) }

// Check-ins and the weeks.

func weekLabelKey(cohortID int64, handle string, week int) string {
	return fmt.Sprintf("week-label:%d:%s:%d", cohortID, low(handle), week)
}
func missedLabelKey(cohortID int64, handle string) string {
	return fmt.Sprintf("missed-label:%d:%s", cohortID, low(handle))
}
func shownKeyOf(cohortID int64, handle string, week int) string {
	return fmt.Sprintf("shown:%d:%s:%d", cohortID, low(handle), week)
}
func remindKeyOf(cohortID int64, week int, handle string) string {
	return fmt.Sprintf("remind:%d:%d:%s", cohortID, week, low(handle))
}
func boundaryKey(cohortID int64, from int) string {
	return fmt.Sprintf("boundary:%d:%d", cohortID, from)
}
func atRiskKey(cohortID int64, handle string) string {
	return fmt.Sprintf("at-risk:%d:%s", cohortID, low(handle))
}
func midpointKey(cohortID int64) string { return fmt.Sprintf("midpoint:%d", cohortID) }
func renderKey(cohortID int64, target string) string {
	return fmt.Sprintf("render:%d:%s", cohortID, target)
}

// Ladder progress.

func readyLabelKeyOf(cohortID int64, handle string) string {
	return fmt.Sprintf("ladder-ready-label:%d:%s", cohortID, low(handle))
}
func readyCommentKey(cohortID int64, handle string) string {
	return fmt.Sprintf("ladder-ready:%d:%s", cohortID, low(handle))
}

// The close and after.

func closeKey(cohortID int64) string { return fmt.Sprintf("close:%d", cohortID) }
func finishKey(cohortID int64, number int) string {
	return fmt.Sprintf("finish:%d:%d", cohortID, number)
}
func releaseTasksKey(cohortID int64) string { return fmt.Sprintf("release-tasks:%d", cohortID) }
func finalReportKey(cohortID int64) string  { return fmt.Sprintf("final-report:%d", cohortID) }
func retentionKey(cohortID int64, day int) string {
	return fmt.Sprintf("retention:%d:%d", cohortID, day)
}

// Tasks.

func taskKey(t store.Task) string { return low(t.Repo) + "#" + strconv.Itoa(t.Number) }
func askKey(t store.Task, round int) string {
	return fmt.Sprintf("task-ask:%s:%d", taskKey(t), round)
}
func remindTaskKey(t store.Task, since time.Time) string {
	return fmt.Sprintf("task-remind:%s:%d:%d", taskKey(t), t.Round, since.Unix())
}
func releaseKey(t store.Task, round int) string {
	return fmt.Sprintf("task-release:%s:%d", taskKey(t), round)
}

// The waitlist.

func waitlistReportKey(issueID int64) string { return fmt.Sprintf("waitlist-report:%d", issueID) }
func waitlistDuplicateKey(issueID int64) string {
	return fmt.Sprintf("waitlist-duplicate:%d", issueID)
}
func waitlistDuplicateClosedKey(issueID int64) string {
	return fmt.Sprintf("waitlist-duplicate-closed:%d", issueID)
}
func waitlistJoinedKey(cohortID, issueID int64) string {
	return fmt.Sprintf("waitlist-joined:%d:%d", cohortID, issueID)
}
func waitlistJoinedClosedKey(cohortID, issueID int64) string {
	return fmt.Sprintf("waitlist-joined-closed:%d:%d", cohortID, issueID)
}
