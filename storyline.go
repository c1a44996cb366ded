// Package storyline holds the domain types of the storyline news story
// intelligence engine: articles, entities, quotes, claims, stories and
// disagreements, and the Store interface that persists them.
//
// The package imports only the standard library; every dependency lives in
// its own package under internal/ and implements or consumes these types.
package storyline

import (
	"strings"
	"time"
)

// Kinds of RawDoc bodies.
const (
	KindText = "text" // a plain-text scrape, like the seeds
	KindHTML = "html" // an HTML page
)

// RawDoc is one document as a source delivered it: its bytes and what the
// source knows about it. Hints are empty when the source does not know them.
type RawDoc struct {
	// Source is the path or URL as the user gave it; documents inside a
	// JSONL file carry a line suffix such as "news.jsonl:3".
	Source string
	// Kind tells how to read Body: KindText or KindHTML.
	Kind string
	Body []byte

	URL    string
	Title  string
	Outlet string
	Author string
	// Published is the publish date as the source wrote it (RFC 3339,
	// "2025-01-23", ...); the extractor parses it, and it wins over a date
	// the document itself gives.
	Published string
	// PublishedFallback is a date the source knows only from outside the
	// document (a WARC record's WARC-Date, which is the crawl time; a feed
	// item's date): the extractor uses it only when Published is empty and
	// the document gives no publish date of its own.
	PublishedFallback string
	// OutletFallback and AuthorFallback are an outlet and an author the
	// source knows only from outside the document (a feed's title, else
	// its host; a feed item's author): the extractor uses each only when
	// the document names none of its own (an HTML page's site name or
	// byline; the host of a page's URL is no site name) and Outlet or
	// Author is empty.
	OutletFallback string
	AuthorFallback string
}

// RemovedLine is a line the cleaner dropped as boilerplate, with the reason.
type RemovedLine struct {
	Line   string `json:"line"`
	Reason string `json:"reason"`
}

// Article is a clean article: main text without boilerplate, with metadata.
// Unknown metadata stays empty, never guessed.
type Article struct {
	ID     string
	Source string
	URL    string
	Outlet string
	Title  string
	Author string
	// Published is the zero time when unknown. PublishedClock tells whether
	// the time of day is known, or only the date.
	Published      time.Time
	PublishedClock bool
	Language       string
	// Text is the clean body, paragraphs separated by one blank line.
	Text    string
	Removed []RemovedLine
}

// Paragraphs returns the paragraphs of the clean text.
func (a *Article) Paragraphs() []string {
	if a.Text == "" {
		return nil
	}
	return strings.Split(a.Text, "\n\n")
}

// PublishedString formats the publish date as RFC 3339, or YYYY-MM-DD when
// only the date is known, or "" when unknown.
func (a *Article) PublishedString() string {
	switch {
	case a.Published.IsZero():
		return ""
	case a.PublishedClock:
		return a.Published.Format(time.RFC3339)
	default:
		return a.Published.Format("2006-01-02")
	}
}
