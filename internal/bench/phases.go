package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// idle sends check-ins one at a time, each after the previous one's work
// (its coalesced re-renders included) is done: delivery → 👍 latency and the
// GitHub requests a lone check-in costs.
func (b *run) idle(ctx context.Context) error {
	var lat []time.Duration
	requests := 0
	for _, m := range b.idleMentees() {
		cis, err := b.w.checkins([]mentee{m})
		if err != nil {
			return err
		}
		b.w.sim.ResetRequests()
		reacted := b.w.watch(cis[0].commentID)
		start := time.Now()
		if err := b.expect(ctx, cis[0].d, http.StatusAccepted); err != nil {
			return err
		}
		select {
		case at := <-reacted:
			lat = append(lat, at.Sub(start))
		case <-time.After(30 * time.Second):
			return fmt.Errorf("no 👍 on the check-in of %s within 30s", m.handle)
		}
		b.sent = append(b.sent, cis[0].commentID)
		b.replays = append(b.replays, cis[0].d)
		if err := b.t.waitIdle(ctx, b.w.sim, time.Minute); err != nil {
			return err
		}
		requests += len(b.w.sim.Requests())
	}
	b.r.React = loadResult{sent: len(lat), lat: lat}
	b.r.RequestsAlone = float64(requests) / float64(len(lat))
	return nil
}

// idleMentees are the first mentees of every cohort but the last (kept for
// the burst): one check-in per cohort, so the replays of the check-in
// phases spread over as many installations.
func (b *run) idleMentees() []mentee {
	var out []mentee
	for _, c := range b.w.cohorts[:len(b.w.cohorts)-1] {
		out = append(out, c.mentees[0])
	}
	return out[:min(len(out), b.sc.idleSamples)]
}

// expect sends one delivery and checks the answer's status.
func (b *run) expect(ctx context.Context, d delivery, want int) error {
	st, _, err := b.s.send(ctx, d)
	if err != nil {
		return err
	}
	if st != want {
		return fmt.Errorf("%s delivery answered %d, want %d", d.event, st, want)
	}
	return nil
}

// burst sends the check-ins of all the mentees of one cohort at once and counts
// the GitHub requests until all their work is done.
func (b *run) burst(ctx context.Context) error {
	c := b.w.cohorts[len(b.w.cohorts)-1]
	cis, err := b.w.checkins(c.mentees)
	if err != nil {
		return err
	}
	b.w.sim.ResetRequests()
	errs := make([]error, len(cis))
	var wg sync.WaitGroup
	for i, ci := range cis {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.expect(ctx, ci.d, http.StatusAccepted)
		}()
		b.sent = append(b.sent, ci.commentID)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := b.t.waitIdle(ctx, b.w.sim, time.Minute); err != nil {
		return err
	}
	b.r.BurstRequests = len(b.w.sim.Requests())
	b.replays = append(b.replays, cis[0].d)
	b.r.BurstSize = len(cis)
	b.r.RequestsBurst = float64(b.r.BurstRequests) / float64(len(cis))
	return nil
}

// irrelevant offers deliveries the server must acknowledge without storing:
// first at the fixed rate, then as fast as the senders go. None may reach
// the database.
func (b *run) irrelevant(ctx context.Context) error {
	ds, err := b.w.irrelevant()
	if err != nil {
		return err
	}
	before, err := b.storedDeliveries(ctx)
	if err != nil {
		return err
	}
	next := func(i int) delivery { return ds[i%len(ds)] }
	b.r.IrrelevantAtRate = openLoop(ctx, b.s, b.sc.irrAtRate, irrelevantRate, next)
	cpu, own := b.t.cpuTime(), b.t.benchCPU()
	b.r.IrrelevantSustained = closedLoop(ctx, b.s, b.sc.irrMax, b.sc.conc, b.sc.maxTime, next)
	b.r.IrrelevantCPU = perDelivery(b.t.cpuTime()-cpu, b.r.IrrelevantSustained.sent)
	b.r.IrrelevantBenchCPU = perDelivery(b.t.benchCPU()-own, b.r.IrrelevantSustained.sent)
	for name, res := range map[string]loadResult{"at the fixed rate": b.r.IrrelevantAtRate, "sustained": b.r.IrrelevantSustained} {
		if bad := res.unexpected(http.StatusOK); bad != "" {
			return fmt.Errorf("irrelevant deliveries %s answered %s, want 200 for all", name, bad)
		}
	}
	after, err := b.storedDeliveries(ctx)
	if err == nil && after != before {
		err = fmt.Errorf("%d irrelevant deliveries were stored", after-before)
	}
	return err
}

// checkins offers check-ins at the fixed rate, lets the workers finish,
// then offers them as fast as the senders go.
//
// These are replays: the check-in comments of the idle and burst phases,
// each sent again under a fresh delivery id (as GitHub's "Redeliver" does),
// the same bytes through the same intake. First-time check-ins cannot be the
// load: an installation writes at most 80 times a minute (SPEC §8, about 20
// check-ins a minute), so thousands would take the workers hours; a replay
// costs them only the idempotency checks and a config read.
func (b *run) checkins(ctx context.Context) error {
	next := func(i int) delivery {
		d := b.replays[i%len(b.replays)]
		d.id = ""
		return d
	}
	b.r.CheckinAtRate = openLoop(ctx, b.s, b.sc.ciAtRate, checkinRate, next)
	if err := b.t.waitIdle(ctx, b.w.sim, 3*time.Minute); err != nil {
		return err
	}
	cpu, own := b.t.cpuTime(), b.t.benchCPU()
	b.r.CheckinSustained = closedLoop(ctx, b.s, b.sc.ciMax, b.sc.conc, b.sc.maxTime, next)
	b.r.CheckinCPU = perDelivery(b.t.cpuTime()-cpu, b.r.CheckinSustained.sent)
	b.r.CheckinBenchCPU = perDelivery(b.t.benchCPU()-own, b.r.CheckinSustained.sent)
	start := time.Now()
	if err := b.t.waitDeliveries(ctx, 3*time.Minute); err != nil {
		return err
	}
	b.r.Drain = time.Since(start) + b.r.CheckinSustained.elapsed
	if err := b.t.waitIdle(ctx, b.w.sim, time.Minute); err != nil {
		return err
	}
	for name, res := range map[string]loadResult{"at the fixed rate": b.r.CheckinAtRate, "sustained": b.r.CheckinSustained} {
		if bad := res.unexpected(http.StatusAccepted); bad != "" {
			return fmt.Errorf("check-ins %s answered %s, want 202 for all", name, bad)
		}
		b.replayed += res.sent
	}
	return nil
}

// perDelivery divides the server's CPU time over n deliveries.
func perDelivery(cpu time.Duration, n int) time.Duration {
	if n == 0 {
		return 0
	}
	return cpu / time.Duration(n)
}

// storedDeliveries counts the delivery ids the server has stored.
func (b *run) storedDeliveries(ctx context.Context) (int, error) {
	var n int
	err := b.t.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries`).Scan(&n)
	return n, err
}

// verify checks that nothing acknowledged was lost or failed: every stored
// delivery's job completed (and its payload cleared), every acknowledged
// check-in has its 👍 from the bot, and the server logged no error.
func (b *run) verify(ctx context.Context) error {
	var problems []string
	stored, err := b.storedDeliveries(ctx)
	if err != nil {
		return err
	}
	states, err := b.jobStates(ctx)
	if err != nil {
		return err
	}
	b.r.Stored, b.r.Processed = stored, states["github_delivery/completed"]
	if want := b.r.setupDeliveries + len(b.sent) + b.replayed; stored != want {
		problems = append(problems, fmt.Sprintf("%d deliveries stored, want %d", stored, want))
	}
	for k, n := range states {
		if !strings.HasSuffix(k, "/completed") {
			problems = append(problems, fmt.Sprintf("%d %s jobs", n, k))
		}
	}
	if b.r.Processed != stored {
		problems = append(problems, fmt.Sprintf("%d of %d stored deliveries processed", b.r.Processed, stored))
	}
	var kept int
	if err := b.t.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE payload IS NOT NULL`).Scan(&kept); err != nil {
		return err
	}
	if kept > 0 {
		problems = append(problems, fmt.Sprintf("%d processed deliveries kept their payload", kept))
	}
	missing := 0
	for _, id := range b.sent {
		if !b.reacted(id) {
			missing++
		}
	}
	if missing > 0 {
		problems = append(problems, fmt.Sprintf("%d of %d acknowledged check-ins have no 👍", missing, len(b.sent)))
	}
	if n := b.loggedErrors(); n > 0 {
		problems = append(problems, fmt.Sprintf("the server logged %d errors", n))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// jobStates counts the queue's jobs by "kind/state".
func (b *run) jobStates(ctx context.Context) (map[string]int, error) {
	rows, err := b.t.db.QueryContext(ctx, `SELECT kind, state, COUNT(*) FROM river_job GROUP BY kind, state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind, state string
		var n int
		if err := rows.Scan(&kind, &state, &n); err != nil {
			return nil, err
		}
		out[kind+"/"+state] = n
	}
	return out, rows.Err()
}

// reacted reports whether the bot put a 👍 on comment id.
func (b *run) reacted(id int64) bool {
	c := b.w.sim.CommentByID(id)
	if c == nil {
		return false
	}
	for _, r := range c.Reactions {
		if r.Content == "+1" && r.User == b.w.sim.BotLogin() {
			return true
		}
	}
	return false
}

// loggedErrors counts error-level lines in the server log.
func (b *run) loggedErrors() int {
	data, err := os.ReadFile(b.t.logPath)
	if err != nil {
		return 0
	}
	return strings.Count(string(data), `"level":"error"`)
}
