package extract

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storyline-news/storyline/internal/corpus"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract/html"
)

// FuzzArticleHTML runs the HTML path (charset decision, go-trafilatura and
// go-htmldate, paragraphs, title and author cleaning, dates, language, ID)
// on arbitrary pages and source dates. It must not panic (html.Extract
// turns a panic into an error; that error fails the fuzz, so a panic is
// found rather than hidden), and an article must have trimmed non-empty
// one-line paragraphs of valid UTF-8 without U+FEFF, a last paragraph that
// does not repeat those before it, clean one-line metadata, the ID of
// its text, an explicit source date when one parses, a date whenever the
// fallback parses, and the same result twice. Seeds: the pages in
// testdata and testdata/fuzz/FuzzArticleHTML.
func FuzzArticleHTML(f *testing.F) {
	for _, name := range []string{"dated.html", "undated.html"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "", "2025-03-04T10:00:02Z")
	}
	f.Add([]byte("<p>The bridge reopened on Tuesday, the council said.</p>"), "2024-12-01", "")
	f.Add([]byte(""), "", "")
	// and real pages of the extraction benchmark, read from ../shared
	for _, b := range corpus.Files(f, 8, 64<<10, true, "data", "article-extraction-benchmark", "html") {
		f.Add(b, "", "")
	}
	f.Fuzz(func(t *testing.T, page []byte, published, fallback string) {
		if len(page) > 64<<10 || len(published) > 64 || len(fallback) > 64 {
			return // go-trafilatura's time grows with the page; bounded inputs keep the fuzzer fast
		}
		doc := storyline.RawDoc{Source: "page.html", Kind: storyline.KindHTML, Body: page,
			URL: "https://coast.example/news/bridge", Published: published, PublishedFallback: fallback}
		a, err := Article(doc, now)
		if err != nil {
			if strings.Contains(err.Error(), "panicked") {
				t.Fatalf("extractor panicked: %v", err)
			}
			if !errors.Is(err, ErrNoText) && !errors.Is(err, html.ErrNoText) && !strings.HasPrefix(err.Error(), "parse HTML") &&
				!strings.HasPrefix(err.Error(), "extract main text") {
				t.Errorf("unexpected error %v", err)
			}
			return
		}
		if a.Text == "" || a.ID != ArticleID(a.Text) {
			t.Errorf("text %q, id %q", a.Text, a.ID)
		}
		check := func(what, s string, mayBeEmpty bool) {
			if !utf8.ValidString(s) {
				t.Errorf("%s %q: invalid UTF-8", what, s)
			}
			if s == "" && !mayBeEmpty {
				t.Errorf("%s: empty", what)
			}
			if strings.TrimSpace(s) != s || strings.ContainsAny(s, "\r\n\ufeff") {
				t.Errorf("%s %q: not trimmed, or holds a line break or U+FEFF", what, s)
			}
		}
		paras := a.Paragraphs()
		for _, p := range paras {
			check("paragraph", p, false)
		}
		if n := len(paras); n > 1 && strings.ReplaceAll(strings.Join(paras[:n-1], ""), " ", "") == strings.ReplaceAll(paras[n-1], " ", "") {
			t.Errorf("the last paragraph repeats the others: %q", paras)
		}
		check("title", a.Title, true)
		check("outlet", a.Outlet, true)
		check("author", a.Author, true)
		if d, _ := ParseDate(published, now); !d.IsZero() && !a.Published.Equal(d) {
			t.Errorf("published %v, want the source's %v (%q)", a.Published, d, published)
		}
		if d, _ := ParseDate(fallback, now); !d.IsZero() && a.Published.IsZero() {
			t.Errorf("no date although the fallback %q parses", fallback)
		}
		again, err := Article(doc, now)
		if err != nil || !reflect.DeepEqual(a, again) {
			t.Errorf("not deterministic: %v\n%+v\n%+v", err, a, again)
		}
	})
}
