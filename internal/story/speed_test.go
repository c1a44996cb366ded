package story

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// The hot path's primitives are faster forms of simpler definitions; these
// tests hold each to its definition, bit for bit, on random inputs.

// randomClusterer returns a clusterer with n terms, some names sharing
// their first 8 bytes (so that top's ties fall back to the strings).
func randomClusterer(rng *rand.Rand, n int) *Clusterer {
	c := New(Options{})
	for i := range n {
		switch rng.IntN(3) {
		case 0:
			c.intern(fmt.Sprintf("w:%c%d", 'a'+rng.IntN(26), i))
		case 1:
			c.intern(fmt.Sprintf("e:ent_0000%04d", i))
		default:
			c.intern(fmt.Sprintf("w:longprefix%d", i))
		}
	}
	return c
}

// randomTerms returns k distinct terms of [0, n) by ascending ID, whose
// weights are drawn from a few values (ties) or at random.
func randomTerms(rng *rand.Rand, n, k int) []term {
	ids := rng.Perm(n)[:min(k, n)]
	slices.Sort(ids)
	out := make([]term, len(ids))
	for i, id := range ids {
		w := float64(1 + rng.IntN(4))
		if rng.IntN(2) == 0 {
			w = rng.Float64() * 10
		}
		out[i] = term{int32(id), w}
	}
	return out
}

// setDense writes q's weights into c's dense vector and bitset (on), or
// clears them (off), as the clusterer does around an article.
func setDense(c *Clusterer, q *terms, on bool) {
	for _, parts := range [2][]term{q.words, q.names} {
		for _, x := range parts {
			if on {
				c.dense[x.id] = x.w
				c.in[uint32(x.id)>>6] |= 1 << (uint32(x.id) & 63)
			} else {
				c.dense[x.id] = 0
				c.in[uint32(x.id)>>6] = 0
			}
		}
	}
}

func TestBlendInIsBlend(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 3000
	c := randomClusterer(rng, n)
	for range 500 {
		q := terms{words: randomTerms(rng, n, rng.IntN(200)), names: randomTerms(rng, n, rng.IntN(20))}
		q.norms()
		setDense(c, &q, true)
		for range 5 {
			ct := terms{words: randomTerms(rng, n, rng.IntN(800)), names: randomTerms(rng, n, rng.IntN(100))}
			ct.norms()
			want, got := blend(&q, &ct, c.dense), blendIn(&q, &ct, c.dense, c.in)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("blendIn %v, blend %v", got, want)
			}
		}
		setDense(c, &q, false)
	}
}

func TestTopIsSortedByWeightAndName(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 2000
	c := randomClusterer(rng, n)
	for range 1000 {
		v := terms{words: randomTerms(rng, n, rng.IntN(300)), names: randomTerms(rng, n, rng.IntN(40))}
		all := append(slices.Clone(v.words), v.names...)
		slices.SortFunc(all, heavierFirst(c.names))
		var want []int32
		for _, x := range all[:min(maxTerms, len(all))] {
			want = append(want, x.id)
		}
		if got := c.top(&v, maxTerms, nil); !slices.Equal(got, want) {
			t.Fatalf("top:\n got %v\nwant %v", got, want)
		}
	}
}

func TestSortTermsSortsByID(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	c := New(Options{})
	for i := range 1000 {
		ts := randomTerms(rng, 100000, rng.IntN(400))
		if i%2 == 1 {
			// IDs of every byte, up to 31 bits (the radix sort's passes)
			for k := range ts {
				ts[k].id = ts[k].id*21000 + int32(rng.IntN(21000))
			}
		}
		rng.Shuffle(len(ts), func(i, j int) { ts[i], ts[j] = ts[j], ts[i] })
		want := slices.Clone(ts)
		slices.SortFunc(want, func(a, b term) int { return int(a.id - b.id) })
		c.sortTerms(ts)
		if !slices.Equal(ts, want) {
			t.Fatalf("sortTerms:\n got %v\nwant %v", ts, want)
		}
	}
}

// TestCandidatesRanking checks candidates against its definition: the
// clusters in reach (skip apart) sharing the most top terms, then the
// newest, at most maxCandidates.
func TestCandidatesRanking(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const terms, clusters = 500, 3000
	c := New(Options{})
	index := make([][]int32, terms)
	for k := range index {
		for _, id := range rng.Perm(clusters)[:rng.IntN(40)] {
			index[k] = append(index[k], int32(id))
		}
	}
	live := make([]bool, clusters)
	var flagged flags
	for i := range live {
		live[i] = rng.IntN(5) > 0
		flagged.push(live[i])
	}
	for range 1000 {
		var top []int32
		for _, k := range rng.Perm(terms)[:rng.IntN(2*maxTerms)] {
			top = append(top, int32(k))
		}
		skip := rng.IntN(clusters)
		shared := map[int32]int{}
		for _, k := range top {
			for _, id := range index[k] {
				if live[id] && int(id) != skip {
					shared[id]++
				}
			}
		}
		var want []int32
		for id := range shared {
			want = append(want, id)
		}
		slices.SortFunc(want, func(a, b int32) int {
			if shared[a] != shared[b] {
				return shared[b] - shared[a]
			}
			return int(b - a)
		})
		want = want[:min(len(want), maxCandidates)]
		if got := c.candidates(top, flagged, index, skip); !slices.Equal(got, want) && len(want)+len(got) > 0 {
			t.Fatalf("candidates:\n got %v\nwant %v", got, want)
		}
	}
}

// TestTokenisedAheadOrNot clusters the same documents tokenised ahead (in
// chunks of varied sizes, their vocabularies shared by the documents of a
// core), tokenised by the clusterer, and tokenised ahead for another
// clusterer first (whose vocabularies hold its IDs): the term IDs, and so
// the clusters, must be the same.
func TestTokenisedAheadOrNot(t *testing.T) {
	arts := manyArticles(1500)
	docs := namedDocs(arts, topicPeople(arts))
	for i := range docs {
		// every third document names its first entity four times: a
		// protagonist (and every seventh has leads that do not match)
		if d := &docs[i]; i%3 == 0 && len(d.Entities) > 0 {
			for range 3 {
				d.Entities = append(d.Entities, d.Entities[0])
				if len(d.Leads) > 0 && i%7 != 0 {
					d.Leads = append(d.Leads, d.Leads[0])
				}
			}
		}
	}
	run := func(c *Clusterer, ds []Doc) ([]int, []string) {
		var out []int
		for _, d := range ds {
			e, s := c.Add(d)
			out = append(out, e, s)
		}
		return out, c.names
	}
	want, wantNames := run(New(Options{}), docs)
	ahead := slices.Clone(docs)
	for k := 0; k < len(ahead); {
		n := min(len(ahead)-k, 1+k%700)
		tokeniseAll(ahead[k : k+n])
		k += n
	}
	// the protagonists counted ahead are those Add counts otherwise
	named := 0
	for i, d := range ahead {
		m, prot := protagonists(docs[i].leadKeys(), nil, nil)
		if !d.ahead || !slices.Equal(d.mentions, m) || !slices.Equal(d.prot, prot) {
			t.Fatalf("document %d: protagonists ahead %v %v, want %v %v", i, d.mentions, d.prot, m, prot)
		}
		if len(prot) > 0 {
			named++
		}
	}
	if named == 0 {
		t.Error("no document with protagonists: the test does not cover them")
	}
	got, gotNames := run(New(Options{}), ahead)
	if !reflect.DeepEqual(got, want) || !slices.Equal(gotNames, wantNames) {
		t.Errorf("tokenised ahead: other clusters or term IDs")
	}
	// the vocabularies now hold the first clusterer's IDs
	got, gotNames = run(New(Options{}), ahead)
	if !reflect.DeepEqual(got, want) || !slices.Equal(gotNames, wantNames) {
		t.Errorf("tokenised ahead for another clusterer: other clusters or term IDs")
	}
}

func TestIsStopwordIsTheMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	words := []string{"", "a", "x", "thé", "theirs", "yesterdays", "wednesday", "it’s", "\xff"}
	for w := range stopwords {
		words = append(words, w, w+"s", w[1:], strings.ToUpper(w))
	}
	for range 10000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
		words = append(words, string(b))
	}
	for _, w := range words {
		if got, want := isStopword([]byte(w)), stopwords[w]; got != want {
			t.Errorf("isStopword(%q) = %v, want %v", w, got, want)
		}
	}
}

// TestTwoWordsIsFields checks twoWords against strings.Fields.
func TestTwoWordsIsFields(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a ", "a b", "a  b", "\ta\nb", "ab", "a\u00a0b", "a\u2003b c", "\xffa \xfe", "\xff\xfe", "Jean-Luc Picard", " Picard\u3000"} {
		if got, want := twoWords(s), len(strings.Fields(s)) >= 2; got != want {
			t.Errorf("twoWords(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestNameKeysAreTheDefinition checks appendNameKeys against its
// definition: the ID, then type|key of each name of two words or more
// (the name, then its variants), each once, keys that are empty left out.
func TestNameKeysAreTheDefinition(t *testing.T) {
	def := func(e storyline.Entity) []string {
		keys := []string{e.ID}
		seen := map[string]bool{}
		for _, v := range append([]string{e.Name}, e.Variants...) {
			if len(strings.Fields(v)) < 2 {
				continue
			}
			k := e.Type + "|" + entity.NameKey(v)
			if !seen[k] && k != e.Type+"|" {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		return keys
	}
	person := entity.NameKey("Angela Merkel")
	for _, e := range []storyline.Entity{
		{ID: "p1", Type: "person", Name: "Angela Merkel", Variants: []string{"Merkel", "Angela  Merkel", "Chancellor Angela Merkel", "A. Merkel"}},
		{ID: "person|" + person, Type: "person", Name: "Angela Merkel"}, // an ID that is a name's key
		{ID: "o1", Type: "org", Name: "UN"},
		{ID: "x", Type: "place", Name: "", Variants: []string{" ", "New York", "new york", "NEW  YORK City"}},
	} {
		if got, want := appendNameKeys([]string{"kept"}, e), append([]string{"kept"}, def(e)...); !slices.Equal(got, want) {
			t.Errorf("%+v: keys %q, want %q", e, got, want)
		}
	}
}

// TestDecayIsItsDefinition checks decay against exp(-d²/2σ²), d in days
// outside the cluster's span, bit for bit, time scales odd ones included.
func TestDecayIsItsDefinition(t *testing.T) {
	t0 := time.Date(2020, 3, 1, 12, 0, 0, 0, time.UTC)
	cl := &cluster{oldest: t0, newest: t0.Add(48 * time.Hour)}
	for _, days := range []float64{3, 30, 0.5, 1e-200, math.Inf(1), math.NaN(), -2} {
		for _, h := range []int{-500, -24, -1, 0, 1, 24, 47, 48, 49, 100, 5000} {
			at := t0.Add(time.Duration(h) * time.Hour)
			var d time.Duration
			if at.Before(cl.oldest) {
				d = cl.oldest.Sub(at)
			} else if at.After(cl.newest) {
				d = at.Sub(cl.newest)
			}
			x := d.Hours() / 24
			want := math.Exp(-x * x / (2 * days * days))
			if got := cl.decay(at, days); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("days %v, %d h: decay %v, want %v", days, h, got, want)
			}
		}
	}
}

// TestNameIDsFollowTheNames checks that every centroid's nameIDs, which
// blendIn reads instead of its names, are its names' IDs after every
// batch of a stream that merges, splits and is loaded from its saved
// parts (the ways a centroid changes).
func TestNameIDsFollowTheNames(t *testing.T) {
	all := manyArticles(3000)
	const batch = 100
	s := NewStream(Options{SplitStories: true}, 500)
	store := partStore{}
	checked := 0
	for b := 0; b < len(all); b += batch {
		arts := all[b : b+batch]
		s.Add(arts, topicPeople(arts))
		s.Merges()
		s.Moves()
		store.save(t, s)
		if (b/batch)%3 == 2 {
			s = store.load(t, b/batch)
		}
		for _, cs := range [2][]*cluster{s.c.events, s.c.story} {
			for i, cl := range cs {
				if !cl.live() {
					continue
				}
				var want []int32
				for _, x := range cl.terms.names {
					want = append(want, x.id)
				}
				if !slices.Equal(cl.terms.nameIDs, want) {
					t.Fatalf("batch %d, cluster %d: name IDs %v, names %v", b/batch, i, cl.terms.nameIDs, want)
				}
				checked += len(want)
			}
		}
	}
	if len(s.c.splitFrom) == 0 || checked == 0 {
		t.Error("no split, or no names: the test does not cover them")
	}
}
