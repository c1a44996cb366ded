package story

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/text"
)

func day(d int) time.Time { return time.Date(2025, 3, d, 9, 0, 0, 0, time.UTC) }

func TestEventsAndStories(t *testing.T) {
	bridge := func(i int, d time.Time) Doc {
		return Doc{ID: fmt.Sprint("b", i), Time: d, Title: "Harbour bridge reopens after cable repairs",
			Text:     fmt.Sprintf("The harbour bridge reopened to traffic after engineers replaced forty steel cables, the council said. Report %d.", i),
			Entities: []string{"council", "bridge"}}
	}
	ferry := func(i int, d time.Time) Doc {
		return Doc{ID: fmt.Sprint("f", i), Time: d, Title: "Ferry crews strike over pay",
			Text:     fmt.Sprintf("Ferry crews walked out over pay and the morning crossings were cancelled, the union said. Report %d.", i),
			Entities: []string{"union", "ferry"}}
	}
	docs := []Doc{bridge(1, day(1)), ferry(1, day(1)), bridge(2, day(2)), ferry(2, day(2)), bridge(3, time.Time{})}
	r := Cluster(docs, Options{})
	if r.EventOf[0] != r.EventOf[2] || r.EventOf[0] != r.EventOf[4] {
		t.Errorf("bridge reports split: %v", r.EventOf)
	}
	if r.EventOf[0] == r.EventOf[1] || r.StoryOf(0) == r.StoryOf(1) {
		t.Errorf("bridge and ferry merged: events %v", r.EventOf)
	}
	if len(r.Events) != 2 || len(r.Stories) != 2 {
		t.Errorf("events %v stories %v", r.Events, r.Stories)
	}
	// the same story two months later is another event
	late := bridge(9, day(1).AddDate(0, 2, 0))
	late.Text = "Two months on, the harbour bridge closed again after a cable snapped, the council said."
	late.Title = "Harbour bridge closes again"
	r2 := Cluster(append(docs, late), Options{})
	if r2.EventOf[5] == r2.EventOf[0] {
		t.Errorf("a report two months later joined the first event")
	}
	// deterministic
	r3 := Cluster(docs, Options{})
	if fmt.Sprint(r3) != fmt.Sprint(r) {
		t.Error("same input, other clusters")
	}
}

func TestDecay(t *testing.T) {
	c := &cluster{body: &body{}}
	c.addTerms([]string{"w:x"}, day(10), []term{{0, 1}}, nil)
	if c.decay(day(10), 3) != 1 || c.decay(time.Time{}, 3) != 1 {
		t.Error("no decay within the span or without a date")
	}
	if d := c.decay(day(16), 3); d > 0.2 || d <= 0 {
		t.Errorf("six days off a 3-day scale: %.3f", d)
	}
}

// TestParticipants: two title fights of one champion, undated, share
// their words and the champion; the challenger, named throughout each
// report and never in the other's, keeps them apart. A report of the
// first fight that quotes a trainer of its own at length still joins it.
func TestParticipants(t *testing.T) {
	rep := func(id string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id
		}
		return out
	}
	fight := func(i int, challenger string, extra ...string) Doc {
		ents := append(append(rep("brandt", 5), rep(challenger, 5)...), "federation", "arena")
		return Doc{ID: fmt.Sprint(challenger, i), Title: "Brandt stops challenger to keep his heavyweight belts",
			Text: fmt.Sprintf("Champion Brandt stopped his challenger in the sixth round to keep the heavyweight belts of the federation. "+
				"The challenger went down twice before the referee waved it off at the arena. Report %d.", i),
			Entities: append(ents, extra...)}
	}
	first := []Doc{fight(1, "dorsey"), fight(2, "dorsey"), fight(3, "dorsey")}
	second := fight(1, "fenwick")
	second.Title = "Brandt keeps heavyweight belts with late stoppage"
	second.Text = "Brandt kept the heavyweight belts of the federation when the referee stopped the bout in the ninth round. " +
		"The champion had dropped his challenger with a right hand at the stadium, and the crowd of forty thousand rose."
	trainer := fight(4, "dorsey", rep("okafor", 4)...)
	r := Cluster(append(first, second, trainer), Options{})
	if r.EventOf[0] != r.EventOf[1] || r.EventOf[0] != r.EventOf[2] {
		t.Fatalf("reports of one fight split: %v", r.EventOf)
	}
	if r.EventOf[3] == r.EventOf[0] {
		t.Errorf("a fight with another challenger joined the first: %v", r.EventOf)
	}
	if r.EventOf[4] != r.EventOf[0] {
		t.Errorf("a report of the first fight that quotes its own trainer was kept out: %v", r.EventOf)
	}
	if r.StoryOf(3) != r.StoryOf(0) {
		t.Errorf("the two fights of one champion are not one story: %v", r.StoryOfEvent)
	}
}

func TestConflicts(t *testing.T) {
	ev := &cluster{docs: 3, body: &body{lead: []leadCount{{"brandt", 3}, {"dorsey", 3}, {"okafor", 1}}}}
	for _, c := range []struct {
		mentions map[string]int
		want     bool
	}{
		{map[string]int{"brandt": 5, "fenwick": 5}, true},               // new challenger, Dorsey never named
		{map[string]int{"brandt": 5, "fenwick": 5, "dorsey": 1}, false}, // Dorsey named: a later fight may look back
		{map[string]int{"brandt": 5, "okafor": 5}, false},               // Okafor was a protagonist before
		{map[string]int{"brandt": 5, "fenwick": 3}, false},              // no new protagonist: named too few times
	} {
		mentions, prot := protagonists(expand(c.mentions), nil, nil)
		if got := ev.conflicts(mentions, prot); got != c.want {
			t.Errorf("%v: conflict %v, want %v", c.mentions, got, c.want)
		}
	}
	one := &cluster{docs: 1, body: &body{lead: []leadCount{{"brandt", 1}, {"dorsey", 1}}}}
	if m := []leadCount{{"brandt", 5}, {"fenwick", 5}}; one.conflicts(m, []string{"brandt", "fenwick"}) {
		t.Error("an event of one article judged")
	}
}

func expand(m map[string]int) []string {
	var out []string
	for e, n := range m {
		for range n {
			out = append(out, e)
		}
	}
	return out
}

// TestParticipantsAcrossBatches: a store resolves entities batch by batch,
// and a batch that names the champion by surname alone knows him under
// another entity than the batch that gave his full name. A later report
// of the same fight still joins its event: protagonists are judged by
// surname, not by the batch's entity.
func TestParticipantsAcrossBatches(t *testing.T) {
	day := time.Date(2025, 4, 12, 20, 0, 0, 0, time.UTC)
	art := func(i int, title, body string) storyline.Article {
		return storyline.Article{ID: fmt.Sprint("r", i), Title: title, Text: body, Published: day.Add(time.Duration(i) * time.Hour)}
	}
	first := []storyline.Article{
		art(1, "Brandt stops Dorsey to keep his heavyweight belts",
			"Hasim Brandt stopped Carl Dorsey in the sixth round to keep the heavyweight belts. Mr Brandt had Carl Dorsey down "+
				"twice before the referee waved it off. Mr Brandt said Carl Dorsey was brave, and Mr Brandt will fight again in the autumn."),
		art(2, "Champion Brandt too strong for Dorsey",
			"Carl Dorsey never found his range against Hasim Brandt, who won in six rounds. Mr Brandt praised Carl Dorsey after "+
				"the stoppage. Carl Dorsey went down from a right hand; Mr Brandt now has nine title defences. Mr Brandt celebrated with his family."),
		art(3, "Sixth-round win keeps heavyweight titles with Brandt",
			"A sold-out arena watched Hasim Brandt beat Carl Dorsey. The referee stopped the bout in the sixth round after Carl Dorsey "+
				"was floored a second time. Mr Brandt, who weighed in heavier, dominated. Carl Dorsey's corner did not protest, and Mr Brandt left the ring smiling. Mr Brandt will defend the belts in the autumn."),
	}
	later := []storyline.Article{art(5, "Dorsey beaten in six rounds as Brandt retains titles",
		"Carl Dorsey lost in the sixth round on Saturday night. Brandt floored Carl Dorsey twice with a left hook, "+
			"and the referee stopped the heavyweight contest. Brandt retains his belts, and Carl Dorsey said he wants a rematch. "+
			"Brandt told reporters he would box again in the autumn; Mr Brandt thanked the crowd.")}
	s := NewStream(Options{}, 0)
	placed := s.Add(first, entity.Resolve(entity.Docs(first)))
	res := entity.Resolve(entity.Docs(later))
	placed = append(placed, s.Add(later, res)...)
	for _, a := range placed[1:] {
		if a.Event != placed[0].Event {
			t.Errorf("%s placed in %s, the fight's event is %s", a.Article, a.Event, placed[0].Event)
		}
	}
}

func TestLeadKey(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"Wladimir Klitschko", "Klitschko", true},
		{"Hasim Rahman", "Rahman", true},
		{"Hasim Rahman", "Tony Thompson", false},
		{"Vladimir Putin", "Путин", true},
		{"", "Rahman", false},
	} {
		if got := leadKey(c.a) == leadKey(c.b); got != c.same {
			t.Errorf("%q and %q: same key %v, want %v (%q, %q)", c.a, c.b, got, c.same, leadKey(c.a), leadKey(c.b))
		}
	}
}

// TestRetiredClustersKeepARecord runs a stream of two years, a report a
// day from each of eight towns, and checks that events and stories the
// stream left behind keep only their record (span and size, no centroid),
// that a clusterer keeping no Result places every report as one that does,
// and that Counts agrees with the Result.
func TestRetiredClustersKeepARecord(t *testing.T) {
	towns := []string{"Ashford", "Brampton", "Calder", "Dunmore", "Elgin", "Fenwick", "Garstang", "Hexham"}
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	var docs []Doc
	for d := 0; d < 730; d++ {
		for k, town := range towns {
			// a new event every fortnight in each town
			n := d / 14
			// each event has words of its own: "kappa12x", "lamed12x", ...
			var words []string
			for _, w := range []string{"kappa", "lamed", "mosse", "nuvel", "orpin", "pelta"} {
				words = append(words, fmt.Sprintf("%s%d%s", w, n, town[:2]))
			}
			docs = append(docs, Doc{ID: fmt.Sprint(town, d), Time: start.AddDate(0, 0, d),
				Title:    fmt.Sprintf("%s %s %s", town, words[0], words[1]),
				Text:     fmt.Sprintf("Councillors in %s debated the %s; stage %d.", town, strings.Join(words, " and the "), d%14),
				Entities: []string{fmt.Sprintf("%s council", town), fmt.Sprintf("plan %d-%d", k, n)}})
		}
	}
	all := New(Options{})
	streaming := New(Options{})
	streaming.Forget()
	for i, d := range docs {
		e1, s1 := all.Add(d)
		e2, s2 := streaming.Add(d)
		if e1 != e2 || s1 != s2 {
			t.Fatalf("report %d: event/story %d/%d, without a Result %d/%d", i, e1, s1, e2, s2)
		}
	}
	r := all.Result()
	if ev, st := streaming.Counts(); ev != len(r.Events) || st != len(r.Stories) {
		t.Errorf("Counts %d events, %d stories; Result %d, %d", ev, st, len(r.Events), len(r.Stories))
	}
	if len(streaming.res.EventOf) != 0 || len(streaming.res.Events) != 0 {
		t.Error("a clusterer told to forget kept a Result")
	}
	if len(r.Events) < 100 {
		t.Fatalf("only %d events: the test does not cover retiring", len(r.Events))
	}
	for i, cl := range streaming.events[:10] {
		if cl.live() || cl.body != nil || cl.docs == 0 || cl.newest.IsZero() {
			t.Errorf("event %d, two years behind: live %v, body %v, docs %d, newest %v", i, cl.live(), cl.body != nil, cl.docs, cl.newest)
		}
	}
	if last := streaming.events[len(streaming.events)-1]; !last.live() {
		t.Error("the latest event retired")
	}
	// no posting list of the event index starts with a retired event, and
	// the words of the first fortnight's events (retired) are gone
	index := indexMap(streaming.names, streaming.eventIndex)
	for k, ids := range index {
		if len(ids) == 0 || !streaming.events[ids[0]].live() {
			t.Errorf("the index entry %s leads first to a retired event: %v", k, ids)
		}
	}
	if ids, ok := index["w:kappa0a"]; ok {
		t.Errorf("a word of retired events only is still indexed: %v", ids)
	}
	// the sweep (every retireEvery reports) looks at those in reach only
	if len(streaming.liveEvents)*2 > len(streaming.events) {
		t.Errorf("%d events of %d listed in reach", len(streaming.liveEvents), len(streaming.events))
	}
}

// TestYearsAreTerms checks that the years an article mentions are terms of
// its words, and other numbers are not.
func TestYearsAreTerms(t *testing.T) {
	d := Doc{Title: "Quake shakes the island again in 2008",
		Text: "The 5.9 quake hit at 10:30 and 250 homes were damaged; the island was shaken in 1997 too, 12 hurt (2 badly). Not 1899, not 2100, not 20088."}
	got := map[string]float64{}
	eachTerm(&d, &termScratch{}, func(kind termKind, b []byte, k string, w float64) {
		if k == "" {
			k = string(b)
		}
		got[prefixes[kind]+k] += w
	})
	for k, want := range map[string]float64{"w:2008": 2, "w:1997": 1} {
		if got[k] != want {
			t.Errorf("%s weighs %v, want %v (terms %v)", k, got[k], want, got)
		}
	}
	for _, k := range []string{"w:5.9", "w:10:30", "w:250", "w:12", "w:2", "w:1899", "w:2100", "w:20088"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s is a term", k)
		}
	}
}

// TestTokenise checks the tokeniser against the rule it implements, run
// on strings: each word trimmed of dots and lowered (strings.ToLower), a
// year kept, a word of three letters or more not a stopword stemmed, in
// the order of first mention; and that the clusterer counting an
// untokenised document finds the same terms.
func TestTokenise(t *testing.T) {
	d := Doc{Title: "Talks ÉCOLE Résumé 2008 THE Bridges",
		Text:     "The talks. Talking on BRIDGES, the bridge's Ünïcode WORDS \xff\xfeBAD\xc3 and...Dots... 1999 İstanbul Ὀδυσσεύς talks",
		Entities: []string{"p1", "p2", "p1"}, Names: []string{"n1", "p1"}}
	type tc struct {
		k  string
		tf float64
	}
	var want []tc
	at := map[string]int{}
	add := func(k string, w float64) {
		if i, ok := at[k]; ok {
			want[i].tf += w
			return
		}
		at[k] = len(want)
		want = append(want, tc{k, w})
	}
	for _, part := range []struct {
		s string
		w float64
	}{{d.Title, 2}, {d.Text, 1}} {
		for _, tok := range text.Words(part.s) {
			w := strings.ToLower(strings.Trim(tok.Text, "."))
			if isYear([]byte(w)) {
				add("w:"+w, part.w)
				continue
			}
			if len([]rune(w)) < 3 || stopwords[w] || !hasLetter([]byte(w)) {
				continue
			}
			add("w:"+w[:stemmed([]byte(w))], part.w)
		}
	}
	for _, e := range d.Entities {
		add("e:"+e, 3)
	}
	for _, n := range d.Names {
		add("o:"+n, 3)
	}
	var got []tc
	tk := &tokeniser{}
	for _, x := range tk.tokenise(&d, nil) {
		got = append(got, tc{prefixes[tk.v.kinds[x.at]] + tk.v.keys[x.at], x.tf})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tokenised:\n got %v\nwant %v", got, want)
	}
	c := New(Options{})
	got = got[:0]
	for _, x := range c.count(d) {
		got = append(got, tc{c.names[x.id], x.tf})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("counted:\n got %v\nwant %v", got, want)
	}
	if len(want) < 10 {
		t.Errorf("only %d terms: %v", len(want), want)
	}
}
