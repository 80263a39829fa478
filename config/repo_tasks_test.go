package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRepoStall(t *testing.T) {
	tests := []struct {
		name      string
		yaml      string
		tasks     Tasks
		followUps []int
	}{
		{name: "defaults", yaml: "", tasks: Tasks{7, 14, 3}, followUps: []int{90, 365}},
		{name: "spec example", yaml: "tasks:\n  remind_after_days: 7\n  release_after_days: 14\n  max_open_per_mentee: 3\nretention:\n  follow_up_days: [90, 365]\n",
			tasks: Tasks{7, 14, 3}, followUps: []int{90, 365}},
		{name: "a later reminder alone moves the release up", yaml: "tasks:\n  remind_after_days: 20\n", tasks: Tasks{20, 40, 3}, followUps: []int{90, 365}},
		{name: "an earlier release alone moves the reminder down", yaml: "tasks:\n  release_after_days: 6\n", tasks: Tasks{3, 6, 3}, followUps: []int{90, 365}},
		{name: "a one-day release alone has no reminder", yaml: "tasks:\n  release_after_days: 1\n", tasks: Tasks{0, 1, 3}, followUps: []int{90, 365}},
		{name: "no reminder", yaml: "tasks:\n  remind_after_days: 0\n", tasks: Tasks{0, 14, 3}, followUps: []int{90, 365}},
		{name: "follow-ups sorted", yaml: "retention:\n  follow_up_days: [365, 30, 90]\n", tasks: Tasks{7, 14, 3}, followUps: []int{30, 90, 365}},
		{name: "no follow-ups", yaml: "retention:\n  follow_up_days: []\n", tasks: Tasks{7, 14, 3}, followUps: []int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRepo([]byte(tc.yaml))
			if err != nil {
				t.Fatalf("ParseRepo() error: %v", err)
			}
			if d := cmp.Diff(tc.tasks, got.Tasks); d != "" {
				t.Errorf("tasks (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.followUps, got.Retention.FollowUpDays); d != "" {
				t.Errorf("follow_up_days (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseRepoStallErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"negative reminder", "tasks:\n  remind_after_days: -1\n", "tasks.remind_after_days (line 2): must be between 0 (no reminder) and 365 days, not -1"},
		{"zero release", "tasks:\n  release_after_days: 0\n", "tasks.release_after_days (line 2): must be between 1 and 365 days, not 0"},
		{"release before reminder, both set", "tasks:\n  remind_after_days: 10\n  release_after_days: 5\n",
			"tasks.release_after_days (line 3): is 5, not after tasks.remind_after_days (10): the reminder must come before the release"},
		{"release over a year", "tasks:\n  release_after_days: 400\n", "tasks.release_after_days (line 2): must be between 1 and 365 days, not 400"},
		{"no open task allowed", "tasks:\n  max_open_per_mentee: 0\n", "tasks.max_open_per_mentee (line 2): must be between 1 and 100, not 0"},
		{"text for a number", "tasks:\n  max_open_per_mentee: three\n", `tasks.max_open_per_mentee (line 2): must be a whole number, not "three"`},
		{"unknown tasks key", "tasks:\n  remind_days: 3\n", "tasks.remind_days (line 2): unknown key (check its spelling and indentation)"},
		{"follow-up zero", "retention:\n  follow_up_days: [0, 90]\n", "retention.follow_up_days[0] (line 2): must be between 1 and 3650 days after the close, not 0"},
		{"follow-up twice", "retention:\n  follow_up_days:\n    - 90\n    - 90\n", "retention.follow_up_days[1] (line 4): 90 is listed twice"},
		{"follow-up not a list", "retention:\n  follow_up_days: 90\n", "retention.follow_up_days (line 2): must be a list of whole numbers, not \"90\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRepo([]byte(tc.yaml))
			if err == nil {
				t.Fatalf("ParseRepo() = nil error, want %q", tc.want)
			}
			if d := cmp.Diff(tc.want, err.Error()); d != "" {
				t.Errorf("error (-want +got):\n%s", d)
			}
		})
	}
}
