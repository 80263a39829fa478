package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// dryRunWorld is the simulated GitHub with the App installed on one
// repository, and the environment pointing the binary at it, with the
// App's id and key but no webhook secret.
func dryRunWorld(t *testing.T) (*ghsim.Sim, map[string]string, string) {
	t.Helper()
	const repo = "my-org/mentoring"
	sim := ghsim.New(ghsim.Options{OnUnknown: func(m, p string) { t.Errorf("simulated GitHub: unhandled %s %s", m, p) }})
	t.Cleanup(sim.Close)
	sim.AddInstallation(1, "my-org")
	sim.AddRepo(1, repo, false)
	sim.SetPermission(repo, "alice", "write")
	for _, u := range []string{"ana-mentor", "dee", "eli", "fay", "gus"} {
		sim.SetPermission(repo, u, "read")
	}
	dbPath := filepath.Join(t.TempDir(), "cohortbot.db")
	env := map[string]string{
		"GITHUB_WEB_URL": sim.URL(), "GITHUB_V3_API_URL": sim.URL() + "/",
		"GITHUB_APP_INTEGRATION_ID": strconv.FormatInt(sim.AppID(), 10), "GITHUB_APP_PRIVATE_KEY": string(sim.PrivateKeyPEM()),
		"COHORTBOT_DATABASE_URL": "sqlite://" + dbPath, "COHORTBOT_LOG_LEVEL": "warn",
		// The simulated GitHub has no secondary limit to keep within.
		"COHORTBOT_GITHUB_WRITES_PER_MINUTE": "6000",
	}
	return sim, env, dbPath
}

// openRequest files a new-cohort request as alice and returns the
// issues.opened payload GitHub delivers for it, in a file.
func openRequest(t *testing.T, sim *ghsim.Sim, name string, start time.Time) string {
	t.Helper()
	body := strings.Replace(walkthroughRequest(start), "SIG Docs reviewers", name, 1)
	if name != "SIG Docs reviewers" { // a mentee is in one cohort at a time
		body = strings.Replace(body, "@dee -> @ana-mentor\n@eli", "@fay -> @ana-mentor\n@gus", 1)
	}
	sim.OpenIssue("alice", "my-org/mentoring", "New cohort: "+name, body, "cohort/request")
	ds := sim.Deliveries()
	last := ds[len(ds)-1]
	if last.Event != "issues" || last.Action != "opened" {
		t.Fatalf("last delivery is %s.%s", last.Event, last.Action)
	}
	f := filepath.Join(t.TempDir(), "payload.json")
	if err := os.WriteFile(f, last.Payload, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// writesTo is every write the simulated GitHub recorded (the App's token
// requests aside: they create nothing on the repository), as "METHOD path"
// with numbers the run made up or GitHub assigned replaced by N.
func writesTo(sim *ghsim.Sim) []string {
	var out []string
	for _, r := range sim.Requests() {
		if r.Method == "GET" || strings.HasSuffix(r.Path, "/access_tokens") {
			continue
		}
		out = append(out, r.Method+" "+numbers.ReplaceAllString(r.Path, "/N"))
	}
	return out
}

var (
	numbers   = regexp.MustCompile(`/\d+`)
	wouldSend = regexp.MustCompile(`(?m)^would send: (\S+) (\S+)$`)
)

// printedWrites is what a dry run printed it would send, as writesTo.
func printedWrites(stdout string) []string {
	var out []string
	for _, m := range wouldSend.FindAllStringSubmatch(stdout, -1) {
		out = append(out, m[1]+" "+numbers.ReplaceAllString(m[2], "/N"))
	}
	return out
}

// dump is every row of every table of the SQLite database at path, sorted:
// the database as a dry run must leave it.
func dump(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var out []string
	for _, tb := range tables {
		rows, err := db.Query(`SELECT * FROM "` + tb + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			out = append(out, tb+": "+fmt.Sprint(vals...))
		}
		rows.Close()
	}
	sort.Strings(out)
	return out
}

// TestReceiveDryRun: a dry run prints the writes the real run then sends,
// sends none of them, and leaves the database as it was; the summary says
// what was sent.
func TestReceiveDryRun(t *testing.T) {
	t.Parallel() // runs its own processes or harness; reads no variable of this process
	sim, env, dbPath := dryRunWorld(t)
	start := time.Now()
	first := openRequest(t, sim, "SIG Docs reviewers", start)
	sim.ResetRequests()
	r := runBinary(t, env, "receive", "-e", "issues", "-p", first)
	if r.code != 0 {
		t.Fatalf("receive: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	sent := writesTo(sim)
	if len(sent) == 0 {
		t.Fatal("the first request was handled without a write")
	}
	if want := fmt.Sprintf("issues.opened: handled\nGitHub: %d writes sent, ", len(sent)); !strings.HasPrefix(r.stdout, want) {
		t.Errorf("receive printed %q, want it to start %q", r.stdout, want)
	}

	second := openRequest(t, sim, "SIG Docs approvers", start.AddDate(0, 0, 7))
	before := dump(t, dbPath)
	sim.ResetRequests()
	dry := runBinary(t, env, "receive", "-e", "issues", "-p", second, "--dry-run")
	if dry.code != 0 {
		t.Fatalf("receive --dry-run: exit %d\n%s\n%s", dry.code, dry.stdout, dry.stderr)
	}
	if w := writesTo(sim); len(w) != 0 {
		t.Errorf("a dry run sent %v", w)
	}
	if d := cmp.Diff(before, dump(t, dbPath)); d != "" {
		t.Errorf("a dry run changed the database (-before +after):\n%s", d)
	}
	printed := printedWrites(dry.stdout)
	wantSummary := fmt.Sprintf("issues.opened: handled\nGitHub: %d writes printed, none sent (dry run)", len(printed))
	if !strings.Contains(dry.stdout, wantSummary) || !strings.Contains(dry.stdout, `"title": "SIG Docs approvers`) {
		t.Errorf("dry run printed:\n%s\nwant the writes' bodies and %q", dry.stdout, wantSummary)
	}

	// The same payload for real sends what the dry run printed.
	sim.ResetRequests()
	if r := runBinary(t, env, "receive", "-e", "issues", "-p", second); r.code != 0 {
		t.Fatalf("receive: exit %d\n%s", r.code, r.stderr)
	}
	if d := cmp.Diff(writesTo(sim), printed); d != "" {
		t.Errorf("the dry run's writes differ from the real run's (-real +dry):\n%s", d)
	}
}

// TestReceivePartialFailure: when GitHub fails a write half-way, receive
// exits 1 and says what was sent and what failed, not just "failed".
func TestReceivePartialFailure(t *testing.T) {
	t.Parallel() // runs its own processes or harness; reads no variable of this process
	sim, env, _ := dryRunWorld(t)
	payload := openRequest(t, sim, "SIG Docs reviewers", time.Now())
	creates := 0
	sim.InjectFaults(ghsim.Faults{Mode: ghsim.FaultServerError, Rate: 1, WritesOnly: true, Only: func(method, path string) bool {
		if method != "POST" || !strings.HasSuffix(path, "/issues") {
			return false
		}
		creates++
		return creates == 2 // the first mentee's issue, after the hub
	}})
	sim.ResetRequests()
	r := runBinary(t, env, "receive", "-e", "issues", "-p", payload)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	sent := writesTo(sim)
	want := fmt.Sprintf("issues.opened: failed\nGitHub: %d writes sent, ", len(sent))
	if !strings.HasPrefix(r.stdout, want) || !regexp.MustCompile(`; 1 failed:\n  POST /repos/my-org/mentoring/issues: 50[02] `).MatchString(r.stdout) {
		t.Errorf("stdout:\n%s\nwant it to start %q and name the failed write", r.stdout, want)
	}
	if !strings.Contains(r.stderr, "cohortbot: issues.opened failed: ") || !strings.Contains(r.stderr, "(the writes above that were sent are not undone)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// TestTickDryRun: `tick --dry-run` at the instant a cohort is due to close
// (in the future: allowed, as nothing is written) prints what it would do,
// sends nothing and leaves the database as it was; --force then does it.
func TestTickDryRun(t *testing.T) {
	t.Parallel() // runs its own processes or harness; reads no variable of this process
	sim, env, dbPath := dryRunWorld(t)
	payload := openRequest(t, sim, "SIG Docs reviewers", time.Now())
	if r := runBinary(t, env, "receive", "-e", "issues", "-p", payload); r.code != 0 {
		t.Fatalf("receive: exit %d\n%s", r.code, r.stderr)
	}
	at := time.Now().UTC().AddDate(0, 0, 70).Truncate(time.Second).Format(time.RFC3339) // past the end date
	before := dump(t, dbPath)
	sim.ResetRequests()
	dry := runBinary(t, env, "tick", "--dry-run", "--at", at)
	if dry.code != 0 {
		t.Fatalf("tick --dry-run: exit %d\n%s\n%s", dry.code, dry.stdout, dry.stderr)
	}
	if w := writesTo(sim); len(w) != 0 {
		t.Errorf("a dry run sent %v", w)
	}
	if d := cmp.Diff(before, dump(t, dbPath)); d != "" {
		t.Errorf("a dry run changed the database (-before +after):\n%s", d)
	}
	printed := printedWrites(dry.stdout)
	want := fmt.Sprintf("tick (dry run) as of %s: 1 cohort due, 1 done, 0 busy (left for the next tick)\nGitHub: %d writes printed, none sent (dry run)", at, len(printed))
	if len(printed) == 0 || !strings.Contains(dry.stdout, want) {
		t.Errorf("tick --dry-run printed:\n%s\nwant writes and %q", dry.stdout, want)
	}

	r := runBinary(t, env, "tick", "--force", "--at", at)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "tick as of "+at+": 1 cohort due, 1 done") {
		t.Fatalf("tick --force: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	sent := writesTo(sim)
	sort.Strings(sent)
	sort.Strings(printed)
	if d := cmp.Diff(sent, printed); d != "" {
		t.Errorf("the dry run's writes differ from the real run's (-real +dry):\n%s", d)
	}
}
