package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serve answers on loopback and stops cleanly when its context ends (as
// on SIGINT or SIGTERM).
func TestServeAndShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if _, stderr, code := run(t, "ingest", "-q", "--db", db, "../../examples/harbour-bridge"); code != 0 {
		t.Fatalf("ingest: %d %s", code, stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errb)
	}()

	urlRE := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/)`)
	base := ""
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := urlRE.FindStringSubmatch(errb.String()); m != nil {
			base = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d: %s", code, errb.String())
		default:
		}
	}
	if base == "" {
		t.Fatalf("serve did not say where it listens: %s", errb.String())
	}
	for _, c := range []struct{ path, want string }{{"healthz", "ok"}, {"api/stories", `"stories":[`}, {"", "Harbour Bridge"}} {
		resp, err := http.Get(base + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), c.want) {
			t.Errorf("/%s: %d %s", c.path, resp.StatusCode, b)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(errb.String(), "shutting down") {
			t.Errorf("serve after shutdown: %d %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after its context ended")
	}
}

func TestServeBadAddress(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if _, stderr, code := run(t, "serve", "--db", db, "--addr", "nonsense"); code != 1 || !strings.Contains(stderr, "serve:") {
		t.Errorf("bad address: %d %q", code, stderr)
	}
}

// A short token is refused before anything listens.
func TestServeShortToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	_, stderr, code := run(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--token", "short")
	if code == 0 || !strings.Contains(stderr, "shorter than 16") {
		t.Errorf("serve --token short: %d %s", code, stderr)
	}
}
