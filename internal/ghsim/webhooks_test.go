package ghsim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

type received struct {
	ID, Event string
	Payload   []byte
}

// receiver is a webhook endpoint that checks signatures the way the bot does.
func receiver(t *testing.T, secret string) (*httptest.Server, func() []received) {
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		payload, err := github.ValidatePayload(r, []byte(secret))
		if err != nil {
			t.Errorf("bad signature: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.Header.Get("User-Agent") != "GitHub-Hookshot/sim" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("headers = %v", r.Header)
		}
		mu.Lock()
		got = append(got, received{ID: github.DeliveryID(r), Event: github.WebHookType(r), Payload: payload})
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []received {
		mu.Lock()
		defer mu.Unlock()
		return append([]received(nil), got...)
	}
}

func TestWebhookDeliveries(t *testing.T) {
	s := newTestSim(t, Options{})
	srv, got := receiver(t, "s3cret")
	s.SetWebhook(srv.URL, "s3cret")

	s.CreateLabel(testRepo, "cohort/request", "")
	is := s.OpenIssue("alice", testRepo, "New cohort", "### Cohort name\nX", "cohort/request")
	s.EditIssueBody("alice", testRepo, is.Number, "### Cohort name\nY")
	s.AddLabel("bob", testRepo, is.Number, "triage")
	cm := s.CommentAt("alice", testRepo, is.Number, "/checkin", time.Date(2027, 2, 3, 0, 0, 0, 0, time.UTC))
	s.EditComment("alice", testRepo, cm.ID, "/checkin v2")
	pr := s.OpenPR("carol", testRepo, "PR", "")
	s.AddLabel("bob", testRepo, pr.Number, "good-first-review")
	s.Comment("carol", testRepo, pr.Number, "on the PR")
	s.SubmitReview("alice", testRepo, pr.Number, "APPROVED")
	s.ClosePR("carol", testRepo, pr.Number, true)
	s.CloseIssue("alice", testRepo, is.Number, "not_planned")
	s.DeleteComment("alice", testRepo, cm.ID)
	s.WaitDeliveries()

	ds := s.Deliveries()
	var order, recvOrder []string
	for _, d := range ds {
		order = append(order, d.Event+"."+d.Action)
		if d.Status != http.StatusAccepted {
			t.Errorf("delivery %s status %d", d.ID, d.Status)
		}
	}
	for i, r := range got() {
		recvOrder = append(recvOrder, r.ID)
		if r.ID != ds[i].ID || r.Event != ds[i].Event {
			t.Errorf("received #%d = %s %s, want %s %s", i, r.ID, r.Event, ds[i].ID, ds[i].Event)
		}
	}
	want := []string{"issues.opened", "issues.edited", "issues.labeled", "issue_comment.created",
		"issue_comment.edited", "pull_request.opened", "pull_request.labeled", "issue_comment.created",
		"pull_request_review.submitted", "pull_request.closed", "issues.closed", "issue_comment.deleted"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(recvOrder) != len(want) {
		t.Errorf("received %d deliveries, want %d", len(recvOrder), len(want))
	}
	checkPayloads(t, ds)
}

type payloadCase struct {
	name  string
	index int // into the deliveries of TestWebhookDeliveries
	check func(t *testing.T, ev any, raw map[string]any)
}

// issuePayloadCases check the issues and issue_comment payloads.
func issuePayloadCases() []payloadCase {
	return []payloadCase{
		{name: "opened carries labels", index: 0, check: func(t *testing.T, ev any, raw map[string]any) {
			e := ev.(*github.IssuesEvent)
			got := []any{e.GetIssue().GetNumber(), e.GetIssue().Labels[0].GetName(), e.GetSender().GetLogin(),
				e.GetInstallation().GetID(), e.GetRepo().GetFullName(), e.GetIssue().GetTitle()}
			if diff := cmp.Diff([]any{1, "cohort/request", "alice", testInst, testRepo, "New cohort"}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if _, ok := raw["changes"]; ok {
				t.Errorf("opened has changes")
			}
		}},
		{name: "edited has changes.body.from", index: 1, check: func(t *testing.T, ev any, _ map[string]any) {
			e := ev.(*github.IssuesEvent)
			if e.GetChanges().GetBody().GetFrom() != "### Cohort name\nX" || e.GetIssue().GetBody() != "### Cohort name\nY" {
				t.Errorf("edited = %+v", e.GetChanges())
			}
		}},
		{name: "labeled has label", index: 2, check: func(t *testing.T, ev any, _ map[string]any) {
			e := ev.(*github.IssuesEvent)
			if e.GetLabel().GetName() != "triage" || e.GetSender().GetLogin() != "bob" || len(e.GetIssue().Labels) != 2 {
				t.Errorf("labeled = %+v", e)
			}
		}},
		{name: "comment created_at", index: 3, check: func(t *testing.T, ev any, _ map[string]any) {
			e := ev.(*github.IssueCommentEvent)
			if !e.GetComment().GetCreatedAt().Time.Equal(time.Date(2027, 2, 3, 0, 0, 0, 0, time.UTC)) ||
				e.GetComment().GetBody() != "/checkin" || e.GetIssue().IsPullRequest() {
				t.Errorf("comment = %+v", e.GetComment())
			}
		}},
		{name: "closed not planned", index: 10, check: func(t *testing.T, ev any, _ map[string]any) {
			e := ev.(*github.IssuesEvent)
			if e.GetIssue().GetState() != "closed" || e.GetIssue().GetStateReason() != "not_planned" {
				t.Errorf("closed = %+v", e.GetIssue())
			}
		}},
		{name: "comment edited", index: 4, check: func(t *testing.T, ev any, _ map[string]any) {
			e := ev.(*github.IssueCommentEvent)
			if e.GetChanges().GetBody().GetFrom() != "/checkin" || e.GetComment().GetBody() != "/checkin v2" {
				t.Errorf("edited = %+v", e)
			}
		}},
	}
}

// prPayloadCases check the pull request payloads.
func prPayloadCases() []payloadCase {
	return []payloadCase{
		{name: "PR labeled", index: 6, check: func(t *testing.T, ev any, _ map[string]any) {
			e := ev.(*github.PullRequestEvent)
			if e.GetNumber() != 2 || e.GetLabel().GetName() != "good-first-review" || e.GetPullRequest().GetUser().GetLogin() != "carol" {
				t.Errorf("pr labeled = %+v", e)
			}
		}},
		{name: "PR comment has issue.pull_request", index: 7, check: func(t *testing.T, ev any, _ map[string]any) {
			if !ev.(*github.IssueCommentEvent).GetIssue().IsPullRequest() {
				t.Errorf("no pull_request on the issue")
			}
		}},
		{name: "review", index: 8, check: func(t *testing.T, ev any, _ map[string]any) {
			e := ev.(*github.PullRequestReviewEvent)
			if e.GetReview().GetState() != "approved" || e.GetReview().GetUser().GetLogin() != "alice" || e.GetPullRequest().GetNumber() != 2 {
				t.Errorf("review = %+v", e.GetReview())
			}
		}},
		{name: "merged", index: 9, check: func(t *testing.T, ev any, _ map[string]any) {
			if !ev.(*github.PullRequestEvent).GetPullRequest().GetMerged() {
				t.Errorf("not merged")
			}
		}},
	}
}

// checkPayloads decodes each delivery with go-github and checks its values.
func checkPayloads(t *testing.T, ds []Delivery) {
	for _, tt := range append(issuePayloadCases(), prPayloadCases()...) {
		t.Run(tt.name, func(t *testing.T) {
			d := ds[tt.index]
			ev, err := github.ParseWebHook(d.Event, d.Payload)
			if err != nil {
				t.Fatal(err)
			}
			raw := map[string]any{}
			if err := json.Unmarshal(d.Payload, &raw); err != nil {
				t.Fatal(err)
			}
			tt.check(t, ev, raw)
		})
	}
}

func TestBotEventsRedeliveryAndNoURL(t *testing.T) {
	for _, emit := range []bool{false, true} {
		s := newTestSim(t, Options{EmitBotEvents: emit})
		c := botClient(t, s)
		must[*github.Issue](t)(c.Issues.Create(ctxBG, owner, repoName, &github.IssueRequest{Title: github.String("hub")}))
		must[*github.IssueComment](t)(c.Issues.CreateComment(ctxBG, owner, repoName, 1, &github.IssueComment{Body: github.String("hi")}))
		ds := s.Deliveries()
		if !emit {
			if len(ds) != 0 {
				t.Errorf("EmitBotEvents off: %d deliveries", len(ds))
			}
			continue
		}
		if len(ds) != 2 || ds[0].Status != 0 {
			t.Fatalf("deliveries = %+v", ds)
		}
		ev, _ := github.ParseWebHook(ds[1].Event, ds[1].Payload)
		if snd := ev.(*github.IssueCommentEvent).GetSender(); snd.GetLogin() != "cohortbot[bot]" || snd.GetType() != "Bot" {
			t.Errorf("sender = %+v", snd)
		}
		srv, got := receiver(t, s.WebhookSecret())
		s.SetWebhook(srv.URL, "")
		s.Redeliver(ds[0].ID)
		newID := s.Resend(ds[0].ID)
		s.WaitDeliveries()
		r := got()
		if len(r) != 2 || r[0].ID != ds[0].ID || r[1].ID != newID || newID == ds[0].ID || string(r[1].Payload) != string(ds[0].Payload) {
			t.Errorf("redelivery/resend = %+v (new id %s)", r, newID)
		}
		if all := s.Deliveries(); len(all) != 4 || !all[2].Redelivery || all[3].Status != 202 {
			t.Errorf("recorded = %+v", all)
		}
	}
}
