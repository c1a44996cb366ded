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
	run := func(opt Options) (*Clusterer, []int) {
		c := New(opt)
		return c, placeVotesAndPipeline(c)
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

// TestSplitPartMergesBackOnlyWhenClearlyAlike: the part a split opened a
// story with, and the story it left, merge back only when their
// similarity damped by splitKinDamping reaches MergeThreshold; two
// stories no split parted merge at MergeThreshold itself.
func TestSplitPartMergesBackOnlyWhenClearlyAlike(t *testing.T) {
	c := New(Options{SplitStories: true})
	placed := placeVotesAndPipeline(c)
	pipes := placed[len(placed)-1]
	votes, part := c.root(c.storyOf[0]), c.root(c.storyOf[pipes])
	if votes == part || c.splitFrom[part] != votes {
		t.Fatalf("splits %v, stories %d and %d: the test needs the pipeline part split off the vote story", c.splitFrom, votes, part)
	}
	for _, pair := range [][2]int{{part, votes}, {votes, part}} {
		kin := c.splitKin(pair[0])
		if kin == nil || !kin(c.story[pair[1]]) {
			t.Errorf("story %d is not told kin of story %d", pair[1], pair[0])
		}
	}
	// the similarity of the two stories, as mergeStories weighs it
	when := day(15)
	q := &c.story[part].terms
	for _, parts := range [2][]term{q.words, q.names} {
		for _, x := range parts {
			c.dense[x.id] = x.w
		}
	}
	sim := blend(q, &c.story[votes].terms, c.dense) * c.story[votes].decay(when, c.opt.StoryDays)
	for _, parts := range [2][]term{q.words, q.names} {
		for _, x := range parts {
			c.dense[x.id] = 0
		}
	}
	if sim <= 0 {
		t.Fatalf("similarity %v: the test needs the two stories to share names", sim)
	}
	// a threshold the two reach, but not once damped
	c.opt.MergeThreshold = sim * (1 + splitKinDamping) / 2
	if got := c.mergeStories(part, when); got != part {
		t.Fatalf("the part split off merged back into story %d at similarity %.3f, threshold %.3f", got, sim, c.opt.MergeThreshold)
	}
	delete(c.splitFrom, part)
	if c.splitKin(part) != nil || c.splitKin(votes) != nil {
		t.Error("kin told without a split")
	}
	if got := c.mergeStories(part, when); got != votes {
		t.Fatalf("stories no split parted, similarity %.3f, threshold %.3f: merged into %d, want %d", sim, c.opt.MergeThreshold, got, votes)
	}
}

// voteAndPipeline returns the articles of the split tests, the i-th of
// each kind dated 8i days in: a vote in parliament (the UK, its
// parties, the speaker) and a gas pipeline (Russia, Gazprom, the
// Baltic), which share two names (the EU, Poland).
func voteAndPipeline() (vote, pipe func(i int) Doc) {
	words := strings.Fields("apple bridge candle dragon engine falcon garden harbor island jungle kettle ladder meadow needle orchard pepper quarry river saddle tunnel umbrella valley wagon yellow zephyr anchor basket cactus dolphin ember fountain glacier hammock igloo jasmine kayak")
	day := func(d int) time.Time { return time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 8*d) }
	vote = func(i int) Doc {
		return Doc{ID: fmt.Sprint("vote", i), Time: day(i), Text: words[2*i] + " " + words[2*i+1],
			Entities: []string{"uk", "uk", "may", "commons", "labour", "tories", "bercow", "eu", "poland", fmt.Sprint("mp", i%2)}}
	}
	pipe = func(i int) Doc {
		return Doc{ID: fmt.Sprint("pipe", i), Time: day(i), Text: words[2*i] + " " + words[2*i+1],
			Entities: []string{"russia", "russia", "gazprom", "baltic", "finland", "sweden", "miller", "eu", "poland", fmt.Sprint("firm", i%2)}}
	}
	return vote, pipe
}

// placeVotesAndPipeline places the split tests' articles in c in four
// batches — six votes; a pipeline article; then both kinds — and returns
// the pipeline articles' events in the order they came.
func placeVotesAndPipeline(c *Clusterer) (pipes []int) {
	vote, pipe := voteAndPipeline()
	batch := func(docs ...Doc) {
		c.beginBatch()
		for _, d := range docs {
			if e, _ := c.Add(d); d.ID[:4] == "pipe" {
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
	return pipes
}
