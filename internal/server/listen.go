package server

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// readyTimeout bounds /readyz's write probe: a database that cannot take a
// one-row write this fast is not ready for deliveries either.
const readyTimeout = 2 * time.Second

// listeners are the HTTP servers Serve runs, each with its listener: the
// main one on ln, connection-capped and with every timeout set, and the
// /metrics one when the configuration names a metrics address.
func (s *Server) listeners(ln net.Listener) ([]*http.Server, []net.Listener, error) {
	main := &http.Server{
		Handler:           s.mux,
		MaxHeaderBytes:    maxHeaderBytes,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
	}
	srvs := []*http.Server{main}
	lns := []net.Listener{netutil.LimitListener(ln, s.cfg.Limits.MaxConnections)}
	if s.cfg.MetricsAddress == "" {
		return srvs, lns, nil
	}
	mln := s.opts.MetricsListener
	if mln == nil {
		var err error
		if mln, err = net.Listen("tcp", s.cfg.MetricsAddress); err != nil {
			return nil, nil, fmt.Errorf("listen on %s (COHORTBOT_METRICS_ADDRESS): %w", s.cfg.MetricsAddress, err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", s.Metrics.Handler())
	metrics := &http.Server{
		Handler:           mux,
		MaxHeaderBytes:    maxHeaderBytes,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
	}
	return append(srvs, metrics), append(lns, netutil.LimitListener(mln, 16)), nil
}

// ready serves /readyz: ready only while the database takes a write, since
// a database that answers pings but refuses writes (disk full, locked) would
// answer every delivery 503 (SPEC §8).
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.Store.ProbeWrite(ctx); err != nil {
		http.Error(w, "database cannot take writes: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}
