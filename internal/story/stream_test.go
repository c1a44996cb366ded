package story

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// streamArticles are three made-up topics reported over nine days, and a
// wire copy of the first report.
func streamArticles() []storyline.Article {
	topics := []string{
		"Harbour Minister Elena Marsh said the harbour bridge cables were replaced and the bridge reopened to traffic.",
		"Ferry crews of the Port Almera line walked out over pay and union leader Tom Reyes said crossings were cancelled.",
		"The Almera council voted on the port budget and Mayor Ines Okafor said the vote was close.",
	}
	var out []storyline.Article
	for i := 0; i < 18; i++ {
		out = append(out, storyline.Article{
			ID:        fmt.Sprintf("a%02d", i),
			Title:     fmt.Sprintf("Report %d", i),
			Published: time.Date(2025, 3, 1+i/2, 9, 0, 0, 0, time.UTC),
			Text:      fmt.Sprintf("%s Report number %d adds details of its own, such as %d witnesses.", topics[i%3], i, i*3),
		})
	}
	wire := out[0]
	wire.ID, wire.Title, wire.Published = "wire", "Wire copy", out[0].Published.Add(time.Hour)
	wire.Text += "\n\nSubscribe to our newsletter."
	return append(out, wire)
}

func TestStreamSavedBetweenBatchesGoesOnAsIfNeverStopped(t *testing.T) {
	all := streamArticles()
	first, second := all[:9], all[9:]
	resolve := func(as []storyline.Article) entity.Result { return entity.Resolve(entity.Docs(as)) }

	straight := NewStream(Options{}, 0)
	want := append(straight.Add(first, resolve(first)), straight.Add(second, resolve(second))...)

	s := NewStream(Options{}, 0)
	got := s.Add(first, resolve(first))
	state, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	loaded := &Stream{}
	if err := loaded.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	got = append(got, loaded.Add(second, resolve(second))...)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("a saved and loaded stream placed articles otherwise:\n got %v\nwant %v", got, want)
	}
	// and holds the same state
	if a, b := decodeState(t, straight), decodeState(t, loaded); !reflect.DeepEqual(a, b) {
		t.Error("a saved and loaded stream holds another state than one that never stopped")
	}
	stories := map[string]bool{}
	for _, a := range got {
		stories[a.Story] = true
		if a.Article == "wire" && a.CopyOf != "a00" {
			t.Errorf("the wire copy: %+v, want a copy of a00", a)
		}
	}
	if len(stories) != 3 {
		t.Errorf("%d stories, want 3: %v", len(stories), got)
	}
	// the state of a stream that went on differs from the saved one
	again, _ := loaded.MarshalBinary()
	if string(again) == string(state) {
		t.Error("the state did not change after a batch")
	}
}

func TestStreamRefusesDamagedState(t *testing.T) {
	s := NewStream(Options{}, 0)
	all := streamArticles()
	s.Add(all, entity.Resolve(entity.Docs(all)))
	state, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{nil, []byte("not a state"), state[:len(state)/2]} {
		if err := (&Stream{}).UnmarshalBinary(bad); err == nil {
			t.Errorf("a damaged state of %d bytes was accepted", len(bad))
		}
	}
}

func TestBuildIsOneBatchOfAStream(t *testing.T) {
	all := streamArticles()
	res := entity.Resolve(entity.Docs(all))
	ts := Build(all, res, Options{})
	as := NewStream(Options{}, 0).Add(all, res)
	if got := Timelines(as, all); !reflect.DeepEqual(got, ts) {
		t.Errorf("Timelines of a stream's batch differ from Build")
	}
}

func decodeState(t *testing.T, s *Stream) streamState {
	t.Helper()
	b, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var st streamState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestStoriesMergeWhenTheyTurnOutOne(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	c := New(Options{})
	// a story about the bridge, with its people and places
	for i := 0; i < 3; i++ {
		c.Add(Doc{ID: fmt.Sprint("bridge", i), Time: day(1 + i), Text: "harbour bridge cables replaced reopened traffic engineers",
			Entities: []string{"marsh", "marsh", "almera", "council"}})
	}
	// a ferry strike, at first with nobody the bridge story names: a story of its own
	_, ferry := c.Add(Doc{ID: "ferry0", Time: day(4), Text: "ferry crews walked out pay crossings cancelled union", Entities: []string{"reyes", "reyes"}})
	if c.root(ferry) == 0 {
		t.Fatal("the first ferry report joined the bridge story; the test needs it apart")
	}
	// then the ferry reports name the bridge story's people and places
	var last int
	for i := 1; i < 5; i++ {
		_, last = c.Add(Doc{ID: fmt.Sprint("ferry", i), Time: day(4 + i), Text: "ferry crews walked out pay crossings cancelled union",
			Entities: []string{"marsh", "almera", "council", "reyes"}})
	}
	r := c.Result()
	if c.root(ferry) != 0 || last != 0 || len(r.Stories) != 1 {
		t.Errorf("the ferry story did not merge into the bridge story: root %d, last %d, %d stories", c.root(ferry), last, len(r.Stories))
	}
	if len(c.merged) != 1 || c.merged[0] != ferry {
		t.Errorf("merges recorded: %v, want [%d]", c.merged, ferry)
	}
	// never when merging is off
	off := New(Options{MergeThreshold: -1})
	for i := 0; i < 3; i++ {
		off.Add(Doc{ID: fmt.Sprint("bridge", i), Time: day(1 + i), Text: "harbour bridge cables replaced reopened traffic engineers", Entities: []string{"marsh", "marsh", "almera", "council"}})
	}
	off.Add(Doc{ID: "ferry0", Time: day(4), Text: "ferry crews walked out pay crossings cancelled union", Entities: []string{"reyes", "reyes"}})
	for i := 1; i < 5; i++ {
		off.Add(Doc{ID: fmt.Sprint("ferry", i), Time: day(4 + i), Text: "ferry crews walked out pay crossings cancelled union", Entities: []string{"marsh", "almera", "council", "reyes"}})
	}
	if len(off.Result().Stories) != 2 {
		t.Errorf("with merging off: %d stories, want 2", len(off.Result().Stories))
	}
}
