package bot

import (
	"context"
	"fmt"
	"testing"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/bot/command"
	"github.com/cohortbot/cohortbot/internal/bot/tasks"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/google/go-cmp/cmp"
)

func mustLookup(t *testing.T, name string) command.Command {
	t.Helper()
	c, ok := command.Lookup(name)
	if !ok {
		t.Fatalf("no command %q in the registry", name)
	}
	return c
}

// TestRefusalFromDeclaration: the refusal names exactly the roles the
// declaration allows, and the configured organizers.
func TestRefusalFromDeclaration(t *testing.T) {
	named := config.Repo{Organizers: []string{"@alice", "org/leads"}}
	tests := []struct {
		name, command string
		cfg           config.Repo
		want          string
	}{
		{name: "organizers only", command: "add-mentee",
			want: "only organizers (people with write access to this repository) may use `/add-mentee`."},
		{name: "configured organizers", command: "skip-week", cfg: named,
			want: "only organizers (alice, members of org/leads, per .github/cohortbot.yml) may use `/skip-week`."},
		{name: "mentors and organizers", command: "graduate",
			want: "only the cohort's mentors and organizers may use `/graduate`."},
		{name: "self, mentors and organizers", command: "withdraw", cfg: named,
			want: "only the mentee themself, the cohort's mentors and organizers may use `/withdraw`."},
		{name: "mentees and mentors", command: "checkin", want: "only the cohort's mentees and the cohort's mentors may use `/checkin`."},
		{name: "mentees", command: "away", want: "only the cohort's mentees may use `/away`."},
		{name: "task mentors", command: "task-cohort", want: "only the mentors of the task's cohorts may use `/task-cohort`."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := &command.Call{Cfg: tc.cfg}
			if d := cmp.Diff(tc.want, x.Refusal(mustLookup(t, tc.command))); d != "" {
				t.Errorf("refusal (-want +got):\n%s", d)
			}
		})
	}
}

// TestAllowedByRoster: the gate decides from the roster, before any
// organizer lookup, for the roles the roster settles (a call without an
// Env would panic if the gate asked GitHub).
func TestAllowedByRoster(t *testing.T) {
	members := []store.Member{
		{Handle: "mia", Role: store.RoleMentee, Status: store.StatusActive},
		{Handle: "wes", Role: store.RoleMentee, Status: store.StatusWithdrawn},
		{Handle: "ann", Role: store.RoleMentor, Status: store.StatusActive},
		{Handle: "old", Role: store.RoleMentor, Status: store.StatusWithdrawn},
	}
	tests := []struct {
		name, author, command string
		args                  []string
		role, owner           string
		want                  bool
	}{
		{name: "anyone asks for help", author: "randy", command: "cohort-help", want: true},
		{name: "mentee checks in", author: "mia", command: "checkin", want: true},
		{name: "mentor checks in for a mentee", author: "ann", command: "checkin", args: []string{"@mia"}, want: true},
		{name: "withdrawn mentee does not check in", author: "wes", command: "checkin"},
		{name: "stranger does not check in", author: "randy", command: "checkin"},
		{name: "former mentor does not reassign", author: "old", command: "reassign"},
		{name: "mentee is away", author: "mia", command: "away", want: true},
		{name: "mentor is not away", author: "ann", command: "away"},
		{name: "mentee withdraws themself", author: "mia", command: "withdraw", want: true},
		{name: "mentee withdraws by handle", author: "mia", command: "withdraw", args: []string{"@Mia"}, want: true},
		{name: "withdrawn mentee says it again", author: "wes", command: "withdraw", want: true},
		{name: "mentor withdraws a mentee", author: "ann", command: "withdraw", args: []string{"@mia"}, want: true},
		{name: "mentee passes", author: "mia", command: "pass", role: tasks.RoleTask, want: true},
		{name: "mentor does not pass", author: "ann", command: "pass", role: tasks.RoleTask},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := &command.Call{Members: members, Event: command.CommentEvent{Author: tc.author}, Role: tc.role, Owner: tc.owner,
				Cmd: cohort.Command{Name: tc.command, Args: tc.args}}
			c := mustLookup(t, tc.command)
			if tc.want == false && c.Who&(command.Organizer|command.TaskMentor) != 0 {
				t.Fatal("a refusal of this command would ask GitHub or the store; test it end to end")
			}
			got, err := x.Allowed(context.Background(), c)
			if err != nil || got != tc.want {
				t.Errorf("allowed(@%s /%s %v) = %v, %v; want %v", tc.author, tc.command, tc.args, got, err, tc.want)
			}
		})
	}
}

// TestWhoText: the docs say who from the declaration.
func TestWhoText(t *testing.T) {
	got := map[string]string{}
	for _, c := range Commands {
		got[c.Name] = c.WhoText()
	}
	want := map[string]string{
		"checkin": "mentee, mentor", "away": "mentee", "graduate": "mentor, organizer",
		"withdraw": "the mentee (self), mentor, organizer", "add-mentee": "organizer", "remove-mentee": "organizer",
		"add-mentor": "organizer", "remove-mentor": "organizer", "skip-week": "organizer", "extend": "organizer",
		"close-cohort": "organizer", "reassign": "mentor", "pass": "mentee", "propose-cohort": "organizer", "task-cohort": "mentor of the task's cohort",
		"cohort-help": "anyone", "progress": "mentee, mentor, organizer",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("who (-want +got):\n%s", d)
	}
}

// TestMisspellingReadsRegistry: the hint suggests the registry's names and
// never calls a registered name a misspelling.
func TestMisspellingReadsRegistry(t *testing.T) {
	for _, n := range command.Names() {
		if s, ok := cohort.Misspelling(n, command.Names()); ok {
			t.Errorf("/%s, a command, was taken for a misspelling of /%s", n, s)
		}
	}
	got := map[string]string{}
	for _, typo := range []string{"chekin", "task_cohort", "cohorthelp", "skipweek"} {
		got[typo], _ = cohort.Misspelling(typo, command.Names())
	}
	want := map[string]string{"chekin": "checkin", "task_cohort": "task-cohort", "cohorthelp": "cohort-help", "skipweek": "skip-week"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("hints (-want +got):\n%s", d)
	}
}

// TestSelectCommandsCountOnlyOurs: only the registry's commands and their
// misspellings take one of a comment's command slots; other bots' do not.
func TestSelectCommandsCountOnlyOurs(t *testing.T) {
	acted, ignored := command.SelectCommands(cohort.ParseCommandsLimit("/retest\n/lgtm\n/checkin\n/check-in\n/assign @a\n/away", cohort.MaxCommandLines))
	var got []string
	for _, s := range acted {
		got = append(got, fmt.Sprintf("%d:%s", s.Idx, s.Cmd.Name))
	}
	if diff := cmp.Diff([]string{"2:checkin", "3:check-in", "5:away"}, got); diff != "" || len(ignored) != 0 {
		t.Errorf("acted on (-want +got):\n%s\nignored %v", diff, ignored)
	}
}
