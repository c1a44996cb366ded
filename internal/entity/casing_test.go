package entity

import (
	"maps"
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
