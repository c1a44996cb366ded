package dedup

import (
	"fmt"
	"strings"
	"testing"
)

func article(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Harbour story %d\n\n", n)
	for p := 0; p < 6; p++ {
		fmt.Fprintf(&b, "Paragraph %d of story %d: the harbour authority said berth %d would reopen after repairs to the quay wall, and crews worked through night shift %d.\n\n", p, n, n*7+p, n+p)
	}
	return b.String()
}

func TestShinglesIgnoreLayout(t *testing.T) {
	a := Shingles("The bridge reopened on Tuesday, the council said.")
	b := Shingles("the  bridge\nreopened on tuesday the council said")
	if len(a) == 0 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("layout changed the shingles: %v vs %v", a, b)
	}
	if len(Shingles("two words")) != 1 || Shingles("") != nil {
		t.Error("short and empty texts")
	}
}

func TestSimilarityEstimate(t *testing.T) {
	a, _ := Sign(Shingles(article(1)))
	b, _ := Sign(Shingles(article(1)))
	c, _ := Sign(Shingles(article(2)))
	if Similarity(&a, &b) != 1 {
		t.Error("identical texts are not similar 1")
	}
	if s := Similarity(&a, &c); s > 0.2 {
		t.Errorf("different stories similar %.2f", s)
	}
}

func TestIndexFindsCopiesOnline(t *testing.T) {
	x := NewIndex()
	for i := 0; i < 200; i++ {
		if _, dup := x.Add(fmt.Sprint("a", i), article(i)); dup {
			t.Fatalf("article %d taken for a duplicate", i)
		}
	}
	// a copy with other boilerplate and its last paragraph cut
	orig := article(42)
	paras := strings.Split(orig, "\n\n")
	copyText := "Subscribe to our newsletter\n\n" + strings.Join(paras[:len(paras)-2], "\n\n") + "\n\nShare this article"
	m, dup := x.Add("copy", copyText)
	if !dup || m.ID != "a42" || m.Similarity < Threshold {
		t.Fatalf("copy: %+v %v", m, dup)
	}
	// a second identical copy finds the most similar earlier article: the
	// first copy (callers follow the chain to the original)
	m, dup = x.Add("copy2", copyText)
	if !dup || m.ID != "copy" || m.Similarity != 1 {
		t.Errorf("second copy: %+v", m)
	}
	if x.Len() != 202 {
		t.Errorf("Len = %d", x.Len())
	}
	if _, dup := x.Add("empty", " \n "); dup || x.Len() != 202 {
		t.Error("an empty text was indexed or matched")
	}
}

func TestDeterministic(t *testing.T) {
	a, _ := Sign(Shingles(article(7)))
	b, _ := Sign(Shingles(article(7)))
	if a != b {
		t.Error("signatures differ between runs")
	}
}

func BenchmarkAdd(b *testing.B) {
	texts := make([]string, 1000)
	for i := range texts {
		texts[i] = article(i)
	}
	x := NewIndex()
	i := 0
	for b.Loop() {
		x.Add(fmt.Sprint(i), texts[i%len(texts)])
		i++
	}
}

func TestWindowForgetsTheOldest(t *testing.T) {
	x := NewIndexWindow(10)
	for i := 0; i < 25; i++ {
		x.Add(fmt.Sprint("a", i), article(i))
	}
	if x.Len() != 10 {
		t.Errorf("Len = %d, want the window of 10", x.Len())
	}
	if _, ok := x.Find(article(3)); ok {
		t.Error("an article older than the window was found")
	}
	if m, ok := x.Find(article(20)); !ok || m.ID != "a20" {
		t.Errorf("a recent article was not found: %+v", m)
	}
	for b := range x.bands {
		n := 0
		for _, l := range x.bands[b] {
			n += len(l)
		}
		if n != 10 {
			t.Fatalf("band %d holds %d entries, want 10", b, n)
		}
	}
}
