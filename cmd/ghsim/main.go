// Command ghsim runs the simulated GitHub on its own, so an operator can try
// cohortbot's whole first run by hand without a GitHub account: register the
// App on the set-up page, restart with the credentials, file a request. See
// "Try it against the simulated GitHub" in docs/operations.md.
//
//	go run ./cmd/ghsim --addr 127.0.0.1:9090 --repo my-org/mentoring --organizer alice
//
// It prints its URL, installs the App on the repository, gives the organizer
// write access and prints every webhook delivery, issue and comment as they
// happen. Press Enter to open a sample new-cohort request as the organizer.
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ghsim:", err)
		os.Exit(2)
	}
}

// installationID is the App installation ghsim creates on the repository's owner.
const installationID = 1

// options are ghsim's flags.
type options struct {
	addr, repo, organizer, webhook string
}

// command is ghsim's cobra command, like cohortbot's: flags, --help and
// errors behave the same in both. serve runs with the parsed options.
func command(serve func(*cobra.Command, options) error) *cobra.Command {
	var o options
	cmd := &cobra.Command{
		Use:   "ghsim [--addr HOST:PORT] [--repo OWNER/NAME] [--organizer LOGIN] [--webhook URL]",
		Short: "Run the simulated GitHub on its own, to try cohortbot's first run by hand",
		Long: "ghsim serves a simulated GitHub (web pages and REST API): it installs the App on the repository,\n" +
			"gives the organizer write access and prints every webhook delivery, issue and comment as they happen.\n" +
			"Press Enter to open a sample new-cohort request as the organizer. See \"Try it against the simulated\n" +
			"GitHub\" in docs/operations.md.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unexpected arguments %q (flags only; see --help)", args)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if owner, name, ok := strings.Cut(o.repo, "/"); !ok || owner == "" || name == "" || strings.Contains(name, "/") {
				return fmt.Errorf("--repo must be owner/name (got %q)", o.repo)
			}
			return serve(cmd, o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.addr, "addr", "127.0.0.1:9090", "listen address of the simulated GitHub (web pages and REST API share it)")
	fs.StringVar(&o.repo, "repo", "my-org/mentoring", "mentoring repository owner/name; the App is installed on it")
	fs.StringVar(&o.organizer, "organizer", "alice", "user given write access to the repository, who files the sample requests")
	fs.StringVar(&o.webhook, "webhook", "", "deliver webhooks to this URL (default: the webhook URL of the App registered through the set-up page)")
	return cmd
}

// run parses args and serves the simulated GitHub until ctx ends. Each
// line read from in opens a sample new-cohort request; progress goes to out.
func run(ctx context.Context, args []string, in io.Reader, out io.Writer) error {
	cmd := command(func(cmd *cobra.Command, o options) error { return serveSim(cmd.Context(), o, in, out) })
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(out)
	return cmd.ExecuteContext(ctx)
}

// serveSim serves the simulated GitHub with o until ctx ends.
func serveSim(ctx context.Context, o options, in io.Reader, out io.Writer) error {
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s (--addr): %w", o.addr, err)
	}
	w := &watcher{out: out, repo: o.repo}
	sim := ghsim.New(ghsim.Options{
		Listener:  ln,
		OnUnknown: func(m, p string) { w.printf("simulated GitHub: %s %s is not simulated (answered 404)", m, p) },
		OnInvalid: func(m, p, problem string) {
			w.printf("simulated GitHub: %s %s does not match GitHub's REST description: %s", m, p, problem)
		},
	})
	defer sim.Close()
	w.sim = sim
	owner, _, _ := strings.Cut(o.repo, "/")
	sim.AddInstallation(installationID, owner)
	sim.AddRepo(installationID, o.repo, false)
	sim.SetPermission(o.repo, o.organizer, "write")
	for _, u := range samplePeople {
		sim.SetPermission(o.repo, u, "read")
	}
	if o.webhook != "" {
		sim.SetWebhook(o.webhook, "")
	}
	printBanner(out, sim, o)

	lines := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			select {
			case lines <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			w.poll()
			return nil
		case <-tick.C:
			w.poll()
		case <-lines:
			if o.webhook == "" && !w.registered() {
				w.printf("No App is registered yet (and no --webhook): nobody will receive this request's webhook. Register on cohortbot's set-up page first.")
			}
			is := sim.OpenIssue(o.organizer, o.repo, sampleTitle, sampleBody(time.Now()), "cohort/request")
			w.printf("@%s opened %s#%d %q", o.organizer, o.repo, is.Number, is.Title)
		}
	}
}

func printBanner(out io.Writer, sim *ghsim.Sim, o options) {
	u := sim.URL()
	fmt.Fprintf(out, "Simulated GitHub at %s\n", u)
	fmt.Fprintf(out, "  App %q (ID %d) installed on %s (installation %d); @%s has write access.\n",
		sim.AppSlug(), sim.AppID(), o.repo, installationID, o.organizer)
	if o.webhook != "" {
		fmt.Fprintf(out, "  Webhooks go to %s.\n", o.webhook)
	} else {
		fmt.Fprintf(out, "  Webhooks go to the URL the App is registered with (none yet).\n")
	}
	fmt.Fprintf(out, "Point cohortbot at it:\n  GITHUB_WEB_URL=%s GITHUB_V3_API_URL=%s/\n", u, u)
	fmt.Fprintf(out, "Press Enter to open a sample new-cohort request as @%s; Ctrl-C to stop.\n", o.organizer)
}
