package dedup

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestRestoreIsTheIndexItsEntriesCameFrom(t *testing.T) {
	text := func(i int) string {
		return fmt.Sprintf("The council of district %d met on Tuesday to vote on the harbour budget and the new ferry timetable for the coming winter season.", i%7)
	}
	for _, n := range []int{0, 3, 5, 12} {
		live := NewIndexWindow(5)
		for i := 0; i < n; i++ {
			live.Add(fmt.Sprint("a", i), text(i))
		}
		var entries []Entry
		for p := live.Next() - int64(live.Len()); p < live.Next(); p++ {
			e, ok := live.Entry(p)
			if !ok {
				t.Fatalf("n=%d: position %d is in the window but has no entry", n, p)
			}
			entries = append(entries, e)
		}
		if _, ok := live.Entry(live.Next()); ok {
			t.Errorf("n=%d: an entry past the last article", n)
		}
		got, err := Restore(live.Window(), live.Next(), entries)
		if err != nil {
			t.Fatal(err)
		}
		if !sameIndex(got, live) {
			t.Errorf("n=%d: the restored index differs from the live one", n)
		}
		// both go on alike
		m1, d1 := live.Add("next", text(3))
		m2, d2 := got.Add("next", text(3))
		if m1 != m2 || d1 != d2 {
			t.Errorf("n=%d: after restoring, %v %v; live %v %v", n, m2, d2, m1, d1)
		}
	}
	if _, err := Restore(5, 9, make([]Entry, 3)); err == nil {
		t.Error("entries that do not fill the window were accepted")
	}
}

// TestIndexIsItsDefinition adds random signatures, many of them sharing
// bands and rows, to indexes of small windows, and checks every answer
// against the definition read from scratch: the most similar (earliest on
// ties) of the articles in the window that share a band's key with the
// new one and pass the thresholds. A restored and a reloaded copy of the
// index must go on alike.
func TestIndexIsItsDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, window := range []int{1, 2, 7, 50} {
		x := NewIndexWindow(window)
		var restored, loaded *Index
		var all []Entry
		base := make([]Signature, 6)
		for i := range base {
			for r := range base[i] {
				base[i][r] = rng.Uint64()
			}
		}
		for n := 0; n < 3000; n++ {
			sig := base[rng.IntN(len(base))]
			for k := rng.IntN(Bands * Rows); k > 0; k-- {
				sig[rng.IntN(len(sig))] = rng.Uint64N(4) // few values: rows agree by chance too
			}
			size := 1 + rng.IntN(40)
			// the definition
			want, wantOK := Match{}, false
			best := int64(-1)
			for p := max(0, int64(len(all))-int64(window)); p < int64(len(all)); p++ {
				e := &all[p]
				shares := false
				for b := 0; b < Bands; b++ {
					shares = shares || bandKey(&e.Sig, b) == bandKey(&sig, b)
				}
				if !shares {
					continue
				}
				s := Similarity(&sig, &e.Sig)
				c := contained(s, size, int(e.Size))
				if s < Threshold && (c < Containment || size > int(e.Size)) {
					continue
				}
				if best < 0 || s > want.Similarity || (s == want.Similarity && p < best) {
					best, want, wantOK = p, Match{ID: e.ID, Similarity: s, Contained: c}, true
				}
			}
			id := fmt.Sprint("a", n)
			got, ok := x.AddSigned(id, &sig, size)
			if got != want || ok != wantOK {
				t.Fatalf("window %d, article %d: %+v %v, want %+v %v", window, n, got, ok, want, wantOK)
			}
			for _, y := range []*Index{restored, loaded} {
				if y == nil {
					continue
				}
				if m, ok := y.AddSigned(id, &sig, size); m != got || ok != wantOK {
					t.Fatalf("window %d, article %d: a restored index says %+v %v, want %+v %v", window, n, m, ok, got, wantOK)
				}
			}
			all = append(all, Entry{ID: id, Sig: sig, Size: int32(size)})
			if n%500 == 250 {
				var entries []Entry
				for p := x.Next() - int64(x.Len()); p < x.Next(); p++ {
					e, _ := x.Entry(p)
					entries = append(entries, e)
				}
				var err error
				if restored, err = Restore(x.Window(), x.Next(), entries); err != nil {
					t.Fatal(err)
				}
				b, err := x.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				loaded = &Index{}
				if err := loaded.UnmarshalBinary(b); err != nil {
					t.Fatal(err)
				}
				if !sameIndex(restored, x) || !sameIndex(loaded, x) {
					t.Fatalf("window %d, article %d: restored or reloaded index differs", window, n)
				}
			}
		}
		// the keys of the articles that left are swept out
		for b := range x.bands {
			if n := x.bands[b].used; n > window+max(window/4, 64) {
				t.Fatalf("window %d: band %d holds %d keys", window, b, n)
			}
		}
	}
}
