package ghsim

import (
	"net/http"
	"unicode/utf8"
)

// Limits GitHub documents in prose only (not in its REST description), each
// modelled where the sim applies it.

// maxAssignees: "Adds up to 10 assignees to an issue. Users already assigned
// to an issue are not replaced."
// https://docs.github.com/rest/issues/assignees#add-assignees-to-an-issue
// Past ten, GitHub answers as usual and the extra users are not assigned
// (addAssignees in mutate.go; createIssue callers truncate the list).
const maxAssignees = 10

// maxSubIssues: a parent issue takes up to 100 sub-issues (and 8 levels of
// nesting), per GitHub's page on adding sub-issues:
// https://docs.github.com/issues/tracking-your-work-with-issues/using-issues/adding-sub-issues
// The API refuses the 101st with 422, closed sub-issues counting too
// (https://github.com/orgs/community/discussions/207865); the message below
// is the sim's, as GitHub does not document its wording.
const maxSubIssues = 100

// maxLabelName: a label name has at most 50 characters. The REST reference
// (https://docs.github.com/rest/issues/labels#create-a-label) does not state
// it; GitHub's own answer does: 422 Validation Failed, "name is too long
// (maximum is 50 characters)". Adding a label that does not exist yet to an
// issue creates it, so the same refusal applies there.
const maxLabelName = 50

// labelNameTooLong answers GitHub's 422 for a label name over the limit, or 0.
func labelNameTooLong(name string) (int, any) {
	if utf8.RuneCountInString(name) <= maxLabelName {
		return 0, nil
	}
	e := obj{"resource": "Label", "code": "custom", "field": "name", "message": "name is too long (maximum is 50 characters)"}
	return http.StatusUnprocessableEntity, obj{
		"message": "Validation Failed", "errors": []any{e},
		"documentation_url": "https://docs.github.com/rest/issues/labels#create-a-label", "status": "422",
	}
}

// newLabelsTooLong checks the names an issue-label write would create.
func (s *Sim) newLabelsTooLong(r *repo, names []string) (int, any) {
	for _, n := range names {
		if r.label(n) == nil {
			if st, body := labelNameTooLong(n); st != 0 {
				return st, body
			}
		}
	}
	return 0, nil
}

// tooManySubIssues answers 422 when parent already has maxSubIssues.
func tooManySubIssues(parent *issue) (int, any) {
	if len(parent.subIssues) < maxSubIssues {
		return 0, nil
	}
	return errResp(http.StatusUnprocessableEntity,
		"An error occurred while adding the sub-issue to the parent issue. Parent issue cannot have more than 100 sub-issues")
}
