package cohort

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSubmissionRoundTrip: what Submission writes, ParseFormFields reads
// back, with CRLF line ends too, and an empty value is GitHub's
// "_No response_" (which the parser reads as empty).
func TestSubmissionRoundTrip(t *testing.T) {
	values := map[string]string{
		FieldName: "SIG Apps reviewers", FieldStep: "Reviewer", FieldMentees: "@mia -> @ann\n@noah",
		FieldNotes: "",
	}
	body := SubmissionOf(FormFields, values)
	if want := "### " + FieldName + "\n\nSIG Apps reviewers\n\n### "; body[:len(want)] != want {
		t.Fatalf("body starts %q", body[:len(want)])
	}
	for _, b := range []string{body, CRLF(body)} {
		got := ParseFormFields(b, FormFields)
		for _, f := range []string{FieldName, FieldStep, FieldMentees} {
			if d := cmp.Diff(values[f], got.Fields[f]); d != "" {
				t.Errorf("field %s (-want +got):\n%s", f, d)
			}
		}
		if got.Fields[FieldNotes] != "" {
			t.Errorf("empty field read back as %q", got.Fields[FieldNotes])
		}
	}
}
