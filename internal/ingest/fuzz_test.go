package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
)

// FuzzJSONL feeds arbitrary bytes to the reader as a .jsonl file: it must
// not panic, every error must name the file and the line (but for a file
// that holds no line at all, or a broken gzip header), and every document
// must come from the line its source names.
func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"url": "https://example.com/a", "text": "The ferry runs again."}` + "\n" +
		`{"url": "https://example.com/b", "text": "cut off` + "\n" +
		`{"html": "<p>A page.</p>", "title": "T", "published": "2024-05-02"}` + "\n"))
	f.Add([]byte("\n\n{}\n[1,2]\nnull\n\"text\"\n{\"text\": 3}\n"))
	f.Add([]byte("{\"text\": \"caf\xe9\"}\r\n\xff\xfe\x00\n{\"text\":\"x\"}"))
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00, 0x00})
	f.Add([]byte(""))
	f.Add([]byte(`{"text": "` + strings.Repeat("long line ", 30) + `"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "feed.jsonl"
		r := &Reader{MaxSize: 200}
		var docs []storyline.RawDoc
		var errs []error
		err := r.readStream(file, "jsonl", bytes.NewReader(data), func(doc storyline.RawDoc, err error) error {
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
		lastLine := 0
		for _, err := range errs {
			var e *Error
			if !errors.As(err, &e) || e.Source != file {
				t.Errorf("error does not name %s: %v", file, err)
				continue
			}
			msg := err.Error()
			switch {
			case e.Line > 0:
				if want := file + ": line " + strconv.Itoa(e.Line) + ": "; !strings.HasPrefix(msg, want) {
					t.Errorf("error %q does not start with %q", msg, want)
				}
				if e.Line <= lastLine {
					t.Errorf("line %d reported after line %d", e.Line, lastLine)
				}
				lastLine = e.Line
			case errors.Is(err, ErrEmpty), strings.HasPrefix(msg, file+": gzip: "):
				if len(errs) != 1 || len(docs) != 0 {
					t.Errorf("file-level error %q beside %d other errors and %d documents", msg, len(errs)-1, len(docs))
				}
			default:
				t.Errorf("error names no line: %q", msg)
			}
		}
		if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
			return // gzip: the lines are those of the decompressed stream
		}
		lines := strings.Split(string(data), "\n")
		for _, doc := range docs {
			n, err := strconv.Atoi(strings.TrimPrefix(doc.Source, file+":"))
			if err != nil || n < 1 || n > len(lines) {
				t.Errorf("document source %q names no line of the input", doc.Source)
				continue
			}
			var a jsonArticle
			if err := json.Unmarshal([]byte(lines[n-1]), &a); err != nil {
				t.Errorf("document %s: its line %q is not an article: %v", doc.Source, lines[n-1], err)
				continue
			}
			if want := []byte(a.HTML); a.HTML == "" && !bytes.Equal(doc.Body, []byte(a.Text)) || a.HTML != "" && !bytes.Equal(doc.Body, want) {
				t.Errorf("document %s: body %q is not that of line %d %q", doc.Source, doc.Body, n, lines[n-1])
			}
			if doc.Kind != storyline.KindText && doc.Kind != storyline.KindHTML {
				t.Errorf("document %s: kind %q", doc.Source, doc.Kind)
			}
		}
		if len(docs)+len(errs) > len(lines) {
			t.Errorf("%d documents and %d errors from %d lines", len(docs), len(errs), len(lines))
		}
	})
}
