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

	"github.com/cohortbot/cohortbot/handlers"
	"github.com/cohortbot/cohortbot/internal/queue"
)

// MaxPayload is GitHub's own cap on webhook payloads; larger bodies are
// refused without reading them whole.
const MaxPayload = 25 << 20

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

// hookHandler wraps the go-githubapp dispatcher: it limits the body size,
// records the outcome in metrics and answers with cohortbot's statuses.
func hookHandler(hs []handlers.Handler, secret string, q *queue.Queue, m *Metrics, base zerolog.Logger) http.Handler {
	ghHandlers := make([]githubapp.EventHandler, len(hs))
	for i, h := range hs {
		ghHandlers[i] = h
	}
	d := githubapp.NewEventDispatcher(ghHandlers, secret,
		githubapp.WithScheduler(&intake{queue: q, metrics: m, level: base.GetLevel()}),
		githubapp.WithErrorCallback(errorCallback(m)),
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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "webhooks are POSTed", http.StatusMethodNotAllowed)
			return
		}
		if r.ContentLength > MaxPayload {
			m.Deliveries.WithLabelValues(eventLabel(r), "invalid").Inc()
			http.Error(w, "payload larger than 25 MB", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxPayload)
		ctx := context.WithValue(r.Context(), outcomeKey{}, &outcome{})
		ctx = quiet.WithContext(ctx)
		d.ServeHTTP(w, r.WithContext(ctx))
	})
}

func eventLabel(r *http.Request) string {
	e := r.Header.Get("X-GitHub-Event")
	if e == "" || len(e) > 40 {
		return "unknown"
	}
	return e
}

func errorCallback(m *Metrics) githubapp.ErrorCallback {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		log := zerolog.Ctx(r.Context())
		var ve githubapp.ValidationError
		var mbe *http.MaxBytesError
		// ValidationError has no Unwrap: look into its Cause too (a chunked
		// body cut off by MaxBytesReader arrives that way).
		switch {
		case errors.As(err, &mbe) || errors.As(err, &ve) && errors.As(ve.Cause, &mbe):
			m.Deliveries.WithLabelValues(eventLabel(r), "invalid").Inc()
			http.Error(w, "payload larger than 25 MB", http.StatusRequestEntityTooLarge)
		case errors.As(err, &ve) && strings.Contains(ve.Cause.Error(), "signature"):
			m.Deliveries.WithLabelValues(eventLabel(r), "unauthorized").Inc()
			log.Warn().Err(ve.Cause).Msg("webhook signature missing or wrong; check GITHUB_APP_WEBHOOK_SECRET")
			http.Error(w, "missing or invalid X-Hub-Signature-256", http.StatusUnauthorized)
		case errors.As(err, &ve):
			m.Deliveries.WithLabelValues(eventLabel(r), "invalid").Inc()
			log.Warn().Err(ve.Cause).Msg("invalid webhook request")
			http.Error(w, "invalid webhook request: "+ve.Cause.Error(), http.StatusBadRequest)
		default:
			m.Deliveries.WithLabelValues(eventLabel(r), "error").Inc()
			log.Error().Err(err).Msg("could not store delivery")
			http.Error(w, "could not store the delivery; please redeliver", http.StatusServiceUnavailable)
		}
	}
}

func responseCallback(m *Metrics) githubapp.ResponseCallback {
	return func(w http.ResponseWriter, r *http.Request, event string, handled bool) {
		o, _ := r.Context().Value(outcomeKey{}).(*outcome)
		if !handled || o == nil || o.name == "" {
			m.Deliveries.WithLabelValues(eventLabel(r), "ignored").Inc()
			w.WriteHeader(http.StatusOK)
			return
		}
		m.Deliveries.WithLabelValues(event, o.name).Inc()
		w.WriteHeader(o.status)
	}
}
