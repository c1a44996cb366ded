package story

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// partStore keeps parts as a store does: SaveClustering's changes applied
// one batch after another.
type partStore map[string][]byte

func (ps partStore) apply(parts []storyline.StatePart) (written int) {
	for _, p := range parts {
		if p.Data == nil {
			delete(ps, p.Key)
			continue
		}
		ps[p.Key] = p.Data
		written += len(p.Data)
	}
	return written
}

// save takes the stream's changes (Changes) and applies them, as a
// store's SaveClustering would, and returns them.
func (ps partStore) save(t *testing.T, s *Stream) []storyline.StatePart {
	t.Helper()
	changes, err := s.Changes()
	if err != nil {
		t.Fatal(err)
	}
	ps.apply(changes)
	return changes
}

// load returns a new Stream loaded from the parts, failing the test
// (naming the batch) when they do not load.
func (ps partStore) load(t *testing.T, batch int) *Stream {
	t.Helper()
	s := &Stream{}
	if err := s.Load(ps.parts()); err != nil {
		t.Fatalf("batch %d: %v", batch, err)
	}
	return s
}

// checkLoadsAs loads a new Stream from the parts in store, fails with
// msg when it holds another state than want, and returns it.
func checkLoadsAs(t *testing.T, store partStore, want *Stream, msg string) *Stream {
	t.Helper()
	loaded := &Stream{}
	if err := loaded.Load(store.parts()); err != nil {
		t.Fatal(err)
	}
	if a, b := decodeState(t, want), decodeState(t, loaded); !reflect.DeepEqual(a, b) {
		t.Error(msg)
	}
	return loaded
}

func (ps partStore) parts() []storyline.StatePart {
	var out []storyline.StatePart
	for k, v := range ps {
		out = append(out, storyline.StatePart{Key: k, Data: v})
	}
	// a store returns them in any order
	slices.SortFunc(out, func(a, b storyline.StatePart) int { return strings.Compare(b.Key, a.Key) })
	return out
}

func (ps partStore) size() int {
	n := 0
	for _, v := range ps {
		n += len(v)
	}
	return n
}

// manyArticles are n made-up articles on a few dozen topics, an hour
// apart, every tenth a copy of the one before with a line added.
func manyArticles(n int) []storyline.Article {
	rng := rand.New(rand.NewPCG(7, 9))
	words := strings.Fields(`harbour bridge ferry council budget strike union mayor election vote court judge
		river flood storm rescue school teachers hospital nurses wages fuel prices airport runway trains delays
		museum exhibition festival concert stadium league cup final transfer coach injury market shares bank rates`)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []storyline.Article
	for i := 0; i < n; i++ {
		topic := rng.IntN(40)
		var b strings.Builder
		for k := 0; k < 30; k++ {
			w := words[(topic*3+rng.IntN(6))%len(words)]
			if rng.IntN(4) == 0 {
				w = words[rng.IntN(len(words))]
			}
			b.WriteString(w + fmt.Sprintf("%d ", topic))
		}
		a := storyline.Article{ID: fmt.Sprintf("a%05d", i), Title: fmt.Sprintf("Topic %d news", topic),
			Published: start.Add(time.Duration(i) * time.Hour), Text: b.String()}
		if i%10 == 9 {
			a.Text = out[i-1].Text + "\nSubscribe to our newsletter."
		}
		out = append(out, a)
	}
	return out
}

func TestStreamSavedAsPartsGoesOnAsIfNeverStopped(t *testing.T) {
	defer func(m int) { minCompact = m }(minCompact)
	minCompact = 4 << 10 // so that the maps' bases are written again in the test
	all := manyArticles(5000)
	const batch = 250
	straight := NewStream(Options{}, 2000)
	store := partStore{}
	var lastWritten, deleted int
	var deletedKinds = map[string]bool{}
	for b := 0; b < len(all); b += batch {
		arts := all[b:min(b+batch, len(all))]
		want := straight.Add(arts, entity.Result{})
		wantMerges := straight.Merges()
		s := NewStream(Options{}, 2000)
		if len(store) > 0 {
			s = &Stream{}
			if err := s.Load(store.parts()); err != nil {
				t.Fatalf("batch %d: %v", b/batch, err)
			}
		}
		got := s.Add(arts, entity.Result{})
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("batch %d: a stream loaded from parts placed articles otherwise", b/batch)
		}
		if m := s.Merges(); !reflect.DeepEqual(m, wantMerges) {
			t.Fatalf("batch %d: merges %v, want %v", b/batch, m, wantMerges)
		}
		changes, err := s.Changes()
		if err != nil {
			t.Fatal(err)
		}
		events := 0
		for _, p := range changes {
			if p.Data == nil {
				deleted++
				deletedKinds[p.Key[:2]] = true
			}
			if strings.HasPrefix(p.Key, preEvent) {
				d := dec{b: p.Data}
				if cs, _, _ := getCluster(&d); cs.Sum != nil {
					events++ // (retiring rewrites the events it retires)
				}
			}
		}
		if events > len(arts) {
			t.Errorf("batch %d: %d live events written for %d articles", b/batch, events, len(arts))
		}
		lastWritten = store.apply(changes)
		// nothing changed since: nothing but the counters to write
		again, _ := s.Changes()
		if len(again) != 1 || again[0].Key != keyMeta {
			t.Errorf("batch %d: %d parts changed after nothing happened", b/batch, len(again))
		}
	}
	loaded := checkLoadsAs(t, store, straight, "a stream loaded from parts holds another state than one that never stopped")
	// the last batch wrote what it changed, not the whole state
	if total := store.size(); lastWritten*3 > total {
		t.Errorf("the last batch wrote %d bytes of a state of %d", lastWritten, total)
	}
	// logs were dropped for new bases, and duplicates out of the window
	if !deletedKinds["df"] || !deletedKinds["d/"] {
		t.Errorf("parts deleted: %v; want logs of df and duplicates", deletedKinds)
	}
	// events retired in the run (4,096 articles in)
	retired := 0
	for _, cl := range loaded.c.events {
		if !cl.live() {
			retired++
		}
	}
	if retired == 0 {
		t.Error("no event retired: the test does not cover retiring")
	}
}

func TestStreamLoadsAWholeStateAndReplacesIt(t *testing.T) {
	all := streamArticles()
	res := entity.Resolve(entity.Docs(all))
	s := NewStream(Options{}, 0)
	s.Add(all[:9], res)
	whole, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	store := partStore{keyLegacy: whole}
	loaded := &Stream{}
	if err := loaded.Load(store.parts()); err != nil {
		t.Fatal(err)
	}
	changes, err := loaded.Changes()
	if err != nil {
		t.Fatal(err)
	}
	store.apply(changes)
	if _, ok := store[keyLegacy]; ok || len(store) < 5 {
		t.Fatalf("after the first save the whole state is still there, or no parts: %d parts", len(store))
	}
	checkLoadsAs(t, store, s, "the parts hold another state than the whole state they replaced")
}

func TestStreamRefusesDamagedParts(t *testing.T) {
	_, parts := savedStream(t)
	if err := (&Stream{}).Load(parts); err != nil {
		t.Fatalf("the parts as saved: %v", err)
	}
	for i, p := range parts {
		// cut short
		bad := slices.Clone(parts)
		bad[i].Data = p.Data[:len(p.Data)/2]
		if err := (&Stream{}).Load(bad); err == nil {
			t.Errorf("part %s cut short was accepted", p.Key)
		}
		// missing
		if err := (&Stream{}).Load(slices.Delete(slices.Clone(parts), i, i+1)); err == nil {
			t.Errorf("a state without part %s was accepted", p.Key)
		}
	}
	for _, extra := range []storyline.StatePart{{Key: "e/999", Data: parts[1].Data}, {Key: "zz", Data: []byte{0}},
		{Key: keyLegacy, Data: []byte("whole")}, {Key: "df/x", Data: []byte{0, 0}}, parts[0]} {
		if err := (&Stream{}).Load(append(slices.Clone(parts), extra)); err == nil {
			t.Errorf("a state with an extra part %q was accepted", extra.Key)
		}
	}
	// an event pointing at a story that is not there
	var e enc
	putCluster(&e, clusterState{Docs: 1}, 99, "ev_x")
	bad := slices.Clone(parts)
	for i := range bad {
		if bad[i].Key == "e/0" {
			bad[i].Data = e
		}
	}
	if err := (&Stream{}).Load(bad); err == nil {
		t.Error("an event in no story was accepted")
	}
	if err := (&Stream{}).Load(nil); err == nil {
		t.Error("no parts at all were accepted as a state")
	}
}

// TestClusterPartHoldsEveryField guards putCluster: a field added to
// clusterState must be written to the cluster's part too.
func TestClusterPartHoldsEveryField(t *testing.T) {
	var cs clusterState
	v := reflect.ValueOf(&cs).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Int:
			f.SetInt(int64(7 + i))
		case reflect.Map:
			m := reflect.MakeMap(f.Type())
			m.SetMapIndex(reflect.ValueOf("w:bridge").Convert(f.Type().Key()), reflect.ValueOf(2.5).Convert(f.Type().Elem()))
			f.Set(m)
		case reflect.Struct:
			if f.Type() != reflect.TypeOf(time.Time{}) {
				t.Fatalf("field %s: a struct this test cannot fill", v.Type().Field(i).Name)
			}
			f.Set(reflect.ValueOf(time.Date(2025, 3, 1+i, 9, 0, 0, 0, time.UTC)))
		default:
			t.Fatalf("field %s of kind %s: this test cannot fill it", v.Type().Field(i).Name, f.Kind())
		}
	}
	var e enc
	putCluster(&e, cs, 3, "ev_1")
	d := dec{b: e}
	got, link, id := getCluster(&d)
	if d.err != nil || len(d.b) != 0 || link != 3 || id != "ev_1" {
		t.Fatalf("read back: err %v, %d bytes left, link %d, id %q", d.err, len(d.b), link, id)
	}
	if !reflect.DeepEqual(got, cs) {
		t.Errorf("a cluster's part lost fields:\n got %+v\nwant %+v", got, cs)
	}
}

// checkLive checks that the clusterer's liveness by cluster, as the
// candidates' search reads it, is that of its clusters.
func checkLive(t *testing.T, c *Clusterer) {
	t.Helper()
	for _, k := range []struct {
		name string
		cs   []*cluster
		live flags
	}{{"event", c.events, c.eventLive}, {"story", c.story, c.storyLive}} {
		if k.live.n != len(k.cs) || len(k.live.w) != (k.live.n+63)/64 {
			t.Fatalf("%d %ss, liveness of %d in %d words", len(k.cs), k.name, k.live.n, len(k.live.w))
		}
		for i, cl := range k.cs {
			if k.live.has(int32(i)) != cl.live() {
				t.Fatalf("%s %d: live %v, listed as %v", k.name, i, cl.live(), k.live.has(int32(i)))
			}
		}
	}
}

// TestLivePartIsStatePart checks that the part a save writes of a
// cluster in memory (putLive) reads back as the cluster's state.
func TestLivePartIsStatePart(t *testing.T) {
	s := NewStream(Options{}, 2000)
	all := manyArticles(600)
	res := topicPeople(all)
	for i, m := range res.Mentions {
		res.Mentions[i] = append(m, m...) // the topic's person four times: a protagonist
	}
	s.Add(all, res)
	n := 0
	for _, cs := range [][]*cluster{s.c.events, s.c.story} {
		for i, cl := range cs {
			var e enc
			putLive(&e, cl, s.c.names, i, "id")
			d := dec{b: e}
			got, link, id := getCluster(&d)
			if want := stateOf(cl, s.c.names); d.err != nil || len(d.b) != 0 || link != i || id != "id" || !reflect.DeepEqual(got, want) {
				t.Fatalf("cluster %d: read back %+v (%v), want %+v", i, got, d.err, want)
			}
			if cl.live() && len(cl.lead) > 0 {
				n++
			}
		}
	}
	if n == 0 {
		t.Error("no event with protagonists: the test does not cover them")
	}
}

// TestChangesOfAStreamKeptInMemory saves a stream kept in memory after
// every batch, over a span in which events and stories retire, and checks
// that the clusters the store then holds are those a whole save writes,
// though each save looked only at the clusters in reach, those retired
// since and the new ones.
func TestChangesOfAStreamKeptInMemory(t *testing.T) {
	all := manyArticles(6000)
	for i := range all {
		// four hours apart: a thousand days, so that stories retire too
		all[i].Published = all[0].Published.Add(time.Duration(i) * 4 * time.Hour)
	}
	s := NewStream(Options{}, 2000)
	store := partStore{}
	for b := 0; b < len(all); b += 300 {
		s.Add(all[b:min(b+300, len(all))], entity.Result{})
		store.save(t, s)
	}
	retiredE, retiredS := 0, 0
	for _, cl := range s.c.events {
		if !cl.live() {
			retiredE++
		}
	}
	for _, cl := range s.c.story {
		if !cl.live() {
			retiredS++
		}
	}
	if retiredE == 0 || retiredS == 0 {
		t.Fatalf("%d events and %d stories retired: the test does not cover retiring", retiredE, retiredS)
	}
	checkLive(t, s.c)
	if n := len(s.saved.events.live); n > len(s.c.liveEvents) {
		t.Errorf("%d events' marks kept, %d events in reach", n, len(s.c.liveEvents))
	}
	// what the saves wrote, batch after batch, is the whole state: the
	// maps' changes (frequencies, indexes with entries retired, the
	// duplicates' references pruned) are all in the logs
	checkLoadsAs(t, store, s, "a stream loaded from the parts saved holds another state than the stream kept in memory")
	s.saved = nil
	whole, err := s.Changes()
	if err != nil {
		t.Fatal(err)
	}
	clusters := 0
	for _, p := range whole {
		if !strings.HasPrefix(p.Key, preEvent) && !strings.HasPrefix(p.Key, preStory) {
			continue
		}
		clusters++
		got, ok := store[p.Key]
		if !ok {
			t.Fatalf("part %s missing from the store", p.Key)
		}
		dw, dg := dec{b: p.Data}, dec{b: got}
		cw, lw, iw := getCluster(&dw)
		cg, lg, ig := getCluster(&dg)
		if !reflect.DeepEqual(cw, cg) || lw != lg || iw != ig {
			t.Fatalf("part %s: the store holds %v %d %s, a whole save %v %d %s", p.Key, cg, lg, ig, cw, lw, iw)
		}
	}
	if clusters != len(s.c.events)+len(s.c.story) {
		t.Errorf("a whole save wrote %d clusters of %d", clusters, len(s.c.events)+len(s.c.story))
	}
}

// TestChangesListEveryChangedKey checks that every key of the maps a save
// logs (document frequencies, event and story indexes, the duplicates'
// references) whose value changed in a batch is among those the stream
// listed as changed, whatever changed it: counting, indexing, retiring,
// story merges, pruning.
func TestChangesListEveryChangedKey(t *testing.T) {
	for _, eras := range []bool{false, true} {
		all := manyArticles(6000)
		for i := range all {
			// four hours apart, so that events and stories retire
			all[i].Published = all[0].Published.Add(time.Duration(i) * 4 * time.Hour)
			if eras {
				// the words change every 500 articles, so that whole
				// index entries retire
				all[i].Text = strings.NewReplacer("0", "a", "1", "b", "2", "c").Replace(all[i].Text) + fmt.Sprintf(" era%d", i/500)
				all[i].Text = strings.ReplaceAll(all[i].Text, " ", fmt.Sprintf("x%d ", i/500))
			}
		}
		s := NewStream(Options{}, 2000)
		var df map[string]int
		var ei, si map[string][]int
		var refs map[string]ref
		deleted, merges := 0, 0
		for b := 0; b < len(all); b += 300 {
			batch := all[b:min(b+300, len(all))]
			s.Add(batch, topicPeople(batch))
			merges += len(s.Merges())
			curDF, curEI, curSI := s.c.dfMap(), indexMap(s.c.names, s.c.eventIndex), indexMap(s.c.names, s.c.storyIndex)
			for k := range ei {
				if _, ok := curEI[k]; !ok {
					deleted++
				}
			}
			if b > 0 {
				ch := &s.c.changed
				listed := map[string]bool{}
				for _, id := range ch.df.ids {
					listed["df "+s.c.names[id]] = true
				}
				for _, id := range ch.eventIndex.ids {
					listed["ei "+s.c.names[id]] = true
				}
				for _, id := range ch.storyIndex.ids {
					listed["si "+s.c.names[id]] = true
				}
				for _, k := range s.refsChanged.keys {
					listed["rf "+k] = true
				}
				check := func(name string, changed []string) {
					for _, k := range changed {
						if !listed[name+" "+k] {
							t.Fatalf("eras %v, batch %d: %s %q changed, not listed", eras, b/300, name, k)
						}
					}
				}
				check("df", diffKeys(df, curDF, func(a, b int) bool { return a == b }))
				check("ei", diffKeys(ei, curEI, slices.Equal[[]int]))
				check("si", diffKeys(si, curSI, slices.Equal[[]int]))
				check("rf", diffKeys(refs, s.refs, func(a, b ref) bool { return a == b }))
			}
			if _, err := s.Changes(); err != nil {
				t.Fatal(err)
			}
			df, refs = s.c.dfMap(), maps.Clone(s.refs)
			ei, si = indexMap(s.c.names, s.c.eventIndex), indexMap(s.c.names, s.c.storyIndex)
		}
		checkLive(t, s.c)
		if eras && deleted == 0 {
			t.Error("no index entry deleted: the test does not cover retiring whole entries")
		}
		if merges == 0 {
			t.Errorf("eras %v: no story merged: the test does not cover merges", eras)
		}

	}
}

// diffKeys returns the keys set, changed or deleted from before to after.
func diffKeys[V any](before, after map[string]V, eq func(a, b V) bool) []string {
	var out []string
	for k, v := range after {
		if old, ok := before[k]; !ok || !eq(old, v) {
			out = append(out, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// namedDocs returns the documents of articles with the names res found
// in them, as the pipeline hands them to the clusterer.
func namedDocs(articles []storyline.Article, res entity.Result) []Doc {
	docs := make([]Doc, len(articles))
	for i, a := range articles {
		docs[i] = Doc{ID: a.ID, Time: a.Published, Title: a.Title, Text: a.Text}
		docs[i].AddNames(res.Mentions[i], res.Entities, nil)
	}
	return docs
}

// topicPeople makes the entities of articles of manyArticles: each names
// the person of its topic twice, and one in three the person of the next
// topic too, so that stories meet and merge.
func topicPeople(articles []storyline.Article) entity.Result {
	var res entity.Result
	ids := map[int]int{}
	person := func(topic int) int {
		if i, ok := ids[topic]; ok {
			return i
		}
		ids[topic] = len(res.Entities)
		res.Entities = append(res.Entities, storyline.Entity{ID: fmt.Sprintf("p%d", topic), Name: fmt.Sprintf("Person Number%d", topic), Type: storyline.Person})
		return ids[topic]
	}
	for i, a := range articles {
		var topic int
		fmt.Sscanf(a.Title, "Topic %d", &topic)
		m := []entity.Linked{{Entity: person(topic)}, {Entity: person(topic)}}
		if i%3 == 0 {
			m = append(m, entity.Linked{Entity: person((topic + 1) % 40)})
		}
		res.Mentions = append(res.Mentions, m)
	}
	return res
}

// TestStreamRefusesBadSplits: the stories splits opened, and those they
// left, are read from the saved state as untrusted input.
func TestStreamRefusesBadSplits(t *testing.T) {
	s, parts := savedStream(t)
	withSplits := func(pairs []int) []storyline.StatePart {
		return withMeta(t, parts, func(m *metaState) { m.SplitFrom = pairs })
	}
	n := len(s.c.story)
	if n < 3 {
		t.Fatalf("%d stories; the test needs 3", n)
	}
	loaded := &Stream{}
	if err := loaded.Load(withSplits([]int{1, 0, 2, 1})); err != nil {
		t.Fatalf("splits in range: %v", err)
	}
	if want := []splitPair{{1, 0}, {2, 1}}; !reflect.DeepEqual(loaded.c.splitFrom, want) {
		t.Errorf("splits loaded %v, want %v", loaded.c.splitFrom, want)
	}
	if got := loaded.c.splitPairs(); !reflect.DeepEqual(got, []int{1, 0, 2, 1}) {
		t.Errorf("splits saved again as %v", got)
	}
	for _, bad := range [][]int{{1}, {0, 0}, {1, -1}, {n, 0}, {2, 3}, {2, 0, 1, 0}, {2, 0, 2, 1}} {
		if err := (&Stream{}).Load(withSplits(bad)); err == nil {
			t.Errorf("splits %v were accepted", bad)
		}
	}
}

// savedStream places streamArticles in a new Stream and returns it with
// the parts its first save writes.
func savedStream(t *testing.T) (*Stream, []storyline.StatePart) {
	t.Helper()
	all := streamArticles()
	s := NewStream(Options{}, 0)
	s.Add(all, entity.Resolve(entity.Docs(all)))
	parts, err := s.Changes()
	if err != nil {
		t.Fatal(err)
	}
	return s, parts
}

// withMeta returns a copy of a saved state's parts whose meta part was
// decoded, changed by edit and encoded again.
func withMeta(t *testing.T, parts []storyline.StatePart, edit func(*metaState)) []storyline.StatePart {
	t.Helper()
	out := slices.Clone(parts)
	for i, p := range out {
		if p.Key != keyMeta {
			continue
		}
		var meta metaState
		if err := gob.NewDecoder(bytes.NewReader(p.Data)).Decode(&meta); err != nil {
			t.Fatal(err)
		}
		edit(&meta)
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(meta); err != nil {
			t.Fatal(err)
		}
		out[i].Data = buf.Bytes()
	}
	return out
}
