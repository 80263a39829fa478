package templates

// RetentionMentee is one mentee's figures in a retention follow-up.
type RetentionMentee struct {
	Handle  string `json:"handle"`
	Outcome string `json:"outcome"` // graduated, withdrawn, not-graduated
	PRs     int    `json:"prs"`     // authored or reviewed since the close
	Active  bool   `json:"active"`
}

// RetentionData is a retention follow-up comment on a closed hub (SPEC §12).
type RetentionData struct {
	Day      int    // days after the close
	Name     string // the cohort's name (user text)
	Closed   string // YYYY-MM-DD
	Measured string // YYYY-MM-DD
	Scope    string // the search scope, e.g. "org:kubernetes"
	Mentees  []RetentionMentee
	// Totals: "still active Active/Total", "graduated and still active
	// GraduatedActive/Graduated".
	Total, Active, Graduated, GraduatedActive int
}

// RenderRetention renders a retention follow-up. Handles are shown but
// defused: a follow-up months later notifies nobody.
func RenderRetention(d RetentionData) (string, error) {
	d.Name = Text(d.Name)
	return render("retention", d)
}
