package kernel

import (
	"strings"
	"sync"

	"github.com/cohortbot/cohortbot/internal/ladder"
)

var defaultSearch struct {
	once sync.Once
	p    *ladder.Pacer
}

// search is the env's search pacer.
func (e *Env) SearchPacer() *ladder.Pacer {
	if e.Search != nil {
		return e.Search
	}
	defaultSearch.once.Do(func() { defaultSearch.p = ladder.NewPacer(0, 0, nil) })
	return defaultSearch.p
}

func Named(handles []string, h string) bool {
	if len(handles) == 0 {
		return true
	}
	for _, x := range handles {
		if strings.EqualFold(x, h) {
			return true
		}
	}
	return false
}
