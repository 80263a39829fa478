package templates_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/waitlist"
)

// TestIssueFormsFollowGitHubRules checks every shipped issue form against
// GitHub's issue-form syntax ("Syntax for issue forms" and "Common validation
// errors when creating issue forms" in GitHub's docs): GitHub refuses to offer
// a form that breaks them, and organizers would only find out in their
// repository.
func TestIssueFormsFollowGitHubRules(t *testing.T) {
	files, err := filepath.Glob("issue-forms/*.yml")
	if err != nil || len(files) < 3 {
		t.Fatalf("issue forms: %v %v, want at least new-cohort, join-cohort and offer-mentoring", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range checkIssueForm(data) {
				t.Error(p)
			}
		})
	}
}

// TestIssueFormCheckerRefusesBrokenForms: the checker above must catch each
// rule broken on its own, or it proves nothing.
func TestIssueFormCheckerRefusesBrokenForms(t *testing.T) {
	base := func(body string) string {
		return "name: N\ndescription: D\nlabels: [\"a\"]\nbody:\n" + body
	}
	okInput := "  - type: input\n    id: x\n    attributes:\n      label: X\n"
	tests := []struct{ name, yml, want string }{
		{"no name", "description: D\nbody:\n" + okInput, "top-level key name"},
		{"unknown top-level key", base(okInput) + "hello: world\n", `"hello" is not a permitted`},
		{"empty name", strings.Replace(base(okInput), "name: N", `name: " "`, 1), "name must be a non-empty string"},
		{"only markdown", base("  - type: markdown\n    attributes:\n      value: hi\n"), "at least one non-markdown"},
		{"unknown type", base(okInput + "  - type: date\n    attributes:\n      label: D\n"), `type "date"`},
		{"duplicate id", base(okInput + "  - type: input\n    id: x\n    attributes:\n      label: Y\n"), `id "x" is used twice`},
		{"bad id", base("  - type: input\n    id: a b\n    attributes:\n      label: X\n"), "alphanumeric"},
		{"duplicate label", base(okInput + "  - type: textarea\n    attributes:\n      label: X\n"), `label "X" is used twice`},
		{"no label", base("  - type: input\n    attributes:\n      description: d\n"), "attributes.label"},
		{"empty options", base("  - type: dropdown\n    attributes:\n      label: D\n      options: []\n"), "options must be a non-empty list"},
		{"duplicate options", base("  - type: dropdown\n    attributes:\n      label: D\n      options: [a, a]\n"), `option "a" is used twice`},
		{"reserved option", base("  - type: dropdown\n    attributes:\n      label: D\n      options: [None, b]\n"), "reserved"},
		{"required not bool", base(okInput + "    validations:\n      required: maybe\n"), "required must be true or false"},
		{"markdown validations", base(okInput + "  - type: markdown\n    attributes:\n      value: v\n    validations:\n      required: true\n"), "markdown"},
		{"duplicate labels", strings.Replace(base(okInput), `["a"]`, `["a", "a"]`, 1), `label "a" twice`},
		{"prohibited key", base(okInput) + "yes: 1\n", "prohibited"},
		{"unknown attribute", base("  - type: input\n    attributes:\n      label: X\n      options: [a]\n"), `attribute "options"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := checkIssueForm([]byte(tt.yml))
			if !strings.Contains(strings.Join(ps, "\n"), tt.want) {
				t.Errorf("problems %q, want one containing %q", ps, tt.want)
			}
		})
	}
}

// TestIssueFormsMatchParsers: each form's field labels are the headings the
// bot parses, in form order, and its dropdown offers exactly the ladder steps.
func TestIssueFormsMatchParsers(t *testing.T) {
	tests := []struct {
		file   string
		fields []string
		label  string
	}{
		{"new-cohort.yml", cohort.FormFields, "cohort/request"},
		{"join-cohort.yml", waitlist.InterestFields, waitlist.LabelInterest},
		{"offer-mentoring.yml", waitlist.OfferFields, waitlist.LabelOffer},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("issue-forms", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var f struct {
				Labels []string `yaml:"labels"`
				Body   []struct {
					Type       string `yaml:"type"`
					Attributes struct {
						Label   string   `yaml:"label"`
						Options []string `yaml:"options"`
					} `yaml:"attributes"`
				} `yaml:"body"`
			}
			if err := yaml.Unmarshal(data, &f); err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, b := range f.Body {
				if b.Type == "markdown" {
					continue
				}
				labels = append(labels, b.Attributes.Label)
				if b.Type == "dropdown" && strings.HasPrefix(b.Attributes.Label, "Ladder step") {
					if d := cmp.Diff(cohort.LadderSteps, b.Attributes.Options); d != "" {
						t.Errorf("ladder step options (-want +got):\n%s", d)
					}
				}
			}
			if d := cmp.Diff(tt.fields, labels); d != "" {
				t.Errorf("field labels (-parser +form):\n%s", d)
			}
			if d := cmp.Diff([]string{tt.label}, f.Labels); d != "" {
				t.Errorf("labels (-want +got):\n%s", d)
			}
		})
	}
}

var (
	topKeys = map[string]bool{"name": true, "description": true, "title": true, "labels": true,
		"assignees": true, "body": true, "projects": true, "type": true}
	elemKeys = map[string]bool{"type": true, "id": true, "attributes": true, "validations": true}
	attrsOf  = map[string][]string{
		"markdown":   {"value"},
		"input":      {"label", "description", "placeholder", "value"},
		"textarea":   {"label", "description", "placeholder", "value", "render"},
		"dropdown":   {"label", "description", "multiple", "options", "default"},
		"checkboxes": {"label", "description", "options"},
	}
	idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	// prohibited are the keys GitHub refuses because YAML 1.1 reads them as booleans.
	prohibited = func() map[string]bool {
		m := map[string]bool{}
		for _, k := range strings.Fields("y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF") {
			m[k] = true
		}
		return m
	}()
)

// checkIssueForm returns every way data breaks GitHub's issue-form rules.
func checkIssueForm(data []byte) []string {
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return []string{"not YAML GitHub can read: " + err.Error()}
	}
	var ps []string
	for k := range doc {
		switch {
		case prohibited[k]:
			ps = append(ps, fmt.Sprintf("%q is a prohibited key (YAML reads it as a boolean)", k))
		case !topKeys[k]:
			ps = append(ps, fmt.Sprintf("%q is not a permitted top-level key", k))
		}
	}
	for _, k := range []string{"name", "description"} {
		if _, ok := doc[k]; !ok {
			ps = append(ps, "required top-level key "+k+" is missing")
		} else if s, ok := doc[k].(string); !ok || strings.TrimSpace(s) == "" {
			ps = append(ps, k+" must be a non-empty string")
		}
	}
	ps = append(ps, checkFormLabels(doc["labels"])...)
	body, ok := doc["body"].([]any)
	if !ok || len(body) == 0 {
		return append(ps, "required top-level key body must be a non-empty list")
	}
	return append(ps, checkFormBody(body)...)
}

func checkFormLabels(v any) []string {
	if v == nil {
		return nil
	}
	var names []string
	switch l := v.(type) {
	case string:
		names = strings.Split(l, ",")
	case []any:
		for _, x := range l {
			s, _ := x.(string)
			names = append(names, s)
		}
	default:
		return []string{"labels must be a list of strings"}
	}
	var ps []string
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		switch {
		case n == "" || len(n) > 50:
			ps = append(ps, fmt.Sprintf("label %q must be 1 to 50 characters", n))
		case seen[strings.ToLower(n)]:
			ps = append(ps, fmt.Sprintf("labels name label %q twice", n))
		}
		seen[strings.ToLower(n)] = true
	}
	return ps
}

func checkFormBody(body []any) []string {
	var ps []string
	ids, labels := map[string]bool{}, map[string]bool{}
	fields := 0
	for i, x := range body {
		el, ok := x.(map[string]any)
		if !ok {
			ps = append(ps, fmt.Sprintf("body[%d] is not a mapping", i))
			continue
		}
		typ, _ := el["type"].(string)
		if _, ok := attrsOf[typ]; !ok {
			ps = append(ps, fmt.Sprintf("body[%d]: type %q is not one of markdown, input, textarea, dropdown, checkboxes", i, typ))
			continue
		}
		if typ != "markdown" {
			fields++
		}
		ps = append(ps, checkFormElement(i, typ, el, ids, labels)...)
	}
	if fields == 0 {
		ps = append(ps, "body must contain at least one non-markdown field")
	}
	return ps
}

func checkFormElement(i int, typ string, el map[string]any, ids, labels map[string]bool) []string {
	var ps []string
	bad := func(format string, a ...any) {
		ps = append(ps, fmt.Sprintf("body[%d] (%s): ", i, typ)+fmt.Sprintf(format, a...))
	}
	for k := range el {
		if !elemKeys[k] {
			bad("%q is not a permitted key", k)
		}
	}
	if id, ok := el["id"]; ok {
		s, _ := id.(string)
		switch {
		case !idPattern.MatchString(s):
			bad("id %q may hold only alphanumeric characters, - and _", s)
		case ids[s]:
			bad("id %q is used twice", s)
		}
		ids[s] = true
	}
	attrs, _ := el["attributes"].(map[string]any)
	for k := range attrs {
		if !contains(attrsOf[typ], k) {
			bad("attribute %q is not permitted", k)
		}
	}
	if typ == "markdown" {
		if s, _ := attrs["value"].(string); strings.TrimSpace(s) == "" {
			bad("attributes.value must be a non-empty string")
		}
		if _, ok := el["validations"]; ok {
			bad("markdown cannot have validations")
		}
		return ps
	}
	label, _ := attrs["label"].(string)
	switch {
	case strings.TrimSpace(label) == "":
		bad("attributes.label must be a non-empty string")
	case labels[strings.ToLower(label)]:
		bad("label %q is used twice", label)
	}
	labels[strings.ToLower(label)] = true
	if v, ok := el["validations"]; ok {
		m, _ := v.(map[string]any)
		for k, r := range m {
			if _, isBool := r.(bool); k != "required" || !isBool {
				bad("validations: required must be true or false (and is the only key)")
			}
		}
	}
	if typ == "dropdown" || typ == "checkboxes" {
		ps = append(ps, checkOptions(typ, attrs["options"], bad)...)
	}
	return ps
}

func checkOptions(typ string, v any, bad func(string, ...any)) []string {
	opts, ok := v.([]any)
	if !ok || len(opts) == 0 {
		bad("attributes.options must be a non-empty list")
		return nil
	}
	seen := map[string]bool{}
	for _, o := range opts {
		s, _ := o.(string)
		if typ == "checkboxes" {
			m, _ := o.(map[string]any)
			s, _ = m["label"].(string)
		}
		switch {
		case strings.TrimSpace(s) == "":
			bad("every option must be a non-empty string")
		case typ == "dropdown" && strings.EqualFold(s, "none"):
			bad("option %q is reserved by GitHub", s)
		case seen[s]:
			bad("option %q is used twice", s)
		}
		seen[s] = true
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
