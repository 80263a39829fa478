package bench

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// sender posts deliveries to the server's webhook route over loopback
// HTTP/1.1, on keep-alive connections as GitHub's hookshot uses.
//
// It is a small HTTP client of its own rather than net/http's: the load
// generator shares the box's two cores with the server, and net/http's
// client (a reader and a writer goroutine per connection, a request built
// and its body copied through a 4 KB buffer in several writes) took as much
// CPU per delivery as the server's whole handler (issue 7,
// docs/PERFORMANCE.md). The bytes on the wire are the same: a POST with
// GitHub's headers, the signed body and its Content-Length, one writev per
// request; each answer is read whole with net/http's parser before the
// connection is used again.
type sender struct {
	host, path string // host:port of the server, the webhook route
	idle       chan *clientConn
}

// clientConn is one keep-alive connection and its reader.
type clientConn struct {
	c    net.Conn
	r    *bufio.Reader
	head []byte // the request head being written, reused
}

// newSender sends to the server at baseURL, http://host:port.
func newSender(baseURL string) *sender {
	return &sender{host: strings.TrimPrefix(baseURL, "http://"), path: "/api/github/hook", idle: make(chan *clientConn, 1024)}
}

// send posts one delivery and returns the status and how long the answer
// took: from taking a connection (dialing one if none is idle) to the last
// byte of the answer read, as net/http's client measures it.
func (s *sender) send(ctx context.Context, d delivery) (int, time.Duration, error) {
	id := d.id
	if id == "" {
		id = newDeliveryID()
	}
	start := time.Now()
	for attempt := 0; ; attempt++ {
		cc, reused, err := s.conn(ctx)
		if err != nil {
			return 0, time.Since(start), err
		}
		status, keep, got, err := cc.roundTrip(ctx, s, d, id)
		if err == nil {
			if keep {
				s.release(cc)
			} else {
				cc.c.Close()
			}
			return status, time.Since(start), nil
		}
		cc.c.Close()
		// A kept-alive connection the server closed meanwhile fails before
		// any answer: send again on a new one, as net/http does.
		if !reused || got || attempt > 0 || ctx.Err() != nil {
			return 0, time.Since(start), err
		}
	}
}

// conn takes an idle connection or dials one.
func (s *sender) conn(ctx context.Context) (*clientConn, bool, error) {
	select {
	case cc := <-s.idle:
		return cc, true, nil
	default:
	}
	var dialer net.Dialer
	c, err := dialer.DialContext(ctx, "tcp", s.host)
	if err != nil {
		return nil, false, err
	}
	return &clientConn{c: c, r: bufio.NewReaderSize(c, 4096)}, false, nil
}

func (s *sender) release(cc *clientConn) {
	select {
	case s.idle <- cc:
	default:
		cc.c.Close()
	}
}

// close closes the idle connections.
func (s *sender) close() {
	for {
		select {
		case cc := <-s.idle:
			cc.c.Close()
		default:
			return
		}
	}
}

// roundTrip writes the request and reads the whole answer. got reports
// whether any of the answer arrived; keep whether the connection may be
// used again.
func (cc *clientConn) roundTrip(ctx context.Context, s *sender, d delivery, id string) (status int, keep, got bool, err error) {
	if deadline, ok := ctx.Deadline(); ok {
		cc.c.SetDeadline(deadline)
	} else {
		cc.c.SetDeadline(time.Now().Add(30 * time.Second))
	}
	h := cc.head[:0]
	h = append(h, "POST "...)
	h = append(h, s.path...)
	h = append(h, " HTTP/1.1\r\nHost: "...)
	h = append(h, s.host...)
	h = append(h, "\r\nUser-Agent: GitHub-Hookshot/bench\r\nContent-Type: application/json\r\nX-GitHub-Event: "...)
	h = append(h, d.event...)
	h = append(h, "\r\nX-GitHub-Delivery: "...)
	h = append(h, id...)
	h = append(h, "\r\nX-Hub-Signature-256: "...)
	h = append(h, d.sig...)
	h = append(h, "\r\nContent-Length: "...)
	h = strconv.AppendInt(h, int64(len(d.body)), 10)
	h = append(h, "\r\n\r\n"...)
	cc.head = h
	bufs := net.Buffers{h, d.body}
	if _, err := bufs.WriteTo(cc.c); err != nil {
		return 0, false, false, err
	}
	if _, err := cc.r.Peek(1); err != nil {
		return 0, false, false, err
	}
	resp, err := http.ReadResponse(cc.r, nil)
	if err != nil {
		return 0, false, true, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, false, true, err
	}
	if resp.StatusCode == 0 {
		return 0, false, true, errors.New("answer without a status")
	}
	return resp.StatusCode, !resp.Close, true, nil
}
