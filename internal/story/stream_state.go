package story

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/dedup"
)

// A Stream's state is saved as parts (storyline.StatePart), so that a
// batch writes what it changed, not the whole state (docs/ARCHITECTURE.md):
//
//	meta            the counters, the options, the size of everything below
//	e/N, s/N        event N, story N: its centroid, span, story or parent, ID
//	df/…, ei/…, si/…, nm/…, rf/…
//	                the document frequencies, the event and story indexes,
//	                the names and the duplicates' references, each a base
//	                (…/0000000000) and the changes made since (…/0000000001, …)
//	ei+/…, si+/…    the changes of the event and story indexes' posting
//	                lists, as deltas (see logIndexChanges), numbered with
//	                the changes of ei/… and si/… (format 4; format 3 logged
//	                a changed list whole, under ei/… and si/…)
//	d/P             the duplicate index's articles from position P on
//
// The maps are logs: a batch appends the entries it changed; when the
// changes outweigh the base, the next save writes the base again and
// drops them. What a batch writes is then proportional to the batch, and
// what a load reads at most about twice the state.

// partsFormat is the version of the parts; a state of another version is
// refused rather than misread. A state of format 3 (whose posting lists'
// changes were logged whole) loads too: its logs read as they were
// written, and the deltas a save adds follow them.
const (
	partsFormat    = 4
	oldPartsFormat = 3
)

const (
	keyMeta   = "meta"
	keyLegacy = "stream" // a whole state of MarshalBinary (format 2), as stores kept it before parts
	preEvent  = "e/"
	preStory  = "s/"
	preDups   = "d/"
)

// minCompact is the size the changes of a map reach before its base is
// written again, for small bases.
var minCompact = 256 << 10

// metaState is the part "meta".
type metaState struct {
	Format          int
	Opt             Options
	Latest          time.Time
	N               int
	Merged          []int
	SplitFrom       []int       // see streamState; absent from states saved before
	Published       []time.Time // see streamState; absent from states saved before
	Events, Stories int
	DupWindow       int
	DupNext         int64
	DupLen          int
}

// mark is what tells that a cluster changed since it was saved: a cluster
// changes only when it gains documents (an article or a merged story),
// when it retires (its centroid is dropped) or, for a story, when it is
// merged into another.
type mark struct {
	docs, terms, link int
	live              bool
}

func markOf(cl *cluster, link int) mark {
	m := mark{docs: cl.docs, link: link, live: cl.live()}
	if m.live {
		m.terms = cl.size()
	}
	return m
}

// marks are what a Stream knows of the clusters of one kind the store
// holds: those of an index below n are saved, and live holds the marks of
// those that were in reach when saved. A cluster out of reach changes no
// more, unless a document joins it again (and it is in reach again), so
// nothing of it is kept, and Changes looks only at the clusters in reach,
// those retired since, and the new ones.
type marks struct {
	n    int
	live map[int]mark
}

// saved is what a Stream knows of the state the store holds: what
// Changes compares the stream with.
type saved struct {
	legacy          bool // loaded from a whole state: the next save replaces it by parts
	events, stories marks
	df              mapLog
	eventIndex      mapLog
	storyIndex      mapLog
	names           mapLog
	refs            mapLog
	dupNext         int64
	dupChunks       []int64 // the start positions of the saved d/ parts, in order
	dupEnds         []int64
}

func newSaved() *saved {
	return &saved{events: marks{live: map[int]mark{}}, stories: marks{live: map[int]mark{}}, df: mapLog{name: "df"}, eventIndex: mapLog{name: "ei"}, storyIndex: mapLog{name: "si"},
		names: mapLog{name: "nm"}, refs: mapLog{name: "rf"}}
}

// Changes returns the parts of the stream's state that changed since it
// was loaded (Load) or since Changes was last called, and counts them as
// saved from then on: the parts to give the store's SaveClustering. A
// new stream's first changes are its whole state.
func (s *Stream) Changes() ([]storyline.StatePart, error) {
	if s.saved == nil {
		s.saved = newSaved()
	}
	sv, c := s.saved, s.c
	c.track = true // from now on, the clusters retired are listed for the next save
	var out []storyline.StatePart
	if sv.legacy {
		out = append(out, storyline.StatePart{Key: keyLegacy})
		sv.legacy = false
	}
	meta := metaState{Format: partsFormat, Opt: c.opt, Latest: c.latest, N: c.n, Merged: c.merged, SplitFrom: c.splitPairs(), Published: []time.Time{c.published},
		Events: len(c.events), Stories: len(c.story), DupWindow: s.dups.Window(), DupNext: s.dups.Next(), DupLen: s.dups.Len()}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(meta); err != nil {
		return nil, fmt.Errorf("story: save stream: %w", err)
	}
	out = append(out, storyline.StatePart{Key: keyMeta, Data: buf.Bytes()})
	clusters := func(prefix string, cs []*cluster, link []int, ids []string, live, retired []int, ms *marks) {
		visit := make([]int, 0, len(live)+len(retired)+len(cs)-ms.n)
		visit = append(append(visit, live...), retired...)
		for i := ms.n; i < len(cs); i++ {
			visit = append(visit, i)
		}
		slices.Sort(visit)
		for _, i := range slices.Compact(visit) {
			cl := cs[i]
			m := markOf(cl, link[i])
			if old, ok := ms.live[i]; ok && i < ms.n && old == m {
				continue
			}
			var e enc
			putLive(&e, cl, c.names, link[i], ids[i])
			out = append(out, storyline.StatePart{Key: prefix + strconv.Itoa(i), Data: e})
			if m.live {
				ms.live[i] = m
			} else {
				delete(ms.live, i)
			}
		}
		ms.n = len(cs)
	}
	clusters(preEvent, c.events, c.storyOf, s.eventIDs, c.liveEvents, c.retiredEvents, &sv.events)
	clusters(preStory, c.story, c.parent, s.storyIDs, c.liveStories, c.retiredStories, &sv.stories)
	c.retiredEvents, c.retiredStories = c.retiredEvents[:0], c.retiredStories[:0]
	ch := &c.changed
	out = logChanges(&sv.df, c.dfEntries(), putInt, ch.df.ids, out)
	out = logIndexChanges(&sv.eventIndex, c.names, c.eventIndex, &ch.eventIndex, out)
	out = logIndexChanges(&sv.storyIndex, c.names, c.storyIndex, &ch.storyIndex, out)
	out = logChanges(&sv.names, mapEntries(s.names), stringCodec.put, s.newNames, out)
	out = logChanges(&sv.refs, mapEntries(s.refs), refCodec.put, s.refsChanged.keys, out)
	ch.df.reset()
	ch.eventIndex.reset()
	ch.storyIndex.reset()
	s.newNames = s.newNames[:0]
	s.refsChanged.reset()
	out = s.dupChanges(out)
	return out, nil
}

// dupChanges adds the duplicate index's articles added since the last
// save as one part, and drops the parts wholly out of its window.
func (s *Stream) dupChanges(out []storyline.StatePart) []storyline.StatePart {
	sv := s.saved
	next := s.dups.Next()
	first := next - int64(s.dups.Len()) // the oldest position the index holds
	if start := max(sv.dupNext, first); start < next {
		var e enc
		e.uvarint(uint64(next - start))
		for p := start; p < next; p++ {
			x, _ := s.dups.Entry(p)
			e.str(x.ID)
			for _, h := range x.Sig {
				e = binary.LittleEndian.AppendUint64(e, h)
			}
			e.varint(int64(x.Size))
		}
		out = append(out, storyline.StatePart{Key: dupKey(start), Data: e})
		sv.dupChunks, sv.dupEnds = append(sv.dupChunks, start), append(sv.dupEnds, next)
	}
	sv.dupNext = next
	k := 0
	for k < len(sv.dupChunks) && sv.dupEnds[k] <= first {
		out = append(out, storyline.StatePart{Key: dupKey(sv.dupChunks[k])})
		k++
	}
	sv.dupChunks, sv.dupEnds = sv.dupChunks[k:], sv.dupEnds[k:]
	return out
}

func dupKey(start int64) string { return fmt.Sprintf("%s%016d", preDups, start) }

// Load replaces the stream by the state saved as parts (what the
// successive Changes of a stream amount to, or a whole state of format 2
// under the key "stream"); a damaged, incomplete or foreign state is
// refused with an error.
func (s *Stream) Load(parts []storyline.StatePart) error {
	if err := s.load(parts); err != nil {
		return fmt.Errorf("story: load stream: %w", err)
	}
	return nil
}

func (s *Stream) load(parts []storyline.StatePart) error {
	byKey := make(map[string][]byte, len(parts))
	for _, p := range parts {
		if _, dup := byKey[p.Key]; dup {
			return fmt.Errorf("part %q given twice", p.Key)
		}
		byKey[p.Key] = p.Data
	}
	if legacy, ok := byKey[keyLegacy]; ok {
		if len(byKey) != 1 {
			return errors.New("a whole state and parts side by side")
		}
		if err := s.UnmarshalBinary(legacy); err != nil {
			return err
		}
		s.saved = newSaved()
		s.saved.legacy = true
		return nil
	}
	metaB, ok := byKey[keyMeta]
	if !ok {
		return errors.New("no part meta")
	}
	var meta metaState
	if err := gob.NewDecoder(bytes.NewReader(metaB)).Decode(&meta); err != nil {
		return fmt.Errorf("meta: %w", err)
	}
	if meta.Format != partsFormat && meta.Format != oldPartsFormat {
		return fmt.Errorf("state format %d, want %d", meta.Format, partsFormat)
	}
	if meta.Events < 0 || meta.Stories < 0 || meta.Events > len(parts) || meta.Stories > len(parts) {
		return errors.New("inconsistent state: counts differ")
	}
	st := streamState{Version: streamVersion, Opt: meta.Opt, Latest: meta.Latest, N: meta.N, Merged: meta.Merged, SplitFrom: meta.SplitFrom, Published: meta.Published,
		Events: make([]clusterState, meta.Events), Stories: make([]clusterState, meta.Stories),
		StoryOf: make([]int, meta.Events), Parent: make([]int, meta.Stories),
		EventIDs: make([]string, meta.Events), StoryIDs: make([]string, meta.Stories)}
	sv := newSaved()
	logs := map[string][]storyline.StatePart{}
	var dupParts []storyline.StatePart
	seenE, seenS := 0, 0
	for _, p := range parts {
		switch {
		case p.Key == keyMeta:
		case strings.HasPrefix(p.Key, preEvent), strings.HasPrefix(p.Key, preStory):
			isEvent := strings.HasPrefix(p.Key, preEvent)
			i, err := strconv.Atoi(p.Key[2:])
			n := meta.Stories
			if isEvent {
				n = meta.Events
			}
			if err != nil || i < 0 || i >= n {
				return fmt.Errorf("part %q out of range", p.Key)
			}
			d := dec{b: p.Data}
			cs, link, id := getCluster(&d)
			if d.err != nil || len(d.b) != 0 {
				return fmt.Errorf("part %q damaged", p.Key)
			}
			if isEvent {
				st.Events[i], st.StoryOf[i], st.EventIDs[i] = cs, link, id
				seenE++
			} else {
				st.Stories[i], st.Parent[i], st.StoryIDs[i] = cs, link, id
				seenS++
			}
		case strings.HasPrefix(p.Key, preDups):
			dupParts = append(dupParts, p)
		default:
			name, _, ok := strings.Cut(p.Key, "/")
			if !ok {
				return fmt.Errorf("unknown part %q", p.Key)
			}
			// the deltas of an index are read with its other logs
			logs[strings.TrimSuffix(name, deltaMark)] = append(logs[strings.TrimSuffix(name, deltaMark)], p)
		}
	}
	if seenE != meta.Events || seenS != meta.Stories {
		return errors.New("inconsistent state: clusters missing")
	}
	var err error
	if st.DF, err = loadLog(&sv.df, logs["df"], intCodec, nil); err != nil {
		return err
	}
	if st.EventIndex, err = loadLog(&sv.eventIndex, logs["ei"], intsCodec, applyDeltas); err != nil {
		return err
	}
	if st.StoryIndex, err = loadLog(&sv.storyIndex, logs["si"], intsCodec, applyDeltas); err != nil {
		return err
	}
	if st.Names, err = loadLog(&sv.names, logs["nm"], stringCodec, nil); err != nil {
		return err
	}
	if st.Refs, err = loadLog(&sv.refs, logs["rf"], refCodec, nil); err != nil {
		return err
	}
	if len(logs) > 5 {
		return errors.New("unknown parts")
	}
	dups, err := loadDups(dupParts, meta, sv)
	if err != nil {
		return err
	}
	if err := st.check(); err != nil {
		return err
	}
	s.fromState(st, dups)
	sv.events.n, sv.stories.n = len(s.c.events), len(s.c.story)
	for _, i := range s.c.liveEvents {
		sv.events.live[i] = markOf(s.c.events[i], s.c.storyOf[i])
	}
	for _, i := range s.c.liveStories {
		sv.stories.live[i] = markOf(s.c.story[i], s.c.parent[i])
	}
	s.saved = sv
	s.c.track = true
	return nil
}

// loadDups rebuilds the duplicate index from its parts.
func loadDups(parts []storyline.StatePart, meta metaState, sv *saved) (*dedup.Index, error) {
	sort.Slice(parts, func(i, j int) bool { return parts[i].Key < parts[j].Key })
	first := meta.DupNext - int64(meta.DupLen)
	if meta.DupLen < 0 || meta.DupWindow < 1 || first < 0 {
		return nil, errors.New("inconsistent state: duplicate index")
	}
	entries := make([]dedup.Entry, 0, meta.DupLen)
	at := first // the position of the next entry wanted
	for _, p := range parts {
		start, err := strconv.ParseInt(strings.TrimPrefix(p.Key, preDups), 10, 64)
		if err != nil || start < 0 {
			return nil, fmt.Errorf("part %q out of range", p.Key)
		}
		d := dec{b: p.Data}
		n := int64(d.count(dedup.Bands*dedup.Rows*8 + 2))
		if start > at {
			return nil, errors.New("inconsistent state: duplicate index incomplete")
		}
		for k := int64(0); k < n && d.err == nil; k++ {
			var x dedup.Entry
			x.ID = d.str()
			for h := range x.Sig {
				x.Sig[h] = d.u64()
			}
			x.Size = int32(d.varint())
			if p := start + k; p == at && p < meta.DupNext {
				entries = append(entries, x)
				at++
			}
		}
		if d.err != nil || len(d.b) != 0 {
			return nil, fmt.Errorf("part %q damaged", p.Key)
		}
		sv.dupChunks, sv.dupEnds = append(sv.dupChunks, start), append(sv.dupEnds, start+n)
	}
	if at != meta.DupNext {
		return nil, errors.New("inconsistent state: duplicate index incomplete")
	}
	sv.dupNext = meta.DupNext
	dups, err := dedup.Restore(meta.DupWindow, meta.DupNext, entries)
	if err != nil {
		return nil, err
	}
	return dups, nil
}

// putCluster writes a cluster's part: its ID, its story (an event) or
// parent (a story), and every field of its clusterState. The protagonists
// come last and only when there are some, so a part saved before them
// reads as an event without.
func putCluster(e *enc, cs clusterState, link int, id string) {
	e.str(id)
	e.varint(int64(link))
	e.varint(int64(cs.Docs))
	e.time(cs.Oldest)
	e.time(cs.Newest)
	e.floats(cs.Sum)
	if len(cs.Lead) > 0 {
		keys := make([]string, 0, len(cs.Lead))
		for k := range cs.Lead {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		e.uvarint(uint64(len(keys)))
		for _, k := range keys {
			e.str(k)
			e.varint(int64(cs.Lead[k]))
		}
	}
}

// putLive writes a cluster's part as putCluster(stateOf(cl, names))
// does, without making its centroid's map: the same fields, the terms of
// the centroid in the order of their IDs.
func putLive(e *enc, cl *cluster, names []string, link int, id string) {
	e.str(id)
	e.varint(int64(link))
	e.varint(int64(cl.docs))
	e.time(cl.oldest)
	e.time(cl.newest)
	if cl.body == nil {
		e.uvarint(0)
		return
	}
	// room for the terms at once: a name of about 24 bytes and its length,
	// and a weight, each (most are shorter)
	*e = slices.Grow(*e, 34*cl.size()+10)
	e.uvarint(uint64(cl.size()) + 1)
	for _, parts := range [2][]term{cl.terms.words, cl.terms.names} {
		for _, t := range parts {
			e.str(names[t.id])
			*e = binary.LittleEndian.AppendUint64(*e, math.Float64bits(t.w))
		}
	}
	if len(cl.lead) > 0 { // by key, as putCluster writes them
		e.uvarint(uint64(len(cl.lead)))
		for _, l := range cl.lead {
			e.str(l.key)
			e.varint(int64(l.n))
		}
	}
}

func getCluster(d *dec) (cs clusterState, link int, id string) {
	id = d.str()
	link = int(d.varint())
	cs.Docs = int(d.varint())
	cs.Oldest = d.time()
	cs.Newest = d.time()
	cs.Sum = d.floats()
	if len(d.b) > 0 && d.err == nil {
		n := d.count(2)
		cs.Lead = make(map[string]int, n)
		for range n {
			k := d.str()
			cs.Lead[k] = int(d.varint())
		}
	}
	return cs, link, id
}

// mapLog saves a map as a base and logs of changes (see above).
type mapLog struct {
	name    string
	started bool     // a base was saved or loaded
	base    int      // bytes of the base
	logged  int      // bytes of the logs since
	seq     int      // the number of the last log
	logs    []string // the logs' keys
}

// codec writes and reads a map's values.
type codec[V any] struct {
	put func(*enc, V)
	get func(*dec) V
}

var (
	intCodec  = codec[int]{put: putInt, get: func(d *dec) int { return int(d.varint()) }}
	intsCodec = codec[[]int]{put: func(e *enc, v []int) {
		e.uvarint(uint64(len(v)))
		for _, x := range v {
			e.varint(int64(x))
		}
	}, get: func(d *dec) []int {
		out := make([]int, d.count(1))
		for i := range out {
			out[i] = int(d.varint())
		}
		return out
	}}
	stringCodec = codec[string]{put: func(e *enc, v string) { e.str(v) }, get: func(d *dec) string { return d.str() }}
	refCodec    = codec[ref]{put: func(e *enc, v ref) { e.varint(int64(v.Event)); e.str(v.Root) },
		get: func(d *dec) ref { return ref{Event: int(d.varint()), Root: d.str()} }}
)

func putInt(e *enc, v int) { e.varint(int64(v)) }

// putInt32s writes a posting list as intsCodec does.
func putInt32s(e *enc, v []int32) {
	e.uvarint(uint64(len(v)))
	for _, x := range v {
		e.varint(int64(x))
	}
}

// entries is a map as a save reads it, by keys of type K: the value of a
// key (ok false when the map has none), the name a key is saved by, and
// every key the map holds.
type entries[K comparable, V any] struct {
	get  func(K) (V, bool)
	name func(K) string
	all  func() []K
}

// mapEntries reads a map by its own keys; all lists them in order, so
// that the same map is always saved as the same bytes.
func mapEntries[V any](m map[string]V) entries[string, V] {
	return entries[string, V]{
		get:  func(k string) (V, bool) { v, ok := m[k]; return v, ok },
		name: func(k string) string { return k },
		all:  func() []string { return slices.Sorted(maps.Keys(m)) },
	}
}

// dfEntries reads the document frequencies by term ID: a term never
// counted has none.
func (c *Clusterer) dfEntries() entries[int32, int] {
	return entries[int32, int]{
		get:  func(id int32) (int, bool) { return int(c.df[id]), c.df[id] != 0 },
		name: func(id int32) string { return c.names[id] },
		all: func() []int32 {
			var out []int32
			for id, n := range c.df {
				if n != 0 {
					out = append(out, int32(id))
				}
			}
			return out
		},
	}
}

// indexEntries reads an index by term ID: a term without posting list
// has none.
func indexEntries(names []string, index [][]int32) entries[int32, []int32] {
	return entries[int32, []int32]{
		get:  func(id int32) ([]int32, bool) { return index[id], len(index[id]) > 0 },
		name: func(id int32) string { return names[id] },
		all: func() []int32 {
			var out []int32
			for id, ids := range index {
				if len(ids) > 0 {
					out = append(out, int32(id))
				}
			}
			return out
		},
	}
}

func (m *mapLog) key(seq int) string { return fmt.Sprintf("%s/%010d", m.name, seq) }

// logChanges adds the changes of the map cur since the last save (m) to
// out: a log of the entries set and deleted, or the whole map as a new
// base when the logs would outweigh the base. changed lists the keys set
// or deleted since the last save (each once), so that the cost is that
// of the changes, not of the map.
func logChanges[K comparable, V any](m *mapLog, cur entries[K, V], put func(*enc, V), changed []K, out []storyline.StatePart) []storyline.StatePart {
	var set, del []K
	if m.started {
		for _, k := range changed {
			if _, ok := cur.get(k); ok {
				set = append(set, k)
			} else {
				del = append(del, k)
			}
		}
	}
	if m.started && len(set) == 0 && len(del) == 0 {
		return out
	}
	var log enc
	if m.started {
		log = encodeEntries(cur, set, del, put)
	}
	return m.write(log, m.key, func() enc { return encodeEntries(cur, cur.all(), nil, put) }, out)
}

// write adds to out a log of changes (when the map was saved before) under
// the key key gives its number, or the whole map, base(), as a new base
// when the logs would outweigh the base; the logs are then deleted.
func (m *mapLog) write(log enc, key func(int) string, base func() enc, out []storyline.StatePart) []storyline.StatePart {
	if m.started && m.logged+len(log) <= max(m.base, minCompact) {
		m.seq++
		k := key(m.seq)
		m.logs = append(m.logs, k)
		m.logged += len(log)
		return append(out, storyline.StatePart{Key: k, Data: log})
	}
	b := base()
	out = append(out, storyline.StatePart{Key: m.key(0), Data: b})
	for _, k := range m.logs {
		out = append(out, storyline.StatePart{Key: k})
	}
	m.started, m.base, m.logged, m.logs = true, len(b), 0, nil
	return out
}

// deltaMark marks the name of an index's logs written as deltas.
const deltaMark = "+"

func (m *mapLog) deltaKey(seq int) string { return fmt.Sprintf("%s%s/%010d", m.name, deltaMark, seq) }

// logIndexChanges adds the changes of an index since the last save (m)
// to out, as logChanges does, but logs a changed posting list as a delta
// from the list the save before holds, L, to the list now, N: the number
// p of entries kept of L and the tail T (a suffix of N), such that N is
// the last p entries of L without those of T, followed by T. A batch
// changes a list only by moving a cluster to its end (appendOnce) and by
// dropping entries from its head (a full list, retiring), so N is the
// entries of L it did not touch, in L's order, then those it appended, in
// order. Any suffix of N that holds the entries appended is a T that
// works (an entry of L in T is taken out of L's entries, and put back at
// its place): each change appends at most one, so the last n entries of
// N, n the changes of the list in the batch (ch), give the delta. A save
// then writes what the batch changed of each list, not the whole list. A
// list emptied is a delta of nothing kept and no tail.
func logIndexChanges(m *mapLog, names []string, index [][]int32, ch *postingSet, out []storyline.StatePart) []storyline.StatePart {
	if m.started && len(ch.ids) == 0 {
		return out
	}
	var log enc
	if m.started {
		log.uvarint(uint64(len(ch.ids)))
		for k, id := range ch.ids {
			cur := index[id]
			tail := cur[len(cur)-min(len(cur), int(ch.times[k])):]
			log.str(names[id])
			log.uvarint(uint64(len(cur) - len(tail)))
			putInt32s(&log, tail)
		}
	}
	return m.write(log, m.deltaKey, func() enc {
		cur := indexEntries(names, index)
		return encodeEntries(cur, cur.all(), nil, putInt32s)
	}, out)
}

// applyDeltas applies a log of deltas (see logIndexChanges) to an index
// read so far; a delta that keeps more entries than the list has is
// refused.
func applyDeltas(d *dec, out map[string][]int) error {
	for n := d.count(3); n > 0 && d.err == nil; n-- {
		k := d.str()
		keep := d.uvarint()
		tail := intsCodec.get(d)
		if d.err != nil {
			break
		}
		old := out[k]
		if keep > uint64(len(old)) {
			return errors.New("inconsistent state: a posting list shorter than its delta")
		}
		in := func(x int) bool { return slices.Contains(tail, x) }
		if len(tail) > 16 {
			set := make(map[int]struct{}, len(tail))
			for _, x := range tail {
				set[x] = struct{}{}
			}
			in = func(x int) bool { _, ok := set[x]; return ok }
		}
		// the last keep entries of old not in tail, from the end
		i, kept := len(old), 0
		for ; i > 0 && uint64(kept) < keep; i-- {
			if !in(old[i-1]) {
				kept++
			}
		}
		if uint64(kept) < keep {
			return errors.New("inconsistent state: a posting list shorter than its delta")
		}
		list := make([]int, 0, kept+len(tail))
		for _, x := range old[i:] {
			if !in(x) {
				list = append(list, x)
			}
		}
		list = append(list, tail...)
		if len(list) == 0 {
			delete(out, k)
		} else {
			out[k] = list
		}
	}
	return nil
}

func encodeEntries[K comparable, V any](cur entries[K, V], set, del []K, put func(*enc, V)) enc {
	var e enc
	e.uvarint(uint64(len(set)))
	for _, k := range set {
		e.str(cur.name(k))
		v, _ := cur.get(k)
		put(&e, v)
	}
	e.uvarint(uint64(len(del)))
	for _, k := range del {
		e.str(cur.name(k))
	}
	return e
}

// loadLog reads a map from its base and logs, and notes them as saved
// (m). delta, when not nil, applies the logs written as deltas (keys of
// m.deltaKey), read in the order of their numbers with the others.
func loadLog[V any](m *mapLog, parts []storyline.StatePart, c codec[V], delta func(*dec, map[string]V) error) (map[string]V, error) {
	seqs := make(map[string]int, len(parts))
	for _, p := range parts {
		num, isDelta := strings.CutPrefix(p.Key, m.name+deltaMark+"/")
		if !isDelta {
			num = strings.TrimPrefix(p.Key, m.name+"/")
		}
		seq, err := strconv.Atoi(num)
		if err != nil || seq < 0 || (isDelta && (delta == nil || seq == 0 || p.Key != m.deltaKey(seq))) || (!isDelta && p.Key != m.key(seq)) {
			return nil, fmt.Errorf("part %q out of range", p.Key)
		}
		seqs[p.Key] = seq
	}
	sort.Slice(parts, func(i, j int) bool { return seqs[parts[i].Key] < seqs[parts[j].Key] })
	if len(parts) == 0 || parts[0].Key != m.key(0) {
		return nil, fmt.Errorf("inconsistent state: no part %s", m.key(0))
	}
	out := map[string]V{}
	for i, p := range parts {
		seq := seqs[p.Key]
		if i > 0 && seq == m.seq {
			return nil, fmt.Errorf("part %q given twice", p.Key)
		}
		d := dec{b: p.Data}
		if p.Key == m.key(seq) {
			for n := d.count(2); n > 0 && d.err == nil; n-- {
				k := d.str()
				out[k] = c.get(&d)
			}
			for n := d.count(1); n > 0 && d.err == nil; n-- {
				delete(out, d.str())
			}
		} else if err := delta(&d, out); err != nil {
			return nil, fmt.Errorf("part %q: %w", p.Key, err)
		}
		if d.err != nil || len(d.b) != 0 {
			return nil, fmt.Errorf("part %q damaged", p.Key)
		}
		if i == 0 {
			m.base = len(p.Data)
		} else {
			m.logs = append(m.logs, p.Key)
			m.logged += len(p.Data)
		}
		m.seq = seq
	}
	m.started = true
	return out, nil
}

// enc appends values to a part; dec reads them back, noting the first
// error (a value cut short or out of range) and reading zeros after it.
type enc []byte

func (e *enc) uvarint(x uint64) { *e = binary.AppendUvarint(*e, x) }
func (e *enc) varint(x int64)   { *e = binary.AppendVarint(*e, x) }
func (e *enc) str(s string)     { e.uvarint(uint64(len(s))); *e = append(*e, s...) }
func (e *enc) time(t time.Time) {
	b, err := t.MarshalBinary()
	if err != nil { // a zone offset that is not whole minutes: keep the instant
		b, _ = t.UTC().MarshalBinary()
	}
	e.str(string(b))
}

// floats writes a vector, nil apart from empty (a retired centroid is nil).
func (e *enc) floats(v vector) {
	if v == nil {
		e.uvarint(0)
		return
	}
	e.uvarint(uint64(len(v)) + 1)
	for k, x := range v {
		e.str(k)
		*e = binary.LittleEndian.AppendUint64(*e, math.Float64bits(x))
	}
}

type dec struct {
	b   []byte
	err error
}

var errDamaged = errors.New("damaged")

func (d *dec) fail() { d.err, d.b = errDamaged, nil }

func (d *dec) uvarint() uint64 {
	x, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return x
}

func (d *dec) varint() int64 {
	x, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return x
}

// count reads a number of items of at least size bytes each, refusing
// one the rest of the part cannot hold.
func (d *dec) count(size int) int {
	n := d.uvarint()
	if n > uint64(len(d.b)/max(size, 1)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *dec) str() string {
	n := d.count(1)
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *dec) u64() uint64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	x := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return x
}

func (d *dec) time() time.Time {
	var t time.Time
	if b := d.str(); d.err == nil {
		if err := t.UnmarshalBinary([]byte(b)); err != nil {
			d.fail()
		}
	}
	return t
}

func (d *dec) floats() vector {
	n := d.uvarint()
	if n == 0 || d.err != nil {
		return nil
	}
	if n-1 > uint64(len(d.b)/9) {
		d.fail()
		return nil
	}
	v := make(vector, n-1)
	for k := uint64(1); k < n && d.err == nil; k++ {
		key := d.str()
		v[key] = math.Float64frombits(d.u64())
	}
	return v
}
