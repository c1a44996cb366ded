package story

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSplitStories: a pipeline event that names the countries a young
// story about a vote names joins it; its kind follows, batch after batch.
// Once the story has grown past a power of two with three pipeline events
// or more, they leave it for a story of their own, and the events of
// earlier batches among them are reported as moved.
func TestSplitStories(t *testing.T) {
	words := strings.Fields("apple bridge candle dragon engine falcon garden harbor island jungle kettle ladder meadow needle orchard pepper quarry river saddle tunnel umbrella valley wagon yellow zephyr anchor basket cactus dolphin ember fountain glacier hammock igloo jasmine kayak")
	day := func(d int) time.Time { return time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 8*d) }
	vote := func(i int) Doc {
		return Doc{ID: fmt.Sprint("vote", i), Time: day(i), Text: words[2*i] + " " + words[2*i+1],
			Entities: []string{"uk", "uk", "may", "commons", "labour", "tories", "bercow", "eu", "poland", fmt.Sprint("mp", i%2)}}
	}
	pipe := func(i int) Doc {
		return Doc{ID: fmt.Sprint("pipe", i), Time: day(i), Text: words[2*i] + " " + words[2*i+1],
			Entities: []string{"russia", "russia", "gazprom", "baltic", "finland", "sweden", "miller", "eu", "poland", fmt.Sprint("firm", i%2)}}
	}
	run := func(opt Options) (*Clusterer, []int) {
		c := New(opt)
		var pipes []int
		batch := func(docs ...Doc) {
			c.beginBatch()
			for _, d := range docs {
				e, _ := c.Add(d)
				if d.ID[:4] == "pipe" {
					pipes = append(pipes, e)
				}
			}
			c.endBatch()
			c.batch = batchState{}
		}
		batch(vote(0), vote(1), vote(2), vote(3), vote(4), vote(5))
		batch(pipe(6))
		batch(vote(7), pipe(8))
		batch(pipe(9), vote(10), pipe(11), vote(12), vote(13), vote(14), pipe(15))
		return c, pipes
	}
	c, pipes := run(Options{})
	if len(c.events) < 16 {
		t.Fatalf("%d events, want one per article", len(c.events))
	}
	if c.root(c.storyOf[pipes[0]]) != c.root(c.storyOf[0]) {
		t.Fatal("the first pipeline event opened a story of its own; the test needs it to join the vote story")
	}
	split, pipes := run(Options{SplitStories: true})
	votes := split.root(split.storyOf[0])
	pipeStory := split.root(split.storyOf[pipes[0]])
	if pipeStory == votes {
		t.Fatal("the pipeline events stayed in the vote story")
	}
	for _, e := range pipes {
		if split.root(split.storyOf[e]) != pipeStory {
			t.Errorf("pipeline event %d in story %d, want %d", e, split.root(split.storyOf[e]), pipeStory)
		}
	}
	for e := range split.events {
		if split.root(split.storyOf[e]) != pipeStory && !containsInt(pipes, e) && split.root(split.storyOf[e]) != votes {
			t.Errorf("vote event %d left the vote story", e)
		}
	}
	if len(split.moved) == 0 || split.moved[0] != pipes[0] {
		t.Errorf("moved %v, want the pipeline events of earlier batches, from %d", split.moved, pipes[0])
	}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
