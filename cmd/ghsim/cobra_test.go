package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestCobraConventions: ghsim answers --help and bad flags as cohortbot's
// commands do (cobra), keeping its flags.
func TestCobraConventions(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
		wantOut []string
	}{
		{name: "help", args: []string{"--help"}, wantOut: []string{"Usage:\n  ghsim [--addr HOST:PORT]", "--addr string", "--repo string", "--organizer string", "--webhook string", `(default "127.0.0.1:9090")`}},
		{name: "unknown flag", args: []string{"--adr", "x"}, wantErr: "unknown flag: --adr"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tc.args, strings.NewReader(""), &out)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
