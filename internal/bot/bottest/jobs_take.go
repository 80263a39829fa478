package bottest

import "github.com/riverqueue/river"

// take removes the queued jobs whose kind keep accepts and returns them.
func (j *Jobs) take(keep func(kind string) bool) []river.JobArgs {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []river.JobArgs
	rest := j.jobs[:0]
	for _, a := range j.jobs {
		if keep(a.Kind()) {
			out = append(out, a)
			continue
		}
		rest = append(rest, a)
	}
	j.jobs = rest
	return out
}
