package text

import (
	"strings"
	"testing"
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
