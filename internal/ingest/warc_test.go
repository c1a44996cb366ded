package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
)

// warcRec builds one WARC record with CRLF line ends.
func warcRec(typ, uri, date, block string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Date: %s\r\n", typ, date)
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	if typ == "response" || typ == "request" {
		fmt.Fprintf(&b, "Content-Type: application/http; msgtype=%s\r\n", typ)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s\r\n\r\n", len(block), block)
	return b.Bytes()
}

// httpResp builds an HTTP response as a WARC block.
func httpResp(status, headers, body string) string {
	return "HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
}

// gzipMembers gzips each record as its own member, as CC-NEWS does.
func gzipMembers(recs ...[]byte) []byte {
	var out []byte
	for _, r := range recs {
		out = append(out, gz(r)...)
	}
	return out
}

const pageHTML = "<html><head><title>Bridge</title></head><body><article><p>The bridge reopened on Tuesday, the council said.</p></article></body></html>"

func TestWARCResponsesBecomeDocuments(t *testing.T) {
	latin1 := "<html><body><p>Pre\xe7o da ponte</p></body></html>"
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(pageHTML))
	zw.Close()
	chunked := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n" +
		fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(pageHTML), pageHTML)
	recs := [][]byte{
		warcRec("warcinfo", "", "2025-03-04T10:00:00Z", "software: test\r\n"),
		warcRec("request", "https://coast.example/a", "2025-03-04T10:00:01Z", "GET /a HTTP/1.1\r\nHost: coast.example\r\n\r\n"),
		warcRec("response", "https://coast.example/a", "2025-03-04T10:00:02Z", httpResp("200 OK", "Content-Type: text/html; charset=utf-8\r\n", pageHTML)),
		warcRec("metadata", "https://coast.example/a", "2025-03-04T10:00:02Z", "fetchTimeMs: 12\r\n"),
		warcRec("response", "https://coast.example/gone", "2025-03-04T10:00:03Z", httpResp("404 Not Found", "Content-Type: text/html\r\n", "<p>gone</p>")),
		warcRec("response", "https://coast.example/logo.png", "2025-03-04T10:00:04Z", httpResp("200 OK", "Content-Type: image/png\r\n", "\x89PNG\r\n")),
		warcRec("response", "<https://coast.example/pt>", "2025-03-04T10:00:05Z", httpResp("200 OK", "Content-Type: text/html; charset=ISO-8859-1\r\n", latin1)),
		warcRec("response", "https://coast.example/z", "2025-03-04T10:00:06Z", httpResp("200 OK", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", zipped.String())),
		warcRec("response", "https://coast.example/c", "2025-03-04T10:00:07Z", chunked),
	}
	var warned []string
	r := &Reader{Warn: func(source, msg string) { warned = append(warned, msg) }}
	dir := t.TempDir()
	plain, zippedFile := filepath.Join(dir, "a.warc"), filepath.Join(dir, "b.warc.gz")
	write(t, plain, bytes.Join(recs, nil))
	write(t, zippedFile, gzipMembers(recs...))
	for _, path := range []string{plain, zippedFile} {
		warned = nil
		g := read(t, r, path)
		if len(g.errs) != 0 || len(g.docs) != 4 {
			t.Fatalf("%s: %d documents, errors %v; want 4 documents", path, len(g.docs), g.errs)
		}
		for i, want := range []struct{ n, url, date, text string }{
			{"3", "https://coast.example/a", "2025-03-04T10:00:02Z", "The bridge reopened"},
			{"7", "https://coast.example/pt", "2025-03-04T10:00:05Z", "Preço da ponte"},
			{"8", "https://coast.example/z", "2025-03-04T10:00:06Z", "The bridge reopened"},
			{"9", "https://coast.example/c", "2025-03-04T10:00:07Z", "The bridge reopened"},
		} {
			d := g.docs[i]
			if d.Source != path+"#"+want.n || d.Kind != storyline.KindHTML || d.URL != want.url || d.Published != "" || d.PublishedFallback != want.date ||
				!strings.Contains(string(d.Body), want.text) || strings.Contains(string(d.Body), "HTTP/1.1") {
				t.Errorf("%s: document %d = %+v (body %q)", path, i, d, d.Body)
			}
		}
		if len(warned) != 1 || warned[0] != "skipped WARC records: 1 metadata records, 1 request records, 1 responses of type image/png, 1 responses with status 404, 1 warcinfo records" {
			t.Errorf("%s: warnings %q", path, warned)
		}
	}
}

// TestWARCTruncatedKeepsEarlierRecords: a .warc.gz cut inside its third
// record gives the first two and an error naming the file and the record.
func TestWARCTruncatedKeepsEarlierRecords(t *testing.T) {
	var recs [][]byte
	for i := 1; i <= 3; i++ {
		recs = append(recs, warcRec("response", fmt.Sprintf("https://coast.example/%d", i), "2025-03-04T10:00:00Z",
			httpResp("200 OK", "Content-Type: text/html\r\n", strings.Replace(pageHTML, "Tuesday", fmt.Sprint("day ", i), 1))))
	}
	data := gzipMembers(recs...)
	cut := len(data) - 20 // the gzip trailer and the end of the last record's body
	path := filepath.Join(t.TempDir(), "cut.warc.gz")
	write(t, path, data[:cut])
	g := read(t, &Reader{}, path)
	if len(g.docs) != 2 || g.docs[1].URL != "https://coast.example/2" {
		t.Fatalf("got %d documents, want the 2 complete records", len(g.docs))
	}
	if len(g.errs) != 1 || !errors.Is(g.errs[0], ErrWARCTruncated) ||
		!strings.HasPrefix(g.errs[0].Error(), path+": record 3 at byte ") || !strings.Contains(g.errs[0].Error(), "(https://coast.example/3)") {
		t.Errorf("errors %v, want one naming %s and record 3", g.errs, path)
	}
}

// TestWARCRealClipped: the real clipped.warc.gz holds one response record
// cut short; it gives a clear error naming the file and no document.
func TestWARCRealClipped(t *testing.T) {
	path := filepath.Join(formats(t, "warc/resiliparse"), "clipped.warc.gz")
	g := read(t, &Reader{}, path)
	want := path + ": record 1 at byte 0 (http://www.houstonpress.com/music/a-humble-chance-the-rapper-leads-a-spiritual-awakening-at-revention-8866723): " +
		"truncated WARC record: the file ends after 75206 of its 88275 bytes"
	if len(g.docs) != 0 || len(g.errs) != 1 || g.errs[0].Error() != want || !errors.Is(g.errs[0], ErrWARCTruncated) {
		t.Errorf("got %d documents and errors %v\nwant the error %s", len(g.docs), g.errs, want)
	}
}

func TestWARCRealFiles(t *testing.T) {
	dir := formats(t, "warc")
	g := read(t, &Reader{}, filepath.Join(dir, "resiliparse", "warcfile.warc.gz"))
	if len(g.errs) != 0 || len(g.docs) != 16 {
		t.Fatalf("warcfile.warc.gz: %d documents, errors %v; want its 16 HTML responses", len(g.docs), g.errs)
	}
	if d := g.docs[0]; d.URL != "http://003338.cn/l41/481397.html" || d.PublishedFallback != "2020-08-08T17:27:41Z" || !bytes.Contains(d.Body, []byte("<html>")) {
		t.Errorf("first document %s %s %.60q", d.URL, d.PublishedFallback, d.Body)
	}
	// lines converted to LF: records are split at WARC/ lines
	g = read(t, &Reader{}, filepath.Join(dir, "brand-sentiment", "www_bbc_co_uk_news.warc"))
	if len(g.errs) != 0 || len(g.docs) != 1 || g.docs[0].URL != "https://www.bbc.co.uk/news" || !bytes.HasSuffix(bytes.TrimSpace(g.docs[0].Body), []byte("</html>")) {
		t.Errorf("www_bbc_co_uk_news.warc: %d documents, errors %v", len(g.docs), g.errs)
	}
	// its text was re-encoded after the record was written: its length no longer fits
	g = read(t, &Reader{}, filepath.Join(dir, "brand-sentiment", "cc-news-record-news18-hindi.warc"))
	if len(g.docs) != 0 || len(g.errs) != 1 || !strings.Contains(g.errs[0].Error(), "its Content-Length (481642) does not fit its content") {
		t.Errorf("cc-news-record-news18-hindi.warc: %d documents, errors %v", len(g.docs), g.errs)
	}
}

func TestWARCBadInput(t *testing.T) {
	big := warcRec("response", "https://coast.example/big", "2025-03-04T10:00:00Z",
		httpResp("200 OK", "Content-Type: text/html\r\n", "<p>"+strings.Repeat("x", 5000)+"</p>"))
	small := warcRec("response", "https://coast.example/small", "2025-03-04T10:00:00Z", httpResp("200 OK", "Content-Type: text/html\r\n", pageHTML))
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(make([]byte, 1<<20)) // 1 MiB of zeros in about 1 KiB
	zw.Close()
	bombRec := warcRec("response", "https://coast.example/bomb", "2025-03-04T10:00:00Z",
		httpResp("200 OK", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", bomb.String()))
	longer := append(small[:len(small)-4:len(small)-4], "more bytes than its length says\r\n\r\n"...)
	for _, c := range []struct {
		name  string
		data  []byte
		docs  int
		is    error
		inErr string
	}{
		{"large.warc", append(append([]byte{}, big...), small...), 1, ErrTooLarge, "record 1 at byte 0 (https://coast.example/big): file too large: "},
		{"bomb.warc.gz", gzipMembers(bombRec, small), 1, ErrTooLarge, "record 1 at byte 0 (https://coast.example/bomb): HTTP body: gzip: file too large: more than 4096 bytes"},
		{"garbage.warc", []byte("<html>not a WARC file</html>"), 0, ErrNotWARC, `record 1 at byte 0: not a WARC record: it starts with "<html"`},
		{"empty.warc", nil, 0, ErrEmpty, "empty file"},
		{"header.warc", []byte("WARC/1.0\r\nWARC-Type: response\r\n"), 0, ErrWARCTruncated, "record 1 at byte 0: truncated WARC record: in the header"},
		{"nolength.warc", []byte("WARC/1.0\r\nWARC-Type: response\r\n\r\n"), 0, nil, `bad Content-Length ""`},
		{"longer.warc", longer, 0, nil, "does not fit its content"},
		{"hugeheader.warc", append([]byte("WARC/1.0\r\nX: "), bytes.Repeat([]byte("y"), 100<<10)...), 0, ErrTooLarge, "header line longer than 65536 bytes"},
	} {
		path := filepath.Join(t.TempDir(), c.name)
		write(t, path, c.data)
		g := read(t, &Reader{MaxSize: 4096}, path)
		if len(g.docs) != c.docs || len(g.errs) != 1 {
			t.Errorf("%s: %d documents and errors %v, want %d documents and one error", c.name, len(g.docs), g.errs, c.docs)
			continue
		}
		if !strings.HasPrefix(g.errs[0].Error(), path+": ") || !strings.Contains(g.errs[0].Error(), c.inErr) || c.is != nil && !errors.Is(g.errs[0], c.is) {
			t.Errorf("%s: error %q, want it to name the file and hold %q", c.name, g.errs[0], c.inErr)
		}
	}
}
