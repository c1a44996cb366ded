package ingest

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/storyline-news/storyline"
)

// kindWARC is the kind of a WARC file (.warc, .warc.gz).
const kindWARC = "warc"

// Errors of WARC files.
var (
	ErrWARCTruncated = errors.New("truncated WARC record")
	ErrNotWARC       = errors.New("not a WARC record")
)

// maxWARCHeader bounds the header of one WARC record.
const maxWARCHeader = 64 << 10

// warcRecord is one record's header and block.
type warcRecord struct {
	n      int   // number in the file, from 1
	offset int64 // of its first byte, in the uncompressed stream
	header http.Header
	block  []byte
}

func (rec *warcRecord) describe() string {
	s := "record " + strconv.Itoa(rec.n) + " at byte " + strconv.FormatInt(rec.offset, 10)
	if uri := warcURI(rec.header); uri != "" {
		s += " (" + uri + ")"
	}
	return s
}

func warcURI(h http.Header) string {
	return strings.Trim(strings.TrimSpace(h.Get("WARC-Target-URI")), "<>")
}

// recordError is the error of one record that the reader skipped and went
// on after; other errors end the file.
type recordError struct{ err error }

func (e *recordError) Error() string { return e.err.Error() }
func (e *recordError) Unwrap() error { return e.err }

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readWARC reads a WARC file — plain, or gzipped with one member per record
// as Common Crawl ships it (the caller has looked through the gzip) — and
// emits one document per HTTP response record holding an HTML page, with
// the record's target URI as URL and its date (WARC-Date, the crawl time)
// as date hint. Records of other types (warcinfo, request, metadata, ...)
// and responses that are not a 200 HTML page are skipped, with one warning
// per file counting them. A record larger than the reader's size limit is
// an error naming it and is skipped; a truncated record or bytes that are
// not a record end the file with an error naming the file, the record and
// the byte offset, after the records read before it were emitted.
func (r *Reader) readWARC(source string, in io.Reader, emit func(storyline.RawDoc, error) error) error {
	cr := &countingReader{r: in}
	br := bufio.NewReaderSize(cr, 64<<10)
	pos := func() int64 { return cr.n - int64(br.Buffered()) }
	max := r.maxSize()
	skipped := map[string]int{}
	warnedLF := false
	defer func() {
		if len(skipped) > 0 && r.Warn != nil {
			r.Warn(source, "skipped WARC records: "+countsText(skipped))
		}
	}()
	fail := func(err error) error {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: err})
	}
	for n := 1; ; n++ {
		// blank lines between records
		for {
			b, err := br.Peek(1)
			if err != nil {
				if errors.Is(err, io.EOF) {
					if n == 1 {
						return fail(ErrEmpty)
					}
					return nil
				}
				return fail(fmt.Errorf("after record %d: %w", n-1, err))
			}
			if b[0] != '\r' && b[0] != '\n' {
				break
			}
			br.ReadByte()
		}
		rec := &warcRecord{n: n, offset: pos()}
		if magic, _ := br.Peek(5); string(magic) != "WARC/" {
			return fail(fmt.Errorf("%s: %w: it starts with %q", rec.describe(), ErrNotWARC, clip(string(magic), 5)))
		}
		line, err := br.ReadSlice('\n')
		if err != nil {
			return fail(fmt.Errorf("%s: %w: %v", rec.describe(), ErrWARCTruncated, cause(err)))
		}
		// A file whose lines end in LF alone went through a text tool that
		// dropped the CRs: the lengths it states no longer fit its content.
		lfOnly := !bytes.HasSuffix(line, []byte("\r\n"))
		if rec.header, err = readWARCHeader(br); err != nil {
			return fail(fmt.Errorf("%s: %w", rec.describe(), err))
		}
		if lfOnly {
			if !warnedLF && r.Warn != nil {
				r.Warn(source, "WARC lines end in LF, not CRLF: Content-Length is not trusted; records are split at WARC/ lines")
			}
			warnedLF = true
			block, err := readBlockLF(br, max)
			if err != nil {
				if !errors.Is(err, ErrTooLarge) {
					return fail(fmt.Errorf("%s: %w", rec.describe(), err))
				}
				if e := fail(&recordError{fmt.Errorf("%s: %w", rec.describe(), err)}); e != nil {
					return e
				}
				continue
			}
			rec.block = block
		} else {
			length, err := strconv.ParseInt(strings.TrimSpace(rec.header.Get("Content-Length")), 10, 64)
			if err != nil || length < 0 {
				return fail(fmt.Errorf("%s: bad Content-Length %q", rec.describe(), rec.header.Get("Content-Length")))
			}
			if length > max {
				if got, err := io.CopyN(io.Discard, br, length); err != nil {
					return fail(blockError(rec, got, length, err))
				}
				if e := fail(&recordError{fmt.Errorf("%s: %w: %d bytes, more than %s; skipped", rec.describe(), ErrTooLarge, length, sizeText(max))}); e != nil {
					return e
				}
				continue
			}
			rec.block = make([]byte, length)
			if got, err := io.ReadFull(br, rec.block); err != nil {
				return fail(blockError(rec, int64(got), length, err))
			}
			if !atRecordEnd(br) {
				return fail(fmt.Errorf("%s: its Content-Length (%d) does not fit its content: no record follows it (was the file altered?)", rec.describe(), length))
			}
		}
		doc, why, err := r.warcDoc(source, rec)
		switch {
		case err != nil:
			if e := fail(&recordError{fmt.Errorf("%s: %w", rec.describe(), err)}); e != nil {
				return e
			}
		case why != "":
			skipped[why]++
		default:
			if e := emit(doc, nil); e != nil {
				return e
			}
		}
	}
}

// atRecordEnd skips the blank lines that end a record and tells whether the
// file ends there or another record starts; a read error is left for the
// next record to report.
func atRecordEnd(br *bufio.Reader) bool {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return true
		}
		if b[0] != '\r' && b[0] != '\n' {
			break
		}
		br.ReadByte()
	}
	magic, err := br.Peek(5)
	switch {
	case string(magic) == "WARC/", len(magic) == 0 && errors.Is(err, io.EOF):
		return true
	case err != nil && !errors.Is(err, io.EOF):
		return true // a read error: the next record reports it
	}
	return false
}

// readBlockLF reads a block of a file whose CRs were dropped: up to a blank
// line followed by a "WARC/" line, or the end of the file, at most max bytes
// (a longer block is skipped to its end and reported as ErrTooLarge).
func readBlockLF(br *bufio.Reader, max int64) ([]byte, error) {
	var block []byte
	var size int64
	blank := true
	for {
		if blank {
			if magic, _ := br.Peek(5); string(magic) == "WARC/" {
				break
			}
		}
		line, err := br.ReadSlice('\n')
		size += int64(len(line))
		if size <= max {
			block = append(block, line...)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("read error: %w", err)
		}
		blank = err == nil && len(bytes.TrimRight(line, "\r\n")) == 0
	}
	if size > max {
		return nil, fmt.Errorf("%w: %d bytes, more than %s; skipped", ErrTooLarge, size, sizeText(max))
	}
	for range 2 { // the blank lines that end the record
		block = bytes.TrimSuffix(block, []byte("\n"))
	}
	return block, nil
}

// blockError is the error for a record whose block could not be read whole.
func blockError(rec *warcRecord, got, length int64, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: %w: the file ends after %d of its %d bytes", rec.describe(), ErrWARCTruncated, got, length)
	}
	return fmt.Errorf("%s: read error after %d of its %d bytes: %w", rec.describe(), got, length, err)
}

// cause names a read error; a stream that just ends is "unexpected EOF".
func cause(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// readHeaderLine reads one header line without its CRLF or LF; a line
// longer than maxWARCHeader is an error.
func readHeaderLine(br *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if err != nil {
			return "", cause(err)
		}
		line = append(line, chunk...)
		if len(line) > maxWARCHeader {
			return "", fmt.Errorf("%w: header line longer than %s", ErrTooLarge, sizeText(maxWARCHeader))
		}
		if !isPrefix {
			return string(line), nil
		}
	}
}

// readWARCHeader reads named fields up to the blank line that ends a header.
func readWARCHeader(br *bufio.Reader) (http.Header, error) {
	h := http.Header{}
	size := 0
	last := ""
	for {
		line, err := readHeaderLine(br)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: in the header: %v", ErrWARCTruncated, err)
		}
		if err != nil {
			return nil, fmt.Errorf("in the header: %w", err)
		}
		if line == "" {
			return h, nil
		}
		if size += len(line); size > maxWARCHeader {
			return nil, fmt.Errorf("%w: header longer than %s", ErrTooLarge, sizeText(maxWARCHeader))
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" { // a continued field
			vs := h[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("bad header line %q", clip(line, 40))
		}
		last = http.CanonicalHeaderKey(strings.TrimSpace(name))
		h.Add(last, strings.TrimSpace(value))
	}
}

// warcDoc turns a record into a document; why says why a record that is no
// error is skipped.
func (r *Reader) warcDoc(source string, rec *warcRecord) (doc storyline.RawDoc, why string, err error) {
	typ := strings.ToLower(rec.header.Get("WARC-Type"))
	if typ != "response" {
		return doc, orNone2(typ, "untyped") + " records", nil
	}
	if ct := strings.ToLower(rec.header.Get("Content-Type")); !strings.HasPrefix(ct, "application/http") {
		return doc, "responses that are not HTTP", nil
	}
	resp, body, err := parseHTTP(rec.block, r.maxSize())
	if err != nil {
		return doc, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return doc, "responses with status " + strconv.Itoa(resp.StatusCode), nil
	}
	ctype := resp.Header.Get("Content-Type")
	if !isHTMLType(ctype, body) {
		mt, _, _ := mime.ParseMediaType(ctype)
		return doc, "responses of type " + orNone2(mt, "unknown"), nil
	}
	return storyline.RawDoc{
		Source: source + "#" + strconv.Itoa(rec.n),
		Kind:   storyline.KindHTML,
		Body:   toUTF8(body, ctype),
		URL:    warcURI(rec.header),
		// the crawl time: a date only for a page that gives none
		PublishedFallback: strings.TrimSpace(rec.header.Get("WARC-Date")),
	}, "", nil
}

func orNone2(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

// parseHTTP reads an HTTP response as a WARC record stores it. Crawlers
// often store the body decoded while the header still names the transfer
// coding or the original length, so a body that does not fit its header is
// taken as it stands after the header. Compressed bodies are decompressed
// up to max bytes.
func parseHTTP(block []byte, max int64) (*http.Response, []byte, error) {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(block)), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("HTTP response: %w", err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	resp.Body.Close()
	if err != nil {
		body = rawHTTPBody(block)
	}
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, nil, fmt.Errorf("HTTP body: gzip: %w", err)
		}
		if body, err = readBounded(zr, max); err != nil {
			return nil, nil, fmt.Errorf("HTTP body: gzip: %w", err)
		}
	case "deflate":
		if body, err = readBounded(flate.NewReader(bytes.NewReader(body)), max); err != nil {
			return nil, nil, fmt.Errorf("HTTP body: deflate: %w", err)
		}
	default:
		return nil, nil, fmt.Errorf("HTTP body: unsupported Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	if int64(len(body)) > max {
		return nil, nil, fmt.Errorf("HTTP body: %w: more than %s", ErrTooLarge, sizeText(max))
	}
	return resp, body, nil
}

// rawHTTPBody is what follows the header of an HTTP message.
func rawHTTPBody(block []byte) []byte {
	if i := bytes.Index(block, []byte("\r\n\r\n")); i >= 0 {
		return block[i+4:]
	}
	if i := bytes.Index(block, []byte("\n\n")); i >= 0 {
		return block[i+2:]
	}
	return nil
}

// isHTMLType tells whether a response is an HTML page, by its Content-Type
// or, when it has none, by its content.
func isHTMLType(ctype string, body []byte) bool {
	if strings.TrimSpace(ctype) == "" {
		ctype = http.DetectContentType(body)
	}
	mt, _, err := mime.ParseMediaType(ctype)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}

// toUTF8 decodes an HTML body whose Content-Type names a charset other than
// UTF-8 and that is not valid UTF-8; other bodies are left to the HTML
// extractor, which reads the page's own meta charset.
func toUTF8(body []byte, ctype string) []byte {
	_, params, err := mime.ParseMediaType(ctype)
	if err != nil || params["charset"] == "" || utf8.Valid(body) {
		return body
	}
	enc, name := charset.Lookup(params["charset"])
	if enc == nil || name == "utf-8" {
		return body
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// countsText writes counts by reason, largest first: "3 metadata records, 1 …".
func countsText(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = strconv.Itoa(m[k]) + " " + k
	}
	return strings.Join(parts, ", ")
}
