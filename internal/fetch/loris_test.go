package fetch

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// dribbler is a loopback TCP server that answers every request by sending
// head, then one byte of fill every few milliseconds, forever: a slow
// loris that no idle or header timeout alone would end, since a byte is
// always just arriving. It stops when the client hangs up or the test
// ends.
func dribbler(t *testing.T, head string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop); ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil {
					return
				}
				if _, err := conn.Write([]byte(head)); err != nil {
					return
				}
				tick := time.NewTicker(5 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
						if _, err := conn.Write([]byte("a")); err != nil {
							return
						}
					}
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestSlowLorisDribbling: a server that dribbles its header, or its body,
// one byte at a time and never ends is cut off by the overall request
// timeout (300 ms in the test, 30 s by default) with a clear error; a
// robots.txt that dribbles ends the same way and the host is refused.
func TestSlowLorisDribbling(t *testing.T) {
	cases := []struct {
		name, head string
		robots     bool
		want       string
	}{
		{"header", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: ", false, "timed out after 300ms"},
		{"body", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>", false, "timed out after 300ms: reading the body"},
		{"robots.txt", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nUser-agent: *\r\nDisallow: /", true, "robots.txt"},
	}
	for _, c := range cases {
		base := dribbler(t, c.head)
		cl := client(t, Options{AllowPrivate: true, Timeout: 300 * time.Millisecond, IgnoreRobots: !c.robots})
		_, err := cl.Get(context.Background(), base+"/page")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), base) {
			t.Errorf("%s: error %v, want %q naming the URL", c.name, err, c.want)
		}
		if !c.robots && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: error %v does not wrap context.DeadlineExceeded", c.name, err)
		}
		t.Logf("%s: %v", c.name, err)
	}
}
