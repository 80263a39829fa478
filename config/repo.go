package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// Repo is a mentoring repository's .github/cohortbot.yml (SPEC §7). Every key
// is optional; ParseRepo fills what is absent from DefaultRepo.
type Repo struct {
	Organizers         []string         `yaml:"organizers"`
	MaxMentees         int              `yaml:"max_mentees"`
	RecommendedMentees int              `yaml:"recommended_mentees"`
	MenteesPerMentor   int              `yaml:"mentees_per_mentor"`
	MinWeeks           int              `yaml:"min_weeks"`
	MaxWeeks           int              `yaml:"max_weeks"`
	Checkin            Checkin          `yaml:"checkin"`
	TaskLabel          string           `yaml:"task_label"`
	Tracks             map[string]Track `yaml:"tracks"`
	Tasks              Tasks            `yaml:"tasks"`
	Retention          Retention        `yaml:"retention"`
}

// Checkin configures weekly check-ins.
type Checkin struct {
	Day               string   `yaml:"day"`
	Timezone          string   `yaml:"timezone"`
	Sections          []string `yaml:"sections"`
	OptionalSections  []string `yaml:"optional_sections"`
	RemindBeforeHours int      `yaml:"remind_before_hours"`
}

// Track is what a cohort aiming at one ladder step covers: the hub's topic
// checklist and the graduation hint of the mid-program comment.
type Track struct {
	Topics         []string `yaml:"topics"`
	GraduationHint string   `yaml:"graduation_hint"`
	// Ladder is what SPEC §10 measures on GitHub for this step
	// (requirements, scope, since); see ladder.go.
	Ladder `yaml:",inline"`
}

// DefaultRepo is the configuration of a repository without a cohortbot.yml:
// the seed document's numbers, and tracks after Kubernetes'
// community-membership ladder. Tracks are keyed by the lower-cased ladder step.
func DefaultRepo() Repo {
	return Repo{
		MaxMentees: 10, RecommendedMentees: 8, MenteesPerMentor: 3, MinWeeks: 4, MaxWeeks: 16,
		Checkin: Checkin{
			Day: "monday", Timezone: "UTC", Sections: []string{"Accomplishments", "Challenges"},
			OptionalSections: []string{"Next steps"}, RemindBeforeHours: 24,
		},
		TaskLabel: "good-first-review",
		Tasks:     defaultTasks(), Retention: defaultRetention(),
		Tracks: map[string]Track{
			"member": {
				Topics: []string{"Finding your way around the project", "Your first pull requests", "Issue triage and labels",
					"Code of conduct and communication channels", "Finding sponsors"},
				Ladder:         Ladder{Requirements: map[string]int{MergedPRs: 1}, Since: SinceAny},
				GraduationHint: "Member: multiple contributions (PRs, reviews, issues) and two sponsors who are reviewers or approvers, from different companies; file the membership request.",
			},
			"reviewer": {
				Topics: []string{"Live code review", "Reviewing docs", "Communicating with empathy",
					"Advanced testing and CI", "Community governance"},
				Ladder:         Ladder{Requirements: map[string]int{ReviewedPRs: 20}, Since: SinceAny},
				GraduationHint: "Reviewer: member for 3+ months, primary reviewer on 5+ PRs, 20+ PRs reviewed or merged; a subproject approver sponsors the OWNERS PR.",
			},
			"approver": {
				Topics: []string{"Owning a code area", "Approving with confidence", "API and design review",
					"Release process and backports", "Mentoring reviewers"},
				Ladder:         Ladder{Requirements: map[string]int{ReviewedPRs: 30}, Since: SinceAny},
				GraduationHint: "Approver: reviewer for 3+ months, primary reviewer on 10+ substantial PRs, 30+ PRs reviewed or merged; nominated by a subproject owner.",
			},
			"subproject owner": {
				Topics: []string{"Setting technical direction", "Roadmaps and KEPs", "Running meetings",
					"Growing contributors", "Cross-SIG coordination"},
				Ladder:         Ladder{Since: SinceAny},
				GraduationHint: "Subproject owner: deep experience as an approver, proven judgement on the subproject's direction; nominated by owners and approved by SIG leads.",
			},
		},
	}
}

// ParseRepo reads a cohortbot.yml: strict decoding (an unknown key is an error,
// not silently ignored), overlaid on DefaultRepo (an absent or null key keeps
// the default; a present key replaces it, down to each track's topics and
// hint), then validated. An empty file is the defaults. The error is a
// *RepoError, or a RepoErrors when there are several: use errors.As.
func ParseRepo(data []byte) (Repo, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return Repo{}, &RepoError{Line: yamlLine(err.Error()), Message: "not valid YAML: " + stripYAMLPrefix(err.Error())}
	}
	r := DefaultRepo()
	if len(root.Content) == 0 || root.Content[0].Tag == "!!null" {
		return r, nil
	}
	if top := root.Content[0]; top.Kind != yaml.MappingNode {
		return Repo{}, &RepoError{Line: top.Line, Message: "the file must be a mapping of keys (organizers:, max_mentees:, checkin:, …), not a " + kindName(top)}
	}
	lines := keyLines(root.Content[0], "", map[string]int{})
	var raw rawRepo
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil && !errors.Is(err, io.EOF) {
		return Repo{}, decodeErrors(err, lines)
	}
	errs := raw.overlay(&r, lines)
	raw.complete(&r)
	if errs = append(errs, r.validate(lines)...); len(errs) > 0 {
		sortErrors(errs)
		return Repo{}, joinErrors(errs)
	}
	return r, nil
}

// rawRepo mirrors Repo with pointers, so that "absent" and "zero" differ.
type rawRepo struct {
	Organizers         *[]string           `yaml:"organizers"`
	MaxMentees         *int                `yaml:"max_mentees"`
	RecommendedMentees *int                `yaml:"recommended_mentees"`
	MenteesPerMentor   *int                `yaml:"mentees_per_mentor"`
	MinWeeks           *int                `yaml:"min_weeks"`
	MaxWeeks           *int                `yaml:"max_weeks"`
	Checkin            *rawCheckin         `yaml:"checkin"`
	TaskLabel          *string             `yaml:"task_label"`
	Tracks             map[string]rawTrack `yaml:"tracks"`
	Tasks              *rawTasks           `yaml:"tasks"`
	Retention          *rawRetention       `yaml:"retention"`
}

type rawCheckin struct {
	Day               *string   `yaml:"day"`
	Timezone          *string   `yaml:"timezone"`
	Sections          *[]string `yaml:"sections"`
	OptionalSections  *[]string `yaml:"optional_sections"`
	RemindBeforeHours *int      `yaml:"remind_before_hours"`
}

type rawTrack struct {
	Topics         *[]string       `yaml:"topics"`
	GraduationHint *string         `yaml:"graduation_hint"`
	Requirements   *map[string]int `yaml:"requirements"`
	Scope          *[]string       `yaml:"scope"`
	Since          *string         `yaml:"since"`
}

// overlay copies every present key onto r. Track keys are matched to ladder
// steps here, since an unknown one has no default to overlay.
func (raw rawRepo) overlay(r *Repo, lines map[string]int) []*RepoError {
	set(&r.Organizers, raw.Organizers)
	set(&r.MaxMentees, raw.MaxMentees)
	set(&r.RecommendedMentees, raw.RecommendedMentees)
	set(&r.MenteesPerMentor, raw.MenteesPerMentor)
	set(&r.MinWeeks, raw.MinWeeks)
	set(&r.MaxWeeks, raw.MaxWeeks)
	set(&r.TaskLabel, raw.TaskLabel)
	raw.overlayStall(r)
	if c := raw.Checkin; c != nil {
		set(&r.Checkin.Day, c.Day)
		set(&r.Checkin.Timezone, c.Timezone)
		set(&r.Checkin.Sections, c.Sections)
		set(&r.Checkin.OptionalSections, c.OptionalSections)
		set(&r.Checkin.RemindBeforeHours, c.RemindBeforeHours)
	}
	var errs []*RepoError
	seen := map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(raw.Tracks)) {
		t, step := raw.Tracks[key], trackKey(key)
		path := "tracks." + key
		if _, ok := r.Tracks[step]; !ok {
			errs = append(errs, &RepoError{Key: path, Line: lines[path], Message: "not a ladder step; use one of member, reviewer, approver, subproject owner"})
			continue
		}
		if other, dup := seen[step]; dup {
			errs = append(errs, &RepoError{Key: path, Line: lines[path], Message: fmt.Sprintf("the same ladder step as tracks.%s", other)})
			continue
		}
		seen[step] = key
		tr := r.Tracks[step]
		set(&tr.Topics, t.Topics)
		set(&tr.GraduationHint, t.GraduationHint)
		set(&tr.Requirements, t.Requirements)
		set(&tr.Scope, t.Scope)
		set(&tr.Since, t.Since)
		errs = append(errs, tr.Ladder.validate(path, lines)...)
		r.Tracks[step] = tr
	}
	return errs
}

// complete lets the limits the file did not set follow the ones it did
// (SPEC §7: a default never makes a file invalid): the recommended size
// follows max_mentees down and max_mentees follows recommended_mentees up;
// min_weeks follows max_weeks down and max_weeks follows min_weeks up (to
// the 52-week cap). Two keys the file set that disagree are left as they are,
// for validate to report by name. A value that is itself invalid (zero or
// negative) moves nothing, so its own error is the only one.
func (raw rawRepo) complete(r *Repo) {
	if raw.RecommendedMentees == nil && raw.MaxMentees != nil && r.MaxMentees >= 1 {
		r.RecommendedMentees = min(r.RecommendedMentees, r.MaxMentees)
	}
	if raw.MaxMentees == nil && raw.RecommendedMentees != nil {
		r.MaxMentees = max(r.MaxMentees, r.RecommendedMentees)
	}
	if raw.MinWeeks == nil && raw.MaxWeeks != nil && r.MaxWeeks >= 1 {
		r.MinWeeks = min(r.MinWeeks, r.MaxWeeks)
	}
	if raw.MaxWeeks == nil && raw.MinWeeks != nil {
		r.MaxWeeks = max(r.MaxWeeks, min(r.MinWeeks, maxCohortWeeks))
	}
	raw.completeStall(r)
}

// maxCohortWeeks is the longest cohort a config may allow.
const maxCohortWeeks = 52

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// trackKey maps a ladder step or a tracks key to the key DefaultRepo uses:
// "Subproject owner", "subproject_owner" and "subproject-owner" are one step.
func trackKey(s string) string {
	s = strings.NewReplacer("_", " ", "-", " ").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// Rules returns the limits Validate applies to new-cohort requests. r must
// have come from ParseRepo or DefaultRepo (day and zone already checked).
func (r Repo) Rules() cohort.Rules {
	day, err := cohort.ParseWeekday(r.Checkin.Day)
	if err != nil {
		day = cohort.DefaultRules().DefaultCheckinDay
	}
	return cohort.Rules{
		MaxMentees: r.MaxMentees, RecommendedMentees: r.RecommendedMentees, MenteesPerMentor: r.MenteesPerMentor,
		MinWeeks: r.MinWeeks, MaxWeeks: r.MaxWeeks, DefaultCheckinDay: day, DefaultTimeZone: r.Checkin.Timezone,
	}
}

// Track returns the track of a ladder step ("Subproject owner" finds the key
// "subproject owner" or "subproject_owner"); the zero Track when none.
func (r Repo) Track(step string) Track {
	want := trackKey(step)
	for k, t := range r.Tracks {
		if trackKey(k) == want {
			return t
		}
	}
	return Track{}
}

// IsTaskLabel reports whether a label name is the task label. GitHub label
// names are case-insensitive, so the comparison is too.
func (r Repo) IsTaskLabel(name string) bool {
	return strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(r.TaskLabel))
}

var teamSlugRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// validate checks values that decoded but make no sense.
func (r *Repo) validate(lines map[string]int) []*RepoError {
	var errs []*RepoError
	add := adder(&errs, lines)
	for k, n := range map[string]int{"max_mentees": r.MaxMentees, "recommended_mentees": r.RecommendedMentees,
		"mentees_per_mentor": r.MenteesPerMentor, "min_weeks": r.MinWeeks, "max_weeks": r.MaxWeeks} {
		if n < 1 {
			add(k, "must be a positive whole number, not %d", n)
		}
	}
	errs = append(errs, r.validateOrganizers(lines)...)
	errs = append(errs, r.Checkin.validate(lines)...)
	errs = append(errs, r.validateStall(lines)...)
	if t := strings.TrimSpace(r.TaskLabel); t == "" || len(t) > 50 || strings.Contains(t, "\n") {
		add("task_label", "must be a label name of 1 to 50 characters")
	}
	// Cross-key checks only between valid values: a zero max_mentees has
	// its own error, not a second one on a key the file may not have set.
	if r.MaxMentees >= 1 && r.RecommendedMentees > r.MaxMentees {
		add("recommended_mentees", "is %d, more than max_mentees (%d)", r.RecommendedMentees, r.MaxMentees)
	}
	switch {
	case r.MinWeeks > maxCohortWeeks:
		add("min_weeks", "is %d; a cohort lasts at most %d weeks", r.MinWeeks, maxCohortWeeks)
	case r.MaxWeeks >= 1 && r.MinWeeks > r.MaxWeeks:
		add("min_weeks", "is %d, more than max_weeks (%d)", r.MinWeeks, r.MaxWeeks)
	}
	if r.MaxWeeks > maxCohortWeeks {
		add("max_weeks", "is %d; a cohort lasts at most %d weeks", r.MaxWeeks, maxCohortWeeks)
	}
	return errs
}

// validateOrganizers checks handles and org/team slugs, dropping any "@".
func (r *Repo) validateOrganizers(lines map[string]int) []*RepoError {
	var errs []*RepoError
	add := adder(&errs, lines)
	for i, o := range r.Organizers {
		key := fmt.Sprintf("organizers[%d]", i)
		org, team, isTeam := strings.Cut(strings.TrimPrefix(strings.TrimSpace(o), "@"), "/")
		if err := cohort.ValidHandle(org); err != nil {
			add(key, "%v; write a GitHub handle or an org/team slug", err)
		} else if isTeam && !teamSlugRE.MatchString(team) {
			add(key, "%q is not an org/team slug such as my-org/mentoring-leads", o)
		}
		r.Organizers[i] = strings.TrimPrefix(strings.TrimSpace(o), "@")
	}
	return errs
}

// validate checks the check-in day, zone, sections and reminder.
func (c *Checkin) validate(lines map[string]int) []*RepoError {
	var errs []*RepoError
	add := adder(&errs, lines)
	if _, err := cohort.ParseWeekday(c.Day); err != nil {
		add("checkin.day", "%v", err)
	}
	if _, err := cohort.LoadTimeZone(c.Timezone); err != nil {
		add("checkin.timezone", "%v", err)
	}
	if len(c.Sections) == 0 {
		add("checkin.sections", "must list at least one section, e.g. [Accomplishments, Challenges]")
	}
	seen := map[string]bool{}
	for _, list := range []struct {
		key   string
		names []string
	}{{"checkin.sections", c.Sections}, {"checkin.optional_sections", c.OptionalSections}} {
		for i, s := range list.names {
			key := fmt.Sprintf("%s[%d]", list.key, i)
			low := strings.ToLower(strings.TrimSpace(s))
			switch {
			case low == "" || len(s) > 50 || strings.ContainsAny(s, ":\n#"):
				add(key, "%q is not a section name: use a few words without ':' or '#'", s)
			case seen[low]:
				add(key, "%q is listed twice", s)
			}
			seen[low] = true
		}
	}
	if c.RemindBeforeHours < 0 || c.RemindBeforeHours > 167 {
		add("checkin.remind_before_hours", "must be between 0 (no reminders) and 167, not %d", c.RemindBeforeHours)
	}
	return errs
}
