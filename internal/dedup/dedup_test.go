package dedup

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus"
	"github.com/storyline-news/storyline/internal/text"
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

// BenchmarkSignText signs one article: its shingles and their MinHash
// signature, the costly part of Add.
func BenchmarkSignText(b *testing.B) {
	texts := make([]string, 1000)
	for i := range texts {
		texts[i] = article(i)
	}
	i := 0
	for b.Loop() {
		if _, _, ok := SignText(texts[i%len(texts)]); !ok {
			b.Fatal("no signature")
		}
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
	for b, keys := range x.chains() {
		n := 0
		for _, l := range keys {
			n += len(l)
		}
		if n != 10 {
			t.Fatalf("band %d holds %d entries, want 10", b, n)
		}
	}
	if len(x.links) != 10*Bands {
		t.Errorf("%d links, want %d", len(x.links), 10*Bands)
	}
}

// chains returns the positions of the articles in the window that have
// each key of each band, latest first, as find reads them.
func (x *Index) chains() (out [Bands]map[uint64][]int64) {
	oldest := x.next - int64(x.window)
	for b := range x.bands {
		out[b] = map[uint64][]int64{}
		for _, sl := range x.bands[b].slots {
			k, p := sl.key, sl.pos-1
			if sl.pos == 0 || p < oldest {
				continue // left the window: swept out later
			}
			for ; p >= 0 && p >= oldest; p = x.links[int(p%int64(x.window))*Bands+b] {
				out[b][k] = append(out[b][k], p)
			}
		}
	}
	return out
}

// sameIndex tells whether two indexes hold the same articles in the same
// chains (links to articles that left the window aside).
func sameIndex(a, b *Index) bool {
	return a.window == b.window && a.next == b.next && slices.Equal(a.ids, b.ids) &&
		slices.Equal(a.sigs, b.sigs) && slices.Equal(a.sizes, b.sizes) && reflect.DeepEqual(a.chains(), b.chains())
}

// plainShingles and plainSign are the definitions Shingles and Sign
// compute faster: the FNV-1a of each run of five words of strings.Fields,
// each word followed by a zero byte, and the least splitmix(s ^ seed) per
// row.
func plainShingles(body string) []uint64 {
	words := strings.Fields(text.ContentKey(body))
	if len(words) == 0 {
		return nil
	}
	var out []uint64
	for i := 0; i < max(1, len(words)-shingleWords+1); i++ {
		h := uint64(fnvOffset)
		for _, w := range words[i:min(len(words), i+shingleWords)] {
			for _, c := range []byte(w + "\x00") {
				h = (h ^ uint64(c)) * fnvPrime
			}
		}
		out = append(out, h)
	}
	return out
}

func plainSign(shingles []uint64) (sig Signature) {
	for i, seed := range &seeds {
		sig[i] = ^uint64(0)
		for _, s := range shingles {
			sig[i] = min(sig[i], splitmix(s^seed))
		}
	}
	return sig
}

func checkDefinition(t *testing.T, name, body string) {
	t.Helper()
	want := plainShingles(body)
	got := Shingles(body)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: Shingles %v, by the definition %v", name, got, want)
	}
	sig, size, ok := SignText(body)
	if ok != (len(want) > 0) || size != len(want) {
		t.Fatalf("%s: SignText size %d ok %v for %d shingles", name, size, ok, len(want))
	}
	if ok && sig != plainSign(want) {
		t.Fatalf("%s: the signature differs from the definition's", name)
	}
}

// TestShinglesAndSignAreTheDefinition checks the fast Shingles and Sign
// against their plain definitions (signatures are stored in saved indexes,
// so they must never change): on short texts, on every kind of white
// space and broken UTF-8, and on the BBC corpus of ../shared.
func TestShinglesAndSignAreTheDefinition(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", "a b c", "a b c d", "a b c d e", "a b c d e f",
		"\u00a0a\u00a0b\u2003c\u3000d\u0085e\tf\ng", "\xffa b\xe2\x80 c", "Ünïcödé wörds — and ’quotes’ here", article(3)} {
		checkDefinition(t, fmt.Sprintf("%q", s), s)
	}
	parts := []string{"a", "B", "ß", " ", "\u00a0", "\u2003", "\u0085", "\t", "\n", "\xff", "\xe2\x80", "é", "—", ".", "'", "1", "word", "İ", "\u3000", "ǅ"}
	r := rand.New(rand.NewPCG(9, 9))
	for k := 0; k < 20000; k++ {
		var b strings.Builder
		for j := r.IntN(30); j > 0; j-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		checkDefinition(t, fmt.Sprintf("%q", b.String()), b.String())
	}
	dir := corpus.Require(t, "data", "bbc", "bbc")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err != nil || len(files) < 2000 {
		t.Fatalf("BBC corpus at %s: %d files, %v", dir, len(files), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkDefinition(t, f, string(b))
	}
}

// BenchmarkAddSigned adds signed articles to an index whose window of
// 20,000 (a Stream's) is full, as a long stream does: the lookups in the
// bands' tables, larger than the caches, and the sweeps. The signatures
// are random (no article is a copy of another), made ahead.
func BenchmarkAddSigned(b *testing.B) {
	const window = 20_000
	rng := rand.New(rand.NewPCG(1, 2))
	sigs := make([]Signature, 2*window)
	for i := range sigs {
		for r := range sigs[i] {
			sigs[i][r] = rng.Uint64()
		}
	}
	x := NewIndexWindow(window)
	for i := range window {
		x.AddSigned(fmt.Sprint(i), &sigs[i], 300)
	}
	ids := make([]string, len(sigs))
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	i := 0
	for b.Loop() {
		x.AddSigned(ids[i%len(ids)], &sigs[i%len(sigs)], 300)
		i++
	}
}
