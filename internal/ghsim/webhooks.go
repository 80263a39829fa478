package ghsim

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"sort"
	"strconv"
	"time"
)

//go:embed testdata/webhooks/*.json
var webhookFS embed.FS

// Delivery is one webhook delivery (or redelivery) the sim made or recorded.
type Delivery struct {
	ID         string // X-GitHub-Delivery
	Event      string // X-GitHub-Event
	Action     string
	Payload    []byte
	Status     int    // HTTP status the receiver answered; 0 if not sent (yet)
	Err        string // transport error, if any
	Redelivery bool
	Time       time.Time
}

// payloadKeys are the template keys the sim renders from its own state;
// those not provided for an event are dropped from the template.
var payloadKeys = []string{
	"action", "issue", "comment", "pull_request", "review", "label", "changes",
	"repository", "sender", "installation", "number", "assignee",
	"requested_reviewer", "requested_team", "organization",
}

// template decodes the example payload for event.action, falling back to
// another example of the same event (same shape, different action).
func template(event, action string) obj {
	name := "testdata/webhooks/" + event + "." + action + ".json"
	data, err := webhookFS.ReadFile(name)
	if err != nil {
		matches, _ := fs.Glob(webhookFS, "testdata/webhooks/"+event+".*.json")
		sort.Strings(matches)
		if len(matches) == 0 {
			return obj{}
		}
		data, _ = webhookFS.ReadFile(matches[0])
	}
	m := obj{}
	_ = json.Unmarshal(data, &m)
	return m
}

// SetWebhook sets where deliveries are sent and the secret that signs them
// (an empty secret keeps the current one).
func (s *Sim) SetWebhook(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookURL = url
	if secret != "" {
		s.hookSecret = secret
	}
}

// emit builds the payload GitHub would send for event.action on repo r by
// actor and queues its delivery; it returns the delivery id ("" when the
// event is the bot's own and EmitBotEvents is off). Runs with s.mu held.
func (s *Sim) emit(actor *user, r *repo, event, action string, fields obj) string {
	if actor.bot && !s.opts.EmitBotEvents {
		return ""
	}
	m := template(event, action)
	for _, k := range payloadKeys {
		delete(m, k)
	}
	if action != "" {
		m["action"] = action
	}
	for k, v := range fields {
		m[k] = v
	}
	m["repository"] = s.renderRepo(r)
	m["sender"] = s.renderUser(actor)
	m["installation"] = obj{"id": r.Installation, "node_id": nodeID("MDIz", r.Installation)}
	if r.owner.org {
		m["organization"] = obj{"login": r.owner.login, "id": r.owner.id, "node_id": nodeID("O", r.owner.id)}
	}
	payload, _ := json.Marshal(m)
	return s.enqueue(Delivery{ID: newUUID(), Event: event, Action: action, Payload: payload})
}

// enqueue records a delivery and queues it when a webhook URL is set. Runs with s.mu held.
func (s *Sim) enqueue(d Delivery) string {
	d.Time = time.Now()
	s.deliveries = append(s.deliveries, d)
	if s.hookURL != "" && !s.closed {
		s.queue = append(s.queue, len(s.deliveries)-1)
		s.cond.Broadcast()
	}
	return d.ID
}

// deliveryWorker sends queued deliveries one at a time, in order.
func (s *Sim) deliveryWorker(ctx context.Context) {
	defer close(s.workerDone)
	client := &http.Client{Timeout: 30 * time.Second}
	for {
		s.mu.Lock()
		for len(s.queue) == 0 && !s.closed {
			s.cond.Wait()
		}
		if s.closed {
			s.queue = nil
			s.cond.Broadcast()
			s.mu.Unlock()
			return
		}
		idx := s.queue[0]
		s.queue = s.queue[1:]
		s.inflight = true
		d, url, secret := s.deliveries[idx], s.hookURL, s.hookSecret
		s.mu.Unlock()

		status, err := s.post(ctx, client, url, secret, d)

		s.mu.Lock()
		s.deliveries[idx].Status = status
		if err != nil {
			s.deliveries[idx].Err = err.Error()
		}
		s.inflight = false
		s.cond.Broadcast()
		s.mu.Unlock()
	}
}

// post sends one delivery, signed as GitHub signs it.
func (s *Sim) post(ctx context.Context, client *http.Client, url, secret string, d Delivery) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, err
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(d.Payload)
	mac1 := hmac.New(sha1.New, []byte(secret))
	mac1.Write(d.Payload)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/sim")
	req.Header.Set("X-GitHub-Event", d.Event)
	req.Header.Set("X-GitHub-Delivery", d.ID)
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	req.Header.Set("X-Hub-Signature", "sha1="+hex.EncodeToString(mac1.Sum(nil)))
	req.Header.Set("X-GitHub-Hook-ID", "1")
	req.Header.Set("X-GitHub-Hook-Installation-Target-Type", "integration")
	req.Header.Set("X-GitHub-Hook-Installation-Target-ID", strconv.FormatInt(s.appID, 10))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// WaitDeliveries blocks until every queued delivery has been sent.
func (s *Sim) WaitDeliveries() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for (len(s.queue) > 0 || s.inflight) && !s.closed {
		s.cond.Wait()
	}
}

// Deliveries returns a copy of every delivery recorded so far, in order.
func (s *Sim) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.deliveries))
	for i, d := range s.deliveries {
		d.Payload = append([]byte(nil), d.Payload...)
		out[i] = d
	}
	return out
}

func (s *Sim) findDelivery(id string) (Delivery, bool) {
	for i := len(s.deliveries) - 1; i >= 0; i-- {
		if s.deliveries[i].ID == id {
			return s.deliveries[i], true
		}
	}
	return Delivery{}, false
}

// Redeliver sends the delivery again under the same id and payload, as
// GitHub's "Redeliver" button does. Unknown ids are ignored.
func (s *Sim) Redeliver(deliveryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.findDelivery(deliveryID)
	if !ok {
		return
	}
	d.Status, d.Err, d.Redelivery = 0, "", true
	s.enqueue(d)
}

// Resend sends the delivery's payload again under a new delivery id and
// returns that id ("" for an unknown id).
func (s *Sim) Resend(deliveryID string) (newID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.findDelivery(deliveryID)
	if !ok {
		return ""
	}
	d.ID, d.Status, d.Err, d.Redelivery = newUUID(), 0, "", false
	return s.enqueue(d)
}

// eventLabel renders a label for a webhook payload.
func (s *Sim) eventLabel(r *repo, name string) obj {
	if l := r.label(name); l != nil {
		return s.renderLabel(r, l)
	}
	return obj{"name": name}
}
