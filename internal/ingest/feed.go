package ingest

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/text/encoding/charmap"

	"github.com/storyline-news/storyline"
)

// ErrSummaryOnly marks feed items that carry only a summary (no full
// content) and whose pages were not fetched: a summary is not an article.
var ErrSummaryOnly = errors.New("only a summary, no full content, and the page was not fetched")

var xmlEncodingRE = regexp.MustCompile(`^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)`)

// feedUTF8 repairs a feed that declares no encoding (or UTF-8) but is not
// valid UTF-8 by reading it as Windows-1252, the usual culprit; a feed that
// declares another encoding is left to the XML parser.
func (r *Reader) feedUTF8(source string, body []byte) []byte {
	if utf8.Valid(body) {
		return body
	}
	if m := xmlEncodingRE.FindSubmatch(body[:min(len(body), 512)]); m != nil && !strings.EqualFold(string(m[1]), "utf-8") {
		return body
	}
	fixed, err := charmap.Windows1252.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	if m := xmlEncodingRE.FindSubmatchIndex(fixed[:min(len(fixed), 512)]); m != nil {
		fixed = append(fixed[:m[2]:m[2]], append([]byte("UTF-8"), fixed[m[3]:]...)...)
	}
	if r.Warn != nil {
		r.Warn(source, "invalid UTF-8; read as Windows-1252")
	}
	return fixed
}

// isFeed tells whether body is an RSS, Atom or JSON Feed document.
func isFeed(body []byte) bool {
	switch gofeed.DetectFeedType(bytes.NewReader(body)) {
	case gofeed.FeedTypeRSS, gofeed.FeedTypeAtom:
		return true
	case gofeed.FeedTypeJSON:
		return isJSONFeed(body)
	}
	return false
}

// isJSONFeed tells whether body is a JSON Feed (any JSON object starts like
// one; the version field tells them apart).
func isJSONFeed(body []byte) bool {
	var head struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(bytes.TrimSpace(body), &head) != nil {
		return false
	}
	return strings.HasPrefix(head.Version, "https://jsonfeed.org/version/") ||
		strings.HasPrefix(head.Version, "http://jsonfeed.org/version/")
}

// readFeed parses an RSS, Atom or JSON Feed document and emits one document
// per item, in feed order; the document source is "SOURCE#N", N counting
// items from 1. Each item's page is fetched when the reader may fetch;
// otherwise, or when the fetch fails, the item's full content (RSS
// content:encoded, Atom content, JSON Feed content_html/content_text) is the
// document. An item with neither is an error naming the item: summaries are
// not articles. The item's date and author and the feed's outlet (its
// title, else the host) are kept as fallbacks: the page's own win.
func (r *Reader) readFeed(source string, body []byte, emit func(storyline.RawDoc, error) error) error {
	items, err := r.ParseFeed(source, body)
	if err != nil {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: err})
	}
	var summaryOnly []int // items not fetched that have no content
	for _, it := range items {
		if !r.canFetch() && it.Content == "" {
			summaryOnly = append(summaryOnly, it.N)
			continue
		}
		doc, err := r.ItemDoc(it)
		if err != nil {
			err = &Error{Source: source, Err: fmt.Errorf("item %d (%s): %w", it.N, orNone(it.Doc.URL), err)}
		}
		if err := emit(doc, err); err != nil {
			return err
		}
	}
	if len(summaryOnly) > 0 {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: fmt.Errorf("%d of %d items (%s): %w",
			len(summaryOnly), len(items), numberRanges(summaryOnly), ErrSummaryOnly)})
	}
	return nil
}

// FeedItem is one item of a feed and what the feed knows about it.
type FeedItem struct {
	// N is the item's place in the feed, from 1.
	N int
	// Key identifies the item across polls of the feed: its GUID, else
	// its link, else its title and date.
	Key string
	// Doc holds the source (FEED#N) and the hints: link, title, the
	// feed's outlet (Outlet), the item's author (Author) and its date
	// (PublishedFallback); no body yet. ItemDoc makes the outlet and the
	// author fallbacks, as the date is: the page's own win.
	// (They stay in Outlet and Author here, where a caller that keeps
	// items, such as the watch queue, reads them.)
	Doc storyline.RawDoc
	// Content is the item's full content, "" when it has only a summary.
	Content string
}

// ParseFeed parses an RSS, Atom or JSON Feed document into its items, in
// feed order; an error names no file (the caller does).
func (r *Reader) ParseFeed(source string, body []byte) ([]FeedItem, error) {
	body = r.feedUTF8(source, body)
	feed, err := parseFeed(body)
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	if len(feed.Items) == 0 {
		return nil, errors.New("feed has no items")
	}
	base, _ := url.Parse(feed.Link)
	if base == nil || base.Host == "" {
		base, _ = url.Parse(feed.FeedLink)
	}
	if base == nil || base.Host == "" {
		if u, err := url.Parse(source); err == nil && u.Host != "" {
			base = u
		}
	}
	outlet := strings.TrimSpace(html.UnescapeString(feed.Title))
	var items []FeedItem
	for i, item := range feed.Items {
		if item == nil {
			continue
		}
		doc := storyline.RawDoc{
			Source: source + "#" + strconv.Itoa(i+1),
			URL:    itemURL(base, item),
			Title:  strings.TrimSpace(html.UnescapeString(item.Title)),
			Outlet: outlet,
			Author: itemAuthor(item),
			// the item's page usually gives its own date, which wins
			PublishedFallback: itemDate(item),
		}
		if doc.Outlet == "" {
			doc.Outlet = hostOf(doc.URL)
		}
		if doc.Outlet == "" && base != nil {
			doc.Outlet = strings.TrimPrefix(base.Hostname(), "www.")
		}
		key := strings.TrimSpace(item.GUID)
		if key == "" {
			key = doc.URL
		}
		if key == "" {
			key = "title:" + doc.Title + "|" + doc.PublishedFallback
		}
		items = append(items, FeedItem{N: i + 1, Key: key, Doc: doc, Content: strings.TrimSpace(item.Content)})
	}
	return items, nil
}

// ItemDoc makes a feed item a document: its page, fetched when the reader
// may fetch, else (or when the fetch fails, with a warning) the item's
// content. An item with neither is an error wrapping ErrSummaryOnly and
// the fetch error, if any. The feed's outlet and the item's author are the
// document's OutletFallback and AuthorFallback: what the feed says of a
// page names it only when the page does not.
func (r *Reader) ItemDoc(it FeedItem) (storyline.RawDoc, error) {
	doc := it.Doc
	doc.OutletFallback, doc.Outlet = cmp.Or(doc.Outlet, doc.OutletFallback), ""
	doc.AuthorFallback, doc.Author = cmp.Or(doc.Author, doc.AuthorFallback), ""
	var fetchErr error
	if r.canFetch() && isWebURL(doc.URL) {
		page, err := r.fetchPage(doc.URL)
		if err == nil {
			doc.URL, doc.Kind, doc.Body = page.URL, page.Kind, page.Body
			return doc, nil
		}
		fetchErr = err
	}
	if it.Content == "" {
		if fetchErr != nil {
			return storyline.RawDoc{}, fmt.Errorf("%w: %w", ErrSummaryOnly, fetchErr)
		}
		return storyline.RawDoc{}, ErrSummaryOnly
	}
	if fetchErr != nil && r.Warn != nil {
		r.Warn(doc.Source, "page not fetched, using the feed's content: "+fetchErr.Error())
	}
	doc.Kind, doc.Body = storyline.KindHTML, contentPage(doc.Title, it.Content)
	return doc, nil
}

func orNone(s string) string {
	if s == "" {
		return "no link"
	}
	return s
}

// htmlTagRE finds a common HTML tag: content with one is HTML, other
// content is plain text (JSON Feed content_text, Atom type="text").
var htmlTagRE = regexp.MustCompile(`(?i)<(?:p|br|div|span|a|img|h[1-6]|ul|ol|li|blockquote|figure|strong|em|b|i|article|section|table|iframe|pre)\b[^>]*>`)

// contentPage wraps an item's content in an HTML page for the extractor;
// plain-text content becomes escaped paragraphs.
func contentPage(title, content string) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title></head><body><article>")
	if title != "" {
		b.WriteString("<h1>" + html.EscapeString(title) + "</h1>")
	}
	if htmlTagRE.MatchString(content) {
		b.WriteString(content)
	} else {
		for _, p := range strings.Split(strings.ReplaceAll(content, "\r\n", "\n"), "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				b.WriteString("<p>" + html.EscapeString(p) + "</p>")
			}
		}
	}
	b.WriteString("</article></body></html>")
	return []byte(b.String())
}

// itemURL is the item's link made absolute against the feed's site; an
// item without a link may have a GUID that is a URL.
func itemURL(base *url.URL, item *gofeed.Item) string {
	link := strings.TrimSpace(item.Link)
	if link == "" && isWebURL(item.GUID) {
		link = strings.TrimSpace(item.GUID)
	}
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if !u.IsAbs() && base != nil {
		u = base.ResolveReference(u)
	}
	return u.String()
}

// itemAuthor joins the item's author names.
func itemAuthor(item *gofeed.Item) string {
	var names []string
	for _, p := range item.Authors {
		if p != nil && strings.TrimSpace(p.Name) != "" {
			names = append(names, strings.TrimSpace(p.Name))
		}
	}
	if len(names) == 0 && item.Author != nil {
		names = append(names, strings.TrimSpace(item.Author.Name))
	}
	return strings.Join(names, ", ")
}

// itemDate is the item's publish date (else its update date) in RFC 3339
// when the feed's date could be parsed, else as the feed wrote it.
func itemDate(item *gofeed.Item) string {
	switch {
	case item.PublishedParsed != nil:
		return item.PublishedParsed.Format(time.RFC3339)
	case strings.TrimSpace(item.Published) != "":
		return strings.TrimSpace(item.Published)
	case item.UpdatedParsed != nil:
		return item.UpdatedParsed.Format(time.RFC3339)
	}
	return strings.TrimSpace(item.Updated)
}

// hostOf is the host of a URL without "www.", or "".
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// isWebURL tells whether s is an absolute http or https URL.
func isWebURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// numberRanges writes increasing numbers as ranges: "1-3, 5".
func numberRanges(ns []int) string {
	var b strings.Builder
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(ns[i]))
		if j > i {
			b.WriteString("-" + strconv.Itoa(ns[j]))
		}
		i = j + 1
	}
	return b.String()
}

// parseFeed parses a feed with gofeed, turning a panic of the parser into
// an error: no input may stop the reader.
func parseFeed(body []byte) (feed *gofeed.Feed, err error) {
	defer func() {
		if p := recover(); p != nil {
			feed, err = nil, fmt.Errorf("the feed parser failed: %v", p)
		}
	}()
	return gofeed.NewParser().Parse(bytes.NewReader(body))
}

// isGenericXML tells whether a file name is .xml or .rdf (gzipped or not):
// such a file may be a feed or any other XML.
func isGenericXML(name string) bool {
	ext := filepath.Ext(strings.TrimSuffix(strings.ToLower(name), ".gz"))
	return ext == ".xml" || ext == ".rdf"
}

// readXMLIfFeed reads an .xml or .rdf file met while walking a directory
// when it is a feed, and skips it silently otherwise.
func (r *Reader) readXMLIfFeed(path string, emit func(storyline.RawDoc, error) error) error {
	f, err := os.Open(path)
	if err != nil {
		return emit(storyline.RawDoc{}, &Error{Source: path, Err: err})
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var head []byte
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return emit(storyline.RawDoc{}, &Error{Source: path, Err: fmt.Errorf("gzip: %w", err)})
		}
		head, _ = io.ReadAll(io.LimitReader(zr, 4096))
		zr.Close()
	} else {
		head, _ = br.Peek(4096)
	}
	switch gofeed.DetectFeedType(bytes.NewReader(head)) {
	case gofeed.FeedTypeRSS, gofeed.FeedTypeAtom:
	default:
		return nil
	}
	return r.readFile(path, emit)
}
