package kernel

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
)

func low(s string) string { return strings.ToLower(s) }

func issueLock(repo string, number int) string {
	return "issue:" + low(repo) + "#" + strconv.Itoa(number)
}

func CohortLock(id int64) string { return fmt.Sprintf("cohort:%d", id) }

func RequestLabelKey(issueID int64) string { return fmt.Sprintf("request-label:%d", issueID) }

func ReportKey(issueID int64) string { return fmt.Sprintf("request-report:%d", issueID) }

func NeedsFixesKey(issueID int64) string { return fmt.Sprintf("needs-fixes:%d", issueID) }

func configErrorKey(issueID int64) string { return fmt.Sprintf("config-error:%d", issueID) }

func RequestClosedKey(cohortID int64) string { return fmt.Sprintf("request-closed:%d", cohortID) }

func RequestRefusalKey(issueID int64, sender string) string {
	return fmt.Sprintf("request-refusal:%d:%s", issueID, low(sender))
}

func teamInvisibleKey(issueID int64, sender string) string {
	return fmt.Sprintf("team-invisible:%d:%s", issueID, low(sender))
}

func HubKey(cohortID int64) string { return fmt.Sprintf("hub:%d", cohortID) }

func MenteeIssueKey(cohortID int64, handle string) string {
	return fmt.Sprintf("mentee-issue:%d:%s", cohortID, low(handle))
}

func SubIssueKey(cohortID int64, number int) string {
	return fmt.Sprintf("sub-issue:%d:%d", cohortID, number)
}

func BodyKey(repo string, number int) string { return fmt.Sprintf("body:%s#%d", low(repo), number) }

func CommandKey(kind string, commentID int64, idx int) string {
	return fmt.Sprintf("%s:%d:%d", kind, commentID, idx)
}

func ReactKey(commentID int64, content string) string {
	return fmt.Sprintf("react:%d:%s", commentID, content)
}

func CommentVersionKey(commentID int64) string { return fmt.Sprintf("comment-version:%d", commentID) }

func ReplyKey(commentID int64) string { return fmt.Sprintf("reply:%d", commentID) }

func PartKey(commentID int64, idx int) string { return fmt.Sprintf("reply:%d:%d", commentID, idx) }

func WeekLabelKey(cohortID int64, handle string, week int) string {
	return fmt.Sprintf("week-label:%d:%s:%d", cohortID, low(handle), week)
}

func MissedLabelKey(cohortID int64, handle string) string {
	return fmt.Sprintf("missed-label:%d:%s", cohortID, low(handle))
}

func ShownKeyOf(cohortID int64, handle string, week int) string {
	return fmt.Sprintf("shown:%d:%s:%d", cohortID, low(handle), week)
}

func RemindKeyOf(cohortID int64, week int, handle string) string {
	return fmt.Sprintf("remind:%d:%d:%s", cohortID, week, low(handle))
}

func BoundaryKey(cohortID int64, from int) string {
	return fmt.Sprintf("boundary:%d:%d", cohortID, from)
}

func AtRiskKey(cohortID int64, handle string) string {
	return fmt.Sprintf("at-risk:%d:%s", cohortID, low(handle))
}

func MidpointKey(cohortID int64) string { return fmt.Sprintf("midpoint:%d", cohortID) }

func RenderKey(cohortID int64, target string) string {
	return fmt.Sprintf("render:%d:%s", cohortID, target)
}

func ReadyLabelKeyOf(cohortID int64, handle string) string {
	return fmt.Sprintf("ladder-ready-label:%d:%s", cohortID, low(handle))
}

func ReadyCommentKey(cohortID int64, handle string) string {
	return fmt.Sprintf("ladder-ready:%d:%s", cohortID, low(handle))
}

func CloseKey(cohortID int64) string { return fmt.Sprintf("close:%d", cohortID) }

func FinishKey(cohortID int64, number int) string {
	return fmt.Sprintf("finish:%d:%d", cohortID, number)
}

func ReleaseTasksKey(cohortID int64) string { return fmt.Sprintf("release-tasks:%d", cohortID) }

func FinalReportKey(cohortID int64) string { return fmt.Sprintf("final-report:%d", cohortID) }

func RetentionKey(cohortID int64, day int) string {
	return fmt.Sprintf("retention:%d:%d", cohortID, day)
}

func TaskKey(t store.Task) string { return low(t.Repo) + "#" + strconv.Itoa(t.Number) }

func AskKey(t store.Task, round int) string {
	return fmt.Sprintf("task-ask:%s:%d", TaskKey(t), round)
}

func RemindTaskKey(t store.Task, since time.Time) string {
	return fmt.Sprintf("task-remind:%s:%d:%d", TaskKey(t), t.Round, since.Unix())
}

func ReleaseKey(t store.Task, round int) string {
	return fmt.Sprintf("task-release:%s:%d", TaskKey(t), round)
}

func WaitlistReportKey(issueID int64) string { return fmt.Sprintf("waitlist-report:%d", issueID) }

func WaitlistDuplicateKey(issueID int64) string {
	return fmt.Sprintf("waitlist-duplicate:%d", issueID)
}

func WaitlistDuplicateClosedKey(issueID int64) string {
	return fmt.Sprintf("waitlist-duplicate-closed:%d", issueID)
}

func WaitlistJoinedKey(cohortID, issueID int64) string {
	return fmt.Sprintf("waitlist-joined:%d:%d", cohortID, issueID)
}

func WaitlistJoinedClosedKey(cohortID, issueID int64) string {
	return fmt.Sprintf("waitlist-joined-closed:%d:%d", cohortID, issueID)
}
