package handlers

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// TestManifestSubscribesEveryHandledEvent keeps app.yml in step with the
// handlers: an event handled but not subscribed would never arrive.
func TestManifestSubscribesEveryHandledEvent(t *testing.T) {
	b, err := os.ReadFile("../app.yml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Name        string            `yaml:"name"`
		Description string            `yaml:"description"`
		URL         string            `yaml:"url"`
		Events      []string          `yaml:"default_events"`
		Permissions map[string]string `yaml:"default_permissions"`
	}
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Name == "" || m.Description == "" || m.URL == "" {
		t.Errorf("manifest lacks name, description or url: %+v", m)
	}
	subscribed := map[string]bool{}
	for _, e := range m.Events {
		subscribed[e] = true
	}
	for _, e := range Events(All(&Deps{})) {
		if !subscribed[e] {
			t.Errorf("handled event %q is not in app.yml's default_events", e)
		}
	}
	want := map[string]string{"issues": "write", "pull_requests": "write", "contents": "read", "metadata": "read", "members": "read"}
	if d := cmp.Diff(want, m.Permissions); d != "" {
		t.Errorf("default_permissions (-want +got):\n%s", d)
	}
}

func TestIssuesRelevance(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    bool
	}{
		{name: "request opened by a human", payload: `{"action":"opened","sender":{"login":"a","type":"User"},"issue":{"state":"open","labels":[{"name":"cohort/request"}]}}`, want: true},
		{name: "request edited", payload: `{"action":"edited","sender":{"login":"a","type":"User"},"issue":{"state":"open","labels":[{"name":"x"},{"name":"cohort/request"}]}}`, want: true},
		{name: "closed request", payload: `{"action":"edited","sender":{"login":"a","type":"User"},"issue":{"state":"closed","labels":[{"name":"cohort/request"}]}}`},
		{name: "not a request", payload: `{"action":"opened","sender":{"login":"a","type":"User"},"issue":{"state":"open","labels":[]}}`},
		{name: "our own bot", payload: `{"action":"labeled","sender":{"login":"cohortbot[bot]","type":"Bot"},"issue":{"state":"open","labels":[{"name":"cohort/request"}]}}`},
		{name: "another bot without type", payload: `{"action":"opened","sender":{"login":"k8s-ci-robot[bot]"},"issue":{"state":"open","labels":[{"name":"cohort/request"}]}}`},
		{name: "assigned", payload: `{"action":"assigned","sender":{"login":"a","type":"User"},"issue":{"state":"open","labels":[{"name":"cohort/request"}]}}`},
		{name: "garbage", payload: `{{{`},
		{name: "null issue", payload: `{"action":"opened","issue":null}`},
	}
	h := &Issues{&Deps{}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, why := h.Relevant("issues", []byte(tc.payload)); got != tc.want {
				t.Errorf("Relevant = %v (%s), want %v", got, why, tc.want)
			}
		})
	}
}
