package cohort

import (
	"fmt"
	"strings"
)

// Submission writes an issue-form submission as GitHub renders it into the
// issue's body: each field as "### <label>", a blank line and its value
// ("_No response_" when empty), fields separated by a blank line. pairs
// are label, value, label, value, … in the form's order. It is the one
// renderer of form bodies: the proposed request (/propose-cohort), the
// demo, the benchmark, the simulated GitHub's sample and the tests use it,
// and ParseForm reads what it writes.
func Submission(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		v := pairs[i+1]
		if strings.TrimSpace(v) == "" {
			v = "_No response_"
		}
		fmt.Fprintf(&b, "### %s\n\n%s\n\n", pairs[i], v)
	}
	return strings.TrimSpace(b.String())
}

// SubmissionOf is Submission of the fields named by order, from values.
func SubmissionOf(order []string, values map[string]string) string {
	pairs := make([]string, 0, 2*len(order))
	for _, f := range order {
		pairs = append(pairs, f, values[f])
	}
	return Submission(pairs...)
}

// CRLF gives a body the line ends of one submitted from GitHub's web UI.
func CRLF(body string) string { return strings.ReplaceAll(body, "\n", "\r\n") }
