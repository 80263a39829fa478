package bot_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/bot/bottest"
)

// goldenUpdate reports the package's -update flag (commands_test.go): it
// rewrites the golden files of the flow tests too.
func goldenUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenName turns a subtest's name into a file name.
func goldenName(prefix, name string) string {
	r := strings.NewReplacer(" ", "-", "/", "-", "'", "", "@", "")
	return prefix + "/" + r.Replace(strings.ToLower(name))
}

// diff fails t with what differs between want and got.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// issue is a short way to write an expected issue.
func issue(n int, title, state string, labels, assignees []string) bottest.IssueView {
	v := bottest.IssueView{Number: n, Title: title, State: state, Labels: labels, Assignees: assignees}
	if labels == nil {
		v.Labels = []string{}
	}
	if assignees == nil {
		v.Assignees = []string{}
	}
	return v
}
