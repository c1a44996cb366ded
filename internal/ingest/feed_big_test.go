package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
)

// TestFeedHuge: a feed of 100,000 items is read whole, one document per
// item, holding a bounded heap; a feed over the size limit, or a gzipped feed that inflates past
// it (a gzip bomb), is refused with ErrTooLarge before it is parsed.
func TestFeedHuge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10 MB feed; skipped with -short")
	}
	var b bytes.Buffer
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Big</title>`)
	for i := range 100_000 {
		fmt.Fprintf(&b, "<item><link>https://big.example/%d</link><content:encoded>&lt;p&gt;Item %d.&lt;/p&gt;</content:encoded></item>\n", i, i)
	}
	b.WriteString("</channel></rss>")
	dir := t.TempDir()
	write(t, filepath.Join(dir, "big.rss"), b.Bytes())
	size := b.Len()
	n, errs := 0, 0
	var live uint64 // the heap in use halfway, after a collection
	err := (&Reader{}).Read([]string{filepath.Join(dir, "big.rss")}, func(d storyline.RawDoc, err error) error {
		if err != nil {
			errs++
		} else {
			n++
		}
		if n == 50_000 {
			var m runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m)
			live = m.HeapAlloc
		}
		return nil
	})
	if err != nil || n != 100_000 || errs != 0 {
		t.Errorf("%d documents, %d errors (%v); want 100000 documents", n, errs, err)
	}
	// The reader does not stream a feed: it holds the file and the parsed
	// items, which MaxSize bounds. A loose bound on what it holds (the
	// test's own copy of the feed included): within 40 times the file.
	t.Logf("feed %d MB, heap in use halfway %d MB", size>>20, live>>20)
	if live > uint64(40*size) {
		t.Errorf("heap in use halfway through %d MB, more than 40 times the %d MB feed", live>>20, size>>20)
	}

	write(t, filepath.Join(dir, "over.rss"), b.Bytes())
	bomb := gz(append(b.Bytes(), bytes.Repeat([]byte(" "), 64<<20)...))
	write(t, filepath.Join(dir, "bomb.rss.gz"), bomb)
	g := read(t, &Reader{MaxSize: 4 << 20}, filepath.Join(dir, "over.rss"), filepath.Join(dir, "bomb.rss.gz"))
	if len(g.docs) != 0 || len(g.errs) != 2 {
		t.Fatalf("got %d documents and errors %v", len(g.docs), g.errs)
	}
	for _, err := range g.errs {
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than 4 MiB") {
			t.Errorf("error %v, want ErrTooLarge", err)
		}
	}
}

// TestFeedEntityExpansion: nested XML entities (a "billion laughs") do not
// blow up: the DTD's entities are not expanded.
func TestFeedEntityExpansion(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "ha">`)
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, `<!ENTITY l%d "%s">`, i, strings.Repeat(fmt.Sprintf("&l%d;", i-1), 10))
	}
	b.WriteString(`]><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>&l9;</title><item><title>&l9;</title><content:encoded>&lt;p&gt;&l9;&lt;/p&gt;</content:encoded></item></channel></rss>`)
	path := filepath.Join(t.TempDir(), "laughs.rss")
	write(t, path, []byte(b.String()))
	g := read(t, &Reader{}, path)
	for _, d := range g.docs {
		if len(d.Body)+len(d.Title)+len(d.Outlet) > 10_000 {
			t.Errorf("entities expanded: %d bytes", len(d.Body)+len(d.Title)+len(d.Outlet))
		}
	}
	t.Logf("documents %d, errors %v", len(g.docs), g.errs)
}
