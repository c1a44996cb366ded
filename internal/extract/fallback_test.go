package extract

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/storyline-news/storyline"
)

// TestPublishedFallbackOnlyWhenThePageHasNoDate: a date the source knows
// only from outside the page (a WARC record's crawl time, a feed item's
// date) never overrides the page's own publish date; it is used for a page
// that has none, nor over a date go-htmldate only guesses (from a
// copyright line). An explicit source date (Published) wins over all.
func TestPublishedFallbackOnlyWhenThePageHasNoDate(t *testing.T) {
	page := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const crawl = "2025-03-04T10:00:02Z" // differs from the page's 2024-11-02
	tests := []struct {
		name string
		doc  storyline.RawDoc
		want string
	}{
		{"page date beats a WARC date", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("dated.html"),
			URL: "https://coast.example/bridge", PublishedFallback: crawl}, "2024-11-02"},
		{"page date beats a feed date", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("dated.html"),
			URL: "https://coast.example/bridge", PublishedFallback: "Tue, 04 Mar 2025 09:30:00 +0000"}, "2024-11-02"},
		{"no page date: the fallback", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("undated.html"),
			URL: "https://coast.example/ferry", PublishedFallback: crawl}, "2025-03-04T10:00:02Z"},
		{"a copyright year is no page date: the fallback", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("copyright.html"),
			URL: "https://coast.example/ferry", PublishedFallback: crawl}, "2025-03-04T10:00:02Z"},
		{"a copyright year, no fallback: the guess", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("copyright.html"),
			URL: "https://coast.example/ferry"}, "2023-01-01"},
		{"no page date, no fallback: unknown", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("undated.html"),
			URL: "https://coast.example/ferry"}, ""},
		{"an explicit source date beats the page", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("dated.html"),
			URL: "https://coast.example/bridge", Published: "2024-12-01", PublishedFallback: crawl}, "2024-12-01"},
		{"plain text with its own date beats the fallback", storyline.RawDoc{Kind: storyline.KindText,
			Body:              []byte("Coast Times\n\nJanuary 23, 2025\n\nThe harbour bridge reopened on Tuesday, the council said.\n\nEngineers replaced forty cables."),
			PublishedFallback: crawl}, "2025-01-23"},
		{"plain text without a date: the fallback", storyline.RawDoc{Kind: storyline.KindText,
			Body:              []byte("The harbour bridge reopened on Tuesday, the council said.\n\nEngineers replaced forty cables."),
			PublishedFallback: crawl}, "2025-03-04T10:00:02Z"},
	}
	for _, tt := range tests {
		a, err := Article(tt.doc, now)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := a.PublishedString(); got != tt.want {
			t.Errorf("%s: published %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestOutletAndAuthorFallbacksOnlyWhenThePageHasNone: the outlet and the
// author a source knows only from outside the page (a feed's title, a feed
// item's author) never override the site name and byline the page gives;
// they name a page that gives none (the host of the page's URL is no site
// name). Explicit source hints (Outlet, Author) win over all.
func TestOutletAndAuthorFallbacksOnlyWhenThePageHasNone(t *testing.T) {
	page := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const feedOutlet, feedAuthor = "Harbour Wire", "Wire Desk"
	tests := []struct {
		name           string
		doc            storyline.RawDoc
		outlet, author string
	}{
		{"the page's site name and byline beat the feed's", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("dated.html"),
			URL: "https://coast.example/bridge", OutletFallback: feedOutlet, AuthorFallback: feedAuthor}, "Coast Times", "Mara Quill"},
		{"a site name but no byline: the feed's author", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("undated.html"),
			URL: "https://coast.example/ferry", OutletFallback: feedOutlet, AuthorFallback: feedAuthor}, "Coast Times", feedAuthor},
		{"neither: the feed's outlet and author, not the host", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("unnamed.html"),
			URL: "https://coast.example/lighthouse", OutletFallback: feedOutlet, AuthorFallback: feedAuthor}, feedOutlet, feedAuthor},
		{"neither, no fallback: the host, no author", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("unnamed.html"),
			URL: "https://www.coast.example/lighthouse"}, "coast.example", ""},
		{"explicit source hints beat the page", storyline.RawDoc{Kind: storyline.KindHTML, Body: page("dated.html"),
			URL: "https://coast.example/bridge", Outlet: "Given Outlet", Author: "Given Author",
			OutletFallback: feedOutlet, AuthorFallback: feedAuthor}, "Given Outlet", "Given Author"},
		{"plain text naming its outlet and author beats the fallbacks", storyline.RawDoc{Kind: storyline.KindText,
			Body:           []byte("Coast Times\n\nHarbour bridge reopens\n\nBy Mara Quill\n\nThe harbour bridge reopened on Tuesday, the council said.\n\nEngineers replaced forty cables."),
			OutletFallback: feedOutlet, AuthorFallback: feedAuthor}, "Coast Times", "Mara Quill"},
		{"plain text naming neither: the fallbacks", storyline.RawDoc{Kind: storyline.KindText,
			Body:           []byte("The harbour bridge reopened on Tuesday, the council said.\n\nEngineers replaced forty cables."),
			OutletFallback: feedOutlet, AuthorFallback: feedAuthor}, feedOutlet, feedAuthor},
	}
	for _, tt := range tests {
		a, err := Article(tt.doc, now)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if a.Outlet != tt.outlet || a.Author != tt.author {
			t.Errorf("%s: outlet %q, author %q; want %q, %q", tt.name, a.Outlet, a.Author, tt.outlet, tt.author)
		}
	}
}
