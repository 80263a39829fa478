package handlers

import (
	"encoding/json"
	"testing"
)

// TestRequestRelevance: the intake keeps an issues delivery as a request
// when the issue is labelled cohort/request or holds the form's headings
// (the first request of a fresh repository, whose form label GitHub
// dropped), and drops the rest before any database work.
func TestRequestRelevance(t *testing.T) {
	const form = "### Cohort name\r\n\r\nSIG Apps 2027\r\n\r\n### Ladder step\r\n\r\nReviewer"
	tests := []struct {
		name, action, sender, state, body string
		labels                            []string
		want                              bool
	}{
		{name: "labelled request", action: "opened", labels: []string{"cohort/request"}, want: true},
		{name: "form without the label (fresh repository)", action: "opened", body: form, want: true},
		{name: "form edited", action: "edited", body: form, want: true},
		{name: "form reopened", action: "reopened", body: form, want: true},
		{name: "form labelled with something else", action: "labeled", body: form, labels: []string{"question"}, want: true},
		{name: "headings in prose", action: "opened", body: "Fill ### Cohort name and ### Ladder step"},
		{name: "only one of the two headings", action: "opened", body: "### Cohort name\n\nX\n\n### Notes\n\nY"},
		{name: "form on a hub", action: "edited", body: form, labels: []string{"cohort/hub"}},
		{name: "form on a mentee issue", action: "edited", body: form, labels: []string{"cohort/mentee"}},
		{name: "form closed", action: "opened", body: form, state: "closed"},
		{name: "form by a bot", action: "opened", body: form, sender: "cohortbot[bot]"},
		{name: "form unlabelled", action: "unlabeled", body: form},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.state == "" {
				tc.state = "open"
			}
			if tc.sender == "" {
				tc.sender = "olivia"
			}
			ls := []any{}
			for _, l := range tc.labels {
				ls = append(ls, map[string]any{"name": l})
			}
			payload, err := json.Marshal(map[string]any{"action": tc.action, "sender": map[string]any{"login": tc.sender},
				"issue": map[string]any{"state": tc.state, "body": tc.body, "labels": ls}})
			if err != nil {
				t.Fatal(err)
			}
			if got, why := (&Issues{&Deps{}}).Relevant("issues", payload); got != tc.want {
				t.Errorf("Relevant = %v (%s), want %v", got, why, tc.want)
			}
		})
	}
}
