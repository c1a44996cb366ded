package entity

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/text"
)

// appendWords gives exactly text.Words's spans, on real articles and on
// strings of the characters its rules single out, after whatever the
// buffer held before.
func TestAppendWordsIsTextWords(t *testing.T) {
	_, arts := corpustest.BBC(t, 200)
	var texts []string
	for _, a := range arts {
		texts = append(texts, a.Text)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	parts := []string{"a", "Z", "9", ".", "'", "-", "’", " ", "\n\n", "U.S.", "é", "Ж", "\u0301", "\xff", "\xe2\x80", "@", "—", "\u00a0"}
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(20) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		texts = append(texts, b.String())
	}
	buf := []text.Span{{Start: 1, End: 2, Text: "old"}}
	for _, s := range texts {
		got := appendWords(buf[:1], s)
		if want := text.Words(s); !slices.Equal(got[1:], want) || got[0].Text != "old" {
			t.Fatalf("appendWords(%q) = %v, want %v", s, got[1:], want)
		}
		buf = got
	}
	if len(texts) < 3000 || len(text.Words("U.S. aid")) != 2 {
		t.Fatal("no texts to compare")
	}
}
