package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohortbot/internal/ghsim"
)

// watcher prints what happens on the simulated GitHub: registrations,
// webhook deliveries and their answers, issues and comments. Only run's loop
// calls poll; printf may be called from the sim's goroutines.
type watcher struct {
	mu   sync.Mutex
	out  io.Writer
	sim  *ghsim.Sim
	repo string

	regs       int             // registrations reported
	deliveries map[string]bool // delivery ids reported
	issues     map[int]bool
	comments   map[int64]bool
}

func (w *watcher) printf(format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fmt.Fprintf(w.out, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// registered reports whether an App registration was completed.
func (w *watcher) registered() bool {
	for _, r := range w.sim.AppRegistrations() {
		if r.Converted {
			return true
		}
	}
	return false
}

func (w *watcher) poll() {
	if w.deliveries == nil {
		w.deliveries, w.issues, w.comments = map[string]bool{}, map[int]bool{}, map[int64]bool{}
	}
	regs := w.sim.AppRegistrations()
	for w.regs < len(regs) && regs[w.regs].Converted {
		var m struct {
			HookAttributes struct{ URL string } `json:"hook_attributes"`
		}
		_ = json.Unmarshal(regs[w.regs].Manifest, &m)
		w.printf("App registered through the manifest flow (webhook URL %s); its credentials went to the set-up page", m.HookAttributes.URL)
		w.regs++
	}
	for _, d := range w.sim.Deliveries() {
		if w.deliveries[d.ID] || (d.Status == 0 && d.Err == "") {
			continue
		}
		w.deliveries[d.ID] = true
		result := fmt.Sprint(d.Status)
		if d.Err != "" {
			result = "failed: " + d.Err
		}
		w.printf("webhook %s.%s delivered: %s", d.Event, d.Action, result)
	}
	for _, is := range w.sim.Issues(w.repo) {
		if !w.issues[is.Number] {
			w.issues[is.Number] = true
			if is.User == w.sim.BotLogin() {
				w.printf("@%s opened #%d %q (labels %s)", is.User, is.Number, is.Title, strings.Join(is.Labels, ", "))
			}
		}
		for _, c := range w.sim.Comments(w.repo, is.Number) {
			if !w.comments[c.ID] {
				w.comments[c.ID] = true
				w.printf("@%s commented on #%d: %s", c.User, is.Number, firstLine(c.Body))
			}
		}
	}
}

// firstLine is a comment's first visible line.
func firstLine(body string) string {
	for _, l := range strings.Split(body, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "<!--") {
			return l
		}
	}
	return ""
}
