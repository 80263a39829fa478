package server

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cohortbot/cohortbot/config"
	"github.com/cohortbot/cohortbot/internal/testdb"
)

// serverLimits are the fields of an http.Server that bound a client.
type serverLimits struct {
	MaxHeaderBytes                                            int
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
}

// TestServerLimits: both of Serve's HTTP servers bound headers and have
// every timeout set (a slow client is cut off, SPEC §8), and each listener
// is wrapped in the connection cap; the 431 itself is checked against a
// real process by TestExposureJunk.
func TestServerLimits(t *testing.T) {
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mln.Close()
	s, _ := serveForTest(t, testdb.SQLite(t), func(c *config.Server) { c.MetricsAddress = mln.Addr().String() }, Options{MetricsListener: mln})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srvs, lns, err := s.listeners(ln)
	if err != nil {
		t.Fatal(err)
	}
	want := serverLimits{16 << 10, 10 * time.Second, 30 * time.Second, time.Minute, 90 * time.Second}
	var got []serverLimits
	for _, srv := range srvs {
		got = append(got, limitsOf(srv))
	}
	if d := cmp.Diff([]serverLimits{want, want}, got); d != "" {
		t.Errorf("server limits (-want +got):\n%s", d)
	}
	for i, l := range lns {
		if l == ln || l == mln {
			t.Errorf("listener %d is not connection-capped", i)
		}
	}
}

func limitsOf(s *http.Server) serverLimits {
	return serverLimits{s.MaxHeaderBytes, s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout, s.IdleTimeout}
}
