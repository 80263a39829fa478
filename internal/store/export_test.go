package store

import "context"

// DriveCheckpoints stops an SQLite store's background checkpoint loop
// (its connection stays open until Close) and returns one round of it, for
// a test to run at the moments it chooses.
func (s *Store) DriveCheckpoints() func(context.Context) {
	s.ckpt.cancel()
	<-s.ckpt.done
	return func(ctx context.Context) { s.ckpt.round(ctx) }
}
