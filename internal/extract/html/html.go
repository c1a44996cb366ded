// Package html extracts the main text and metadata of an HTML page with
// go-trafilatura (main text, title, author, site name) and go-htmldate
// (publish date, through trafilatura). Paragraphs are read from the
// extracted content tree, one per block element.
package html

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-shiori/dom"
	htmldate "github.com/markusmobius/go-htmldate"
	trafilatura "github.com/markusmobius/go-trafilatura"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// Result is what the extractor reads from one page.
type Result struct {
	Title string
	// Outlet is the site name the page gives, else (as go-trafilatura
	// does) the host of its URL; OutletIsHost tells the latter: the page
	// names no site.
	Outlet       string
	OutletIsHost bool
	Author       string
	URL          string
	Language     string
	Published    time.Time
	Paragraphs   []string
}

// ErrNoText is returned for a page with no main text.
var ErrNoText = errors.New("no main text found in HTML")

// Options returns the trafilatura options storyline uses: fallback
// extractors on (they raise recall on the benchmarks), comments excluded.
func Options() trafilatura.Options {
	return trafilatura.Options{EnableFallback: true, ExcludeComments: true, Deduplicate: false}
}

// optionsFor is Options with the page's URL, when it has a host.
func optionsFor(pageURL string) trafilatura.Options {
	opts := Options()
	if u, err := url.Parse(pageURL); err == nil && u.Host != "" {
		opts.OriginalURL = u
	}
	return opts
}

// parser returns a function that parses the page: as UTF-8 with
// golang.org/x/net/html when its encoding is known (see decode), else
// through go-trafilatura's own statistical detection (go-shiori/dom), and
// as UTF-8 when that fails. Each call parses afresh.
func parser(page []byte) func() (*xhtml.Node, error) {
	if utf8page, ok := decode(page); ok {
		return func() (*xhtml.Node, error) { return xhtml.Parse(bytes.NewReader(utf8page)) }
	}
	return func() (*xhtml.Node, error) {
		if doc, err := dom.Parse(bytes.NewReader(page)); err == nil {
			return doc, nil
		}
		return xhtml.Parse(bytes.NewReader(page))
	}
}

// Baseline runs go-trafilatura alone on a page, with storyline's options
// and nothing of storyline's own (no encoding decided first, no
// paragraphs, no title or author cleaning): the yardstick the evaluation
// and the benchmarks measure Extract against.
func Baseline(page []byte, pageURL string) (out *trafilatura.ExtractResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("go-trafilatura panicked: %v", r)
		}
	}()
	return trafilatura.Extract(bytes.NewReader(page), optionsFor(pageURL))
}

// Config tunes ExtractWith; the zero Config is what Extract uses.
type Config struct {
	// StatedDateOnly keeps go-htmldate to the places where a page states
	// its publish date (the URL, meta tags, JSON-LD, date elements, <time>)
	// and skips its guesses from loose text, copyright lines ("© 2025"
	// gives 1 January 2025) and bare years: for a caller that holds a
	// fallback date (a WARC record's crawl time, a feed item's date) that
	// is better than such a guess.
	StatedDateOnly bool
}

// Extract reads the main text and metadata of one HTML page; pageURL, when
// known, helps find the publish date and the site name.
func Extract(page []byte, pageURL string) (Result, error) {
	return ExtractWith(page, pageURL, Config{})
}

// ExtractWith is Extract tuned by cfg.
//
// The page's encoding is settled first (see decode): a page that is valid
// UTF-8 is read as UTF-8, else its declared charset is used, and only a
// page with neither is left to go-trafilatura's own detection; when that
// fails on a broken charset, the raw page is parsed as UTF-8 by
// golang.org/x/net/html. What go-trafilatura's rescue for a short main
// text glues together or repeats is mended (see mend).
func ExtractWith(page []byte, pageURL string, cfg Config) (res Result, err error) {
	defer func() {
		// go-trafilatura runs third-party parsing code on hostile input;
		// a panic there must fail this page, not the process.
		if r := recover(); r != nil {
			err = fmt.Errorf("html extractor panicked: %v", r)
		}
	}()
	opts := optionsFor(pageURL)
	if cfg.StatedDateOnly {
		// as go-trafilatura's fast mode, which it picks when fallback extractors are off
		opts.HtmlDateOptions = &htmldate.Options{UseOriginalDate: true, SkipExtensiveSearch: true}
	}
	parse := parser(page)
	doc, err := parse()
	if err != nil {
		return Result{}, fmt.Errorf("parse HTML: %w", err)
	}
	out, err := trafilatura.ExtractDocument(doc, opts)
	if err != nil {
		return Result{}, fmt.Errorf("extract main text: %w", err)
	}
	if out == nil || out.ContentNode == nil {
		return Result{}, ErrNoText
	}
	paras := mend(out.ContentNode, parse)
	site := clean(out.Metadata.Sitename)
	res = Result{
		Title:        CleanTitle(clean(out.Metadata.Title), site, pageURL),
		Outlet:       site,
		OutletIsHost: site != "" && site == siteFromURL(out.Metadata.URL),
		Author:       CleanAuthor(clean(out.Metadata.Author), site, pageURL),
		URL:          out.Metadata.URL,
		Language:     out.Metadata.Language,
		Published:    out.Metadata.Date,
		Paragraphs:   paras,
	}
	res.Paragraphs = dropHeader(res.Paragraphs, res.Title)
	if len(res.Paragraphs) == 0 {
		return Result{}, ErrNoText
	}
	return res, nil
}

// sitenameRE is go-trafilatura's way to make a site name of a URL when
// the page names none.
var sitenameRE = regexp.MustCompile(`(?i)https?://(?:www\.|w[0-9]+\.)?([^/]+)`)

// siteFromURL is the site name go-trafilatura makes of a URL, or "".
func siteFromURL(u string) string {
	if m := sitenameRE.FindStringSubmatch(u); m != nil {
		return clean(m[1])
	}
	return ""
}

// blocks are the elements that start a paragraph of their own.
var blocks = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "blockquote": true, "pre": true, "tr": true, "table": true, "ul": true, "ol": true,
	"section": true, "article": true, "header": true, "footer": true, "figure": true, "figcaption": true,
	"dd": true, "dt": true, "dl": true, "head": true, "quote": true, "list": true, "item": true,
	"row": true, "cell": false, "code": false,
}

// Paragraphs flattens a content tree into paragraphs: the text of each
// block element, with white space folded; <br> and <lb> break lines within
// a paragraph into paragraphs of their own.
func Paragraphs(n *xhtml.Node) []string {
	var paras []string
	var cur strings.Builder
	flush := func() {
		t := strings.Join(strings.Fields(strings.Map(dropControl, cur.String())), " ")
		if strings.IndexFunc(t, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0 {
			paras = append(paras, t)
		}
		cur.Reset()
	}
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch n.Type {
		case xhtml.TextNode:
			cur.WriteString(n.Data)
			return
		case xhtml.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template":
				return
			case "br", "lb":
				flush()
				return
			case "td", "th", "cell":
				cur.WriteByte(' ')
			}
		}
		block := n.Type == xhtml.ElementNode && blocks[n.Data]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(n)
	flush()
	return paras
}

var bylineRE = regexp.MustCompile(`^(?i:by)\s+\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,3}$`)

// dropHeader drops what the content tree repeats of the header: the
// headline as the first paragraph and a "By Name" byline right after it.
func dropHeader(paras []string, title string) []string {
	if len(paras) > 0 && title != "" && strings.EqualFold(paras[0], title) {
		paras = paras[1:]
	}
	if len(paras) > 0 && bylineRE.MatchString(paras[0]) {
		paras = paras[1:]
	}
	return paras
}

// dropControl maps control characters other than white space, and U+FEFF
// (a byte order mark, or the zero-width no-break space it once also was),
// to none.
func dropControl(r rune) rune {
	if (unicode.IsControl(r) && !unicode.IsSpace(r)) || r == '\ufeff' {
		return -1
	}
	return r
}

func clean(s string) string { return strings.Join(strings.Fields(strings.Map(dropControl, s)), " ") }

var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.-]+)`)

// decode returns the page as UTF-8 when its encoding is known: a byte order
// mark, valid UTF-8 (a page that decodes as UTF-8 is UTF-8, whatever its
// meta tag claims), or a charset declared in a <meta> tag within the first
// 64 KiB that golang.org/x/net/html/charset knows. ok is false when none
// applies; statistical detection then decides. Deciding here matters: the
// statistical detector misreads short UTF-8 pages with few accented
// letters ("Café" as "CafÃ©").
func decode(page []byte) (utf8page []byte, ok bool) {
	if e, _, certain := charset.DetermineEncoding(page, ""); certain {
		if b, err := e.NewDecoder().Bytes(page); err == nil {
			// the decoders keep the byte order mark, and a character before
			// <html> would put the whole head in the body
			return bytes.TrimPrefix(b, []byte("\ufeff")), true
		}
	}
	if utf8.Valid(page) {
		return page, true
	}
	head := page[:min(len(page), 64<<10)]
	if m := metaCharsetRE.FindSubmatch(head); m != nil {
		if e, name := charset.Lookup(string(m[1])); e != nil && name != "utf-8" {
			if b, err := e.NewDecoder().Bytes(page); err == nil {
				return b, true
			}
		}
	}
	return nil, false
}
