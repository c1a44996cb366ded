package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
)

var now = time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC)

const article = `Harbour bridge reopens after repairs

The harbour bridge reopened to traffic on Tuesday after eleven weeks of repairs to its northern span, the city council said.

Engineers replaced forty steel cables and resurfaced the deck.
`

func writeCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for i, name := range []string{"a.txt", "b.txt", "c.html.gz", "skip.md"} {
		body := []byte(article + string(rune('a'+i)))
		if filepath.Ext(name) == ".gz" {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write([]byte("<html><body><article><p>" + article + "</p></article></body></html>"))
			zw.Close()
			body = b.Bytes()
		}
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadFilesAndClean(t *testing.T) {
	dir := writeCorpus(t)
	texts, err := ReadFiles(dir, 0, ".txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != 2 || texts[0].Kind != storyline.KindText {
		t.Fatalf("texts = %d (%+v)", len(texts), texts)
	}
	if one, _ := ReadFiles(dir, 1, ".txt"); len(one) != 1 {
		t.Errorf("limit 1 gave %d documents", len(one))
	}
	pages, err := ReadFiles(dir, 0, ".html.gz")
	if err != nil || len(pages) != 1 || pages[0].Kind != storyline.KindHTML || !bytes.Contains(pages[0].Body, []byte("<article>")) {
		t.Fatalf("pages = %+v, %v", pages, err)
	}
	r, err := Measure("clean", func() (int, int, error) { return Clean(texts, now) })
	if err != nil {
		t.Fatal(err)
	}
	if r.Articles != 2 || r.Failed != 0 || r.PerSec <= 0 || r.PeakHeapMB <= 0 {
		t.Errorf("result = %+v", r)
	}
	base, _ := Measure("trafilatura", func() (int, int, error) { return Trafilatura(pages) })
	if base.Articles != 1 {
		t.Errorf("trafilatura result = %+v", base)
	}
	if w := WithBaseline(Result{PerSec: 10}, Result{Name: "b", PerSec: 20}); w.Ratio != 2 || w.Baseline != "b" {
		t.Errorf("WithBaseline = %+v", w)
	}
}

func TestMeasureError(t *testing.T) {
	boom := errors.New("boom")
	if _, err := Measure("x", func() (int, int, error) { return 0, 0, boom }); !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
}

func TestIngest(t *testing.T) {
	dir := writeCorpus(t)
	n, failed, err := Ingest(context.Background(), []string{filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")}, filepath.Join(t.TempDir(), "t.db"), now)
	if err != nil || n != 2 || failed != 0 {
		t.Errorf("Ingest = %d, %d, %v", n, failed, err)
	}
}

func bbc(b *testing.B) []storyline.RawDoc {
	docs, err := ReadFiles(corpus.Require(b, "data", "bbc", "bbc"), 0, ".txt")
	if err != nil {
		b.Fatal(err)
	}
	return docs
}

func zyte(b *testing.B) []storyline.RawDoc {
	docs, err := ReadFiles(corpus.Require(b, "data", "article-extraction-benchmark", "html"), 0, ".html.gz")
	if err != nil {
		b.Fatal(err)
	}
	return docs
}

func report(b *testing.B, perRun int) {
	b.ReportMetric(float64(perRun*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkTextClean is plain-text cleaning of the BBC corpus on one core.
func BenchmarkTextClean(b *testing.B) {
	docs := bbc(b)
	for b.Loop() {
		Clean(docs, now)
	}
	report(b, len(docs))
}

// BenchmarkTextIngest is the whole path on the BBC files into SQLite.
func BenchmarkTextIngest(b *testing.B) {
	dir := corpus.Require(b, "data", "bbc", "bbc")
	var n int
	for b.Loop() {
		var err error
		n, _, err = Ingest(context.Background(), []string{dir}, filepath.Join(b.TempDir(), "bbc.db"), now)
		if err != nil {
			b.Fatal(err)
		}
	}
	report(b, n)
}

// BenchmarkHTMLTrafilatura is go-trafilatura alone on the extraction
// benchmark's pages: the baseline of BenchmarkHTMLClean.
func BenchmarkHTMLTrafilatura(b *testing.B) {
	docs := zyte(b)
	for b.Loop() {
		Trafilatura(docs)
	}
	report(b, len(docs))
}

// BenchmarkHTMLClean is storyline's HTML path on the same pages.
func BenchmarkHTMLClean(b *testing.B) {
	docs := zyte(b)
	for b.Loop() {
		Clean(docs, now)
	}
	report(b, len(docs))
}

func TestStream(t *testing.T) {
	var base []storyline.Article
	for i := 0; i < 20; i++ {
		base = append(base, storyline.Article{ID: fmt.Sprint(i), Title: fmt.Sprint("Story ", i),
			Text: strings.Repeat(fmt.Sprintf("The harbour authority said berth %d would reopen after repairs to the quay wall number %d. ", i, i*3), 8)})
	}
	r := Stream(base, 300, 1)
	if r.N != 300 || r.PerSec <= 0 || r.PeakHeapMB <= 0 || r.Events == 0 || r.Stories == 0 {
		t.Errorf("stream = %+v", r)
	}
	// one article in ten is a perturbed copy of the one before
	if r.Duplicates < 15 {
		t.Errorf("%d duplicates found among 30 copies", r.Duplicates)
	}
}

func TestWriteGeneratedAndIngestSQLite(t *testing.T) {
	var base []storyline.RawDoc
	for i := 0; i < 5; i++ {
		body := fmt.Sprintf("Berth %d reopens\n\n", i) + strings.Repeat(fmt.Sprintf("The harbour authority said berth %d would reopen after repairs to the quay wall number %d.\n", i, i*3), 8)
		base = append(base, storyline.RawDoc{Source: fmt.Sprint(i, ".txt"), Kind: storyline.KindText, Body: []byte(body)})
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "gen.jsonl")
	if err := WriteGenerated(path, base, 40, 1); err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(dir, "again.jsonl")
	if err := WriteGenerated(again, base, 40, 1); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(path)
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) || bytes.Count(a, []byte("\n")) != 40 || !bytes.Contains(a, []byte("generated.invalid")) {
		t.Fatalf("generated file: %d lines, same twice %v", bytes.Count(a, []byte("\n")), bytes.Equal(a, b))
	}
	r, err := IngestSQLite(context.Background(), []string{path}, filepath.Join(dir, "t.db"), now)
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 40 || r.Failed != 0 || r.New+r.Copies != 40 || r.Placed != r.New || r.PerSec <= 0 || r.Extract.PerSec <= 0 || r.Save.PerSec <= 0 || r.Place.PerSec <= 0 || r.PlacedByTenth != nil {
		t.Errorf("end to end = %+v", r)
	}
}

func TestByTenth(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	// 100 articles in batches of 10, the first half at 10 a second, the
	// second at 5 a second
	var marks []placedMark
	for i := 1; i <= 10; i++ {
		s := float64(i)
		if i > 5 {
			s = 5 + 2*float64(i-5)
		}
		marks = append(marks, placedMark{at(s), 10 * i})
	}
	got := byTenth(start, marks)
	want := []float64{10, 10, 10, 10, 10, 5, 5, 5, 5, 5}
	if !slices.Equal(got, want) {
		t.Errorf("byTenth = %v, want %v", got, want)
	}
	// a tenth that ends within a batch is timed to the batch's end
	marks[2].placed, marks[3].placed = 25, 35
	got = byTenth(start, marks)
	if want := []float64{10, 10, 7.5, 15, 0, 5, 5, 5, 5, 5}; !slices.Equal(got, want) {
		t.Errorf("byTenth with uneven batches = %v, want %v", got, want)
	}
	if byTenth(start, marks[:9]) != nil {
		t.Error("fewer than ten batches: want nil")
	}
}
