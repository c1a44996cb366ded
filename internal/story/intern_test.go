package story

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestInternIsAMap checks the terms' table against a map: a term met
// again has the ID it was first given, a new one the next, and its name is
// the term; whether interned whole (intern) or as a prefix and the rest
// (internHashed, as count does), and with hashes so poor that every term
// collides with many others (the table then tells them apart by their
// strings alone).
func TestInternIsAMap(t *testing.T) {
	for _, poor := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(3, 4))
		c := New(Options{})
		want := map[string]int32{}
		var order []string
		n := 20_000
		if poor {
			n = 3000
		}
		for range n {
			var k string
			if len(order) > 0 && rng.IntN(3) == 0 {
				k = order[rng.IntN(len(order))] // met again
			} else {
				prefix := prefixes[rng.IntN(len(prefixes))]
				switch rng.IntN(10) {
				case 0:
					prefix = "" // a term without a prefix, as a damaged state may hold
				case 1:
					prefix = prefix[:1]
				}
				k = prefix + strings.Repeat("x", rng.IntN(3)) + fmt.Sprint(rng.IntN(50_000))
				if rng.IntN(100) == 0 {
					k += strings.Repeat("long", termBlock/16) // a string of its own
				}
			}
			prefix, rest := splitTerm(k)
			h := termHash(prefix, rest)
			if poor {
				h &= 0xf00000007 // 8 places and tags
			}
			var id int32
			if rng.IntN(2) == 0 && !poor {
				id = c.intern(k)
			} else {
				id = c.internHashed(prefix, rest, h)
			}
			w, ok := want[k]
			if !ok {
				w = int32(len(want))
				want[k] = w
				order = append(order, k)
			}
			if id != w {
				t.Fatalf("poor %v: %q is %d, want %d", poor, k, id, w)
			}
		}
		if len(c.names) != len(want) {
			t.Fatalf("poor %v: %d names, want %d", poor, len(c.names), len(want))
		}
		for k, id := range want {
			if c.names[id] != k {
				t.Fatalf("poor %v: name %d is %q, want %q", poor, id, c.names[id], k)
			}
		}
	}
}

// TestTermHashSplits checks that a term's hash is the same whole or cut
// at its prefix, as intern and count hash it.
func TestTermHashSplits(t *testing.T) {
	for _, k := range []string{"", "w", "w:", "w:talk", "e:ent_1", "o:x", "ab", "abc"} {
		for _, p := range prefixes {
			if termHash(p, k) != termHash(splitTerm(p+k)) {
				t.Errorf("termHash(%q, %q) is not that of %q whole", p, k, p+k)
			}
		}
	}
	if termHash("w:", "talk") == termHash("e:", "talk") {
		t.Errorf("a word and an entity of the same text hash alike")
	}
}

// TestTokeniserIsAMap checks the tokeniser's vocabulary against a map by
// kind and text: every document's terms, in the order of their first
// mention, with their counts, and each term once in the vocabulary (a
// word and a name of the same text apart), across documents and past the
// table's growth.
func TestTokeniserIsAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	words := []string{"talks", "Talks", "talk", "Ministers", "ministers", "vote", "1999", "rates", "rate", "Ünïcode", "éclair"}
	for _, clone := range []bool{false, true} {
		tk := &tokeniser{}
		tk.begin(clone)
		type key struct {
			kind termKind
			k    string
		}
		places := map[key]int32{}
		var sc termScratch
		for range 300 {
			var text []string
			for range rng.IntN(60) {
				w := words[rng.IntN(len(words))]
				if rng.IntN(3) == 0 {
					w = fmt.Sprint("word", rng.IntN(3000))
				}
				text = append(text, w)
			}
			d := Doc{Title: "Talks on rates", Text: strings.Join(text, " ")}
			for range rng.IntN(5) {
				d.Entities = append(d.Entities, []string{"talk", "e1", "vote", fmt.Sprint("e", rng.IntN(500))}[rng.IntN(4)])
				d.Names = append(d.Names, []string{"talk", "n1", fmt.Sprint("n", rng.IntN(500))}[rng.IntN(3)])
			}
			var want []docTerm
			at := map[int32]int{}
			eachTerm(&d, &sc, func(kind termKind, b []byte, k string, w float64) {
				if k == "" {
					k = string(b)
				}
				p, ok := places[key{kind, k}]
				if !ok {
					p = int32(len(places))
					places[key{kind, k}] = p
				}
				if i, ok := at[p]; ok {
					want[i].tf += w
					return
				}
				at[p] = len(want)
				want = append(want, docTerm{p, w})
			})
			if got := tk.tokenise(&d, nil); !slices.Equal(got, want) {
				t.Fatalf("clone %v: terms %v, want %v", clone, got, want)
			}
		}
		if len(tk.v.keys) != len(places) {
			t.Fatalf("clone %v: %d terms in the vocabulary, want %d", clone, len(tk.v.keys), len(places))
		}
		for k, p := range places {
			if tk.v.kinds[p] != k.kind || tk.v.keys[p] != k.k || tk.v.hashes[p] != termHash(prefixes[k.kind], k.k) {
				t.Fatalf("clone %v: term %d is %d %q, want %d %q", clone, p, tk.v.kinds[p], tk.v.keys[p], k.kind, k.k)
			}
		}
	}
}
