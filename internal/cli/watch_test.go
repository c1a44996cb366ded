package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/storyline-news/storyline/internal/sqlite"
)

// TestWatchChild is `storyline watch` in a child process of the tests
// below (the test binary runs itself with STORYLINE_CHILD_ARGS set), so
// that they can kill it.
func TestWatchChild(t *testing.T) {
	args := os.Getenv("STORYLINE_CHILD_ARGS")
	if args == "" {
		t.Skip("a child process of TestWatchSurvivesSIGKILL and TestWatchStopsOnSIGTERM")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	os.Exit(Run(ctx, strings.Split(args, "\x1f"), strings.NewReader(""), os.Stdout, os.Stderr))
}

// feedSite serves a feed of n items on loopback; the page of item hold
// is held (the first time it is asked for) until release is closed or
// the client goes away, and held receives a value when it is.
type feedSite struct {
	*httptest.Server
	n, hold int
	held    chan struct{}
	release chan struct{}
	mu      sync.Mutex
	hits    map[string]int
}

func newFeedSite(t *testing.T, n, hold int) *feedSite {
	s := &feedSite{n: n, hold: hold, held: make(chan struct{}, 1), release: make(chan struct{}), hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		first := s.hits[r.URL.Path] == 1
		s.mu.Unlock()
		switch {
		case r.URL.Path == "/feed.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Coast Times</title>`)
			for i := 1; i <= n; i++ {
				fmt.Fprintf(w, `<item><guid>item-%d</guid><title>Item %d</title><link>%s/item/%d</link><description>Summary.</description></item>`, i, i, s.URL, i)
			}
			fmt.Fprint(w, `</channel></rss>`)
		case r.URL.Path == fmt.Sprintf("/item/%d", hold) && first:
			s.held <- struct{}{}
			select {
			case <-s.release:
			case <-r.Context().Done():
				return
			}
			fallthrough
		case strings.HasPrefix(r.URL.Path, "/item/"):
			var i int
			fmt.Sscanf(r.URL.Path, "/item/%d", &i)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<html><head><title>Item %d</title></head><body><article>", i)
			for p := range 3 {
				fmt.Fprintf(w, "<p>Ferry crossing number %d resumed on its %d route after the storm, the harbour office said, and passengers queued from dawn to board the first boat (part %d).</p>", i, i*11+p, p)
			}
			fmt.Fprint(w, "</article></body></html>")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(func() {
		select {
		case <-s.release:
		default:
			close(s.release)
		}
		s.Close()
	})
	return s
}

func (s *feedSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// child starts the test binary as `storyline ARGS...`.
func child(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchChild$")
	cmd.Env = append(os.Environ(), "STORYLINE_CHILD_ARGS="+strings.Join(args, "\x1f"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// waitFor waits for a child process, killing it and failing the test if
// it has not ended within two minutes.
func waitFor(t *testing.T, cmd *exec.Cmd, out *bytes.Buffer) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("the child did not end; its output:\n%s", out)
	}
	return cmd.ProcessState.ExitCode()
}

// until waits for a signal from the feed site, bounded like waitFor.
func until(t *testing.T, c <-chan struct{}, cmd *exec.Cmd, out *bytes.Buffer) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("the child never asked for the held page; its output:\n%s", out)
	}
}

// watchState opens the store and returns its article count, the copies
// of each article, and the items' states.
func watchState(t *testing.T, db string) (articles int, copies []int, states string) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	as, err := store.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		cs, err := store.Copies(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		copies = append(copies, len(cs))
	}
	items, err := store.AllWatchItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var st []string
	for _, it := range items {
		st = append(st, it.Key+":"+it.State)
	}
	return len(as), copies, strings.Join(st, " ")
}

// TestWatchSurvivesSIGKILL kills `storyline watch` with SIGKILL while it
// fetches the fourth of six items, restarts it, and finds every item
// stored exactly once: the three stored before the kill are not fetched
// again, the three queued are not lost.
func TestWatchSurvivesSIGKILL(t *testing.T) {
	s := newFeedSite(t, 6, 4)
	db := filepath.Join(t.TempDir(), "news.db")
	feed := s.URL + "/feed.rss"
	cmd, out := child(t, "watch", "--db", db, "--allow-private", "--every", "1h", feed)
	until(t, s.held, cmd, out)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, cmd, out)
	n, _, states := watchState(t, db)
	if n != 3 || states != "item-1:stored item-2:stored item-3:stored item-4:queued item-5:queued item-6:queued" {
		t.Fatalf("after SIGKILL: %d articles, items %s; output:\n%s", n, states, out)
	}

	cmd, out = child(t, "watch", "--db", db, "--allow-private", "--every", "1h", "--once")
	if code := waitFor(t, cmd, out); code != 0 {
		t.Fatalf("the restarted watch exited %d:\n%s", code, out)
	}
	n, copies, states := watchState(t, db)
	if n != 6 || fmt.Sprint(copies) != "[1 1 1 1 1 1]" ||
		states != "item-1:stored item-2:stored item-3:stored item-4:stored item-5:stored item-6:stored" {
		t.Errorf("after the restart: %d articles, copies %v, items %s; output:\n%s", n, copies, states, out)
	}
	for i := 1; i <= 6; i++ {
		want := 1
		if i == 4 {
			want = 2 // held when the first process was killed
		}
		if got := s.count(fmt.Sprintf("/item/%d", i)); got != want {
			t.Errorf("item %d fetched %d times, want %d", i, got, want)
		}
	}
	if got := s.count("/feed.rss"); got != 1 {
		t.Errorf("feed fetched %d times; the restart (not due for an hour) should not poll it", got)
	}
}

// TestWatchStopsOnSIGTERM stops `storyline watch` with SIGTERM while it
// fetches an item: it exits 0, the item in hand stays queued, and nothing
// is half written.
func TestWatchStopsOnSIGTERM(t *testing.T) {
	s := newFeedSite(t, 3, 2)
	db := filepath.Join(t.TempDir(), "news.db")
	cmd, out := child(t, "watch", "--db", db, "--allow-private", s.URL+"/feed.rss")
	until(t, s.held, cmd, out)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := waitFor(t, cmd, out); code != 0 {
		t.Fatalf("exit %d after SIGTERM:\n%s", code, out)
	}
	n, _, states := watchState(t, db)
	if n != 1 || states != "item-1:stored item-2:queued item-3:queued" {
		t.Errorf("after SIGTERM: %d articles, items %s; output:\n%s", n, states, out)
	}
}
