package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/internal/testdb"
	"github.com/cohortbot/cohortbot/internal/web"
)

// bigProgram is 100 cohorts of 10 mentees over 12 weeks, 8 of them ended,
// with most check-ins in, some away and some skipped weeks.
func bigProgram() []seedCohort {
	var out []seedCohort
	for i := 0; i < 100; i++ {
		var mentees []string
		checkins := map[string][]int{}
		aways := map[string][]int{}
		for j := 0; j < 10; j++ {
			m := fmt.Sprintf("mentee-%d-%d", i, j)
			mentees = append(mentees, m)
			for w := 1; w <= 8; w++ {
				if (i+j+w)%5 != 0 {
					checkins[m] = append(checkins[m], w)
				}
			}
			if j%4 == 0 {
				aways[m] = []int{9}
			}
		}
		sp := spec(fmt.Sprintf("Cohort %d", i), fmt.Sprintf("cohort-%d", i), cohort.LadderSteps[i%4], mentees...)
		sp.End = cohort.Date{Year: 2027, Month: 3, Day: 28}
		state := store.StateActive
		if i%3 == 0 {
			state = store.StateCompleted
		}
		out = append(out, seedCohort{id: int64(5000 + i), repo: fmt.Sprintf("org%d/community", i%5), spec: sp, state: state,
			boundaryDone: 8, checkins: checkins, aways: aways, skipped: []int{10}, graduated: mentees[:i%4],
			text: "reviewed PRs and triaged issues"})
	}
	return out
}

// bigLadder is every mentee of bigProgram measured on two requirements
// (2,000 measurements), a third of them met.
func bigLadder() []measured {
	var out []measured
	for _, c := range bigProgram() {
		for j, m := range c.spec.Mentees {
			out = append(out, meas(c.id, m.Handle, config.ReviewedPRs, 20, 10*(j%3)), meas(c.id, m.Handle, config.MergedPRs, 1, j%2))
		}
	}
	return out
}

// benchPage measures the server time of one page of the big program (the
// handler alone, no network) and reports its p50 and p99 in milliseconds.
func benchPage(b *testing.B, path string, figuresTTL time.Duration) {
	st := openStore(b, testdb.SQLite(b))
	seed(b, st, bigProgram())
	seedMeasurements(b, st, bigLadder()...)
	for i := 0; i < 5; i++ {
		_ = st.SetRepoPrivate(b.Context(), fmt.Sprintf("org%d/community", i), false)
	}
	h := web.New(web.Options{Store: st, FiguresTTL: figuresTTL})
	var times []time.Duration
	var size int
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		times = append(times, time.Since(t0))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
		size = rec.Body.Len()
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	ms := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(float64(size), "page-bytes")
}

// BenchmarkOverview100: the overview of 100 cohorts (SPEC §14: p50 ≤ 20 ms),
// every request computing the figures anew.
func BenchmarkOverview100(b *testing.B) { benchPage(b, "/", -1) }

// BenchmarkOverview100Cached: the same with the figures reused for
// DefaultFiguresTTL, as served.
func BenchmarkOverview100Cached(b *testing.B) { benchPage(b, "/", 0) }

// BenchmarkCohortPage100: one cohort page in a program of 100 cohorts.
func BenchmarkCohortPage100(b *testing.B) { benchPage(b, "/cohorts/org1/community/cohort-51", 0) }
