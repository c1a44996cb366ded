package ingest

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
)

// FuzzFeed feeds arbitrary bytes to the reader as a feed file (RSS, Atom,
// JSON Feed or garbage): it must not panic, every error must name the
// file, and every document must be an item of it, in order, with a body.
// Seeds: testdata/fuzz/FuzzFeed.
func FuzzFeed(f *testing.F) {
	f.Add([]byte(rssFeed))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>E</title><link href="/x"/><content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","content_text":"a\n\nb"}]}`))
	// and the real feeds of ../shared/data/formats, read from there
	for _, b := range corpus.Files(f, 200, 256<<10, false, "data", "formats", "rss-atom") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "news.rss"
		for _, kind := range []string{kindFeed, ""} {
			r := &Reader{MaxSize: 1 << 16}
			var docs []storyline.RawDoc
			var errs []error
			err := r.readStream(file, kind, bytes.NewReader(data), func(doc storyline.RawDoc, err error) error {
				if err != nil {
					errs = append(errs, err)
				} else {
					docs = append(docs, doc)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			for _, err := range errs {
				var e *Error
				if !errors.As(err, &e) || e.Source != file || !strings.HasPrefix(err.Error(), file+": ") {
					t.Errorf("error does not name %s: %v", file, err)
				}
			}
			if kind != kindFeed {
				continue // sniffed: may be read as a page or text
			}
			last := 0
			for _, d := range docs {
				n, err := strconv.Atoi(strings.TrimPrefix(d.Source, file+"#"))
				if err != nil || n <= last {
					t.Errorf("document source %q is not an item after item %d", d.Source, last)
				}
				last = n
				if d.Kind != storyline.KindHTML || len(d.Body) == 0 {
					t.Errorf("document %s: kind %q, %d bytes", d.Source, d.Kind, len(d.Body))
				}
			}
		}
	})
}

// FuzzWARC feeds arbitrary bytes to the reader as a WARC file: it must not
// panic, every error must name the file, documents come from records in
// increasing order and stay within the size limit, and nothing follows an
// error that ends the file. Seeds: testdata/fuzz/FuzzWARC.
func FuzzWARC(f *testing.F) {
	f.Add(warcRec("response", "https://coast.example/a", "2025-03-04T10:00:02Z", httpResp("200 OK", "Content-Type: text/html\r\n", pageHTML)))
	f.Add(gzipMembers(warcRec("warcinfo", "", "2025-03-04T10:00:00Z", "software: x\r\n"),
		warcRec("response", "https://coast.example/b", "2025-03-04T10:00:02Z", httpResp("200 OK", "", "<p>x</p>"))))
	f.Add([]byte("WARC/1.0\nWARC-Type: response\nContent-Length: 3\n\nabc\n\nWARC/1.0\n"))
	for _, b := range corpus.Files(f, 20, 1<<20, false, "data", "formats", "warc") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "crawl.warc"
		const max = 4096
		r := &Reader{MaxSize: max}
		var docs []storyline.RawDoc
		var errs []error
		var after int // documents emitted after an error that ends the file
		err := r.readStream(file, kindWARC, bytes.NewReader(data), func(doc storyline.RawDoc, err error) error {
			if err != nil {
				errs = append(errs, err)
			} else {
				docs = append(docs, doc)
				var re *recordError
				if len(errs) > 0 && !errors.As(errs[len(errs)-1], &re) {
					after++
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		for _, err := range errs {
			var e *Error
			if !errors.As(err, &e) || e.Source != file || !strings.HasPrefix(err.Error(), file+": ") {
				t.Errorf("error does not name %s: %v", file, err)
			}
		}
		if after > 0 {
			t.Errorf("%d documents after the error %v", after, errs)
		}
		last := 0
		for _, d := range docs {
			n, err := strconv.Atoi(strings.TrimPrefix(d.Source, file+"#"))
			if err != nil || n <= last {
				t.Errorf("document source %q is not a record after record %d", d.Source, last)
			}
			last = n
			if d.Kind != storyline.KindHTML || len(d.Body) > 4*max { // decoding to UTF-8 may grow a body
				t.Errorf("document %s: kind %q, %d bytes", d.Source, d.Kind, len(d.Body))
			}
		}
		if records := bytes.Count(data, []byte("WARC/")); len(docs) > records && !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			t.Errorf("%d documents from %d records", len(docs), records)
		}
	})
}
