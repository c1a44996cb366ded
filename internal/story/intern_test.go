package story

import (
	"fmt"
	"math/rand/v2"
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
