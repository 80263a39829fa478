package handlers

import "testing"

// A comment without a command matters only as activity on a mentoring task
// (SPEC §13): created, by a human, on an issue or PR carrying mentoring/task.
func TestCommentActivityRelevance(t *testing.T) {
	const human = `"sender":{"login":"mia","type":"User"}`
	tests := []struct {
		name, payload string
		want          bool
	}{
		{"comment on a task", `{"action":"created",` + human + `,"comment":{"body":"On it!","user":{"login":"mia","type":"User"}},"issue":{"labels":[{"name":"mentoring/task"}]}}`, true},
		{"comment on another issue", `{"action":"created",` + human + `,"comment":{"body":"On it!","user":{"login":"mia","type":"User"}},"issue":{"labels":[{"name":"bug"}]}}`, false},
		{"edited comment on a task", `{"action":"edited",` + human + `,"changes":{"body":{"from":"x"}},"comment":{"body":"On it!","user":{"login":"mia","type":"User"}},"issue":{"labels":[{"name":"mentoring/task"}]}}`, false},
		{"bot comment on a task", `{"action":"created","sender":{"login":"cohortbot[bot]","type":"Bot"},"comment":{"body":"@mia: reminder","user":{"login":"cohortbot[bot]","type":"Bot"}},"issue":{"labels":[{"name":"mentoring/task"}]}}`, false},
		{"deleted comment on a task", `{"action":"deleted",` + human + `,"comment":{"body":"On it!","user":{"login":"mia","type":"User"}},"issue":{"labels":[{"name":"mentoring/task"}]}}`, false},
	}
	h := &IssueComment{&Deps{}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, why := h.Relevant("issue_comment", []byte(tc.payload)); got != tc.want {
				t.Errorf("Relevant = %v (%s), want %v", got, why, tc.want)
			}
		})
	}
}
