package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/sqlite"
	"github.com/storyline-news/storyline/internal/story"
)

// splitArchive is an archive whose stories split as it grows, in the
// batches it arrives in: a story about a vote that an event about a
// pipeline joins (they name the same countries) while it is young, the
// pipeline's later events following, until the story has grown past a
// power of two with three pipeline events or more and they leave it
// (see story.Options.SplitStories). names holds the names each article
// makes, which resolveNames returns as its entities.
func splitArchive() (batches [][]storyline.Article, names map[string][]string) {
	words := strings.Fields("apple bridge candle dragon engine falcon garden harbor island jungle kettle ladder meadow needle orchard pepper quarry river saddle tunnel umbrella valley wagon yellow zephyr anchor basket cactus dolphin ember fountain glacier hammock igloo jasmine kayak lantern marble nectar oyster")
	names = map[string][]string{}
	art := func(kind string, i int, ns ...string) storyline.Article {
		id := fmt.Sprint(kind, i)
		names[id] = append(ns, fmt.Sprint(kind, "-", i%2))
		return storyline.Article{ID: id, Source: id + ".txt", Title: words[2*i], Text: words[2*i] + " " + words[2*i+1],
			Published: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 8*i)}
	}
	vote := func(i int) storyline.Article {
		return art("vote", i, "United Kingdom", "United Kingdom", "Theresa May", "House of Commons", "Labour", "Tories", "John Bercow", "European Union", "Poland")
	}
	pipe := func(i int) storyline.Article {
		return art("pipe", i, "Russia", "Russia", "Gazprom", "Baltic Sea", "Finland", "Sweden", "Alexei Miller", "European Union", "Poland")
	}
	batches = [][]storyline.Article{
		{vote(0), vote(1), vote(2), vote(3), vote(4), vote(5)},
		{pipe(6)},
		{vote(7), pipe(8)},
		{pipe(9), vote(10), pipe(11), vote(12), vote(13), vote(14), pipe(15)},
		{vote(16), pipe(17), pipe(18)},
	}
	return batches, names
}

// resolveNames resolves each article's entities as names lists them.
func resolveNames(names map[string][]string) func(docs []entity.Doc) entity.Result {
	return func(docs []entity.Doc) entity.Result {
		var res entity.Result
		index := map[string]int{}
		for _, d := range docs {
			var ls []entity.Linked
			for _, n := range names[d.ID] {
				i, ok := index[n]
				if !ok {
					i = len(res.Entities)
					index[n] = i
					res.Entities = append(res.Entities, storyline.Entity{ID: "ent_" + strings.ReplaceAll(strings.ToLower(n), " ", "_"), Name: n, Type: entity.Organization})
				}
				ls = append(ls, entity.Linked{Mention: entity.Mention{Name: n, Type: entity.Organization}, Entity: i})
			}
			res.Mentions = append(res.Mentions, ls)
		}
		return res
	}
}

// inMemory places the batches with one Stream kept in memory, following
// its merges and moves as a store does, and returns where each article
// is in the end, in placement order, and the moves made.
func inMemory(batches [][]storyline.Article, res func([]entity.Doc) entity.Result) ([]storyline.Assignment, []story.EventMove) {
	s := story.NewStream(storyOptions, 0)
	var placed []storyline.Assignment
	var moves []story.EventMove
	for _, b := range batches {
		placed = append(placed, s.Add(b, res(entity.Docs(b)))...)
		for _, m := range s.Merges() {
			for i := range placed {
				if placed[i].Story == m.From {
					placed[i].Story = m.To
				}
			}
		}
		for _, m := range s.Moves() {
			moves = append(moves, m)
			for i := range placed {
				if placed[i].Event == m.Event {
					placed[i].Story = m.Story
				}
			}
		}
	}
	return placed, moves
}

// Stories that split as the archive grows place every article where a
// Stream kept in memory places it, when each batch is placed by a new
// process that reads the clustering the store saved: the store moves the
// articles of the events split off, those of earlier batches included.
func TestPlaceStoriesFollowsSplits(t *testing.T) {
	ctx := context.Background()
	was := storyOptions
	storyOptions.SplitStories = true
	t.Cleanup(func() { storyOptions = was; resolve = entity.Resolve })
	batches, names := splitArchive()
	resolve = resolveNames(names)
	want, moves := inMemory(batches, resolve)
	if len(moves) == 0 {
		t.Fatal("no event of an earlier batch moved in memory: the test needs a split that moves some")
	}
	first := map[string]string{} // the story each article was placed in, before any move
	s, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, b := range batches {
		if _, err := s.SaveArticles(ctx, b); err != nil {
			t.Fatal(err)
		}
		if n, err := PlaceStories(ctx, s, 0, nil); err != nil || n != len(b) {
			t.Fatalf("batch %d: placed %d, %v; want %d", i, n, err, len(b))
		}
		got, err := s.Assignments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range got {
			if _, ok := first[a.Article]; !ok {
				first[a.Article] = a.Story
			}
		}
	}
	got, err := s.Assignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("placed through the store:\n%+v\nin memory:\n%+v", got, want)
	}
	movedAway := 0
	for _, a := range got {
		if first[a.Article] != a.Story {
			movedAway++
		}
	}
	if movedAway == 0 {
		t.Errorf("no stored article changed story (moves %+v): the test moves none", moves)
	}
	t.Logf("%d moves, %d stored articles changed story", len(moves), movedAway)
}
