package cli

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestIngestURL: `ingest URL` fetches a page from a loopback server only
// with --allow-private; by default the address is refused and the server
// never reached.
func TestIngestURL(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/ferry" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><head><title>Ferry</title></head><body><article>")
		for _, p := range strings.Split(goodArticle("Quillan"), "\n\n")[1:] {
			fmt.Fprintf(w, "<p>%s</p>", html.EscapeString(p))
		}
		fmt.Fprint(w, "</article></body></html>")
	}))
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "news.db")

	out, stderr, code := run(t, "ingest", "-q", "--db", db, srv.URL+"/ferry")
	if code != 1 || !strings.Contains(stderr, "loopback address 127.0.0.1") || !strings.Contains(stderr, "--allow-private") || hits.Load() != 0 {
		t.Fatalf("without --allow-private: exit %d, %d requests, stdout %q, stderr %q", code, hits.Load(), out, stderr)
	}
	out, stderr, code = run(t, "ingest", "-q", "--allow-private", "--db", db, srv.URL+"/ferry")
	if code != 0 || !strings.HasPrefix(out, "1 documents: 1 new articles") {
		t.Fatalf("with --allow-private: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if hits := searchHits(t, db, "Quillan"); len(hits) != 1 {
		t.Errorf("search finds %d articles, want the fetched one", len(hits))
	}
}

// TestIngestFeedFileNoFetch: a local feed with --no-fetch is read from
// the items' own content, without the network.
func TestIngestFeedFileNoFetch(t *testing.T) {
	dir := t.TempDir()
	feed := writeFile(t, filepath.Join(dir, "coast.rss"), []byte(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Coast Times</title>
<item><title>Ferry Service to Quillan Resumes</title><link>https://coast.invalid/ferry</link><pubDate>Tue, 04 Mar 2025 09:30:00 +0000</pubDate>
<content:encoded>`+html.EscapeString("<p>"+strings.ReplaceAll(goodArticle("Quillan"), "\n\n", "</p><p>")+"</p>")+`</content:encoded></item></channel></rss>`))
	db := filepath.Join(dir, "news.db")
	out, stderr, code := run(t, "ingest", "-q", "--no-fetch", "--db", db, feed)
	if code != 0 || !strings.HasPrefix(out, "1 documents: 1 new articles") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}
