package bot

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/store"
)

// TestKeysAreStable pins every key's spelling: the keys are stored in the
// databases of running services, and an upgraded service that spelt one
// differently would do its effect again (a second hub, a second report).
func TestKeysAreStable(t *testing.T) {
	task := store.Task{Repo: "Kubernetes/Kubectl", Number: 7, Round: 2}
	since := time.Unix(1800000000, 0)
	got := map[string]string{
		"issue lock":     issueLock("Kubernetes/Community", 4),
		"cohort lock":    cohortLock(9),
		"request label":  requestLabelKey(11),
		"report":         reportKey(11),
		"needs fixes":    needsFixesKey(11),
		"config error":   configErrorKey(11),
		"request closed": requestClosedKey(9),
		"refusal":        requestRefusalKey(11, "Randy"),
		"team invisible": teamInvisibleKey(11, "Olivia"),
		"hub":            hubKey(9),
		"mentee issue":   menteeIssueKey(9, "Mia"),
		"sub-issue":      subIssueKey(9, 5),
		"body":           bodyKey("Kubernetes/Community", 5),
		"command":        commandKey("graduate", 100, 1),
		"react":          reactKey(100, "+1"),
		"comment order":  commentVersionKey(100),
		"reply":          replyKey(100),
		"reply part":     partKey(100, 2),
		"week label":     weekLabelKey(9, "Mia", 3),
		"missed label":   missedLabelKey(9, "Mia"),
		"shown":          shownKeyOf(9, "Mia", 3),
		"reminder":       remindKeyOf(9, 3, "Mia"),
		"boundary":       boundaryKey(9, 2),
		"at risk":        atRiskKey(9, "Mia"),
		"midpoint":       midpointKey(9),
		"render":         renderKey(9, "mentee:mia"),
		"close":          closeKey(9),
		"finish":         finishKey(9, 5),
		"release tasks":  releaseTasksKey(9),
		"final report":   finalReportKey(9),
		"retention":      retentionKey(9, 90),
		"task":           taskKey(task),
		"ask":            askKey(task, 2),
		"task reminder":  remindTaskKey(task, since),
		"release":        releaseKey(task, 2),
		"waitlist":       waitlistReportKey(12),
		"duplicate":      waitlistDuplicateKey(12),
		"dup closed":     waitlistDuplicateClosedKey(12),
		"joined":         waitlistJoinedKey(9, 12),
		"joined closed":  waitlistJoinedClosedKey(9, 12),
		"ready label":    readyLabelKeyOf(9, "Mia"),
		"ready comment":  readyCommentKey(9, "Mia"),
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
