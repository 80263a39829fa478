package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
	"github.com/tidwall/gjson"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/handlers"
	"github.com/cohortbot/cohortbot/internal/queue"
)

// intake is go-githubapp's Scheduler for cohortbot: after the dispatcher has
// checked the signature, it asks the handler whether the delivery matters,
// and stores the ones that do (delivery id + job, one transaction) before
// GitHub gets its 202. Workers process them later, durably.
type intake struct {
	queue   *queue.Queue
	metrics *Metrics
	// level is the service's log level, which the dispatcher's logger
	// does not have (see hookHandler).
	level zerolog.Level
}

type outcomeKey struct{}

// Schedule stores a relevant delivery or drops an irrelevant one.
func (in *intake) Schedule(ctx context.Context, d githubapp.Dispatch) error {
	log := zerolog.Ctx(ctx).Level(in.level)
	if h, ok := d.Handler.(handlers.Handler); ok {
		// A signed body that is not JSON is a broken sender or proxy, not
		// an event to ignore: say so with a 400. Every byte is checked
		// (gjson's validator: 4× faster than encoding/json's) only for a
		// delivery about to be stored; one the handler ignores anyway is
		// checked for a JSON object or array at its ends, which caught
		// every broken body seen so far. Validating all of a 28 KB payload
		// that is then dropped was 12% of an irrelevant delivery's server
		// CPU (issue 7, docs/PERFORMANCE.md).
		if !jsonShaped(d.Payload) {
			return notJSON(d)
		}
		if rel, why := h.Relevant(d.EventType, d.Payload); !rel {
			log.Debug().Str("why", why).Msg("ignored delivery")
			setOutcome(ctx, "ignored", http.StatusOK)
			return nil
		}
		if !gjson.ValidBytes(d.Payload) {
			return notJSON(d)
		}
	}
	if d.DeliveryID == "" {
		return githubapp.ValidationError{EventType: d.EventType, Cause: errors.New("missing X-GitHub-Delivery header")}
	}
	fresh, err := in.queue.EnqueueDelivery(ctx, d.EventType, d.DeliveryID, d.Payload)
	if err != nil {
		return fmt.Errorf("store delivery: %w", err)
	}
	if !fresh {
		log.Info().Msg("duplicate delivery id; already stored")
		setOutcome(ctx, "duplicate", http.StatusOK)
		return nil
	}
	log.Info().Msg("stored delivery")
	setOutcome(ctx, "stored", http.StatusAccepted)
	return nil
}

func notJSON(d githubapp.Dispatch) error {
	return githubapp.ValidationError{EventType: d.EventType, DeliveryID: d.DeliveryID, Cause: errors.New("payload is not valid JSON")}
}

// jsonShaped reports whether b, without the whitespace around it, starts
// and ends as a JSON object or array does.
func jsonShaped(b []byte) bool {
	b = bytes.Trim(b, " \t\r\n")
	if len(b) < 2 {
		return false
	}
	first, last := b[0], b[len(b)-1]
	return first == '{' && last == '}' || first == '[' && last == ']'
}

type outcome struct {
	name   string
	status int
}

func setOutcome(ctx context.Context, name string, status int) {
	if o, ok := ctx.Value(outcomeKey{}).(*outcome); ok {
		*o = outcome{name, status}
	}
}

// hookHandler wraps the go-githubapp dispatcher: it refuses what an
// anonymous client could use to grow the process before anything is read
// (guard.go), records the outcome in metrics and answers with cohortbot's
// statuses.
func hookHandler(hs []handlers.Handler, secret string, q *queue.Queue, m *Metrics, base zerolog.Logger, limits config.Limits) http.Handler {
	ghHandlers := make([]githubapp.EventHandler, len(hs))
	for i, h := range hs {
		ghHandlers[i] = h
	}
	refused := newRefusals()
	d := githubapp.NewEventDispatcher(ghHandlers, secret,
		githubapp.WithScheduler(&intake{queue: q, metrics: m, level: base.GetLevel()}),
		githubapp.WithErrorCallback(errorCallback(m, refused, limits.MaxBodyBytes)),
		githubapp.WithResponseCallback(responseCallback(m)),
	)
	// The dispatcher logs "Received webhook event" at info for every
	// delivery, irrelevant ones included: thousands of lines a second
	// under load, and a formatted write per delivery. Below debug its
	// logger is held to warnings; the intake logs the deliveries it stores
	// at info, and the ones it ignores at debug, with the service's level.
	quiet := base
	if base.GetLevel() > zerolog.DebugLevel {
		quiet = base.Level(max(base.GetLevel(), zerolog.WarnLevel))
	}
	budget := newBodyBudget(limits)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "webhooks are POSTed", http.StatusMethodNotAllowed)
			return
		}
		event := eventLabel(r.Header.Get("X-GitHub-Event"))
		// go-github would read the whole body, then fall back to the SHA-1
		// X-Hub-Signature: refuse first, read nothing (issue 12).
		if !wellFormedSignature(r.Header.Get("X-Hub-Signature-256")) {
			m.Deliveries.WithLabelValues(event, "unauthorized").Inc()
			refused.warn(&base, r, http.StatusUnauthorized, nil, "webhook without a well-formed X-Hub-Signature-256 (sha256=<64 hex digits>); check GITHUB_APP_WEBHOOK_SECRET")
			http.Error(w, "missing or malformed X-Hub-Signature-256", http.StatusUnauthorized)
			return
		}
		r.Header.Del("X-Hub-Signature")
		if r.ContentLength > limits.MaxBodyBytes {
			m.Deliveries.WithLabelValues(event, "invalid").Inc()
			tooLarge(w, limits.MaxBodyBytes)
			return
		}
		release, ok := budget.reserve(r)
		if !ok {
			m.Deliveries.WithLabelValues(event, "busy").Inc()
			refused.warn(&base, r, http.StatusServiceUnavailable, nil, "webhook body budget full; answered 503 (limits.body_memory_bytes)")
			busy(w)
			return
		}
		defer release()
		// The dispatcher puts these two headers on every log line of the
		// request; nothing signs them.
		r.Header.Set("X-GitHub-Event", clip(r.Header.Get("X-GitHub-Event")))
		r.Header.Set("X-GitHub-Delivery", clip(r.Header.Get("X-GitHub-Delivery")))
		r.Body = http.MaxBytesReader(w, r.Body, limits.MaxBodyBytes)
		ctx := context.WithValue(r.Context(), outcomeKey{}, &outcome{})
		ctx = quiet.WithContext(ctx)
		d.ServeHTTP(w, r.WithContext(ctx))
	})
}

func errorCallback(m *Metrics, refused *refusals, maxBody int64) githubapp.ErrorCallback {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		log := zerolog.Ctx(r.Context())
		event := eventLabel(r.Header.Get("X-GitHub-Event"))
		var ve githubapp.ValidationError
		var mbe *http.MaxBytesError
		// ValidationError has no Unwrap: look into its Cause too (a chunked
		// body cut off by MaxBytesReader arrives that way).
		switch {
		case errors.As(err, &mbe) || errors.As(err, &ve) && errors.As(ve.Cause, &mbe):
			m.Deliveries.WithLabelValues(event, "invalid").Inc()
			tooLarge(w, maxBody)
		case errors.As(err, &ve) && strings.Contains(ve.Cause.Error(), "signature"):
			m.Deliveries.WithLabelValues(event, "unauthorized").Inc()
			refused.warn(log, r, http.StatusUnauthorized, ve.Cause, "webhook signature wrong; check GITHUB_APP_WEBHOOK_SECRET")
			http.Error(w, "missing or invalid X-Hub-Signature-256", http.StatusUnauthorized)
		case errors.As(err, &ve):
			m.Deliveries.WithLabelValues(event, "invalid").Inc()
			refused.warn(log, r, http.StatusBadRequest, ve.Cause, "invalid webhook request")
			http.Error(w, "invalid webhook request: "+clip(ve.Cause.Error()), http.StatusBadRequest)
		default:
			m.Deliveries.WithLabelValues(event, "error").Inc()
			log.Error().Err(err).Msg("could not store delivery")
			http.Error(w, "could not store the delivery; please redeliver", http.StatusServiceUnavailable)
		}
	}
}

func responseCallback(m *Metrics) githubapp.ResponseCallback {
	return func(w http.ResponseWriter, r *http.Request, event string, handled bool) {
		o, _ := r.Context().Value(outcomeKey{}).(*outcome)
		if !handled || o == nil || o.name == "" {
			m.Deliveries.WithLabelValues(eventLabel(event), "ignored").Inc()
			w.WriteHeader(http.StatusOK)
			return
		}
		m.Deliveries.WithLabelValues(eventLabel(event), o.name).Inc()
		w.WriteHeader(o.status)
	}
}
