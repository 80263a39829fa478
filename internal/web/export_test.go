package web

import "encoding/base64"

// SignedSessionForTest signs a raw session payload with h's key.
func (h *Handler) SignedSessionForTest(payload string) string {
	p := base64.RawURLEncoding.EncodeToString([]byte(payload))
	return p + "." + h.sign(p)
}
