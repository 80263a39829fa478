package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/cohortbot/cohortbot/internal/bot/request"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/cohortbot/cohortbot/internal/cohort"
)

// errNoClient is what the fuzzed handlers get instead of a GitHub client:
// decoding and checking the payload is all they may do before asking for one.
var errNoClient = errors.New("fuzz: no GitHub client")

// noClients is a ClientCreator that refuses every installation client; its
// other methods are never called (the embedded nil interface would panic).
type noClients struct{ githubapp.ClientCreator }

func (noClients) NewInstallationClient(int64) (*github.Client, error) { return nil, errNoClient }

// fuzzHandlers are every registered handler, with no GitHub behind them.
func fuzzHandlers() []Handler { return All(&Deps{Clients: noClients{}}) }

// webhookSeeds adds the recorded example payloads of the simulated GitHub,
// plus the broken shapes hostile input takes (nulls, wrong types, no JSON).
func webhookSeeds(f *testing.F) {
	files, err := filepath.Glob("../internal/ghsim/testdata/webhooks/*.json")
	if err != nil || len(files) == 0 {
		f.Fatalf("no example webhooks: %v", err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{}`, `null`, `[]`, `"x"`, `{not json`, ``,
		`{"action":"created","comment":null,"issue":{"labels":[{"name":"cohort/hub"}]}}`,
		`{"action":"created","comment":{"body":"/checkin","user":null},"issue":{"labels":[{"name":"cohort/hub"}]},"repository":{},"installation":{"id":1}}`,
		`{"action":"opened","issue":{"state":"open","labels":[{"name":"cohort/request"}]},"sender":null,"repository":{"full_name":"a/b"}}`,
		`{"action":"labeled","label":{"name":"x"},"pull_request":{"state":"open","number":"seven"},"sender":{"login":"a"}}`,
		`{"action":"submitted","pull_request":{"labels":[{"name":"mentoring/task"}]},"review":{"user":null}}`,
		`{"action":"edited","comment":{"body":"/checkin"},"changes":{"body":{"from":null}},"issue":{"labels":"cohort/hub"}}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzPayloads checks that no payload, however broken, makes a handler
// panic: Relevant (run in the HTTP request) answers, and Handle (run in a
// worker) decodes and checks the payload, then either refuses it as a bad
// payload or gets as far as asking for the installation's client.
func FuzzPayloads(f *testing.F) {
	webhookSeeds(f)
	hs := fuzzHandlers()
	f.Fuzz(func(t *testing.T, payload []byte) {
		for _, h := range hs {
			for _, event := range h.Handles() {
				ok, why := h.Relevant(event, payload)
				if !ok && why == "" {
					t.Errorf("%s: irrelevant without a reason", event)
				}
				err := h.Handle(context.Background(), event, "fuzz", payload)
				if err == nil {
					t.Errorf("%s: handled without a GitHub client", event)
				} else if !errors.Is(err, ErrBadPayload) && !errors.Is(err, errNoClient) {
					t.Errorf("%s: unexpected error %v", event, err)
				}
			}
		}
	})
}

// FuzzCommandPrecheck checks that the intake's cheap command pre-check
// never drops a comment in which the real parser finds a command.
func FuzzCommandPrecheck(f *testing.F) {
	for _, s := range []string{"/checkin", "  /away 2", "text\n/graduate @a", "    /indented", "\t/tab", "/", "a/b", "\r\n/pass\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if cmds := cohort.ParseCommands(body); len(cmds) > 0 && !hasCommandLine(body) {
			t.Errorf("pre-check drops a comment with command %q", cmds[0].Raw)
		}
	})
}

// FuzzRequestPrecheck checks that the intake's relevance filter never drops
// an issues delivery that the bot would act on as a new-cohort request
// (request.IsRequest over the issue's labels and body), whether the request is
// labelled or recognised by the form's headings alone.
func FuzzRequestPrecheck(f *testing.F) {
	for _, s := range []struct {
		body, label string
	}{
		{"### Cohort name\n\nX\n\n### Ladder step\n\nReviewer", ""},
		{"### Cohort name\r\n\r\nX\r\n\r\n### Ladder step\r\n\r\nMember", "bug"},
		{"   ###   cohort   NAME\n###\tLadder step", ""},
		{"Fill ### Cohort name and ### Ladder step", ""},
		{"### Ladder step\n### Cohort name", ""},
		{"", "cohort/request"},
		{"", "Cohort/Request"},
		{"### Cohort name\n### Ladder step", "cohort/hub"},
		{"### Cohort name\n### Ladder ſtep", ""},
	} {
		f.Add(s.body, s.label)
	}
	h := &Issues{}
	f.Fuzz(func(t *testing.T, body, label string) {
		labels := []string{}
		issue := map[string]any{"state": "open", "body": body, "labels": []any{}}
		if label != "" {
			labels = append(labels, label)
			issue["labels"] = []any{map[string]any{"name": label}}
		}
		if !utf8.ValidString(body) || !utf8.ValidString(label) {
			t.Skip() // JSON would carry other text than the bot is given
		}
		payload, err := json.Marshal(map[string]any{
			"action": "opened", "issue": issue, "sender": map[string]any{"login": "olivia", "type": "User"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if !request.IsRequest(labels, body) {
			return
		}
		if ok, why := h.Relevant("issues", payload); !ok {
			t.Errorf("pre-check drops a request (labels %q): %s", labels, why)
		}
	})
}
