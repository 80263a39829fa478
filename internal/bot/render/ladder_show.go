package render

import (
	"context"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/ladder"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/cohortbot/cohortbot/templates"
)

// ladderRegionName is the mentee issue's bot-owned "Ladder progress"
// region; an issue created before it existed gets it appended at the first
// measurement.
const ladderRegionName = "ladder"

// ladderRegion is a mentee's Ladder progress region; ok is false while
// nothing was ever measured for them (no region is written then).
func ladderRegion(ctx context.Context, env *kernel.Env, c store.Cohort, handle string) (string, bool, error) {
	ms, err := env.Store.Measurements(ctx, c.ID)
	if err != nil {
		return "", false, err
	}
	rows, _ := RowsOf(ms, handle)
	if !anyMeasured(rows) {
		return "", false, nil
	}
	body := "## Ladder progress\n\n" + ladder.Region(c.Spec.Step, rows, DescribeScope(rows), env.WebBase())
	return body, true, nil
}

func anyMeasured(rows []ladder.Row) bool {
	for _, r := range rows {
		if !r.Measured.IsZero() {
			return true
		}
	}
	return false
}

// describeScope says where the rows count, read back from their query's
// scope and date terms (the config they were queued under).
func DescribeScope(rows []ladder.Row) string {
	if len(rows) == 0 {
		return ""
	}
	var scope []string
	since := ""
	for _, t := range strings.Fields(rows[0].Query) {
		switch {
		case strings.HasPrefix(t, "repo:"), strings.HasPrefix(t, "org:"):
			_, v, _ := strings.Cut(t, ":")
			scope = append(scope, v)
		case strings.HasPrefix(t, "updated:>="), strings.HasPrefix(t, "merged:>="):
			since = t[strings.Index(t, ">=")+2:]
		}
	}
	return ladder.ScopeNote(scope, since)
}

// ladderFigures is each mentee's progress for the hub's roster, by
// lower-cased handle (nil when nobody was measured yet).
func ladderFigures(ctx context.Context, s *store.Store, c store.Cohort) (map[string]string, error) {
	ms, err := s.Measurements(ctx, c.ID)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	out := map[string]string{}
	for _, m := range ms {
		h := strings.ToLower(m.Handle)
		if _, done := out[h]; done {
			continue
		}
		if rows, _ := RowsOf(ms, m.Handle); anyMeasured(rows) {
			out[h] = ladder.Figures(rows)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// hubRosterWithProgress is the hub's roster region with the ladder figures.
func hubRosterWithProgress(ctx context.Context, env *kernel.Env, c store.Cohort) (string, error) {
	p, err := ladderFigures(ctx, env.Store, c)
	if err != nil {
		return "", err
	}
	return hubRoster(c, p)
}

// withProgress adds each mentee's last measured progress to the midpoint
// and final report figures (SPEC §10).
func WithProgress(ctx context.Context, s *store.Store, c store.Cohort, stats []templates.MenteeStat) ([]templates.MenteeStat, error) {
	p, err := ladderFigures(ctx, s, c)
	if err != nil || p == nil {
		return stats, err
	}
	for i := range stats {
		stats[i].Progress = p[strings.ToLower(stats[i].Handle)]
	}
	return stats, nil
}
