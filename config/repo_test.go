package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

func TestParseRepo(t *testing.T) {
	withDefaults := func(change func(*Repo)) Repo {
		r := DefaultRepo()
		change(&r)
		return r
	}
	tests := []struct {
		name string
		yaml string
		want Repo
	}{
		{name: "empty file", yaml: "", want: DefaultRepo()},
		{name: "comments only", yaml: "# nothing yet\n", want: DefaultRepo()},
		{name: "spec example", yaml: `organizers: [alice, my-org/mentoring-leads]
max_mentees: 8
mentees_per_mentor: 4
checkin:
  day: Tuesday
  timezone: Europe/Berlin
tracks:
  reviewer:
    topics: [Live code review]
  Subproject_Owner:
    graduation_hint: "Ask the SIG."
`, want: withDefaults(func(r *Repo) {
			r.Organizers = []string{"alice", "my-org/mentoring-leads"}
			r.MaxMentees, r.RecommendedMentees, r.MenteesPerMentor = 8, 8, 4
			r.Checkin.Day, r.Checkin.Timezone = "Tuesday", "Europe/Berlin"
			r.Tracks["reviewer"] = Track{Topics: []string{"Live code review"}, GraduationHint: r.Tracks["reviewer"].GraduationHint, Ladder: r.Tracks["reviewer"].Ladder}
			r.Tracks["subproject owner"] = Track{Topics: r.Tracks["subproject owner"].Topics, GraduationHint: "Ask the SIG.", Ladder: r.Tracks["subproject owner"].Ladder}
		})},
		{name: "explicit empty list replaces", yaml: "checkin:\n  optional_sections: []\n  remind_before_hours: 0\n",
			want: withDefaults(func(r *Repo) { r.Checkin.OptionalSections, r.Checkin.RemindBeforeHours = []string{}, 0 })},
		// SPEC §7: a default never makes a file invalid; the unset limit
		// follows the one the file set.
		{name: "max_mentees alone lowers the recommended size", yaml: "max_mentees: 6\n",
			want: withDefaults(func(r *Repo) { r.MaxMentees, r.RecommendedMentees = 6, 6 })},
		{name: "max_mentees alone above the recommended size keeps it", yaml: "max_mentees: 12\n",
			want: withDefaults(func(r *Repo) { r.MaxMentees = 12 })},
		{name: "recommended_mentees alone raises max_mentees", yaml: "recommended_mentees: 12\n",
			want: withDefaults(func(r *Repo) { r.MaxMentees, r.RecommendedMentees = 12, 12 })},
		{name: "max_weeks alone lowers min_weeks", yaml: "max_weeks: 3\n",
			want: withDefaults(func(r *Repo) { r.MinWeeks, r.MaxWeeks = 3, 3 })},
		{name: "min_weeks alone raises max_weeks", yaml: "min_weeks: 20\n",
			want: withDefaults(func(r *Repo) { r.MinWeeks, r.MaxWeeks = 20, 20 })},
		{name: "both limits set and consistent", yaml: "max_mentees: 6\nrecommended_mentees: 4\nmin_weeks: 2\nmax_weeks: 3\n",
			want: withDefaults(func(r *Repo) { r.MaxMentees, r.RecommendedMentees, r.MinWeeks, r.MaxWeeks = 6, 4, 2, 3 })},
		{name: "at in organizer dropped", yaml: "organizers:\n  - '@alice'\n", want: withDefaults(func(r *Repo) { r.Organizers = []string{"alice"} })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRepo([]byte(tc.yaml))
			if err != nil {
				t.Fatalf("ParseRepo() error: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseRepo() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRepoErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{name: "not YAML", yaml: "max_mentees: [1\n", want: "cohortbot.yml (line 1): not valid YAML: did not find expected ',' or ']'"},
		{name: "top-level list", yaml: "- alice\n- bob\n", want: "cohortbot.yml (line 1): the file must be a mapping of keys (organizers:, max_mentees:, checkin:, …), not a list"},
		{name: "top-level scalar", yaml: "hello\n", want: `cohortbot.yml (line 1): the file must be a mapping of keys (organizers:, max_mentees:, checkin:, …), not a single value ("hello")`},
		{name: "unknown key", yaml: "checkin:\n  day: monday\n  time_zone: UTC\n", want: "checkin.time_zone (line 3): unknown key (check its spelling and indentation)"},
		{name: "wrong type", yaml: "max_mentees: ten\n", want: `max_mentees (line 1): must be a whole number, not "ten"`},
		{name: "list for string", yaml: "task_label: [a, b]\n", want: "task_label (line 1): must be a string, not a list"},
		{name: "zero", yaml: "mentees_per_mentor: 0\n", want: "mentees_per_mentor (line 1): must be a positive whole number, not 0"},
		{name: "recommended over max, both set", yaml: "max_mentees: 6\nrecommended_mentees: 9\n", want: "recommended_mentees (line 2): is 9, more than max_mentees (6)"},
		{name: "min over max weeks, both set", yaml: "max_weeks: 10\nmin_weeks: 20\n", want: "min_weeks (line 2): is 20, more than max_weeks (10)"},
		{name: "min weeks alone over the cap", yaml: "min_weeks: 60\n", want: "min_weeks (line 1): is 60; a cohort lasts at most 52 weeks"},
		{name: "zero max_mentees blames only itself", yaml: "max_mentees: 0\n", want: "max_mentees (line 1): must be a positive whole number, not 0"},
		{name: "zero max_weeks blames only itself", yaml: "max_weeks: 0\n", want: "max_weeks (line 1): must be a positive whole number, not 0"},
		{name: "max weeks over 52", yaml: "max_weeks: 60\n", want: "max_weeks (line 1): is 60; a cohort lasts at most 52 weeks"},
		{name: "bad day", yaml: "checkin:\n  day: someday\n", want: `checkin.day (line 2): "someday" is not a day of the week; use Monday … Sunday`},
		{name: "bad timezone", yaml: "checkin:\n  timezone: Local\n", want: `checkin.timezone (line 2): "Local" depends on the server; name a zone such as "Europe/Berlin"`},
		{name: "no sections", yaml: "checkin:\n  sections: []\n", want: "checkin.sections (line 2): must list at least one section, e.g. [Accomplishments, Challenges]"},
		{name: "duplicate section", yaml: "checkin:\n  optional_sections: [challenges]\n", want: `checkin.optional_sections[0] (line 2): "challenges" is listed twice`},
		{name: "bad organizer", yaml: "organizers:\n  - alice\n  - bad_name\n", want: `organizers[1] (line 3): "bad_name" contains '_'; GitHub logins use only letters, digits and hyphens; write a GitHub handle or an org/team slug`},
		{name: "bad team", yaml: "organizers: [org/]\n", want: `organizers[0] (line 1): "org/" is not an org/team slug such as my-org/mentoring-leads`},
		{name: "empty task label", yaml: "task_label: ''\n", want: "task_label (line 1): must be a label name of 1 to 50 characters"},
		{name: "unknown track", yaml: "tracks:\n  chair: {}\n", want: "tracks.chair (line 2): not a ladder step; use one of member, reviewer, approver, subproject owner"},
		{name: "several", yaml: "max_mentees: x\nfoo: 1\n", want: "max_mentees (line 1): must be a whole number, not \"x\"\nfoo (line 2): unknown key (check its spelling and indentation)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRepo([]byte(tc.yaml))
			if err == nil {
				t.Fatalf("ParseRepo() = nil error, want %q", tc.want)
			}
			var re *RepoError
			if !errors.As(err, &re) {
				t.Errorf("ParseRepo() error %T is not a *RepoError", err)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("ParseRepo() error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRepoHelpers(t *testing.T) {
	r, err := ParseRepo([]byte("checkin:\n  day: fri\n  timezone: Asia/Tokyo\ntask_label: Mentor-Task\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := cohort.Rules{MaxMentees: 10, RecommendedMentees: 8, MenteesPerMentor: 3, MinWeeks: 4, MaxWeeks: 16,
		DefaultCheckinDay: time.Friday, DefaultTimeZone: "Asia/Tokyo"}
	if diff := cmp.Diff(want, r.Rules()); diff != "" {
		t.Errorf("Rules() mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(cohort.DefaultRules(), DefaultRepo().Rules()); diff != "" {
		t.Errorf("DefaultRepo().Rules() differs from cohort.DefaultRules() (-want +got):\n%s", diff)
	}
	for _, step := range cohort.LadderSteps {
		if tr := r.Track(step); len(tr.Topics) == 0 || tr.GraduationHint == "" {
			t.Errorf("Track(%q) = %+v, want default topics and hint", step, tr)
		}
	}
	if r.Track("Subproject owner").GraduationHint != r.Track("SUBPROJECT_OWNER").GraduationHint || r.Track("Chair").Topics != nil {
		t.Errorf("Track() does not match steps case- and separator-insensitively")
	}
	for _, tc := range []struct {
		label string
		want  bool
	}{{"mentor-task", true}, {" MENTOR-TASK ", true}, {"good-first-review", false}} {
		if got := r.IsTaskLabel(tc.label); got != tc.want {
			t.Errorf("IsTaskLabel(%q) = %v, want %v", tc.label, got, tc.want)
		}
	}
	if strings.Contains(DefaultRepo().Tracks["reviewer"].GraduationHint, "\n") {
		t.Error("graduation hints must be one line")
	}
}

func FuzzParseRepo(f *testing.F) {
	for _, s := range []string{"", "organizers: [alice, org/team]\nmax_mentees: 8\n", "- a\n", "checkin:\n  day: mon\n  timezone: Asia/Tokyo\n",
		"tracks:\n  subproject_owner:\n    topics: [a]\n", "a: &a [*a]\n", "max_mentees: 1\nmax_mentees: 2\n", "{checkin: {sections: [x, X]}}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRepo(data)
		if err != nil {
			var re *RepoError
			if !errors.As(err, &re) || err.Error() == "" {
				t.Errorf("ParseRepo error %T %q is not a *RepoError", err, err)
			}
			return
		}
		rules := r.Rules()
		if rules.MaxMentees < 1 || rules.RecommendedMentees > rules.MaxMentees || rules.MinWeeks > rules.MaxWeeks || rules.MaxWeeks > 52 || rules.MenteesPerMentor < 1 {
			t.Errorf("valid config has inconsistent rules %+v", rules)
		}
		if _, err := cohort.LoadTimeZone(rules.DefaultTimeZone); err != nil || len(r.Checkin.Sections) == 0 || r.TaskLabel == "" {
			t.Errorf("valid config %+v has a broken check-in or label", r)
		}
	})
}
