// Package ingest reads sources — files, directories, gzip files, JSON and
// JSONL article files, standard input — and yields raw documents for the
// pipeline. It knows nothing of extraction: it only delivers bytes and what
// the source knows about them, and names the file (and line) of every error.
package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/fetch"
)

// DefaultMaxSize bounds one document (and one decompressed file): larger
// inputs are refused with an error rather than read into memory.
const DefaultMaxSize = 16 << 20

// Reader reads documents from paths. The zero value is ready to use and
// reads standard input from os.Stdin.
type Reader struct {
	// MaxSize bounds a document and a decompressed file; 0 means DefaultMaxSize.
	MaxSize int64
	// Stdin is read for the path "-"; nil means os.Stdin.
	Stdin io.Reader
	// Warn, when set, receives problems that did not stop a document from
	// being read, such as invalid UTF-8 repaired as Windows-1252.
	Warn func(source, msg string)
	// Fetch, when set, fetches URLs given as paths or listed in files
	// (one URL a line, or OPML), and the pages of feed items; nil means
	// the reader never goes to the network (see web.go).
	Fetch *fetch.Client
	// Context bounds fetches; nil means context.Background().
	Context context.Context
}

// Error is a problem with one source: a file, or one line of a JSONL file.
type Error struct {
	Source string // path or URL as given
	Line   int    // line of a JSONL file, from 1; 0 for a whole file
	Err    error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %v", e.Source, e.Line, e.Err)
	}
	return e.Source + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// DocError is the error for a document that failed after it was read: it
// names the file, and the line for a document of a JSONL file (whose
// Source carries a ":LINE" suffix).
func DocError(doc storyline.RawDoc, err error) *Error {
	if i := strings.LastIndexByte(doc.Source, ':'); i > 0 {
		file := doc.Source[:i]
		if k := kindOf(filepath.Base(file)); k == "json" || k == "jsonl" {
			if n, perr := strconv.Atoi(doc.Source[i+1:]); perr == nil && n > 0 {
				return &Error{Source: file, Line: n, Err: err}
			}
		}
	}
	return &Error{Source: doc.Source, Err: err}
}

// Errors a source can fail with.
var (
	ErrEmpty    = errors.New("empty file")
	ErrBinary   = errors.New("binary file (not text, HTML or JSON)")
	ErrTooLarge = errors.New("file too large")
)

func (r *Reader) maxSize() int64 {
	if r.MaxSize > 0 {
		return r.MaxSize
	}
	return DefaultMaxSize
}

// Read walks the given paths in order (directories recursively, in lexical
// order) and calls emit for each document, or for each error. A failing
// document never stops the others. Read returns the first error emit returns.
func (r *Reader) Read(paths []string, emit func(storyline.RawDoc, error) error) error {
	for _, p := range paths {
		if err := r.readPath(p, emit); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reader) readPath(p string, emit func(storyline.RawDoc, error) error) error {
	if isWebURL(p) {
		return r.readURL(p, emit)
	}
	if p == "-" {
		in := r.Stdin
		if in == nil {
			in = os.Stdin
		}
		return r.readStream("-", "", in, emit)
	}
	info, err := os.Stat(p)
	if err != nil {
		return emit(storyline.RawDoc{}, &Error{Source: p, Err: err})
	}
	if !info.IsDir() {
		return r.readFile(p, emit)
	}
	var files []string
	walkErr := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return emit(storyline.RawDoc{}, &Error{Source: path, Err: err})
		}
		name := d.Name()
		if path != p && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && d.Type().IsRegular() && kindOf(name) != "" {
			files = append(files, path)
		}
		return nil
	})
	if walkErr != nil {
		return walkErr
	}
	sort.Strings(files)
	for _, f := range files {
		if isGenericXML(f) {
			// found by the walk, not named: an .xml that is no feed is skipped
			// like any file whose name says nothing (web.go)
			if err := r.readXMLIfFeed(f, emit); err != nil {
				return err
			}
			continue
		}
		if err := r.readFile(f, emit); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reader) readFile(path string, emit func(storyline.RawDoc, error) error) error {
	f, err := os.Open(path)
	if err != nil {
		return emit(storyline.RawDoc{}, &Error{Source: path, Err: err})
	}
	defer f.Close()
	return r.readStream(path, kindOf(filepath.Base(path)), f, emit)
}

// kindFeed is the kind of an RSS, Atom or JSON Feed file (see feed.go).
const kindFeed = "feed"

// kindOf tells the kind of a file from its name: "text", "html", "json",
// "jsonl", "feed", "warc", or "" when the name says nothing. A .gz suffix is looked through.
func kindOf(name string) string {
	name = strings.ToLower(name)
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".txt", ".text":
		return storyline.KindText
	case ".html", ".htm", ".xhtml":
		return storyline.KindHTML
	case ".json":
		return "json"
	case ".jsonl", ".ndjson":
		return "jsonl"
	case ".rss", ".atom", ".xml", ".rdf":
		return kindFeed
	case ".warc":
		return kindWARC
	case ".opml":
		return kindOPML
	}
	return ""
}

// readStream reads one file's bytes (gunzipping when they are gzip) and emits
// its documents. kind "" means: sniff the content.
func (r *Reader) readStream(source, kind string, in io.Reader, emit func(storyline.RawDoc, error) error) error {
	br := bufio.NewReader(in)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return emit(storyline.RawDoc{}, &Error{Source: source, Err: fmt.Errorf("gzip: %w", err)})
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	if magic, _ := br.Peek(5); kind == kindWARC || kind == "" && string(magic) == "WARC/" {
		return r.readWARC(source, br, emit)
	}
	if kind == "json" || kind == kindFeed || kind == kindOPML {
		body, err := readBounded(br, r.maxSize())
		if err != nil {
			return emit(storyline.RawDoc{}, &Error{Source: source, Err: err})
		}
		if kind == kindOPML {
			return r.readOPML(source, body, emit)
		}
		if kind == kindFeed || isJSONFeed(body) {
			return r.readFeed(source, body, emit)
		}
		br = bufio.NewReader(bytes.NewReader(body))
	}
	if kind == "jsonl" || kind == "json" {
		return r.readJSON(source, kind, br, emit)
	}
	body, err := readBounded(br, r.maxSize())
	if err == nil {
		body, err = fromUTF16(body)
	}
	if err != nil {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: err})
	}
	if kind == "" {
		kind = sniff(body)
		if kind == "json" || kind == "jsonl" || kind == storyline.KindHTML {
			if isFeed(body) {
				return r.readFeed(source, body, emit)
			}
			if kind == storyline.KindHTML && isOPML(body) {
				return r.readOPML(source, body, emit)
			}
		}
		if kind == "json" || kind == "jsonl" {
			return r.readJSON(source, "jsonl", bufio.NewReader(bytes.NewReader(body)), emit)
		}
	}
	body, err = r.checkText(source, body)
	if err != nil {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: err})
	}
	if kind == storyline.KindText {
		if urls := urlList(body); urls != nil {
			return r.readURLList(source, urls, emit)
		}
	}
	return emit(storyline.RawDoc{Source: source, Kind: kind, Body: body}, nil)
}

// readBounded reads all of in, failing with ErrTooLarge past max bytes.
func readBounded(in io.Reader, max int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(in, max+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("%w: more than %s", ErrTooLarge, sizeText(max))
	}
	return body, nil
}

// sizeText writes a size limit in MiB, or in bytes when it is not a whole
// number of MiB.
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// fromUTF16 decodes a body that starts with a UTF-16 byte order mark (as
// Windows editors save "Unicode" text) to UTF-8; other bodies are returned
// as they are.
func fromUTF16(body []byte) ([]byte, error) {
	if len(body) < 2 || !(body[0] == 0xff && body[1] == 0xfe || body[0] == 0xfe && body[1] == 0xff) {
		return body, nil
	}
	out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("UTF-16: %w", err)
	}
	return out, nil
}

// sniff guesses the kind of a document whose name says nothing.
func sniff(body []byte) string {
	t := bytes.TrimLeft(body, " \t\r\n\ufeff")
	switch {
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		return "jsonl"
	case len(t) > 0 && t[0] == '<':
		return storyline.KindHTML
	}
	return storyline.KindText
}

// checkText refuses empty and binary bodies and repairs invalid UTF-8 by
// reading the body as Windows-1252, the usual culprit, with a warning.
// HTML is left alone: its charset is the HTML extractor's business.
func (r *Reader) checkText(source string, body []byte) ([]byte, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, ErrEmpty
	}
	if isBinary(body) {
		return nil, ErrBinary
	}
	if sniff(body) == storyline.KindHTML || utf8.Valid(body) {
		return body, nil
	}
	fixed, err := charmap.Windows1252.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("invalid UTF-8: %w", err)
	}
	if r.Warn != nil {
		r.Warn(source, "invalid UTF-8; read as Windows-1252")
	}
	return fixed, nil
}

// isBinary reports whether the start of body looks like binary data: NUL
// bytes or many control characters.
func isBinary(body []byte) bool {
	head := body
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return ctl*20 > len(head)
}
