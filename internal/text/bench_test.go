package text

import (
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus"
)

// benchText is a news article's length of English prose.
var benchText = strings.Repeat("The harbour bridge reopened to traffic on Tuesday after eleven weeks of repairs to its northern span, the city council said. "+
	"“We are glad it’s over,” said Jane Doe, who runs a café by the U.S. consulate — and lost 40% of her trade.\n\n", 12)

func BenchmarkWords(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Words(benchText)
	}
}

func BenchmarkContentKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ContentKey(benchText)
	}
}

func BenchmarkLanguage(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Language(benchText)
	}
}

// asciiBenchText is benchText in ASCII, the common case of a scrape.
var asciiBenchText = strings.NewReplacer("“", `"`, "”", `"`, "’", "'", "é", "e", "—", "-").Replace(benchText)

func BenchmarkContentKeyASCII(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ContentKey(asciiBenchText)
	}
}

func BenchmarkWordsASCII(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Words(asciiBenchText)
	}
}

// bbcTexts are the BBC corpus's articles: real text, whose word lengths
// and punctuation a branch predictor cannot learn as it learns benchText's
// twelve repeats.
func bbcTexts(b *testing.B) []string {
	b.Helper()
	corpus.Require(b, "data", "bbc", "bbc")
	var texts []string
	for _, body := range corpus.Files(b, 500, 1<<20, false, "data", "bbc", "bbc") {
		texts = append(texts, string(body))
	}
	return texts
}

func BenchmarkWordsBBC(b *testing.B) {
	texts := bbcTexts(b)
	var buf []Span
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			buf = AppendWords(buf[:0], t)
		}
	}
}

func BenchmarkContentKeyBBC(b *testing.B) {
	texts := bbcTexts(b)
	var buf []byte
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			buf = AppendContentKey(buf[:0], t)
		}
	}
}

func BenchmarkLanguageBBC(b *testing.B) {
	texts := bbcTexts(b)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			Language(t)
		}
	}
}
