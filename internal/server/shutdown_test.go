package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
)

// gateStore holds a store's Copies (which the details made ahead ask) until
// its context is done or, when release is set, until release is closed,
// whatever the context; it counts the calls under way, the calls of
// ClusteringVersion and the calls made after Close.
type gateStore struct {
	storyline.Store
	release chan struct{} // nil: wait for the context
	entered chan struct{} // gets a value when a Copies call starts

	mu       sync.Mutex
	inFlight int
	versions int // ClusteringVersion calls
	closed   bool
	late     []string // calls after Close
}

func newGate(store storyline.Store) *gateStore {
	return &gateStore{Store: store, entered: make(chan struct{}, 1)}
}

func (g *gateStore) Copies(ctx context.Context, id string) ([]storyline.Copy, error) {
	g.mu.Lock()
	if g.closed {
		g.late = append(g.late, "Copies "+id)
	}
	g.inFlight++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.inFlight--
		g.mu.Unlock()
	}()
	select {
	case g.entered <- struct{}{}:
	default:
	}
	if g.release != nil { // deaf to the context
		<-g.release
		return g.Store.Copies(ctx, id)
	}
	<-ctx.Done()
	return nil, fmt.Errorf("copies of %s: %w", id, ctx.Err())
}

func (g *gateStore) ClusteringVersion(ctx context.Context) (int64, error) {
	g.mu.Lock()
	g.versions++
	if g.closed {
		g.late = append(g.late, "ClusteringVersion")
	}
	g.mu.Unlock()
	return g.Store.ClusteringVersion(ctx)
}

func (g *gateStore) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	return nil
}

func (g *gateStore) state() (inFlight, versions int, late []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.inFlight, g.versions, append([]string(nil), g.late...)
}

// waitEntered waits for a Copies call to start: the details of the largest
// stories being made ahead.
func (g *gateStore) waitEntered(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(30 * time.Second):
		t.Fatal("no story detail was made ahead after the analysis came out")
	}
}

// Shutdown cancels the details being made ahead and returns only when they
// stopped, so that the store can be closed: no call on a closed store
// ("database is closed" at the end of the latency benchmark), no error
// logged for the cancelled work.
func TestShutdownWaitsForTheDetailsMadeAhead(t *testing.T) {
	g := newGate(newStore(t, "testdata/fixture"))
	var logged bytes.Buffer
	s, err := New(g, Options{Refresh: time.Hour, Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	g.waitEntered(t)
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if n, _, _ := g.state(); n != 0 {
		t.Errorf("Shutdown returned with %d store calls of the details made ahead under way", n)
	}
	g.Close()
	time.Sleep(20 * time.Millisecond) // a goroutine left behind would call now
	if _, _, late := g.state(); len(late) > 0 {
		t.Errorf("store called after it was closed: %v", late)
	}
	if strings.Contains(logged.String(), "level=ERROR") {
		t.Errorf("the cancelled work logged an error:\n%s", logged.String())
	}
	// a second Shutdown has nothing to wait for
	if err := s.Shutdown(sctx); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
}

// Shutdown waits no longer than its context: work that does not end is
// reported, wrapping the context's error.
func TestShutdownGivesUpWithItsContext(t *testing.T) {
	g := newGate(newStore(t, "testdata/fixture"))
	g.release = make(chan struct{})
	s, err := New(g, Options{Refresh: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	g.waitEntered(t)
	sctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = s.Shutdown(sctx)
	close(g.release)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown with work that does not stop = %v, want an error wrapping context.DeadlineExceeded", err)
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown after the work ended: %v", err)
	}
	if n, _, _ := g.state(); n != 0 {
		t.Errorf("%d store calls under way after Shutdown returned nil", n)
	}
}

// After Shutdown no analysis starts: the current one is still served, and
// a server without one answers with an error, not a build.
func TestShutdownStartsNoMoreWork(t *testing.T) {
	g := newGate(newStore(t, "testdata/fixture"))
	s, err := New(g, Options{Refresh: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, before, _ := g.state()
	ts := httptest.NewServer(s)
	defer ts.Close()
	for range 3 {
		code, h, _ := get(t, ts, "/api/stories")
		if code != http.StatusOK || h.Get("X-Analysis-Updating") != "" {
			t.Errorf("after Shutdown: %d, X-Analysis-Updating %q; want 200 from the analysis kept, no update", code, h.Get("X-Analysis-Updating"))
		}
	}
	time.Sleep(20 * time.Millisecond)
	if _, after, _ := g.state(); after != before {
		t.Errorf("the store was asked for its version %d times after Shutdown", after-before)
	}

	fresh, err := New(newGate(newStore(t, "testdata/fixture")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := fresh.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := fresh.Warm(context.Background()); !errors.Is(err, errShutDown) {
		t.Errorf("Warm after Shutdown = %v, want errShutDown", err)
	}
	ts2 := httptest.NewServer(fresh)
	defer ts2.Close()
	if code, _, _ := get(t, ts2, "/api/stories"); code == http.StatusOK {
		t.Errorf("a server shut down before any analysis answered 200")
	}
}
