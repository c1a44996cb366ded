package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/go-json-experiment/json/v1"

	"github.com/storyline-news/storyline"
)

// bodyArticle is one article object of a JSON or JSONL file, its text
// and HTML decoded straight into a document's body (jsonBytes).
type bodyArticle struct {
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Text      jsonBytes `json:"text"`
	HTML      jsonBytes `json:"html"`
	Published string    `json:"published"`
	Outlet    string    `json:"outlet"`
	Author    string    `json:"author"`
}

// jsonArticle is bodyArticle with its text and HTML decoded as string
// fields, as they were: it words the errors (its name is in them).
type jsonArticle struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
	Published string `json:"published"`
	Outlet    string `json:"outlet"`
	Author    string `json:"author"`
}

// readJSON reads a JSONL stream (one article object per line). A .json file
// may instead hold one object, possibly spread over several lines, or an
// array of objects. A bad line is an error naming that line; the other lines
// are still read.
func (r *Reader) readJSON(source, kind string, br *bufio.Reader, emit func(storyline.RawDoc, error) error) error {
	if kind == "json" {
		body, err := readBounded(br, r.maxSize())
		if err != nil {
			return emit(storyline.RawDoc{}, &Error{Source: source, Err: err})
		}
		t := bytes.TrimSpace(body)
		if len(t) == 0 {
			return emit(storyline.RawDoc{}, &Error{Source: source, Err: ErrEmpty})
		}
		if t[0] == '[' {
			var arr []json.RawMessage
			if err := json.Unmarshal(t, &arr); err != nil {
				return emit(storyline.RawDoc{}, &Error{Source: source, Err: fmt.Errorf("JSON: %w", err)})
			}
			for i, raw := range arr {
				if err := r.emitJSON(source+"#"+strconv.Itoa(i), source+"#"+strconv.Itoa(i), 0, raw, emit); err != nil {
					return err
				}
			}
			return nil
		}
		if json.Valid(t) {
			return r.emitJSON(source, source, 0, t, emit)
		}
		br = bufio.NewReader(bytes.NewReader(body)) // JSONL content in a .json file
	}
	max := int(r.maxSize())
	br = bufio.NewReaderSize(br, lineBuffer)
	var buf []byte
	seen := false
	for n := 1; ; n++ {
		line, err := readLine(br, max, &buf)
		if errors.Is(err, ErrTooLarge) {
			seen = true // the file has a line: it is not empty
			if e := emit(storyline.RawDoc{}, &Error{Source: source, Line: n, Err: err}); e != nil {
				return e
			}
			continue
		}
		if errors.Is(err, io.EOF) && len(line) == 0 {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return emit(storyline.RawDoc{}, &Error{Source: source, Line: n, Err: err})
		}
		line = bytes.TrimSpace(line)
		if len(line) > 0 {
			seen = true
			if e := r.emitJSON(source+":"+strconv.Itoa(n), source, n, line, emit); e != nil {
				return e
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if !seen {
		return emit(storyline.RawDoc{}, &Error{Source: source, Err: ErrEmpty})
	}
	return nil
}

// readLine reads one line of at most max bytes. A longer line is skipped to
// its end and reported as ErrTooLarge. The line is valid until the next
// read from br: it is in br's buffer, or in *buf (grown as needed) when it
// is longer than that buffer.
func readLine(br *bufio.Reader, max int, buf *[]byte) ([]byte, error) {
	chunk, isPrefix, err := br.ReadLine()
	if err != nil {
		return nil, err
	}
	if !isPrefix && len(chunk) <= max {
		return chunk, nil // most lines: whole in br's buffer
	}
	line := (*buf)[:0]
	for {
		if len(line)+len(chunk) > max {
			for isPrefix {
				if _, isPrefix, err = br.ReadLine(); err != nil {
					break
				}
			}
			*buf = line
			return nil, fmt.Errorf("%w: line longer than %s", ErrTooLarge, sizeText(int64(max)))
		}
		line = append(line, chunk...)
		*buf = line
		if !isPrefix {
			return line, nil
		}
		if chunk, isPrefix, err = br.ReadLine(); err != nil {
			return line, err
		}
	}
}

// lineBuffer is the size of the buffer JSON lines are read through: most
// articles' lines fit, and are not copied out of it.
const lineBuffer = 64 << 10

// emitJSON emits the article of one JSON object as the document source;
// its errors name file and line (line 0: no line).
func (r *Reader) emitJSON(source, file string, line int, raw []byte, emit func(storyline.RawDoc, error) error) error {
	var a bodyArticle
	if err := json.Unmarshal(raw, &a); err != nil {
		// the object fails as string fields fail: say it as they say it
		var s jsonArticle
		if serr := json.Unmarshal(raw, &s); serr != nil {
			err = serr
		}
		return emit(storyline.RawDoc{}, &Error{Source: file, Line: line, Err: fmt.Errorf("JSON: %w", err)})
	}
	doc := storyline.RawDoc{
		Source: source, URL: a.URL, Title: a.Title, Outlet: a.Outlet,
		Author: a.Author, Published: a.Published,
	}
	switch {
	case len(a.HTML) > 0:
		doc.Kind, doc.Body = storyline.KindHTML, a.HTML
	case len(a.Text) > 0:
		doc.Kind, doc.Body = storyline.KindText, a.Text
	default:
		return emit(storyline.RawDoc{}, &Error{Source: file, Line: line, Err: errors.New(`article has neither "text" nor "html"`)})
	}
	return emit(doc, nil)
}

// jsonBytes is a JSON string decoded as a string field is (escapes
// undone, invalid UTF-8 and lone surrogates made U+FFFD, null leaving it
// as it was), straight into the bytes of a document's body: a string
// field was unquoted into one buffer and copied into a string, which
// emitJSON copied again into the body, three copies of every article's
// text where this makes one.
type jsonBytes []byte

// errNotString is jsonBytes's error for a value that is no string.
var errNotString = errors.New("not a string")

// UnmarshalJSON decodes one JSON value into b (see jsonBytes).
func (b *jsonBytes) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	if len(data) < 2 || data[0] != '"' {
		return errNotString
	}
	// the error only tells of invalid UTF-8, replaced as a string field's;
	// AppendUnquote makes room for all of data first
	out, _ := jsontext.AppendUnquote(make([]byte, 0, len(data)), data)
	*b = out
	return nil
}
