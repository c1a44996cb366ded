package entity

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
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
		if d.ids.len() != 0 || len(d.words) != 0 || d.names.len() != 0 || d.casing != nil || d.g != nil {
			t.Fatalf("word table kept after %q: %d words", s, len(d.words))
		}
		for _, ix := range []*wordIndex{&d.ids, &d.names.ix} {
			for _, w := range ix.keys[:cap(ix.keys)] {
				if w != "" {
					t.Fatalf("word %q kept after the article", w)
				}
			}
			for _, v := range ix.slots {
				if v != 0 {
					t.Fatalf("word index kept after %q", s)
				}
			}
		}
		for _, c := range d.low[:cap(d.low)] {
			if c != 0 {
				t.Fatalf("the lower case of %q kept after it", s)
			}
		}
		for _, f := range d.names.facts[:cap(d.names.facts)] {
			if f != nil {
				t.Fatalf("facts of %q kept after the article", f.name)
			}
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

// The detectors Resolve's workers put away keep no text either: they
// were wiped after their last article.
func TestResolveScratchKeepsNoText(t *testing.T) {
	texts := []string{
		"Russian President Vladimir Putin met Donald Trump in Helsinki. Putin said little.",
		"Then Theresa May spoke to the BBC. THE WHOLE SENTENCE IS SHOUTED HERE TODAY AND AGAIN.",
		"Ms. Acosta and Melba Acosta Febo of the UK Independence Party (UKIP) met @ZelenskyyUa.",
	}
	var docs []Doc
	for i := range 40 {
		docs = append(docs, Doc{ID: fmt.Sprint(i), Text: texts[i%len(texts)]})
	}
	n := 0
	// the pool may drop what is put in it (it does at random under the
	// race detector): Resolve again until a scratch is there
	for try := 0; try < 20 && n < 2; try++ {
		Resolve(docs)
		sc, _ := localScratches.Get().(*localScratch)
		if sc == nil {
			continue
		}
		defer localScratches.Put(sc)
		n++
		d := sc.det
		if d.ids.len() != 0 || len(d.words) != 0 || d.names.len() != 0 {
			t.Fatalf("a worker's detector kept %d words", len(d.words))
		}
		for _, tok := range d.toks[:cap(d.toks)] {
			if tok != (token{}) {
				t.Fatalf("token %q kept by a worker's detector", tok.s)
			}
		}
		for _, w := range d.words[:cap(d.words)] {
			if w != (wordInfo{}) {
				t.Fatalf("word %q kept by a worker's detector", w.lower)
			}
		}
		for _, w := range d.ids.keys[:cap(d.ids.keys)] {
			if w != "" {
				t.Fatalf("word %q kept by a worker's detector", w)
			}
		}
		for _, m := range d.out[:cap(d.out)] {
			if m != (Mention{}) {
				t.Fatalf("mention %q kept by a worker's detector", m.Name)
			}
		}
		for _, c := range d.low[:cap(d.low)] {
			if c != 0 {
				t.Fatal("lower case kept by a worker's detector")
			}
		}
		// the chunks the call's local entities and mentions were cut
		// from are the call's: let go
		if sc.slab != nil || sc.firsts != nil || sc.lists != nil || sc.ms != nil {
			t.Fatalf("a worker kept its chunks: %d local entities, %d mentions", len(sc.slab), len(sc.ms))
		}
		for _, l := range sc.out[:cap(sc.out)] {
			if l != nil {
				t.Fatalf("local entity %q kept by a worker", l.last)
			}
		}
	}
	if n == 0 {
		t.Fatal("no worker's scratch in the pool to look at")
	}
}

// handles finds what a byte-by-byte scan finds, handles next to each
// other, in words and at the ends included.
func TestHandlesIsTheScan(t *testing.T) {
	scan := func(body string) []Mention {
		var out []Mention
		for i := 0; i < len(body); i++ {
			if body[i] != '@' || (i > 0 && isWordByte(body[i-1])) {
				continue
			}
			j := i + 1
			for j < len(body) && isWordByte(body[j]) {
				j++
			}
			if j-i >= 3 {
				out = append(out, Mention{Start: i, End: j, Name: body[i:j], Kind: KindHandle})
			}
			i = j
		}
		return out
	}
	rng := rand.New(rand.NewPCG(2, 2))
	pieces := []string{"@", "@ab", "ab", " ", "@@", "_x", "é", ".", "@Zelenskyy"}
	found := 0
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		body := b.String()
		got, want := handles(body, nil), scan(body)
		if !slices.Equal(got, want) {
			t.Fatalf("handles(%q) = %v, want %v", body, got, want)
		}
		found += len(want)
	}
	if found == 0 {
		t.Fatal("no handle in the texts")
	}
}
