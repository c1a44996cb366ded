package ingest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/fetch"
)

// site is a loopback test site: a feed, pages, an OPML list.
type site struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newSite(t *testing.T) *site {
	s := &site{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		switch r.URL.Path {
		case "/feed.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Coast Times</title><link>%[1]s/</link>
<item><title>Bridge</title><link>%[1]s/a</link><pubDate>Tue, 04 Mar 2025 09:30:00 +0000</pubDate><author>mara@coast.example (Mara Quill)</author><description>Summary.</description></item>
<item><title>Ferry</title><link>/gone-with-content</link><description>Summary.</description><content:encoded>&lt;p&gt;The ferry runs again.&lt;/p&gt;</content:encoded></item>
<item><title>Tide</title><link>%[1]s/gone</link><description>Only a summary.</description></item>
</channel></rss>`, s.URL)
		case "/a":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><article><p>The bridge reopened on Tuesday.</p></article></body></html>")
		case "/latin1":
			w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
			fmt.Fprint(w, "<html><body><p>Pre\xe7o da ponte</p></body></html>")
		case "/feeds.opml":
			w.Header().Set("Content-Type", "text/x-opml")
			fmt.Fprintf(w, `<?xml version="1.0"?><opml version="2.0"><head><title>Feeds</title></head><body>
<outline text="News"><outline type="rss" text="Coast" xmlUrl="%s/feed.rss"/></outline></body></opml>`, s.URL)
		case "/image.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// fetcher may connect to loopback (the test site) and does not wait.
func fetcher() *fetch.Client {
	return fetch.New(fetch.Options{AllowPrivate: true, Interval: -1})
}

func TestReadFeedURLFetchesItemPages(t *testing.T) {
	s := newSite(t)
	var warned []string
	r := &Reader{Fetch: fetcher(), Warn: func(source, msg string) { warned = append(warned, source+": "+msg) }}
	g := read(t, r, s.URL+"/feed.rss")
	if len(g.docs) != 2 {
		t.Fatalf("got %d documents, errors %v; want 2", len(g.docs), g.errs)
	}
	a, ferry := g.docs[0], g.docs[1]
	if a.Source != s.URL+"/feed.rss#1" || a.URL != s.URL+"/a" || a.Kind != storyline.KindHTML || a.Title != "Bridge" ||
		a.OutletFallback != "Coast Times" || a.AuthorFallback != "Mara Quill" || a.PublishedFallback != "2025-03-04T09:30:00Z" ||
		!strings.Contains(string(a.Body), "The bridge reopened on Tuesday.") {
		t.Errorf("item 1 (its page fetched): %+v", a)
	}
	// the page is gone but the item has its content
	if ferry.URL != s.URL+"/gone-with-content" || !strings.Contains(string(ferry.Body), "The ferry runs again.") {
		t.Errorf("item 2 (the feed's content): %+v", ferry)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "feed.rss#2: page not fetched, using the feed's content: HTTP status 404") {
		t.Errorf("warnings %q", warned)
	}
	// the page is gone and the item has only a summary
	if len(g.errs) != 1 || !errors.Is(g.errs[0], ErrSummaryOnly) ||
		!strings.HasPrefix(g.errs[0].Error(), s.URL+"/feed.rss: item 3 ("+s.URL+"/gone): ") || !strings.Contains(g.errs[0].Error(), "404") {
		t.Errorf("errors %v", g.errs)
	}
}

func TestReadURLsPagesListsAndOPML(t *testing.T) {
	s := newSite(t)
	dir := t.TempDir()
	write(t, filepath.Join(dir, "urls.txt"), []byte("# pages to read\n"+s.URL+"/a\n\n"+s.URL+"/latin1\n"+s.URL+"/image.png\n"))
	write(t, filepath.Join(dir, "feeds.opml"), []byte(`<?xml version="1.0"?><opml version="1.0"><body><outline text="x" xmlUrl="`+s.URL+`/feed.rss"/></body></opml>`))
	r := &Reader{Fetch: fetcher()}
	g := read(t, r, filepath.Join(dir, "urls.txt"), s.URL+"/feeds.opml", filepath.Join(dir, "feeds.opml"))
	var sources []string
	for _, d := range g.docs {
		sources = append(sources, strings.TrimPrefix(d.Source, s.URL))
	}
	if want := "[/a /latin1 /feed.rss#1 /feed.rss#2 /feed.rss#1 /feed.rss#2]"; fmt.Sprint(sources) != want {
		t.Errorf("documents %v, want %s", sources, want)
	}
	if len(g.docs) > 1 && !strings.Contains(string(g.docs[1].Body), "Preço da ponte") {
		t.Errorf("ISO-8859-1 page not decoded: %q", g.docs[1].Body)
	}
	// the PNG, and item 3 of the feed twice
	if len(g.errs) != 3 || !strings.Contains(g.errs[0].Error(), `/image.png: unsupported content type "image/png"`) {
		t.Errorf("errors %v", g.errs)
	}
}

func TestNoFetchNeverGoesToTheNetwork(t *testing.T) {
	s := newSite(t)
	dir := t.TempDir()
	write(t, filepath.Join(dir, "urls.txt"), []byte(s.URL+"/a\n"+s.URL+"/b\n"))
	write(t, filepath.Join(dir, "feeds.opml"), []byte(`<opml><body><outline xmlUrl="`+s.URL+`/feed.rss"/></body></opml>`))
	g := read(t, &Reader{}, s.URL+"/a", filepath.Join(dir, "urls.txt"), filepath.Join(dir, "feeds.opml"))
	if len(g.docs) != 0 || len(g.errs) != 3 {
		t.Fatalf("got %d documents and errors %v", len(g.docs), g.errs)
	}
	for i, want := range []string{s.URL + "/a: fetching is off", "urls.txt: lists 2 URLs: fetching is off", "feeds.opml: lists 1 feeds: fetching is off"} {
		if !errors.Is(g.errs[i], ErrNoFetch) || !strings.Contains(g.errs[i].Error(), want) {
			t.Errorf("error %d = %v, want %q", i, g.errs[i], want)
		}
	}
	if len(s.hits) != 0 {
		t.Errorf("the site was reached: %v", s.hits)
	}
}

// TestIngestGuardRefusesLoopbackByDefault: a reader whose fetcher has the
// default options refuses the loopback site, and never reaches it.
func TestIngestGuardRefusesLoopbackByDefault(t *testing.T) {
	s := newSite(t)
	g := read(t, &Reader{Fetch: fetch.New(fetch.Options{})}, s.URL+"/a", s.URL+"/feed.rss")
	if len(g.docs) != 0 || len(g.errs) != 2 {
		t.Fatalf("got %d documents and errors %v", len(g.docs), g.errs)
	}
	for _, err := range g.errs {
		if !errors.Is(err, fetch.ErrBlocked) || !strings.HasPrefix(err.Error(), s.URL+"/") {
			t.Errorf("error %v, want the loopback address refused", err)
		}
	}
	if len(s.hits) != 0 {
		t.Errorf("the site was reached: %v", s.hits)
	}
}
