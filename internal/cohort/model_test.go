package cohort

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSpecJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		// want are substrings the encoded JSON must contain.
		want []string
	}{
		{
			name: "full spec",
			spec: Spec{
				Name: "Spring 2027", Slug: "spring-2027", Step: StepReviewer,
				Areas:   []string{"sig-node", "sig-storage"},
				Mentors: []string{"alice", "bob"},
				Mentees: []Mentee{{Handle: "carol", Mentor: "alice", Issue: 12}, {Handle: "dave"}},
				Start:   Date{2027, time.March, 1}, End: Date{2027, time.May, 28},
				CheckinDay: time.Thursday, TimeZone: "Europe/Berlin",
				ChatChannel: "#mentoring", Notes: "pipes | and\nnewlines",
			},
			want: []string{`"start":"2027-03-01"`, `"end":"2027-05-28"`, `"checkin_day":4`},
		},
		{
			name: "zero dates and Sunday",
			spec: Spec{Name: "x", CheckinDay: time.Sunday},
			want: []string{`"start":""`, `"end":""`, `"checkin_day":0`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.spec)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("JSON %s lacks %s", b, w)
				}
			}
			var got Spec
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			if diff := cmp.Diff(tt.spec, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDateUnmarshalText(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Date
		wantErr bool
	}{
		{name: "valid", in: "2027-02-28", want: Date{2027, time.February, 28}},
		{name: "empty is zero", in: "", want: Date{}},
		{name: "nonexistent day", in: "2027-02-30", wantErr: true},
		{name: "unpadded", in: "2027-2-3", wantErr: true},
		{name: "surrounding space", in: " 2027-02-03", wantErr: true},
		{name: "timestamp", in: "2027-02-03T00:00:00Z", wantErr: true},
		{name: "garbage", in: "soon", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Date
			err := got.UnmarshalText([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("UnmarshalText(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("UnmarshalText(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
