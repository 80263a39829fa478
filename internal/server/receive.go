package server

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cohortbot/cohortbot/handlers"
)

// HandledEvents lists, sorted, the webhook events some handler handles:
// the handlers' own list, so `receive` refuses the others by name.
func HandledEvents() []string {
	evs := handlers.Events(handlers.All(&handlers.Deps{}))
	slices.Sort(evs)
	return slices.Compact(evs)
}

// UnknownEventError is a `receive` of an event no handler handles: a typo
// or an event cohortbot does not subscribe to, which would otherwise look
// like a payload handled and found irrelevant.
type UnknownEventError struct{ Event string }

func (e *UnknownEventError) Error() string {
	return fmt.Sprintf("unknown event %q: cohortbot handles only %s", e.Event, strings.Join(HandledEvents(), ", "))
}

// Receive handles one payload synchronously, bypassing the queue: the
// `receive` command's way to debug a handler against real or simulated
// GitHub. ignored is why a payload the handler found irrelevant was not
// handled ("" when it was handled).
func (s *Server) Receive(ctx context.Context, event string, payload []byte) (ignored string, err error) {
	if !slices.Contains(HandledEvents(), event) {
		return "", &UnknownEventError{Event: event}
	}
	if !json.Valid(payload) {
		return "", fmt.Errorf("payload is not valid JSON")
	}
	for _, h := range s.Handlers {
		if !slices.Contains(h.Handles(), event) {
			continue
		}
		if ok, why := h.Relevant(event, payload); !ok {
			return why, nil
		}
		return "", h.Handle(ctx, event, "receive", payload)
	}
	return "", &UnknownEventError{Event: event}
}
