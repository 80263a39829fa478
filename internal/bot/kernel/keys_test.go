package kernel

import (
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/google/go-cmp/cmp"
)

// TestKeysAreStable pins every key's spelling: the keys are stored in the
// databases of running services, and an upgraded service that spelt one
// differently would do its effect again (a second hub, a second report).
func TestKeysAreStable(t *testing.T) {
	task := store.Task{Repo: "Kubernetes/Kubectl", Number: 7, Round: 2}
	since := time.Unix(1800000000, 0)
	got := map[string]string{
		"issue lock":     issueLock("Kubernetes/Community", 4),
		"cohort lock":    CohortLock(9),
		"request label":  RequestLabelKey(11),
		"report":         ReportKey(11),
		"needs fixes":    NeedsFixesKey(11),
		"config error":   configErrorKey(11),
		"request closed": RequestClosedKey(9),
		"refusal":        RequestRefusalKey(11, "Randy"),
		"team invisible": teamInvisibleKey(11, "Olivia"),
		"hub":            HubKey(9),
		"mentee issue":   MenteeIssueKey(9, "Mia"),
		"sub-issue":      SubIssueKey(9, 5),
		"body":           BodyKey("Kubernetes/Community", 5),
		"command":        CommandKey("graduate", 100, 1),
		"react":          ReactKey(100, "+1"),
		"comment order":  CommentVersionKey(100),
		"reply":          ReplyKey(100),
		"reply part":     PartKey(100, 2),
		"week label":     WeekLabelKey(9, "Mia", 3),
		"missed label":   MissedLabelKey(9, "Mia"),
		"shown":          ShownKeyOf(9, "Mia", 3),
		"reminder":       RemindKeyOf(9, 3, "Mia"),
		"boundary":       BoundaryKey(9, 2),
		"at risk":        AtRiskKey(9, "Mia"),
		"midpoint":       MidpointKey(9),
		"render":         RenderKey(9, "mentee:mia"),
		"close":          CloseKey(9),
		"finish":         FinishKey(9, 5),
		"release tasks":  ReleaseTasksKey(9),
		"final report":   FinalReportKey(9),
		"retention":      RetentionKey(9, 90),
		"task":           TaskKey(task),
		"ask":            AskKey(task, 2),
		"task reminder":  RemindTaskKey(task, since),
		"release":        ReleaseKey(task, 2),
		"waitlist":       WaitlistReportKey(12),
		"duplicate":      WaitlistDuplicateKey(12),
		"dup closed":     WaitlistDuplicateClosedKey(12),
		"joined":         WaitlistJoinedKey(9, 12),
		"joined closed":  WaitlistJoinedClosedKey(9, 12),
		"ready label":    ReadyLabelKeyOf(9, "Mia"),
		"ready comment":  ReadyCommentKey(9, "Mia"),
	}
	want := map[string]string{
		"issue lock": "issue:kubernetes/community#4", "cohort lock": "cohort:9", "request label": "request-label:11",
		"report": "request-report:11", "needs fixes": "needs-fixes:11", "config error": "config-error:11",
		"request closed": "request-closed:9", "refusal": "request-refusal:11:randy", "team invisible": "team-invisible:11:olivia",
		"hub": "hub:9", "mentee issue": "mentee-issue:9:mia", "sub-issue": "sub-issue:9:5", "body": "body:kubernetes/community#5",
		"command": "graduate:100:1", "react": "react:100:+1", "comment order": "comment-version:100", "reply": "reply:100",
		"reply part": "reply:100:2", "week label": "week-label:9:mia:3", "missed label": "missed-label:9:mia",
		"shown": "shown:9:mia:3", "reminder": "remind:9:3:mia", "boundary": "boundary:9:2", "at risk": "at-risk:9:mia",
		"midpoint": "midpoint:9", "render": "render:9:mentee:mia", "close": "close:9", "finish": "finish:9:5",
		"release tasks": "release-tasks:9", "final report": "final-report:9", "retention": "retention:9:90",
		"task": "kubernetes/kubectl#7", "ask": "task-ask:kubernetes/kubectl#7:2",
		"task reminder": "task-remind:kubernetes/kubectl#7:2:1800000000", "release": "task-release:kubernetes/kubectl#7:2",
		"waitlist": "waitlist-report:12", "duplicate": "waitlist-duplicate:12", "dup closed": "waitlist-duplicate-closed:12",
		"joined": "waitlist-joined:9:12", "joined closed": "waitlist-joined-closed:9:12",
		"ready label": "ladder-ready-label:9:mia", "ready comment": "ladder-ready:9:mia",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("keys changed spelling (-stored +now):\n%s", d)
	}
}
