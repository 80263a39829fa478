package kernel

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/google/go-cmp/cmp"
)

// fakeTeams answers team questions from a table: members per team, and
// errors or invisibility per team; it records the calls.
type fakeTeams struct {
	members   map[string][]string
	fail      map[string]error
	invisible map[string]bool
	calls     []string
}

func (f *fakeTeams) Permission(_ context.Context, repo, user string) (string, error) {
	f.calls = append(f.calls, "permission "+user)
	return "read", nil
}

func (f *fakeTeams) IsTeamMember(_ context.Context, org, team, user string) (bool, error) {
	t := org + "/" + team
	f.calls = append(f.calls, "member "+t)
	if err := f.fail[t]; err != nil {
		return false, err
	}
	for _, m := range f.members[t] {
		if m == user {
			return true, nil
		}
	}
	return false, nil
}

func (f *fakeTeams) TeamVisible(_ context.Context, org, team string) (bool, error) {
	f.calls = append(f.calls, "visible "+org+"/"+team)
	return !f.invisible[org+"/"+team], nil
}

func TestIsOrganizerTeams(t *testing.T) {
	boom := errors.New("502 from GitHub")
	tests := []struct {
		name       string
		organizers []string
		teams      fakeTeams
		want       bool
		wantErr    string // "invisible", "other" or ""
		calls      []string
	}{
		{name: "a plain handle needs no call", organizers: []string{"o/flaky", "olivia"},
			teams: fakeTeams{fail: map[string]error{"o/flaky": boom}}, want: true},
		{name: "a failing team does not stop the next", organizers: []string{"o/flaky", "o/admins"},
			teams: fakeTeams{fail: map[string]error{"o/flaky": boom}, members: map[string][]string{"o/admins": {"olivia"}}},
			want:  true, calls: []string{"member o/flaky", "member o/admins"}},
		{name: "a failure with no yes is an error", organizers: []string{"o/flaky", "o/admins"},
			teams:   fakeTeams{fail: map[string]error{"o/flaky": boom}},
			wantErr: "other", calls: []string{"member o/flaky", "member o/admins", "visible o/admins"}},
		{name: "an invisible team is no answer", organizers: []string{"o/admins"},
			teams:   fakeTeams{invisible: map[string]bool{"o/admins": true}},
			wantErr: "invisible", calls: []string{"member o/admins", "visible o/admins"}},
		{name: "a visible team without the user", organizers: []string{"o/admins"},
			calls: []string{"member o/admins", "visible o/admins"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := IsOrganizer(context.Background(), &tc.teams, config.Repo{Organizers: tc.organizers}, "o/r", "olivia")
			kind := ""
			switch {
			case err != nil && OnlyInvisible(err):
				kind = "invisible"
			case err != nil:
				kind = "other"
			}
			if got != tc.want || kind != tc.wantErr {
				t.Errorf("IsOrganizer = %v, %v; want %v, %s error", got, err, tc.want, tc.wantErr)
			}
			if diff := cmp.Diff(tc.calls, tc.teams.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOrganizerCache(t *testing.T) {
	t0 := time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC)
	c := NewOrganizerCache(time.Minute, 3)
	c.Put("a", true, t0)
	if ok, found := c.Get("a", t0.Add(59*time.Second)); !ok || !found {
		t.Errorf("within the TTL: %v, %v", ok, found)
	}
	if _, found := c.Get("a", t0.Add(time.Minute)); found {
		t.Error("found after the TTL")
	}
	for i := 0; i < 100; i++ {
		c.Put(fmt.Sprint(i), false, t0)
	}
	if len(c.m) > 3 {
		t.Errorf("%d entries, more than the bound of 3", len(c.m))
	}
	var nilCache *OrganizerCache
	nilCache.Put("a", true, t0)
	if _, found := nilCache.Get("a", t0); found {
		t.Error("a nil cache remembered")
	}
}
