// Package extract turns a raw document into a clean article: plain-text
// scrapes through the boilerplate cleaner in plaintext, HTML pages through
// go-trafilatura in html. Metadata the source delivered (a JSON field, a
// feed item's title) wins over metadata read from the text, except what
// the source knows only from outside the document: a date
// (RawDoc.PublishedFallback: a WARC record's crawl time, a feed item's
// date), an outlet (RawDoc.OutletFallback: a feed's title) and an author
// (RawDoc.AuthorFallback: a feed item's author), each used only when the
// document gives none of its own (for an outlet, the host of a page's URL
// is none); what none knows stays empty.
package extract

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	dps "github.com/markusmobius/go-dateparser"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract/html"
	"github.com/storyline-news/storyline/internal/extract/plaintext"
	"github.com/storyline-news/storyline/internal/text"
)

// ErrNoText is returned when a document holds no article text.
var ErrNoText = errors.New("no article text")

// Article extracts the clean article from one raw document. now is the
// reference time for dates that lack a year when the source gives none.
func Article(doc storyline.RawDoc, now time.Time) (storyline.Article, error) {
	a := storyline.Article{Source: doc.Source, URL: doc.URL}
	hintDate, hintClock := ParseDate(doc.Published, now)
	fallDate, fallClock := ParseDate(doc.PublishedFallback, now)
	ref := now
	if !hintDate.IsZero() {
		ref = hintDate
	} else if !fallDate.IsZero() {
		ref = fallDate
	}
	var paras []string
	ownOutlet := false // the document names its outlet (not only its host)
	switch doc.Kind {
	case storyline.KindHTML:
		// with a fallback date at hand, a date go-htmldate only guesses
		// (from a copyright line, a bare year) is not the page's own
		r, err := html.ExtractWith(doc.Body, doc.URL, html.Config{StatedDateOnly: !fallDate.IsZero()})
		if err != nil {
			return a, err
		}
		paras = r.Paragraphs
		a.Title, a.Outlet, a.Author, a.Language = r.Title, r.Outlet, r.Author, r.Language
		ownOutlet = r.Outlet != "" && !r.OutletIsHost
		if a.URL == "" {
			a.URL = r.URL
		}
		if !r.Published.IsZero() {
			a.Published = r.Published
		}
	case storyline.KindText, "":
		// read in place, not copied: what the article keeps of the body
		// is copied at the end (ownStrings)
		r := plaintext.Clean(unsafe.String(unsafe.SliceData(doc.Body), len(doc.Body)), ref)
		paras = r.Paragraphs
		a.Title, a.Outlet, a.Author = r.Title, r.Outlet, r.Author
		ownOutlet = r.Outlet != ""
		a.Published, a.PublishedClock = r.Published, r.Clock
		a.Removed = r.Removed
	default:
		return a, fmt.Errorf("unknown document kind %q", doc.Kind)
	}
	if doc.Title != "" {
		a.Title = doc.Title
	}
	if doc.Outlet != "" {
		a.Outlet = doc.Outlet
	} else if !ownOutlet && doc.OutletFallback != "" {
		a.Outlet = doc.OutletFallback
	}
	if doc.Author != "" {
		a.Author = doc.Author
	} else if a.Author == "" {
		a.Author = doc.AuthorFallback
	}
	if !hintDate.IsZero() {
		a.Published, a.PublishedClock = hintDate, hintClock
	} else if a.Published.IsZero() && !fallDate.IsZero() {
		a.Published, a.PublishedClock = fallDate, fallClock
	}
	a.Text = storable(strings.Join(paras, "\n\n"))
	a.Title, a.Outlet, a.Author = storable(a.Title), storable(a.Outlet), storable(a.Author)
	a.Source, a.URL = storable(a.Source), storable(a.URL)
	for i := range a.Removed {
		a.Removed[i].Line = storable(a.Removed[i].Line)
	}
	if doc.Kind != storyline.KindHTML {
		ownStrings(doc.Body, &a)
	}
	if strings.TrimSpace(a.Text) == "" {
		return a, ErrNoText
	}
	if lang := text.TitledLanguage(a.Title, a.Text); lang != "" {
		a.Language = lang
	} else if len(a.Language) > 2 {
		a.Language = a.Language[:2]
	}
	a.ID = ArticleID(a.Text)
	return a, nil
}

// ownStrings copies the strings of a that share bytes with body (a
// plain-text body is cleaned in place), all into one new buffer: an
// article keeps nothing of its document's body, which its caller may
// reuse, and a scrape is not copied whole for the few lines (title,
// byline, boilerplate) that are kept as they are.
func ownStrings(body []byte, a *storyline.Article) {
	if len(body) == 0 {
		return
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(body)))
	hi := lo + uintptr(len(body))
	shared := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return s != "" && lo <= p && p < hi
	}
	n := 0
	each := func(f func(s *string)) {
		for _, s := range []*string{&a.Text, &a.Title, &a.Outlet, &a.Author} {
			f(s)
		}
		for i := range a.Removed {
			f(&a.Removed[i].Line)
		}
	}
	each(func(s *string) {
		if shared(*s) {
			n += len(*s)
		}
	})
	if n == 0 {
		return
	}
	buf := make([]byte, 0, n)
	each(func(s *string) {
		if shared(*s) {
			start := len(buf)
			buf = append(buf, *s...)
			*s = unsafe.String(&buf[start], len(*s)) // buf is not written after
		}
	})
}

// storable drops what no store keeps in text and no reader wants: NUL and
// the other control characters but tab and newline, and invalid UTF-8
// (each bad byte becomes U+FFFD). A JSON string may carry "\u0000", a file
// name any bytes; PostgreSQL refuses both.
func storable(s string) string {
	if isStorable(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// isStorable tells whether storable would keep s as it is: valid UTF-8
// without control characters but tab and newline. It reads eight bytes at
// a time, and only the eight that hold a byte below 0x20 (a newline, in
// most text) or DEL one by one; UTF-8 is checked only when s is not ASCII.
func isStorable(s string) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	var high uint64
	i := 0
	for ; i+8 <= len(s); i += 8 {
		// one load: the compiler combines the eight
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		high |= x
		d := x ^ (lo * 0x7f)
		if ((x-lo*0x20)&^x|(d-lo)&^d)&hi != 0 {
			for _, c := range []byte(s[i : i+8]) {
				if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
					return false
				}
			}
		}
	}
	for ; i < len(s); i++ {
		c := s[i]
		high |= uint64(c)
		if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return high&hi == 0 || utf8.ValidString(s)
}

// ArticleID is the deterministic ID of an article: a hash of its normalised
// text, so that the same article scraped twice, with other white space,
// quotes or boilerplate, has one ID.
func ArticleID(body string) string { return text.ContentHash(body) }

var clockRE = regexp.MustCompile(`\d{1,2}:\d{2}`)
var zoneRE = regexp.MustCompile(`(?i)(?:z|[+-]\d{2}:?\d{2}|\b(?:utc|gmt))\s*$`)

// ParseDate parses a date as a source gives it (RFC 3339, RFC 1123, "2025-01-23",
// "Jan 23, 2025" …). clock tells whether a time of day with a zone is known.
// It returns the zero time for "" or an unparseable date.
func ParseDate(s string, now time.Time) (t time.Time, clock bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC822} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, false
	}
	if now.IsZero() {
		now = time.Now().UTC()
	}
	d, err := dps.Parse(&dps.Configuration{CurrentTime: now, DefaultTimezone: time.UTC}, s)
	if err != nil || d.Time.IsZero() {
		return time.Time{}, false
	}
	return d.Time, clockRE.MatchString(s) && zoneRE.MatchString(s)
}
