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

	trafilatura "github.com/markusmobius/go-trafilatura"
	xhtml "golang.org/x/net/html"
)

// Result is what the extractor reads from one page.
type Result struct {
	Title      string
	Outlet     string
	Author     string
	URL        string
	Language   string
	Published  time.Time
	Paragraphs []string
}

// ErrNoText is returned for a page with no main text.
var ErrNoText = errors.New("no main text found in HTML")

// Options returns the trafilatura options storyline uses: fallback
// extractors on (they raise recall on the benchmarks), comments excluded.
func Options() trafilatura.Options {
	return trafilatura.Options{EnableFallback: true, ExcludeComments: true, Deduplicate: false}
}

// Extract reads the main text and metadata of one HTML page; pageURL, when
// known, helps find the publish date and the site name. When the extractor
// fails on the page's declared charset, the page is parsed as UTF-8 by
// golang.org/x/net/html and extracted again.
func Extract(page []byte, pageURL string) (res Result, err error) {
	defer func() {
		// go-trafilatura runs third-party parsing code on hostile input;
		// a panic there must fail this page, not the process.
		if r := recover(); r != nil {
			err = fmt.Errorf("html extractor panicked: %v", r)
		}
	}()
	opts := Options()
	if u, uerr := url.Parse(pageURL); uerr == nil && u.Host != "" {
		opts.OriginalURL = u
	}
	out, err := trafilatura.Extract(bytes.NewReader(page), opts)
	if err != nil {
		doc, perr := xhtml.Parse(bytes.NewReader(page))
		if perr != nil {
			return Result{}, fmt.Errorf("parse HTML: %w", perr)
		}
		out, err = trafilatura.ExtractDocument(doc, opts)
		if err != nil {
			return Result{}, fmt.Errorf("extract main text: %w", err)
		}
	}
	if out == nil || out.ContentNode == nil {
		return Result{}, ErrNoText
	}
	site := clean(out.Metadata.Sitename)
	res = Result{
		Title:      CleanTitle(clean(out.Metadata.Title), site, pageURL),
		Outlet:     site,
		Author:     CleanAuthor(clean(out.Metadata.Author), site, pageURL),
		URL:        out.Metadata.URL,
		Language:   out.Metadata.Language,
		Published:  out.Metadata.Date,
		Paragraphs: Paragraphs(out.ContentNode),
	}
	res.Paragraphs = dropHeader(res.Paragraphs, res.Title)
	if len(res.Paragraphs) == 0 {
		return Result{}, ErrNoText
	}
	return res, nil
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
		if t := strings.Join(strings.Fields(cur.String()), " "); t != "" {
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

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
