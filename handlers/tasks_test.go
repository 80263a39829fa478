package handlers

import "testing"

func TestTaskRelevance(t *testing.T) {
	const human = `"sender":{"login":"ann","type":"User"}`
	tests := []struct {
		name, event, payload string
		want                 bool
	}{
		{name: "issue labelled by a human", event: "issues",
			payload: `{"action":"labeled",` + human + `,"label":{"name":"good-first-review"},"issue":{"state":"open","labels":[{"name":"good-first-review"}]}}`, want: true},
		{name: "custom label is for the worker to judge", event: "issues",
			payload: `{"action":"labeled",` + human + `,"label":{"name":"mentor-pick"},"issue":{"state":"open","labels":[]}}`, want: true},
		{name: "label added by a bot", event: "issues",
			payload: `{"action":"labeled","sender":{"login":"k8s-ci-robot[bot]"},"label":{"name":"good-first-review"},"issue":{"state":"open"}}`},
		{name: "cohortbot's own label", event: "issues",
			payload: `{"action":"labeled",` + human + `,"label":{"name":"checkin/week-2"},"issue":{"state":"open"}}`},
		{name: "closed issue labelled", event: "issues",
			payload: `{"action":"labeled",` + human + `,"label":{"name":"good-first-review"},"issue":{"state":"closed"}}`},
		{name: "task label removed from a task", event: "issues",
			payload: `{"action":"unlabeled",` + human + `,"label":{"name":"good-first-review"},"issue":{"state":"open","labels":[{"name":"mentoring/task"}]}}`, want: true},
		{name: "mentoring/task removed", event: "issues",
			payload: `{"action":"unlabeled",` + human + `,"label":{"name":"mentoring/task"},"issue":{"state":"open","labels":[]}}`, want: true},
		{name: "label removed from a non-task", event: "issues",
			payload: `{"action":"unlabeled",` + human + `,"label":{"name":"bug"},"issue":{"state":"open","labels":[]}}`},
		{name: "task closed by a merge bot", event: "pull_request",
			payload: `{"action":"closed","sender":{"login":"k8s-ci-robot","type":"Bot"},"pull_request":{"state":"closed","merged":true,"labels":[{"name":"mentoring/task"}]}}`, want: true},
		{name: "non-task closed", event: "issues",
			payload: `{"action":"closed",` + human + `,"issue":{"state":"closed","labels":[{"name":"bug"}]}}`},
		{name: "pull request labelled", event: "pull_request",
			payload: `{"action":"labeled",` + human + `,"label":{"name":"good-first-review"},"pull_request":{"state":"open","labels":[]}}`, want: true},
		// SPEC §13: commits pushed to a task are activity.
		{name: "task pull request synchronized", event: "pull_request",
			payload: `{"action":"synchronize",` + human + `,"pull_request":{"state":"open","labels":[{"name":"mentoring/task"}]}}`, want: true},
		{name: "other pull request synchronized", event: "pull_request",
			payload: `{"action":"synchronize",` + human + `,"pull_request":{"state":"open","labels":[{"name":"bug"}]}}`},
		{name: "task pull request synchronized by a bot", event: "pull_request",
			payload: `{"action":"synchronize","sender":{"login":"dependabot[bot]","type":"Bot"},"pull_request":{"state":"open","labels":[{"name":"mentoring/task"}]}}`},
		{name: "review on a task", event: "pull_request_review",
			payload: `{"action":"submitted",` + human + `,"pull_request":{"labels":[{"name":"mentoring/task"}]}}`, want: true},
		{name: "review on another PR", event: "pull_request_review",
			payload: `{"action":"submitted",` + human + `,"pull_request":{"labels":[]}}`},
		{name: "human edits a mentee issue's body: nothing to put back", event: "issues",
			payload: `{"action":"edited",` + human + `,"changes":{"body":{"from":"x"}},"issue":{"state":"open","labels":[{"name":"cohort/mentee"}]}}`},
		{name: "human edits a hub's body: nothing to put back", event: "issues",
			payload: `{"action":"edited",` + human + `,"changes":{"body":{"from":"x"}},"issue":{"state":"open","labels":[{"name":"cohort/hub"}]}}`},
		{name: "human retitles a mentee issue", event: "issues",
			payload: `{"action":"edited",` + human + `,"changes":{"title":{"from":"x"}},"issue":{"state":"open","labels":[{"name":"cohort/mentee"}]}}`},
		{name: "cohortbot edits a mentee issue's body", event: "issues",
			payload: `{"action":"edited","sender":{"login":"cohortbot[bot]","type":"Bot"},"changes":{"body":{"from":"x"}},"issue":{"state":"open","labels":[{"name":"cohort/mentee"}]}}`},
		{name: "human edits another issue's body", event: "issues",
			payload: `{"action":"edited",` + human + `,"changes":{"body":{"from":"x"}},"issue":{"state":"open","labels":[{"name":"bug"}]}}`},
		{name: "human labels a mentee issue with a bot label: nothing to redo", event: "issues",
			payload: `{"action":"labeled",` + human + `,"label":{"name":"mentee/at-risk"},"issue":{"state":"open","labels":[{"name":"cohort/mentee"}]}}`},
		{name: "human unlabels a mentee issue: nothing to redo", event: "issues",
			payload: `{"action":"unlabeled",` + human + `,"label":{"name":"checkin/week-1"},"issue":{"state":"open","labels":[{"name":"cohort/mentee"}]}}`},
		{name: "cohortbot unlabels a mentee issue", event: "issues",
			payload: `{"action":"unlabeled","sender":{"login":"cohortbot[bot]","type":"Bot"},"label":{"name":"checkin/missed"},"issue":{"state":"open","labels":[{"name":"cohort/mentee"}]}}`},
		{name: "review dismissed", event: "pull_request_review",
			payload: `{"action":"dismissed",` + human + `,"pull_request":{"labels":[{"name":"mentoring/task"}]}}`},
		{name: "review by a bot", event: "pull_request_review",
			payload: `{"action":"submitted","sender":{"login":"x[bot]"},"pull_request":{"labels":[{"name":"mentoring/task"}]}}`},
	}
	hs := map[string]Handler{"issues": &Issues{&Deps{}}, "pull_request": &PullRequest{&Deps{}}, "pull_request_review": &PullRequestReview{&Deps{}}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, why := hs[tc.event].Relevant(tc.event, []byte(tc.payload)); got != tc.want {
				t.Errorf("Relevant = %v (%s), want %v", got, why, tc.want)
			}
		})
	}
}
