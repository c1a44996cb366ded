package watch

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline-news/storyline/internal/fetch"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// site serves a feed of n items on loopback; item pages can be made to
// fail. It counts requests and the conditional ones.
type site struct {
	*httptest.Server
	mu          sync.Mutex
	items       int
	etag        string
	fail        map[string]int // path → status to answer (0: serve the page)
	failOnce    map[string]int // path → status to answer once
	conditional int
	hits        map[string]int
}

func newSite(t *testing.T, items int) *site {
	s := &site{items: items, etag: `"v1"`, fail: map[string]int{}, failOnce: map[string]int{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Page returns the HTML of item i: distinct text for each item.
func Page(i int) string {
	words := []string{"harbour", "ferry", "bridge", "council", "storm", "tide", "quay", "pier", "lock", "canal"}
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><title>Item %d</title></head><body><article><h1>Item %d</h1>", i, i)
	for p := range 3 {
		fmt.Fprintf(&b, "<p>The %s of district %d reopened on day %d after the works, the council said in a statement on Tuesday; residents had waited for weeks and crews worked through the night to finish the job (paragraph %d).</p>",
			words[i%len(words)], i, i*7+p, p)
	}
	b.WriteString("</article></body></html>")
	return b.String()
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	n, etag := s.items, s.etag
	status := s.fail[r.URL.Path]
	if st, ok := s.failOnce[r.URL.Path]; ok {
		status = st
		delete(s.failOnce, r.URL.Path)
	}
	if r.URL.Path == "/feed.rss" && r.Header.Get("If-None-Match") != "" {
		s.conditional++
	}
	s.mu.Unlock()
	switch {
	case r.URL.Path == "/robots.txt":
		http.NotFound(w, r)
	case status != 0:
		http.Error(w, "no", status)
	case r.URL.Path == "/feed.rss":
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Coast Times</title><link>%s/</link>`, s.URL)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(w, `<item><guid>item-%d</guid><title>Item %d</title><link>%s/item/%d</link><pubDate>Tue, 04 Mar 2025 09:%02d:00 +0000</pubDate><description>Summary.</description></item>`, i, i, s.URL, i, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	case strings.HasPrefix(r.URL.Path, "/item/"):
		var i int
		fmt.Sscanf(r.URL.Path, "/item/%d", &i)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, Page(i))
	default:
		http.NotFound(w, r)
	}
}

func (s *site) set(f func(s *site)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

type rig struct {
	store *sqlite.Store
	d     *Daemon
	now   time.Time
}

func newRig(t *testing.T, opt Options) *rig {
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	r := &rig{store: store, now: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)}
	opt.Once = true
	opt.Now = func() time.Time { return r.now }
	r.d = New(store, fetch.New(fetch.Options{AllowPrivate: true, Interval: -1}), opt)
	return r
}

func (r *rig) run(t *testing.T, feeds ...string) {
	t.Helper()
	if err := r.d.Run(context.Background(), feeds); err != nil {
		t.Fatal(err)
	}
}

func (r *rig) states(t *testing.T) string {
	t.Helper()
	items, err := r.store.AllWatchItems(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprintf("%s:%s/%d", it.Key, it.State, it.Attempts))
	}
	return strings.Join(out, " ")
}

func articles(t *testing.T, store *sqlite.Store) int {
	t.Helper()
	as, err := store.Articles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(as)
}

func TestWatchStoresNewItemsAndPollsConditionally(t *testing.T) {
	s := newSite(t, 3)
	r := newRig(t, Options{Every: 10 * time.Minute})
	feed := s.URL + "/feed.rss"
	r.run(t, feed)
	if got := r.states(t); got != "item-1:stored/0 item-2:stored/0 item-3:stored/0" {
		t.Fatalf("items %s", got)
	}
	if n := articles(t, r.store); n != 3 {
		t.Fatalf("%d articles, want 3", n)
	}
	// the item pages give no date of their own: the feed's date is kept
	as, _ := r.store.Articles(context.Background())
	for _, a := range as {
		if d := a.PublishedString(); len(d) != len("2025-03-04T09:01:00Z") || d[:15] != "2025-03-04T09:0" {
			t.Errorf("article %q published %q, want the item's pubDate", a.Title, d)
		}
	}
	// not due yet: no poll
	r.run(t)
	if n := s.count("/feed.rss"); n != 1 {
		t.Errorf("feed fetched %d times before it was due", n)
	}
	// due, unchanged: a conditional GET answered 304
	r.now = r.now.Add(10 * time.Minute)
	r.run(t)
	if s.conditional != 1 || r.d.Metrics.NotModified.Load() != 1 {
		t.Errorf("%d conditional requests, %d not modified", s.conditional, r.d.Metrics.NotModified.Load())
	}
	// a new item: only it is fetched
	s.set(func(s *site) { s.items, s.etag = 4, `"v2"` })
	r.now = r.now.Add(10 * time.Minute)
	r.run(t)
	if n := articles(t, r.store); n != 4 || s.count("/item/1") != 1 || s.count("/item/4") != 1 {
		t.Errorf("%d articles; item 1 fetched %d times, item 4 %d times", n, s.count("/item/1"), s.count("/item/4"))
	}
	feeds, _ := r.store.WatchFeeds(context.Background())
	if len(feeds) != 1 || feeds[0].ETag != `"v2"` || feeds[0].Failures != 0 || !feeds[0].NextPoll.Equal(r.now.Add(10*time.Minute)) {
		t.Errorf("feed state %+v", feeds)
	}
}

func TestWatchBacksOffAFailingFeed(t *testing.T) {
	s := newSite(t, 1)
	s.set(func(s *site) { s.fail["/feed.rss"] = http.StatusServiceUnavailable })
	r := newRig(t, Options{Every: 10 * time.Minute, MaxBackoff: time.Hour})
	var waits []string
	for range 5 {
		r.run(t, s.URL+"/feed.rss")
		feeds, _ := r.store.WatchFeeds(context.Background())
		waits = append(waits, feeds[0].NextPoll.Sub(r.now).String())
		r.now = feeds[0].NextPoll
	}
	if got := strings.Join(waits, " "); got != "10m0s 20m0s 40m0s 1h0m0s 1h0m0s" {
		t.Errorf("waits after failures %s", got)
	}
	feeds, _ := r.store.WatchFeeds(context.Background())
	if feeds[0].Failures != 5 || !strings.Contains(feeds[0].LastError, "503") {
		t.Errorf("feed state %+v", feeds[0])
	}
	s.set(func(s *site) { delete(s.fail, "/feed.rss") })
	r.run(t)
	feeds, _ = r.store.WatchFeeds(context.Background())
	if feeds[0].Failures != 0 || feeds[0].LastError != "" || articles(t, r.store) != 1 {
		t.Errorf("after recovery: %+v, %d articles", feeds[0], articles(t, r.store))
	}
}

func TestWatchRetriesItemPagesThenGivesUp(t *testing.T) {
	s := newSite(t, 3)
	s.set(func(s *site) {
		s.failOnce["/item/1"] = http.StatusServiceUnavailable
		s.fail["/item/2"] = http.StatusNotFound
	})
	r := newRig(t, Options{MaxAttempts: 3})
	feed := s.URL + "/feed.rss"
	r.run(t, feed)
	if got := r.states(t); got != "item-1:queued/1 item-2:queued/1 item-3:stored/0" {
		t.Fatalf("after the first run: %s", got)
	}
	r.run(t)
	r.run(t)
	if got := r.states(t); got != "item-1:stored/1 item-2:failed/3 item-3:stored/0" {
		t.Errorf("after three runs: %s", got)
	}
	if s.count("/item/2") != 3 {
		t.Errorf("item 2 tried %d times", s.count("/item/2"))
	}
	var b bytes.Buffer
	if err := r.d.WriteMetrics(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		`storyline_watch_items_total{event="stored"} 2`, `storyline_watch_items_total{event="failed"} 1`,
		`storyline_watch_items_total{event="retried"} 3`, `storyline_watch_items{state="failed"} 1`,
		`storyline_watch_feeds 1`, `# TYPE storyline_watch_polls_total counter`,
	} {
		if !strings.Contains(b.String(), line+"\n") {
			t.Errorf("metrics lack %q:\n%s", line, b.String())
		}
	}
}
