package ingest

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"mime"
	"strings"

	"github.com/storyline-news/storyline"
)

// kindOPML is the kind of an OPML list of feeds.
const kindOPML = "opml"

// ErrNoFetch is the error for a URL (given, listed in a file or in an OPML
// list) when the reader may not fetch.
var ErrNoFetch = errors.New("fetching is off (--no-fetch)")

// page is a fetched web page, ready to become a document.
type page struct {
	URL  string // after redirects
	Kind string
	Body []byte
}

func (r *Reader) canFetch() bool { return r.Fetch != nil }

func (r *Reader) ctx() context.Context {
	if r.Context != nil {
		return r.Context
	}
	return context.Background()
}

// fetchError drops the "fetch URL: " prefix of a fetch error: the Error
// around it names the URL already.
func fetchError(err error) error {
	if inner := errors.Unwrap(err); inner != nil && strings.HasPrefix(err.Error(), "fetch ") {
		return inner
	}
	return err
}

// fetchPage fetches a feed item's page, which must be HTML.
func (r *Reader) fetchPage(rawURL string) (page, error) {
	if r.Fetch == nil {
		return page{}, ErrNoFetch
	}
	resp, err := r.Fetch.Get(r.ctx(), rawURL)
	if err != nil {
		return page{}, fetchError(err)
	}
	if !isHTMLType(resp.ContentType, resp.Body) {
		return page{}, fmt.Errorf("not an HTML page (%s)", orNone2(resp.ContentType, "no Content-Type"))
	}
	return page{URL: resp.URL, Kind: storyline.KindHTML, Body: toUTF8(resp.Body, resp.ContentType)}, nil
}

// readURL fetches a URL given as a path or listed in a file: a feed (whose
// items' pages are fetched in turn), an HTML page, or plain text.
func (r *Reader) readURL(rawURL string, emit func(storyline.RawDoc, error) error) error {
	rawURL = strings.TrimSpace(rawURL)
	if r.Fetch == nil {
		return emit(storyline.RawDoc{}, &Error{Source: rawURL, Err: ErrNoFetch})
	}
	resp, err := r.Fetch.Get(r.ctx(), rawURL)
	if err != nil {
		return emit(storyline.RawDoc{}, &Error{Source: rawURL, Err: fetchError(err)})
	}
	mt, _, _ := mime.ParseMediaType(resp.ContentType)
	switch {
	case isFeedType(mt) || isFeed(resp.Body):
		return r.readFeed(rawURL, resp.Body, emit)
	case isOPML(resp.Body):
		return r.readOPML(rawURL, resp.Body, emit)
	case isHTMLType(resp.ContentType, resp.Body):
		return emit(storyline.RawDoc{Source: rawURL, Kind: storyline.KindHTML, URL: resp.URL,
			Body: toUTF8(resp.Body, resp.ContentType)}, nil)
	case mt == "text/plain":
		body, err := r.checkText(rawURL, toUTF8(resp.Body, resp.ContentType))
		if err != nil {
			return emit(storyline.RawDoc{}, &Error{Source: rawURL, Err: err})
		}
		return emit(storyline.RawDoc{Source: rawURL, Kind: storyline.KindText, URL: resp.URL, Body: body}, nil)
	}
	return emit(storyline.RawDoc{}, &Error{Source: rawURL, Err: fmt.Errorf("unsupported content type %q", resp.ContentType)})
}

func isFeedType(mt string) bool {
	switch mt {
	case "application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml":
		return true
	}
	return false
}

// urlList returns the URLs of a text that holds nothing but http(s) URLs,
// one a line (blank lines and # comments aside); nil for any other text.
func urlList(body []byte) []string {
	var urls []string
	for _, line := range strings.Split(string(body), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !isWebURL(line) || strings.ContainsAny(line, " \t") {
			return nil
		}
		urls = append(urls, line)
	}
	return urls
}

// readURLList fetches every URL of a list file.
func (r *Reader) readURLList(source string, urls []string, emit func(storyline.RawDoc, error) error) error {
	if r.Fetch == nil {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: fmt.Errorf("lists %d URLs: %w", len(urls), ErrNoFetch)})
	}
	for _, u := range urls {
		if err := r.readURL(u, emit); err != nil {
			return err
		}
	}
	return nil
}

// opmlOutline is an outline of an OPML file; feeds have an xmlUrl.
type opmlOutline struct {
	XMLURL   string        `xml:"xmlUrl,attr"`
	Outlines []opmlOutline `xml:"outline"`
}

func isOPML(body []byte) bool {
	head := bytes.ToLower(body[:min(len(body), 1024)])
	return bytes.Contains(head, []byte("<opml"))
}

// readOPML fetches every feed an OPML list names.
func (r *Reader) readOPML(source string, body []byte, emit func(storyline.RawDoc, error) error) error {
	var doc struct {
		XMLName xml.Name      `xml:"opml"`
		Body    []opmlOutline `xml:"body>outline"`
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	if err := dec.Decode(&doc); err != nil {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: fmt.Errorf("OPML: %w", err)})
	}
	feeds := opmlFeeds(doc.Body)
	if len(feeds) == 0 {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: errors.New("OPML lists no feed (no outline with an http(s) xmlUrl)")})
	}
	if r.Fetch == nil {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: fmt.Errorf("lists %d feeds: %w", len(feeds), ErrNoFetch)})
	}
	for _, f := range feeds {
		if err := r.readURL(f, emit); err != nil {
			return err
		}
	}
	return nil
}

// ListedURLs returns the URLs a list names: the feeds of an OPML file, or
// the lines of a text holding nothing but http(s) URLs (blank lines and #
// comments aside).
func ListedURLs(body []byte) ([]string, error) {
	if isOPML(body) {
		var doc struct {
			Body []opmlOutline `xml:"body>outline"`
		}
		dec := xml.NewDecoder(bytes.NewReader(body))
		dec.Strict = false
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("OPML: %w", err)
		}
		return opmlFeeds(doc.Body), nil
	}
	urls := urlList(body)
	if urls == nil {
		return nil, errors.New("not a list of URLs: every line must be an http(s) URL")
	}
	return urls, nil
}

// opmlFeeds collects the xmlUrl of every outline, depth first.
func opmlFeeds(outlines []opmlOutline) []string {
	var feeds []string
	for _, o := range outlines {
		if isWebURL(o.XMLURL) {
			feeds = append(feeds, strings.TrimSpace(o.XMLURL))
		}
		feeds = append(feeds, opmlFeeds(o.Outlines)...)
	}
	return feeds
}
