package schedule

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/gh"
	"github.com/cohortbot/cohortbot/internal/ladder"
)

// SearchMeasurer is the retention Measurer of SPEC §12 over the search API:
// the pull requests a mentee authored (created since the close) plus those
// they reviewed (updated since the close, not their own), each search
// taken from the installation's search pacer of SPEC §10, so follow-ups
// share its 30 a minute with ladder progress and never go over it.
type SearchMeasurer struct {
	Env *kernel.Env
	// Client is the installation's GitHub client.
	Client func(installation int64) (kernel.Searcher, error)
}

// RetentionQueries are the two searches of one mentee's activity since a
// date in scope.
func RetentionQueries(login string, scope []string, since time.Time) []string {
	terms, day := strings.Join(ladder.ScopeTerms(scope), " "), since.UTC().Format("2006-01-02")
	return []string{
		fmt.Sprintf("is:pr author:%s %s created:>=%s", login, terms, day),
		fmt.Sprintf("is:pr reviewed-by:%s -author:%s %s updated:>=%s", login, login, terms, day),
	}
}

// ActiveSince implements Measurer. A search refused for its rate, or not
// allowed by the pacer yet, is *gh.RateLimited: the follow-up keeps the
// mentees measured so far and resumes with this one at a later tick.
func (s SearchMeasurer) ActiveSince(ctx context.Context, installation int64, login string, scope []string, since time.Time) (int, error) {
	g, err := s.Client(installation)
	if err != nil {
		return 0, err
	}
	p, total := s.Env.SearchPacer(), 0
	for _, q := range RetentionQueries(login, scope, since) {
		if at, ok := p.Take(installation); !ok {
			return 0, &gh.RateLimited{Installation: installation, Until: at, Reason: gh.ReasonSearch}
		}
		count, quota, err := g.CountIssues(ctx, q)
		if quota.Known && err == nil {
			p.Observe(installation, quota.Remaining, quota.Reset)
		}
		var rl *gh.RateLimited
		if errors.As(err, &rl) {
			until := quota.Until(s.Env.Now())
			p.Pause(installation, until)
			return 0, &gh.RateLimited{Installation: installation, Until: until, Reason: gh.ReasonSearch}
		}
		if err != nil {
			return 0, err
		}
		total += count.Total
	}
	return total, nil
}
