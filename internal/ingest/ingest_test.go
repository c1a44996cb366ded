package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
)

const text = "Harbour bridge reopens\n\nThe bridge reopened on Tuesday, the council said.\n"

func write(t *testing.T, path string, body []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

type got struct {
	docs []storyline.RawDoc
	errs []error
}

func read(t *testing.T, r *Reader, paths ...string) got {
	t.Helper()
	var g got
	err := r.Read(paths, func(d storyline.RawDoc, err error) error {
		if err != nil {
			g.errs = append(g.errs, err)
		} else {
			g.docs = append(g.docs, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestReadDirectoryRecursivelyInOrder(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "b.txt"), []byte(text))
	write(t, filepath.Join(dir, "a", "z.html"), []byte("<html><body><p>"+text+"</p></body></html>"))
	write(t, filepath.Join(dir, "a", "page.htm.gz"), gz([]byte("<html><body><p>gzipped page</p></body></html>")))
	write(t, filepath.Join(dir, "c.txt.gz"), gz([]byte(text)))
	write(t, filepath.Join(dir, ".hidden", "x.txt"), []byte(text))
	write(t, filepath.Join(dir, "notes.md"), []byte(text))
	g := read(t, &Reader{}, dir)
	if len(g.errs) != 0 {
		t.Fatalf("errors: %v", g.errs)
	}
	var names, kinds []string
	for _, d := range g.docs {
		rel, _ := filepath.Rel(dir, d.Source)
		names = append(names, rel)
		kinds = append(kinds, d.Kind)
	}
	want := "a/page.htm.gz a/z.html b.txt c.txt.gz"
	if strings.Join(names, " ") != want {
		t.Errorf("read %v, want %s (sorted, recursive, hidden and unknown skipped)", names, want)
	}
	if strings.Join(kinds, " ") != "html html text text" {
		t.Errorf("kinds = %v", kinds)
	}
	if string(g.docs[3].Body) != text || !bytes.Contains(g.docs[0].Body, []byte("gzipped page")) {
		t.Error("gzip files not read transparently")
	}
}

func TestReadJSON(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "one.json"), []byte(`{
  "url": "https://coast.example/a", "title": "Bridge", "text": "The bridge reopened.",
  "published": "2025-03-04", "outlet": "Coast Times", "author": "Mara Quill"
}`))
	write(t, filepath.Join(dir, "many.jsonl"), []byte(`{"text":"first"}`+"\n\n"+`{"html":"<p>second</p>"}`+"\n"))
	write(t, filepath.Join(dir, "arr.json"), []byte(`[{"text":"x"},{"text":"y"}]`))
	g := read(t, &Reader{}, filepath.Join(dir, "one.json"), filepath.Join(dir, "many.jsonl"), filepath.Join(dir, "arr.json"))
	if len(g.errs) != 0 || len(g.docs) != 5 {
		t.Fatalf("%d docs, errors %v", len(g.docs), g.errs)
	}
	one := g.docs[0]
	if one.URL != "https://coast.example/a" || one.Title != "Bridge" || one.Published != "2025-03-04" || one.Outlet != "Coast Times" || one.Author != "Mara Quill" || one.Kind != storyline.KindText {
		t.Errorf("one.json = %+v", one)
	}
	if !strings.HasSuffix(g.docs[1].Source, "many.jsonl:1") || !strings.HasSuffix(g.docs[2].Source, "many.jsonl:3") || g.docs[2].Kind != storyline.KindHTML {
		t.Errorf("jsonl sources/kinds: %q %q %q", g.docs[1].Source, g.docs[2].Source, g.docs[2].Kind)
	}
}

func TestReadStdinSniffs(t *testing.T) {
	for in, kind := range map[string]string{text: storyline.KindText, "<html><p>x</p></html>": storyline.KindHTML} {
		g := read(t, &Reader{Stdin: strings.NewReader(in)}, "-")
		if len(g.docs) != 1 || g.docs[0].Kind != kind || g.docs[0].Source != "-" {
			t.Errorf("stdin %.10q: %+v %v", in, g.docs, g.errs)
		}
	}
	g := read(t, &Reader{Stdin: bytes.NewReader(gz([]byte(`{"text":"a"}` + "\n" + `{"text":"b"}`)))}, "-")
	if len(g.docs) != 2 {
		t.Errorf("gzipped JSONL on stdin: %d docs, %v", len(g.docs), g.errs)
	}
}

func TestReadErrorsNameTheSource(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	write(t, big, bytes.Repeat([]byte("word "), 300))
	missing := filepath.Join(dir, "missing.txt")
	g := read(t, &Reader{MaxSize: 1000}, big, missing, filepath.Join(dir))
	if len(g.errs) < 2 {
		t.Fatalf("errors = %v", g.errs)
	}
	if !errors.Is(g.errs[0], ErrTooLarge) || !strings.Contains(g.errs[0].Error(), "big.txt") || !strings.Contains(g.errs[0].Error(), "1000 bytes") {
		t.Errorf("too large: %v", g.errs[0])
	}
	if !errors.Is(g.errs[1], os.ErrNotExist) || !strings.Contains(g.errs[1].Error(), "missing.txt") {
		t.Errorf("missing: %v", g.errs[1])
	}
}

func TestEmitErrorStopsReading(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), []byte(text))
	write(t, filepath.Join(dir, "b.txt"), []byte(text))
	stop := errors.New("stop")
	n := 0
	err := (&Reader{}).Read([]string{dir}, func(storyline.RawDoc, error) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Read = %v after %d documents, want stop after 1", err, n)
	}
}
