package entity

import (
	"slices"
	"testing"

	"github.com/storyline-news/storyline/internal/text"
)

// A detector gives the mentions Detect gives, article after article, and
// keeps nothing of an article once done with it: every buffer it keeps is
// zero up to its capacity, shouting sentences' tokens included.
func TestDetectorKeepsNoText(t *testing.T) {
	texts := []string{
		"Russian President Vladimir Putin met Donald Trump in Helsinki. Putin said little.",
		"Then Theresa May spoke to the BBC. THE WHOLE SENTENCE IS SHOUTED HERE TODAY AND AGAIN.",
		"Ms. Acosta and Melba Acosta Febo of the UK Independence Party (UKIP) met @ZelenskyyUa.",
	}
	d := newDetector()
	for _, s := range texts {
		want := Detect(s)
		if got := d.detect(s, nil); !slices.Equal(got, want) {
			t.Fatalf("detector on %q: %v, want %v", s, got, want)
		}
		if len(d.ids) != 0 || len(d.words) != 0 || len(d.names.m) != 0 || d.casing != nil || d.g != nil {
			t.Fatalf("word table kept after %q: %d words", s, len(d.words))
		}
		for _, tok := range d.toks[:cap(d.toks)] {
			if tok != (token{}) {
				t.Fatalf("token %q kept after the article", tok.s)
			}
		}
		for _, w := range d.spans[:cap(d.spans)] {
			if w != (text.Span{}) {
				t.Fatalf("word %q kept after the article", w.Text)
			}
		}
		for _, m := range d.out[:cap(d.out)] {
			if m != (Mention{}) {
				t.Fatalf("mention %q kept after the article", m.Name)
			}
		}
	}
	if len(Detect(texts[0])) < 2 {
		t.Fatal("no mentions to compare")
	}
}
