// Package demo tells the life of a cohort against an in-process simulated
// GitHub and a temporary database, step by step, and writes the resulting
// issues as Markdown files. No credentials, no network.
package demo

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ghsim"
	"github.com/cohortbot/cohortbot/internal/harness"
	"github.com/cohortbot/cohortbot/internal/testclock"
)

const (
	repo      = "example-org/mentoring"
	organizer = "olivia"
)

// Story is a running demo.
type Story struct {
	w     io.Writer
	h     *harness.Harness
	clock *testclock.Clock
	out   string
	step  int
	start time.Time
}

// Run tells the whole story, writing progress to w and the issues to outDir
// (a new temporary directory when empty).
func Run(ctx context.Context, w io.Writer, outDir string) error { return run(ctx, w, outDir, false) }

// Serve tells the story as Run does, then prints the URL of the program
// overview (SPEC §14) and keeps serving the pages until ctx ends (Ctrl-C).
func Serve(ctx context.Context, w io.Writer, outDir string) error { return run(ctx, w, outDir, true) }

func run(ctx context.Context, w io.Writer, outDir string, serve bool) error {
	tmp, err := os.MkdirTemp("", "cohortbot-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if outDir == "" {
		if outDir, err = os.MkdirTemp("", "cohortbot-demo-issues-"); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	now := time.Now().UTC()
	clock := testclock.New(now)
	var unknown []string
	var mu sync.Mutex
	h, err := harness.Start(ctx, harness.Options{
		DatabaseURL: "sqlite://" + filepath.Join(tmp, "cohortbot.db"),
		OnUnknown: func(m, p string) {
			mu.Lock()
			unknown = append(unknown, m+" "+p)
			mu.Unlock()
		},
		Logger:        zerolog.New(io.Discard),
		Now:           clock.Now,
		Repo:          repo,
		EmitBotEvents: true,
		// The simulated GitHub has no secondary rate limit: pace writes at
		// 100/s instead of the real 80/min so the story takes seconds.
		Pacing: gh.PacerOptions{Writes: 6000, Per: time.Minute},
		// Nor a reader to spare requests for: re-render after 50 ms, not
		// 700 (each step of the story waits for its renders).
		CoalesceWindow: 50 * time.Millisecond,
	})
	if err != nil {
		return fmt.Errorf("start the simulated GitHub and the server: %w", err)
	}
	defer h.Close()
	s := &Story{w: w, h: h, clock: clock, out: outDir, start: nextMonday(now)}
	if err := s.tell(); err != nil {
		return err
	}
	if len(unknown) > 0 {
		return fmt.Errorf("the bot made calls the simulated GitHub does not know: %v", unknown)
	}
	if serve {
		fmt.Fprintf(w, "\nThe program overview: %s/\nServing the pages until Ctrl-C.\n", h.URL)
		<-ctx.Done()
	}
	return nil
}

func nextMonday(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func (s *Story) say(format string, args ...any) {
	s.step++
	fmt.Fprintf(s.w, "\n%d. %s\n", s.step, fmt.Sprintf(format, args...))
}

func (s *Story) detail(format string, args ...any) {
	fmt.Fprintf(s.w, "   %s\n", fmt.Sprintf(format, args...))
}

func (s *Story) idle() error { return s.h.WaitIdle(2 * time.Minute) }

// newComments prints the bot's comments on issue n created or edited since
// the last look.
func (s *Story) botSaid(n int) []*ghsim.Comment {
	var out []*ghsim.Comment
	for _, c := range s.h.Sim.Comments(repo, n) {
		if c.User == s.h.Sim.BotLogin() {
			out = append(out, c)
		}
	}
	return out
}

func firstLine(body string) string {
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "<!--") {
			return l
		}
	}
	return ""
}

// writeIssues writes every issue of the repo as Markdown and prints paths.
func (s *Story) writeIssues() error {
	issues := s.h.Sim.Issues(repo)
	sort.Slice(issues, func(i, j int) bool { return issues[i].Number < issues[j].Number })
	s.say("The issues as GitHub would show them (Markdown files):")
	for _, is := range issues {
		path := filepath.Join(s.out, fmt.Sprintf("issue-%03d.md", is.Number))
		if err := os.WriteFile(path, []byte(s.render(is)), 0o644); err != nil {
			return err
		}
		s.detail("#%-3d %-6s %s\n        %s", is.Number, is.State, is.Title, path)
	}
	return nil
}

func (s *Story) render(is *ghsim.Issue) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s #%d\n\n", is.Title, is.Number)
	fmt.Fprintf(&b, "**State:** %s", is.State)
	if is.StateReason != "" {
		fmt.Fprintf(&b, " (%s)", is.StateReason)
	}
	fmt.Fprintf(&b, " · **Author:** @%s · **Labels:** %s · **Assignees:** %s\n\n---\n\n", is.User,
		strings.Join(is.Labels, ", "), strings.Join(is.Assignees, ", "))
	b.WriteString(is.Body)
	for _, c := range s.h.Sim.Comments(repo, is.Number) {
		fmt.Fprintf(&b, "\n\n---\n\n**@%s** commented at %s", c.User, c.CreatedAt.Format(time.RFC3339))
		if len(c.Reactions) > 0 {
			var rs []string
			for _, r := range c.Reactions {
				rs = append(rs, r.Content+" by @"+r.User)
			}
			fmt.Fprintf(&b, " (reactions: %s)", strings.Join(rs, ", "))
		}
		fmt.Fprintf(&b, ":\n\n%s", c.Body)
	}
	b.WriteString("\n")
	return b.String()
}
