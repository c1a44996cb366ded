package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
)

// BenchmarkReadJSONL reads the BBC corpus's articles as one JSON-lines
// file, as bench --ingest writes its generated articles (url, outlet,
// published, text; encoding/json's escapes), one core.
func BenchmarkReadJSONL(b *testing.B) {
	corpus.Require(b, "data", "bbc", "bbc")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	n := 0
	for i, body := range corpus.Files(b, 5000, 1<<20, false, "data", "bbc", "bbc") {
		err := enc.Encode(map[string]string{"url": fmt.Sprintf("https://generated.invalid/bbc/%d", i),
			"outlet": "generated outlet 1", "published": "2020-01-01T00:00:00Z", "text": string(body)})
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	r := &Reader{}
	for b.Loop() {
		docs := 0
		err := r.readStream("bench.jsonl", "jsonl", bytes.NewReader(data), func(d storyline.RawDoc, err error) error {
			if err != nil {
				return err
			}
			docs++
			return nil
		})
		if err != nil || docs != n {
			b.Fatalf("%d of %d documents: %v", docs, n, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
}
