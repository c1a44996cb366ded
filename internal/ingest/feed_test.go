package ingest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract"
)

// formats is the directory of real-format samples in ../shared; tests that
// need it skip with a message when it is absent, and fail under CI=true.
func formats(t *testing.T, rel string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data", "formats", rel)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("real-format samples missing under CI: %v", err)
		}
		t.Skipf("real-format samples not available (%v); skipping", err)
	}
	return dir
}

const rssFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Coast Times</title><link>https://coast.example/</link>
<item><title>Harbour bridge reopens</title><link>/news/bridge</link>
<dc:creator>Mara Quill</dc:creator><pubDate>Tue, 04 Mar 2025 09:30:00 +0000</pubDate>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>The bridge reopened on Tuesday, the council said.</p>]]></content:encoded></item>
<item><title>Summary only</title><link>https://coast.example/news/2</link><description>Only this.</description></item>
<item><title>Summary too</title><link>https://coast.example/news/3</link><description>Only this.</description></item>
</channel></rss>`

func TestFeedRSSItemsWithHints(t *testing.T) {
	path := filepath.Join(t.TempDir(), "coast.rss")
	write(t, path, []byte(rssFeed))
	g := read(t, &Reader{}, path)
	if len(g.docs) != 1 {
		t.Fatalf("got %d documents, want 1 (the item with content:encoded): %v", len(g.docs), g.errs)
	}
	d := g.docs[0]
	want := storyline.RawDoc{Source: path + "#1", Kind: storyline.KindHTML, URL: "https://coast.example/news/bridge",
		Title: "Harbour bridge reopens", OutletFallback: "Coast Times", AuthorFallback: "Mara Quill", PublishedFallback: "2025-03-04T09:30:00Z"}
	d.Body = nil
	if d.Source != want.Source || d.Kind != want.Kind || d.URL != want.URL || d.Title != want.Title || d.Outlet != "" || d.Author != "" ||
		d.OutletFallback != want.OutletFallback || d.AuthorFallback != want.AuthorFallback || d.Published != "" || d.PublishedFallback != want.PublishedFallback {
		t.Errorf("document\n got %+v\nwant %+v", d, want)
	}
	if !strings.Contains(string(g.docs[0].Body), "The bridge reopened on Tuesday") {
		t.Errorf("body lacks the item's content: %s", g.docs[0].Body)
	}
	// the two summary-only items are one error naming the file and the items
	if len(g.errs) != 1 || !errors.Is(g.errs[0], ErrSummaryOnly) ||
		!strings.HasPrefix(g.errs[0].Error(), path+": 2 of 3 items (2-3): ") {
		t.Errorf("errors = %v, want one summary-only error for items 2-3", g.errs)
	}
}

func TestFeedAtomAndJSONFeed(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.atom"), []byte(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ferry News</title><link href="https://ferry.example/"/>
<entry><title>Ferries resume</title><link href="https://ferry.example/resume"/><updated>2025-03-05T10:00:00Z</updated>
<author><name>Ola Brenn</name></author><content type="html">&lt;p&gt;The ferries run again.&lt;/p&gt;</content></entry></feed>`))
	write(t, filepath.Join(dir, "b.json"), []byte(`{"version": "https://jsonfeed.org/version/1.1", "title": "",
"home_page_url": "https://www.tide.example/", "items": [
 {"id": "1", "url": "https://www.tide.example/x", "title": "Tide", "content_text": "First paragraph.\n\nSecond <paragraph>.",
  "date_published": "2025-03-06T08:00:00+01:00", "authors": [{"name": "Kai Lund"}]}]}`))
	g := read(t, &Reader{}, dir)
	if len(g.errs) != 0 || len(g.docs) != 2 {
		t.Fatalf("got %d documents and errors %v, want 2 documents", len(g.docs), g.errs)
	}
	a, j := g.docs[0], g.docs[1]
	if a.Title != "Ferries resume" || a.OutletFallback != "Ferry News" || a.AuthorFallback != "Ola Brenn" || a.PublishedFallback != "2025-03-05T10:00:00Z" ||
		!strings.Contains(string(a.Body), "<p>The ferries run again.</p>") {
		t.Errorf("Atom entry: %+v", a)
	}
	// no feed title: the outlet is the host
	if j.OutletFallback != "tide.example" || j.AuthorFallback != "Kai Lund" || j.URL != "https://www.tide.example/x" || j.PublishedFallback != "2025-03-06T08:00:00+01:00" {
		t.Errorf("JSON Feed item: %+v", j)
	}
	if !strings.Contains(string(j.Body), "<p>First paragraph.</p><p>Second &lt;paragraph&gt;.</p>") {
		t.Errorf("plain-text content not turned into escaped paragraphs: %s", j.Body)
	}
}

func TestFeedUndeclaredLatin1IsRepaired(t *testing.T) {
	var warned []string
	r := &Reader{Warn: func(source, msg string) { warned = append(warned, msg) }}
	path := filepath.Join(t.TempDir(), "latin1.rss")
	write(t, path, []byte("<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Not\xedcias</title>"+
		"<item><title>Pre\xe7o</title><content:encoded>&lt;p&gt;A ponte reabriu.&lt;/p&gt;</content:encoded></item></channel></rss>"))
	g := read(t, r, path)
	if len(g.docs) != 1 || g.docs[0].OutletFallback != "Notícias" || g.docs[0].Title != "Preço" {
		t.Fatalf("docs %+v errs %v", g.docs, g.errs)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "Windows-1252") {
		t.Errorf("warnings = %q", warned)
	}
}

func TestFeedMalformed(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "broken.rss"), []byte(`<rss version="2.0"><channel><title>T</title><item><title>x</tit`))
	write(t, filepath.Join(dir, "empty.xml"), []byte(`<rss version="2.0"><channel><title>T</title></channel></rss>`))
	write(t, filepath.Join(dir, "page.xml"), []byte(`<html><body>not a feed</body></html>`))
	g := read(t, &Reader{}, filepath.Join(dir, "broken.rss"), filepath.Join(dir, "empty.xml"), filepath.Join(dir, "page.xml"))
	if len(g.docs) != 0 || len(g.errs) != 3 {
		t.Fatalf("got %d documents and errors %v, want 3 errors", len(g.docs), g.errs)
	}
	for i, want := range []string{"broken.rss: feed: ", "empty.xml: feed has no items", "page.xml: feed: "} {
		if !strings.HasPrefix(g.errs[i].Error(), filepath.Join(dir, want)) {
			t.Errorf("error %d = %q, want it to start with %q", i, g.errs[i], want)
		}
	}
}

// TestFeedRealFiles reads the real feeds of ../shared/data/formats: items with
// full content become documents, summary-only items one error per feed.
func TestFeedRealFiles(t *testing.T) {
	dir := formats(t, "rss-atom/test/input")
	for _, c := range []struct {
		file        string
		docs        int
		summaryOnly string // "" when no item lacks content
	}{
		{"content-encoded.rss", 7, ""},
		{"feedburner.atom", 25, ""},
		{"heise.atom", 15, ""},
		{"many-links.rss", 25, ""},
		{"guardian.rss", 0, "55 of 55 items (1-55)"},
		{"uolNoticias.rss", 0, "15 of 15 items (1-15)"}, // Latin-1 without a declaration
		{"encoding.rss", 0, "40 of 40 items (1-40)"},    // declares ISO-8859-1
		{"reddit.rss", 0, "24 of 24 items (1-24)"},
	} {
		path := filepath.Join(dir, c.file)
		g := read(t, &Reader{}, path)
		if len(g.docs) != c.docs {
			t.Errorf("%s: %d documents, want %d (errors %v)", c.file, len(g.docs), c.docs, g.errs)
		}
		for _, d := range g.docs {
			if d.Kind != storyline.KindHTML || !isWebURL(d.URL) || d.OutletFallback == "" || d.PublishedFallback == "" || len(d.Body) == 0 {
				d.Body = nil
				t.Errorf("%s: document lacks a hint: %+v", d.Source, d)
				break
			}
		}
		switch {
		case c.summaryOnly == "" && len(g.errs) > 0:
			t.Errorf("%s: errors %v", c.file, g.errs)
		case c.summaryOnly != "" && (len(g.errs) != 1 || !errors.Is(g.errs[0], ErrSummaryOnly) ||
			!strings.HasPrefix(g.errs[0].Error(), path+": "+c.summaryOnly)):
			t.Errorf("%s: errors %v, want one summary-only error for %s", c.file, g.errs, c.summaryOnly)
		}
	}
	g := read(t, &Reader{}, filepath.Join(dir, "unrecognized.rss"))
	if len(g.docs) != 0 || len(g.errs) != 1 || !strings.Contains(g.errs[0].Error(), "unrecognized.rss: feed: ") {
		t.Errorf("unrecognized.rss (an HTML page): docs %d, errors %v", len(g.docs), g.errs)
	}
}

// TestFeedRealTitlesDecoded checks that a feed declaring ISO-8859-1 is decoded.
func TestFeedRealTitlesDecoded(t *testing.T) {
	dir := formats(t, "rss-atom/test/input")
	g := read(t, &Reader{}, filepath.Join(dir, "heise.atom"))
	if len(g.docs) == 0 || g.docs[1].Title != "Scrum Day 2016: Bewerbungen für Vorträge und Workshops" {
		t.Fatalf("heise.atom: %v", g.docs)
	}
}

// TestFeedXMLInDirectories: an .xml file met while walking a directory is
// read when it is a feed and skipped silently otherwise (a sitemap, a
// corpus annotation file); named on its own, it must be a feed.
func TestFeedXMLInDirectories(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "feed.xml"), []byte(rssFeed))
	write(t, filepath.Join(dir, "feed2.xml.gz"), gz([]byte(rssFeed)))
	write(t, filepath.Join(dir, "sitemap.xml"), []byte(`<?xml version="1.0"?><urlset><url><loc>https://coast.example/</loc></url></urlset>`))
	write(t, filepath.Join(dir, "corpus", "1_1ecb.xml"), []byte(`<Document doc_name="1_1ecb.xml"><token>The</token></Document>`))
	g := read(t, &Reader{}, dir)
	if len(g.docs) != 2 || g.docs[0].Source != filepath.Join(dir, "feed.xml")+"#1" || g.docs[1].Source != filepath.Join(dir, "feed2.xml.gz")+"#1" {
		t.Errorf("documents %v", g.docs)
	}
	if len(g.errs) != 2 { // the summary-only items of each feed
		t.Errorf("errors %v, want only the two feeds' summary-only items", g.errs)
	}
	g = read(t, &Reader{}, filepath.Join(dir, "sitemap.xml"))
	if len(g.errs) != 1 || !strings.Contains(g.errs[0].Error(), "sitemap.xml: feed: ") {
		t.Errorf("sitemap.xml named: errors %v", g.errs)
	}
}

// TestParseFeedKeys: items keep one key across polls: the GUID, else the
// link, else title and date.
func TestParseFeedKeys(t *testing.T) {
	items, err := (&Reader{}).ParseFeed("https://coast.example/feed", []byte(`<rss version="2.0"><channel><title>C</title>
<item><guid isPermaLink="false">id-1</guid><link>https://coast.example/1</link><title>One</title></item>
<item><link>/2</link><title>Two</title></item>
<item><title>Three</title><pubDate>Tue, 04 Mar 2025 09:30:00 +0000</pubDate><description>s</description></item></channel></rss>`))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Key)
	}
	if want := "[id-1 https://coast.example/2 title:Three|2025-03-04T09:30:00Z]"; fmt.Sprint(keys) != want {
		t.Errorf("keys %v, want %s", keys, want)
	}
	if items[2].Content != "" || items[2].N != 3 || items[2].Doc.Source != "https://coast.example/feed#3" {
		t.Errorf("item 3: %+v", items[2])
	}
}

// TestFeedOutletAndAuthorAreFallbacks: the feed's title and an item's
// author name the article only when its page names no site and no author;
// a page's own site name and byline win. An item extracted from the
// feed's content (the page not fetched) names neither, so it gets the
// feed's.
func TestFeedOutletAndAuthorAreFallbacks(t *testing.T) {
	named, unnamed := testPage(t, "dated.html"), testPage(t, "unnamed.html") // Coast Times, Mara Quill; neither
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Wire</title>
<item><title>Bridge</title><link>http://%[1]s/bridge</link><dc:creator>Wire Desk</dc:creator><description>Summary.</description></item>
<item><title>Lighthouse</title><link>http://%[1]s/lighthouse</link><dc:creator>Wire Desk</dc:creator><description>Summary.</description></item>
<item><title>Ferry</title><link>http://%[1]s/gone</link><dc:creator>Ola Brenn</dc:creator>
<content:encoded><![CDATA[<p>The ferry runs again after the storm damaged the pier, the operator said on Saturday morning.</p>]]></content:encoded></item>
</channel></rss>`, r.Host)
		case "/bridge":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, named)
		case "/lighthouse":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, unnamed)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	g := read(t, &Reader{Fetch: fetcher(), Warn: func(string, string) {}}, srv.URL+"/feed.rss")
	if len(g.errs) != 0 || len(g.docs) != 3 {
		t.Fatalf("%d documents, errors %v", len(g.docs), g.errs)
	}
	want := map[string][2]string{
		srv.URL + "/bridge":     {"Coast Times", "Mara Quill"}, // the page's own
		srv.URL + "/lighthouse": {"Harbour Wire", "Wire Desk"}, // the page names neither: the feed's
		srv.URL + "/gone":       {"Harbour Wire", "Ola Brenn"}, // the feed's content: the feed's
	}
	for _, d := range g.docs {
		a, err := extract.Article(d, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("%s: %v", d.Source, err)
		}
		if w := want[a.URL]; a.Outlet != w[0] || a.Author != w[1] {
			t.Errorf("%s: outlet %q, author %q; want %q, %q", a.URL, a.Outlet, a.Author, w[0], w[1])
		}
	}
}
