package story

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
)

// fixtureArticles are n made-up articles of a dozen words on twenty
// topics, three hours apart, every tenth a copy of the one before with a
// word added.
func fixtureArticles(n int) []storyline.Article {
	rng := rand.New(rand.NewPCG(3, 5))
	words := strings.Fields("harbour bridge ferry council budget strike union mayor election vote court judge river flood storm rescue school teachers hospital nurses")
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var out []storyline.Article
	for i := range n {
		topic := rng.IntN(20)
		var b strings.Builder
		for range 12 {
			w := words[(topic+rng.IntN(4))%len(words)]
			if rng.IntN(4) == 0 {
				w = words[rng.IntN(len(words))]
			}
			fmt.Fprintf(&b, "%s%d ", w, topic%7)
		}
		a := storyline.Article{ID: fmt.Sprintf("f%04d", i), Title: fmt.Sprintf("Topic %d", topic),
			Published: start.Add(time.Duration(i) * 3 * time.Hour), Text: b.String()}
		if i%10 == 9 {
			a.Text = out[i-1].Text + " More."
		}
		out = append(out, a)
	}
	return out
}

// readFixture reads the parts of testdata/state-format3.bin.gz: a state
// saved by the code of commit 4f6c1b4 (parts format 3, whose posting
// lists' changes were logged whole), after it placed fixtureArticles(240)
// with topicPeople in batches of 30 in NewStream(Options{}, 1) with
// minCompact at 4 KiB, saving after every batch. The file is the parts
// by key: each a uvarint length and the key, a uvarint length and the
// data.
func readFixture(t *testing.T) partStore {
	t.Helper()
	f, err := os.Open("testdata/state-format3.bin.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	ps := partStore{}
	for len(b) > 0 {
		var kv [2][]byte
		for i := range kv {
			n, k := binary.Uvarint(b)
			if k <= 0 || n > uint64(len(b)-k) {
				t.Fatal("fixture damaged")
			}
			kv[i], b = b[k:k+int(n)], b[k+int(n):]
		}
		ps[string(kv[0])] = kv[1]
	}
	return ps
}

// TestStreamLoadsAStateOfFormat3 loads a state saved by the code before
// posting lists were logged as deltas, and checks that it holds what a
// stream that placed the same articles holds now, then goes on placing,
// saving deltas after the old logs and loading again, as if never
// stopped.
func TestStreamLoadsAStateOfFormat3(t *testing.T) {
	defer func(m int) { minCompact = m }(minCompact)
	minCompact = 4 << 10
	store := readFixture(t)
	var meta metaState
	if err := gob.NewDecoder(bytes.NewReader(store[keyMeta])).Decode(&meta); err != nil || meta.Format != 3 {
		t.Fatalf("fixture of format %d (%v), want 3", meta.Format, err)
	}
	oldLogs := 0
	for k := range store {
		if (strings.HasPrefix(k, "ei/") || strings.HasPrefix(k, "si/")) && !strings.HasSuffix(k, "/0000000000") {
			oldLogs++
		}
	}
	if oldLogs == 0 {
		t.Fatal("the fixture holds no log of the indexes: it does not cover them")
	}
	const batch, first = 30, 240
	all := fixtureArticles(2 * first)
	straight := NewStream(Options{}, 1)
	for b := 0; b < first; b += batch {
		straight.Add(all[b:b+batch], topicPeople(all[b:b+batch]))
	}
	s := &Stream{}
	if err := s.Load(store.parts()); err != nil {
		t.Fatal(err)
	}
	if a, b := decodeState(t, straight), decodeState(t, s); !reflect.DeepEqual(a, b) {
		t.Fatal("a state of format 3 loads as another state than the stream that saved it held")
	}
	deltas := 0
	for b := first; b < len(all); b += batch {
		arts := all[b : b+batch]
		want := straight.Add(arts, topicPeople(arts))
		if got := s.Add(arts, topicPeople(arts)); !reflect.DeepEqual(got, want) {
			t.Fatalf("batch %d: placed otherwise after loading a state of format 3", b/batch)
		}
		for _, p := range store.save(t, s) {
			if strings.HasPrefix(p.Key, "ei+/") || strings.HasPrefix(p.Key, "si+/") {
				deltas++
			}
		}
		if (b/batch)%2 == 1 {
			s = store.load(t, b/batch)
		}
	}
	if deltas == 0 {
		t.Error("no delta of a posting list saved")
	}
	checkLoadsAs(t, store, straight, "a state of format 3 gone on with deltas loads as another state")
}

// TestPostingDeltas changes posting lists as the clusterer does (moving a
// cluster to the end, a full list dropping its head, retiring dropping
// a head of any length), logs them as deltas and checks that the deltas
// applied to the lists saved give the lists now, and cost what changed.
func TestPostingDeltas(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := New(Options{})
	const terms = 40
	for k := range terms {
		c.intern(fmt.Sprintf("w:t%d", k))
	}
	c.track = true
	m := &mapLog{name: "ei"}
	saved := map[string][]int{}
	var deltaBytes, wholeBytes int
	for round := range 300 {
		// a round is a batch: some lists barely change, some a lot
		for range rng.IntN(400) {
			k := int32(rng.IntN(terms))
			switch r := rng.IntN(100); {
			case r < 1: // retiring: the head goes, or now and then the whole list
				ids := c.eventIndex[k]
				n := rng.IntN(min(len(ids), 8) + 1)
				if rng.IntN(10) == 0 {
					n = len(ids)
				}
				if n == len(ids) {
					c.eventIndex[k] = nil
				} else {
					c.eventIndex[k] = slices.Clone(ids[n:])
				}
			default: // a cluster recent or old, often one already listed
				span := 50 + round*10
				c.eventIndex[k] = appendOnce(c.eventIndex[k], int32(max(0, round*10-rng.IntN(span))))
			}
			c.changed.eventIndex.add(c.track, k)
		}
		out := logIndexChanges(m, c.names, c.eventIndex, &c.changed.eventIndex, nil)
		for _, id := range c.changed.eventIndex.ids {
			wholeBytes += len(c.eventIndex[id])
		}
		c.changed.eventIndex.reset()
		for _, p := range out {
			switch {
			case p.Data == nil:
			case p.Key == m.key(0):
				saved = map[string][]int{}
				d := dec{b: p.Data}
				for n := d.count(2); n > 0; n-- {
					k := d.str()
					saved[k] = intsCodec.get(&d)
				}
				if d.count(1) != 0 || d.err != nil || len(d.b) != 0 {
					t.Fatalf("round %d: base damaged", round)
				}
			case strings.HasPrefix(p.Key, "ei+/"):
				d := dec{b: p.Data}
				if err := applyDeltas(&d, saved); err != nil || d.err != nil || len(d.b) != 0 {
					t.Fatalf("round %d: delta refused: %v %v", round, err, d.err)
				}
				deltaBytes += len(p.Data)
			default:
				t.Fatalf("round %d: part %q", round, p.Key)
			}
		}
		for k := range terms {
			want := c.eventIndex[k]
			got := saved[c.names[k]]
			if len(want) == 0 && got == nil {
				continue
			}
			if !slices.Equal(int32s(got), want) {
				t.Fatalf("round %d, term %d: the deltas give %v, want %v", round, k, got, want)
			}
		}
	}
	full := 0
	for _, ids := range c.eventIndex {
		if len(ids) == maxPosting {
			full++
		}
	}
	if full == 0 {
		t.Error("no posting list reached its cap: the test does not cover dropping the head")
	}
	// the deltas hold far fewer IDs than the lists changed (about two
	// bytes an ID)
	t.Logf("deltas of %d bytes for lists of %d IDs changed", deltaBytes, wholeBytes)
	if deltaBytes*4 > wholeBytes*2 {
		t.Errorf("deltas of %d bytes for lists of %d IDs changed", deltaBytes, wholeBytes)
	}
}

// TestDamagedDeltasAreRefused feeds deltas that do not fit the lists
// saved, and random bytes, to applyDeltas: an error, never a panic.
func TestDamagedDeltasAreRefused(t *testing.T) {
	var e enc
	e.uvarint(1)
	e.str("w:a")
	e.uvarint(3) // keep 3 of a list of 2
	putInt32s(&e, []int32{9})
	d := dec{b: e}
	if err := applyDeltas(&d, map[string][]int{"w:a": {1, 2}}); err == nil {
		t.Error("a delta keeping more than the list holds was applied")
	}
	e = e[:0]
	e.uvarint(1)
	e.str("w:a")
	e.uvarint(2) // keep 2 of {1, 2} without 2: one
	putInt32s(&e, []int32{2})
	d = dec{b: e}
	if err := applyDeltas(&d, map[string][]int{"w:a": {1, 2}}); err == nil {
		t.Error("a delta keeping entries its tail takes away was applied")
	}
	rng := rand.New(rand.NewPCG(4, 4))
	for range 20000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		if rng.IntN(2) == 0 && len(b) > 0 {
			b[0] = byte(rng.IntN(3))
		}
		d := dec{b: b}
		_ = applyDeltas(&d, map[string][]int{"": {1, 2, 3}, "\x01": {4}})
	}
	// a delta under a key not numbered, or of a map not kept as deltas
	for _, key := range []string{"ei+/0000000000", "ei+/x", "df+/0000000001"} {
		s := NewStream(Options{}, 1)
		s.Add(fixtureArticles(30), topicPeople(fixtureArticles(30)))
		parts, _ := s.Changes()
		parts = append(parts, storyline.StatePart{Key: key, Data: []byte{0}})
		if err := (&Stream{}).Load(parts); err == nil {
			t.Errorf("a state with a part %q loaded", key)
		}
	}
}

// TestSavedBytesAreDeterministic places the same articles twice, saving
// after every batch, and checks that the saves are the same bytes.
func TestSavedBytesAreDeterministic(t *testing.T) {
	all := manyArticles(1500)
	run := func() [][]storyline.StatePart {
		s := NewStream(Options{}, 500)
		var out [][]storyline.StatePart
		for b := 0; b < len(all); b += 100 {
			s.Add(all[b:b+100], topicPeople(all[b:b+100]))
			p, err := s.Changes()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
		return out
	}
	a, b := run(), run()
	for i := range a {
		if len(a[i]) != len(b[i]) {
			t.Fatalf("save %d: %d parts, then %d", i, len(a[i]), len(b[i]))
		}
		for k := range a[i] {
			if a[i][k].Key != b[i][k].Key || !bytes.Equal(a[i][k].Data, b[i][k].Data) {
				t.Fatalf("save %d: part %q differs", i, a[i][k].Key)
			}
		}
	}
}

// TestDeltasFollowSplits saves a stream that splits stories
// (Options.SplitStories, which moves events and adds to the story
// index) after every batch and loads it every other batch: it must place
// and move as one that never stopped, and hold the same state.
func TestDeltasFollowSplits(t *testing.T) {
	defer func(m int) { minCompact = m }(minCompact)
	minCompact = 4 << 10
	opt := Options{SplitStories: true}
	all := manyArticles(4000)
	const batch = 100
	straight, s := NewStream(opt, 500), NewStream(opt, 500)
	store := partStore{}
	moves := 0
	for b := 0; b < len(all); b += batch {
		arts := all[b : b+batch]
		want := straight.Add(arts, topicPeople(arts))
		wantMoves, wantMerges := straight.Moves(), straight.Merges()
		got := s.Add(arts, topicPeople(arts))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("batch %d: placed otherwise", b/batch)
		}
		if m := s.Moves(); !reflect.DeepEqual(m, wantMoves) {
			t.Fatalf("batch %d: moves %v, want %v", b/batch, m, wantMoves)
		}
		if m := s.Merges(); !reflect.DeepEqual(m, wantMerges) {
			t.Fatalf("batch %d: merges %v, want %v", b/batch, m, wantMerges)
		}
		moves += len(wantMoves)
		store.save(t, s)
		if (b/batch)%2 == 1 {
			s = store.load(t, b/batch)
		}
	}
	if moves == 0 {
		t.Error("no event moved: the test does not cover splits")
	}
	if len(straight.c.splitFrom) == 0 {
		t.Error("no story opened by a split: the test does not cover saving what splits left")
	}
	checkLoadsAs(t, store, straight, "a stream that splits, loaded from parts, holds another state")
}
