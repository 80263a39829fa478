package server

import (
	"context"
	"encoding/json"
	"fmt"
)

// Receive handles one payload synchronously, bypassing the queue: the
// `receive` command's way to debug a handler against real or simulated
// GitHub.
func (s *Server) Receive(ctx context.Context, event string, payload []byte) (string, error) {
	if !json.Valid(payload) {
		return "", fmt.Errorf("payload is not valid JSON")
	}
	for _, h := range s.Handlers {
		for _, e := range h.Handles() {
			if e != event {
				continue
			}
			if ok, why := h.Relevant(event, payload); !ok {
				return "ignored: " + why, nil
			}
			if err := h.Handle(ctx, event, "receive", payload); err != nil {
				return "failed", err
			}
			return "handled", nil
		}
	}
	return "ignored: no handler for event " + event, nil
}
