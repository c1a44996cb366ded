package watch

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline/internal/fetch"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// TestWatchBadFeedsFailAloneAndBounded: one good feed is watched beside
// five bad ones served on loopback: a feed that never ends (items past
// 100,000 until the client hangs up), a gzip bomb, endless redirects,
// malformed XML and a slow loris dribbling a byte every few milliseconds.
// Each bad feed's poll fails with a clear error, bounded by the client's
// body cap, redirect limit or overall timeout, queues nothing and backs
// off; the good feed's items are all stored in the same run.
func TestWatchBadFeedsFailAloneAndBounded(t *testing.T) {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zero := make([]byte, 1<<20)
	for range 64 {
		zw.Write(zero) // 64 MiB inflated, about 64 KiB sent
	}
	zw.Close()
	stop := make(chan struct{})
	sent := make(chan int64, 1) // bytes the endless feed managed to write
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Coast Times</title>`)
			for i := 1; i <= 2; i++ {
				fmt.Fprintf(w, `<item><guid>good-%d</guid><title>Item %d</title><link>http://%s/item/%d</link></item>`, i, i, r.Host, i)
			}
			fmt.Fprint(w, `</channel></rss>`)
		case "/item/1", "/item/2":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, Page(int(r.URL.Path[len(r.URL.Path)-1]-'0')))
		case "/endless.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			n, err := fmt.Fprint(w, `<rss version="2.0"><channel><title>Endless</title>`)
			total := int64(n)
			// far more than 100,000 items if nobody hangs up; 256 MiB at most so that a broken cap still ends the test
			for i := 0; err == nil && total < 256<<20; i++ {
				n, err = fmt.Fprintf(w, `<item><guid>e-%d</guid><title>Item %d</title><link>http://%s/e/%d</link></item>`, i, i, r.Host, i)
				total += int64(n)
			}
			sent <- total
		case "/bomb.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		case "/broken.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>Broken</title><item><title>Cut <link>http://x.example/a</lin`)
		case "/loris.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			for _, c := range []byte(`<rss version="2.0"><channel><title>Slow</title>` + strings.Repeat(" ", 1<<20)) {
				if _, err := w.Write([]byte{c}); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		case "/robots.txt":
			http.NotFound(w, r)
		default: // /loop/N redirects forever
			var n int
			fmt.Sscanf(r.URL.Path, "/loop/%d", &n)
			http.Redirect(w, r, fmt.Sprintf("/loop/%d", n+1), http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) }) // runs before the server closes

	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	now := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	client := fetch.New(fetch.Options{AllowPrivate: true, Interval: -1, MaxBody: 1 << 20, MaxRedirects: 3, Timeout: 300 * time.Millisecond})
	d := New(store, client, Options{Every: 10 * time.Minute, Once: true, Now: func() time.Time { return now }})
	bad := map[string]string{
		srv.URL + "/endless.rss": "response too large",
		srv.URL + "/bomb.rss":    "response too large",
		srv.URL + "/loop/0":      "too many redirects",
		srv.URL + "/broken.rss":  "feed: ",
		srv.URL + "/loris.rss":   "timed out after 300ms",
	}
	feeds := []string{srv.URL + "/good.rss"}
	for u := range bad {
		feeds = append(feeds, u)
	}
	if err := d.Run(context.Background(), feeds); err != nil {
		t.Fatal(err)
	}

	items, err := store.AllWatchItems(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, it := range items {
		states = append(states, it.Key+":"+it.State)
	}
	if got := strings.Join(states, " "); got != "good-1:stored good-2:stored" {
		t.Errorf("items %s; want only the good feed's two, stored", got)
	}
	if n := articles(t, store); n != 2 {
		t.Errorf("%d articles, want 2", n)
	}
	got, err := store.WatchFeeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got {
		want, isBad := bad[f.URL]
		switch {
		case !isBad && (f.Failures != 0 || f.LastError != ""):
			t.Errorf("good feed %s: %+v", f.URL, f)
		case isBad && (f.Failures != 1 || !strings.Contains(f.LastError, want) || !strings.Contains(f.LastError, f.URL) ||
			!f.NextPoll.Equal(now.Add(10*time.Minute))):
			t.Errorf("bad feed %s: failures %d, next poll %v, error %q; want one failure, %q naming the feed, polled again in 10 min",
				f.URL, f.Failures, f.NextPoll, f.LastError, want)
		}
	}
	for _, f := range got {
		t.Logf("%s: %s", f.URL, f.LastError)
	}
	if n := d.Metrics.PollErrors.Load(); n != int64(len(bad)) {
		t.Errorf("%d poll errors, want %d", n, len(bad))
	}
	// the endless feed stopped writing because the client hung up at the
	// cap, long before its own 256 MiB bound (loose: socket buffers hold some)
	if n := <-sent; n >= 256<<20 {
		t.Errorf("the endless feed wrote %d bytes: the client read on past its 1 MiB cap", n)
	}
}
