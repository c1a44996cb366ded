package ingest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract"
)

// testPage reads a made-up page shared with internal/extract's tests: dated.html
// gives its own publish date (2024-11-02), undated.html none.
func testPage(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "extract", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// published extracts each document and returns its publish date by URL.
func published(t *testing.T, docs []storyline.RawDoc) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range docs {
		a, err := extract.Article(d, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("%s: %v", d.Source, err)
		}
		out[a.URL] = a.PublishedString()
	}
	return out
}

// TestWARCAndFeedDatesAreFallbacks: the WARC-Date (the crawl time) and a
// feed item's date do not override the date a page gives itself; they date
// only the page that has none.
func TestWARCAndFeedDatesAreFallbacks(t *testing.T) {
	dated, undated := testPage(t, "dated.html"), testPage(t, "undated.html")
	html := "Content-Type: text/html; charset=utf-8\r\n"

	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	write(t, path, gzipMembers(
		warcRec("response", "https://coast.example/bridge", "2025-03-04T10:00:02Z", httpResp("200 OK", html, dated)),
		warcRec("response", "https://coast.example/ferry", "2025-03-04T10:00:03Z", httpResp("200 OK", html, undated))))
	g := read(t, &Reader{}, path)
	if len(g.errs) != 0 || len(g.docs) != 2 {
		t.Fatalf("WARC: %d documents, errors %v", len(g.docs), g.errs)
	}
	got := published(t, g.docs)
	if got["https://coast.example/bridge"] != "2024-11-02" || got["https://coast.example/ferry"] != "2025-03-04T10:00:03Z" {
		t.Errorf("WARC: dates %v; want the page's own 2024-11-02, and the WARC-Date for the undated page", got)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Coast Times</title>
<item><title>Bridge</title><link>http://%[1]s/bridge</link><pubDate>Tue, 04 Mar 2025 09:30:00 +0000</pubDate><description>Summary.</description></item>
<item><title>Ferry</title><link>http://%[1]s/ferry</link><pubDate>Tue, 04 Mar 2025 09:45:00 +0000</pubDate><description>Summary.</description></item>
</channel></rss>`, r.Host)
		case "/bridge":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, dated)
		case "/ferry":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, undated)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	g = read(t, &Reader{Fetch: fetcher()}, srv.URL+"/feed.rss")
	if len(g.errs) != 0 || len(g.docs) != 2 {
		t.Fatalf("feed: %d documents, errors %v", len(g.docs), g.errs)
	}
	got = published(t, g.docs)
	if got[srv.URL+"/bridge"] != "2024-11-02" || got[srv.URL+"/ferry"] != "2025-03-04T09:45:00Z" {
		t.Errorf("feed: dates %v; want the page's own 2024-11-02, and the item's date for the undated page", got)
	}
}
