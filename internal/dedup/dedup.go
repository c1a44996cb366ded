// Package dedup finds near-duplicate articles as they arrive: syndicated
// wire copies, the same article scraped twice with other boilerplate, a
// trimmed or re-headlined copy. Each article's word 5-gram shingles are
// summarised by a MinHash signature; banded locality-sensitive hashing
// finds the earlier articles that may share most shingles, and the
// signatures estimate how many they share.
//
// The index takes inserts online: adding an article costs the same
// whatever the archive's size (one lookup per band), and nothing is
// re-indexed. It is deterministic: the same articles in the same order
// give the same answers.
package dedup

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/storyline-news/storyline/internal/text"
)

// Sizes of the signature: Bands × Rows minimum hashes. Forty bands of
// three rows make two texts sharing 40% of their shingles (Jaccard 0.4, a
// copy trimmed to half of the original) candidates with probability 0.93,
// sharing 60% with 0.9999, and sharing 10% with 0.04; candidates are then
// checked on their signatures.
const (
	Bands = 40
	Rows  = 3
	// shingleWords is the length of a shingle in words.
	shingleWords = 5
)

// Threshold is the estimated share of shingles (Jaccard similarity) from
// which an article is a near-duplicate of an earlier one; a shorter
// article is one too when nearly all of its shingles are in the earlier
// one (Containment: a trimmed copy).
const (
	Threshold   = 0.5
	Containment = 0.7
)

// Signature is the MinHash signature of a text.
type Signature [Bands * Rows]uint64

// seeds are the fixed salts of the hash functions, one per row of the
// signature, derived from a constant so that signatures are stable.
var seeds = func() (s [Bands * Rows]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x = splitmix(x)
		s[i] = x
	}
	return s
}()

// splitmix is a 64-bit mixing function (SplitMix64's finaliser).
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Shingles returns the hashes of the word 5-grams of a text, over its
// normalised words (case, punctuation and layout aside). A text shorter
// than five words gives one shingle of all its words.
//
// A shingle's hash is the 64-bit FNV-1a of its words, each followed by a
// zero byte. The words are split as strings.Fields splits them and each
// byte is read once: it is hashed into the five shingles that hold it
// together, five independent chains of multiplications that the CPU runs
// side by side, where hashing each shingle on its own waited for every
// multiplication in turn (and strings.Fields allocated a slice).
func Shingles(body string) []uint64 {
	var out []uint64
	text.WithContentKey(body, func(key []byte) { out = appendShingles(nil, key) })
	return out
}

// shingleBuffers hold the shingles of texts being signed, reused from
// text to text.
var shingleBuffers = sync.Pool{New: func() any { return new([]uint64) }}

// maxPooled is the largest shingle buffer kept for reuse, in elements: a
// rare huge text does not pin it.
const maxPooled = 1 << 20

// appendShingles appends the shingles of a content key to out (see
// Shingles).
func appendShingles(out []uint64, key []byte) []uint64 {
	base := len(out)
	// h4 is the shingle starting at the current word, h3 the one starting
	// at the word before, … h0 the one starting four words before
	h0, h1, h2, h3, h4 := uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset)
	words, inWord := 0, false
	for i := 0; i <= len(key); {
		// the ASCII bytes of a word, most of a text
		for i < len(key) && key[i] < utf8.RuneSelf && !asciiSpace[key[i]] {
			v := uint64(key[i])
			h0, h1, h2, h3, h4 = (h0^v)*fnvPrime, (h1^v)*fnvPrime, (h2^v)*fnvPrime, (h3^v)*fnvPrime, (h4^v)*fnvPrime
			i++
			inWord = true
		}
		// a word ends at white space or at the end of the text
		space, size := true, 1
		if i < len(key) {
			if c := key[i]; c < utf8.RuneSelf {
				space = asciiSpace[c]
			} else {
				var r rune
				r, size = utf8.DecodeRune(key[i:])
				space = unicode.IsSpace(r)
			}
		}
		if !space {
			inWord = true
			for _, c := range key[i : i+size] {
				v := uint64(c)
				h0, h1, h2, h3, h4 = (h0^v)*fnvPrime, (h1^v)*fnvPrime, (h2^v)*fnvPrime, (h3^v)*fnvPrime, (h4^v)*fnvPrime
			}
			i += size
			continue
		}
		i += size
		if !inWord {
			continue
		}
		inWord = false
		h0, h1, h2, h3, h4 = h0*fnvPrime, h1*fnvPrime, h2*fnvPrime, h3*fnvPrime, h4*fnvPrime // the zero byte: h ^= 0
		words++
		if words >= shingleWords {
			if len(out) == base {
				out = slices.Grow(out, max(1, bytes.Count(key, []byte{' '})+2-shingleWords))
			}
			out = append(out, h0)
		}
		h0, h1, h2, h3, h4 = h1, h2, h3, h4, fnvOffset
	}
	// fewer words than a shingle: the one shingle, started at the first
	// word, has moved down one place per word since
	switch words {
	case 1:
		out = append(out, h3)
	case 2:
		out = append(out, h2)
	case 3:
		out = append(out, h1)
	case 4:
		out = append(out, h0)
	}
	return out
}

// asciiSpace are the ASCII characters strings.Fields splits at (those
// unicode.IsSpace tells white space).
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// The parameters of 64-bit FNV-1a (hash/fnv's New64a).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Sign returns the MinHash signature of a set of shingles; ok is false
// for an empty set.
//
// Row i is the least splitmix(s ^ seeds[i]) over the shingles s. Four
// rows are computed in each pass over the shingles, with splitmix written
// out: each shingle is loaded once for four hashes, and the four chains of
// multiplications are independent, so the CPU overlaps them (a quarter
// less time than one row per pass; more rows per pass run out of
// registers).
//
// Where the CPU has AVX2 (sign_amd64.s), eight rows are computed in each
// pass instead, four in each of two vector registers, each shingle
// broadcast to all four lanes; the 64-bit multiplications are made of
// three 32-bit ones. signGeneric is the portable loop.
func Sign(shingles []uint64) (sig Signature, ok bool) {
	if len(shingles) == 0 {
		return sig, false
	}
	sign(shingles, &sig)
	return sig, true
}

// signGeneric computes Sign's rows of a set of shingles into sig, four
// rows in each pass (see Sign).
func signGeneric(shingles []uint64, sig *Signature) {
	// splitmix's constants
	const c0, c1, c2 = 0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb
	// len(seeds) is a multiple of 4
	for i := 0; i+4 <= len(seeds); i += 4 {
		k := seeds[i : i+4 : i+4]
		m0, m1, m2, m3 := ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)
		for _, s := range shingles {
			x0, x1, x2, x3 := (s^k[0])+c0, (s^k[1])+c0, (s^k[2])+c0, (s^k[3])+c0
			x0 = (x0 ^ (x0 >> 30)) * c1
			x1 = (x1 ^ (x1 >> 30)) * c1
			x2 = (x2 ^ (x2 >> 30)) * c1
			x3 = (x3 ^ (x3 >> 30)) * c1
			x0 = (x0 ^ (x0 >> 27)) * c2
			x1 = (x1 ^ (x1 >> 27)) * c2
			x2 = (x2 ^ (x2 >> 27)) * c2
			x3 = (x3 ^ (x3 >> 27)) * c2
			x0 ^= x0 >> 31
			x1 ^= x1 >> 31
			x2 ^= x2 >> 31
			x3 ^= x3 >> 31
			if x0 < m0 {
				m0 = x0
			}
			if x1 < m1 {
				m1 = x1
			}
			if x2 < m2 {
				m2 = x2
			}
			if x3 < m3 {
				m3 = x3
			}
		}
		sig[i], sig[i+1], sig[i+2], sig[i+3] = m0, m1, m2, m3
	}
}

// The signature's rows come in fours, as Sign computes them: this does
// not compile otherwise.
var _ [0]struct{} = [(Bands * Rows) % 4]struct{}{}

// Similarity estimates the Jaccard similarity of the shingle sets behind
// two signatures: the share of rows where they agree.
func Similarity(a, b *Signature) float64 {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// Match is an earlier article a new one duplicates.
type Match struct {
	ID         string
	Similarity float64 // estimated Jaccard similarity of their shingles
	// Contained is the estimated share of the new article's shingles that
	// the earlier one holds.
	Contained float64
}

// Window is how many of the most recent articles the index keeps by
// default: copies arrive within days of their original, and a bounded
// window keeps memory bounded however long the stream runs.
const Window = 250_000

// Index holds the signatures of the most recent articles, by band, in a
// ring of Window slots: the oldest article leaves when a new one comes.
// Its zero value is not ready: use NewIndex.
//
// Each band's table (bandTable) maps a band's key to the latest article
// whose signature has it, and each article links, per band, to the article
// before it with the same key: the articles with a key are a chain from
// the latest back, cut where the chain leaves the window. An article that
// leaves is not looked up: a key whose latest article has left has none
// in the window, and such keys are swept out of the tables now and then
// (every quarter of a window of articles), in one pass over the tables
// rather than one lookup at a random place in each of them per article.
// The tables hold no pointers and one entry per key: the garbage
// collector does not read them, adding an article allocates nothing but
// for a table's growth, and it looks each key up once.
type Index struct {
	window int
	next   int64 // position of the next article; slot = position % window
	ids    []string
	sigs   []Signature
	sizes  []int32
	bands  [Bands]bandTable
	// links[slot*Bands+b] is the position of the article before the one in
	// slot with the same key in band b, or -1
	links []int64
	left  int   // articles that left the window since the tables were swept
	sink  int64 // takes what probe reads only to bring it into the cache
}

// NewIndex returns an empty index keeping the last Window articles.
func NewIndex() *Index { return NewIndexWindow(Window) }

// NewIndexWindow returns an empty index keeping the last window articles.
func NewIndexWindow(window int) *Index {
	x := &Index{window: max(1, window)}
	for i := range x.bands {
		x.bands[i] = newBandTable(0)
	}
	return x
}

// Len returns the number of articles indexed (at most the window).
func (x *Index) Len() int { return int(min(x.next, int64(x.window))) }

// bandKey hashes one band of a signature.
func bandKey(sig *Signature, b int) uint64 {
	k := uint64(b) * 0x9e3779b97f4a7c15
	for _, v := range sig[b*Rows : (b+1)*Rows] {
		k = splitmix(k ^ v)
	}
	return k
}

// Find returns the earlier article most similar to body at or above the
// thresholds, if any, without adding body.
func (x *Index) Find(body string) (Match, bool) {
	sh := Shingles(body)
	sig, ok := Sign(sh)
	if !ok {
		return Match{}, false
	}
	var pr probe
	x.probe(&sig, &pr)
	return x.find(&sig, len(sh), &pr.heads)
}

// probe is what the bands' tables say of a signature.
type probe struct {
	keys  [Bands]uint64 // the keys of its bands
	heads [Bands]int64  // the latest article with each key, -1 for none
	at    [Bands]int    // where each key is or goes in its table
}

// probe reads the keys of a signature's bands and looks them up.
func (x *Index) probe(sig *Signature, pr *probe) {
	for b := range x.bands {
		pr.keys[b] = bandKey(sig, b)
	}
	// the slot each key starts at is read first, in every band, as reads
	// that do not wait on one another: their cache misses (the tables of
	// a window of articles are larger than the caches) then overlap,
	// rather than come one after the other in the lookups
	var first int64
	for b := range x.bands {
		t := &x.bands[b]
		first |= t.slots[int(pr.keys[b])&(len(t.slots)-1)].pos
	}
	x.sink = first
	for b := range x.bands {
		pr.at[b], pr.heads[b] = x.bands[b].lookup(pr.keys[b])
	}
}

// contained estimates the share of a set of size a in a set of size b from
// their Jaccard similarity j: |A∩B| = j(|A|+|B|)/(1+j).
func contained(j float64, a, b int) float64 {
	if a == 0 {
		return 0
	}
	return min(1, j*float64(a+b)/(1+j)/float64(a))
}

// find returns the most similar article of those with the keys of sig's
// bands, whose latest are heads.
func (x *Index) find(sig *Signature, size int, heads *[Bands]int64) (Match, bool) {
	best := int64(-1)
	var bm Match
	// the articles seen in an earlier band: few, but for copies of one
	// article, which meet in every band
	var seenBuf [16]int64
	seen := seenBuf[:0]
	var seenMap map[int64]bool
	oldest := x.next - int64(x.window) // the articles before it have left
	for b, p := range heads {
		for ; p >= oldest && p >= 0; p = x.links[int(p%int64(x.window))*Bands+b] {
			if seenMap != nil {
				if seenMap[p] {
					continue
				}
				seenMap[p] = true
			} else {
				if slices.Contains(seen, p) {
					continue
				}
				if seen = append(seen, p); len(seen) > 64 {
					seenMap = make(map[int64]bool, 2*len(seen))
					for _, q := range seen {
						seenMap[q] = true
					}
				}
			}
			i := int(p % int64(x.window))
			s := Similarity(sig, &x.sigs[i])
			c := contained(s, size, int(x.sizes[i]))
			if s < Threshold && (c < Containment || size > int(x.sizes[i])) {
				continue
			}
			// the most similar wins; the earliest on ties: it is the original
			if best < 0 || s > bm.Similarity || (s == bm.Similarity && p < best) {
				best, bm = p, Match{ID: x.ids[i], Similarity: s, Contained: c}
			}
		}
	}
	return bm, best >= 0
}

// Add indexes an article and returns the earlier article it duplicates,
// if any (it is indexed either way, so that later copies find the
// earliest). Texts without words are not indexed.
func (x *Index) Add(id, body string) (Match, bool) {
	sig, size, ok := SignText(body)
	if !ok {
		return Match{}, false
	}
	return x.AddSigned(id, &sig, size)
}

// SignText returns the signature of a text and its number of shingles,
// for AddSigned (ok is false for a text without words). It is the costly
// part of Add, and can be computed ahead, on several cores.
func SignText(body string) (sig Signature, size int, ok bool) {
	sh := shingleBuffers.Get().(*[]uint64)
	text.WithContentKey(body, func(key []byte) { *sh = appendShingles((*sh)[:0], key) })
	sig, ok = Sign(*sh)
	size = len(*sh)
	if cap(*sh) <= maxPooled {
		shingleBuffers.Put(sh)
	}
	return sig, size, ok
}

// AddSigned is Add for a text signed by SignText.
func (x *Index) AddSigned(id string, sig *Signature, size int) (Match, bool) {
	var pr probe
	x.probe(sig, &pr)
	m, dup := x.find(sig, size, &pr.heads)
	p := x.next
	x.next++
	slot := int(p % int64(x.window))
	if p < int64(x.window) {
		x.ids = append(x.ids, "")
		x.sigs = append(x.sigs, Signature{})
		x.sizes = append(x.sizes, 0)
		x.links = append(x.links, make([]int64, Bands)...)
	}
	x.ids[slot], x.sigs[slot], x.sizes[slot] = id, *sig, int32(size)
	x.link(p, slot, &pr)
	if p >= int64(x.window) {
		// after link: a sweep moves the keys pr found
		x.evict()
	}
	return m, dup
}

// link enters the article at position p, in slot, probed as pr, in the
// bands: it is the latest with its keys, after pr's heads.
func (x *Index) link(p int64, slot int, pr *probe) {
	copy(x.links[slot*Bands:(slot+1)*Bands], pr.heads[:])
	for b := range x.bands {
		x.bands[b].set(pr.at[b], pr.keys[b], p)
	}
}

// relink enters the article at position p, in slot, in the bands, as
// AddSigned does, for an index being rebuilt.
func (x *Index) relink(p int64, slot int) {
	var pr probe
	x.probe(&x.sigs[slot], &pr)
	x.link(p, slot, &pr)
}

// evict notes that an article left the window, and sweeps the tables
// when a quarter of a window (at least 64) has left since the last sweep:
// they hold the keys of at most that many articles that left.
func (x *Index) evict() {
	if x.left++; x.left < max(x.window/4, 64) {
		return
	}
	x.left = 0
	oldest := x.next - int64(x.window)
	for b := range x.bands {
		x.bands[b].sweep(oldest)
	}
}

// IDs returns the IDs of the articles the index holds, oldest first.
func (x *Index) IDs() []string {
	n := x.Len()
	out := make([]string, 0, n)
	start := x.next - int64(n)
	for p := start; p < x.next; p++ {
		out = append(out, x.ids[int(p%int64(x.window))])
	}
	return out
}

// indexState is what an index saves: the articles of its window; the
// bands are rebuilt from their signatures when it is loaded.
type indexState struct {
	Window int
	Next   int64
	IDs    []string
	Sigs   []Signature
	Sizes  []int32
}

// MarshalBinary saves the index.
func (x *Index) MarshalBinary() ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(indexState{Window: x.window, Next: x.next, IDs: x.ids, Sigs: x.sigs, Sizes: x.sizes})
	if err != nil {
		return nil, fmt.Errorf("dedup: save index: %w", err)
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary loads an index saved by MarshalBinary.
func (x *Index) UnmarshalBinary(b []byte) error {
	var st indexState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return fmt.Errorf("dedup: load index: %w", err)
	}
	n := len(st.IDs)
	if st.Window < 1 || int64(n) != min(st.Next, int64(st.Window)) || len(st.Sigs) != n || len(st.Sizes) != n {
		return errors.New("dedup: load index: inconsistent state")
	}
	*x = *NewIndexWindow(st.Window)
	x.next, x.ids, x.sigs, x.sizes = st.Next, st.IDs, st.Sigs, st.Sizes
	x.links = make([]int64, n*Bands)
	for p := st.Next - int64(n); p < st.Next; p++ {
		x.relink(p, int(p%int64(x.window)))
	}
	return nil
}
