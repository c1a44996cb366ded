package fetch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestRobotsTimeoutSaysSo: a robots.txt that never ends, in its header or
// its body, fails the request with "robots.txt: timed out after …" (the
// request timeout) rather than the bare "context deadline exceeded", and
// the error still wraps context.DeadlineExceeded.
func TestRobotsTimeoutSaysSo(t *testing.T) {
	for name, head := range map[string]string{
		"header": "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: ",
		"body":   "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nUser-agent: *\r\nDisallow: /",
	} {
		base := dribbler(t, head)
		cl := client(t, Options{AllowPrivate: true, Timeout: 300 * time.Millisecond})
		_, err := cl.Get(context.Background(), base+"/page")
		if err == nil || !strings.Contains(err.Error(), "fetch "+base+"/page: robots.txt: timed out after 300ms") ||
			strings.Contains(err.Error(), "context deadline exceeded") {
			t.Errorf("%s: error %v, want %q", name, err, "fetch URL: robots.txt: timed out after 300ms")
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: error %v does not wrap context.DeadlineExceeded", name, err)
		}
	}
}
