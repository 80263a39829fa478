package templates

import "testing"

func TestRef(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"pull request", "https://github.com/kubernetes/website/pull/4812", "kubernetes/website#4812"},
		{"issue, trailing slash", "https://github.com/o/r.go/issues/7/", "o/r.go#7"},
		{"enterprise server", "https://ghe.example.org/team/repo/pull/3", "team/repo#3"},
		{"already short", "o/r#7", "o/r#7"},
		{"files tab kept whole", "https://github.com/o/r/pull/3/files", "https://github.com/o/r/pull/3/files"},
		{"comment anchor kept whole", "https://github.com/o/r/pull/3#issuecomment-1", "https://github.com/o/r/pull/3#issuecomment-1"},
		{"not a link", "merged the OWNERS PR", "merged the OWNERS PR"},
		{"other scheme", "javascript:alert(1)", "javascript:alert(1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Ref(tc.in); got != tc.want {
				t.Errorf("Ref(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
