package entity

import (
	"maps"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// casingRef is CountCasing as first written: words split rune by rune,
// each counted in a map by its lower case.
func casingRef(texts ...string) Casing {
	out := Casing{}
	add := func(w string) {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsLower(r):
			n := out[w]
			n[0]++
			out[w] = n
		case unicode.IsUpper(r):
			n := out[strings.ToLower(w)]
			n[1]++
			out[strings.ToLower(w)] = n
		}
	}
	for _, t := range texts {
		start := -1
		for i, r := range t {
			if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' {
				if start >= 0 {
					add(t[start:i])
					start = -1
				}
			} else if start < 0 {
				start = i
			}
		}
		if start >= 0 {
			add(t[start:])
		}
	}
	return out
}

// CountCasing counts what the plain rune-by-rune count counts, on texts
// of ASCII, Cyrillic, invalid UTF-8 and punctuation, in one part and in
// several.
func TestCountCasingMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	parts := []string{"Trump", "trump", " ", ", ", "Трамп", "трамп", "O'Neil", "don’t", "-", "\xff", "é", "É", "\n\n", "İ", "x2", "U.S."}
	texts := make([]string, 300)
	for i := range texts {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		texts[i] = b.String()
	}
	for _, n := range []int{1, 10, len(texts)} {
		got, want := CountCasing(texts[:n]...), casingRef(texts[:n]...)
		if !maps.Equal(got, want) {
			t.Fatalf("CountCasing of %d texts: %d words, reference %d", n, len(got), len(want))
		}
	}
	if got := CountCasing("Trump met trump and TRUMP"); got["trump"] != [2]int{1, 2} {
		t.Errorf("trump counted %v, want [1 2]", got["trump"])
	}
}

// The counter reads what the reference counts, word by word, over many
// distinct words (the table grows several times) of every length around
// the 8 and 16 bytes its slots hold, in ASCII and Cyrillic, and answers
// zero for words it was not given.
func TestCasingCounterGet(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	letters := []string{"a", "b", "e", "z", "A", "B", "E", "Z", "я", "Я", "é", "É", "-", "'"}
	var texts []string
	for range 200 {
		var b strings.Builder
		for range 300 {
			for range 1 + rng.IntN(20) {
				b.WriteString(letters[rng.IntN(len(letters))])
			}
			b.WriteString(" ")
		}
		texts = append(texts, b.String())
	}
	want := casingRef(texts...)
	if len(want) < 10000 {
		t.Fatalf("only %d distinct words", len(want))
	}
	c := countCasing(texts)
	if got := c.casing(nil); !maps.Equal(got, want) {
		t.Fatalf("counter's Casing: %d words, reference %d", len(got), len(want))
	}
	for w, n := range want {
		if got := c.get(w); got != n {
			t.Fatalf("get(%q) = %v, want %v", w, got, n)
		}
		if _, ok := want[w+"q"]; !ok && c.get(w+"q") != [2]int{} {
			t.Fatalf("get(%q) = %v for a word not counted", w+"q", c.get(w+"q"))
		}
	}
	if c.get("") != [2]int{} || (&casingCounter{}).get("trump") != [2]int{} {
		t.Fatal("counts for no word")
	}
}

// A count past a slot's 32 bits goes on in the counter's spill map.
func TestCasingCounterPast32Bits(t *testing.T) {
	c := &casingCounter{}
	c.count([]string{"trump Trump"})
	p := casingPack("trump")
	sl := c.find("trump", p, casingHash("trump", p))
	sl.n[0] = math.MaxUint32
	c.count([]string{"trump"})
	o := &casingCounter{}
	o.count([]string{"Trump"})
	o.find("trump", p, casingHash("trump", p)).n[1] = math.MaxUint32
	c.add(o)
	if got, want := c.get("trump"), [2]int{math.MaxUint32 + 1, 1 + math.MaxUint32}; got != want {
		t.Fatalf("trump counted %v, want %v", got, want)
	}
}
