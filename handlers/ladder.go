package handlers

import (
	"context"

	"github.com/cohortbot/cohortbot/internal/bot/progress"
)

// MeasureLadder runs an installation's pending ladder measurements (the
// ladder job's work, SPEC §10).
func (d *Deps) MeasureLadder(ctx context.Context, installation int64) error {
	g, _, err := d.client(installation)
	if err != nil {
		return err
	}
	return progress.MeasureLadder(ctx, d.Env, g, installation)
}
