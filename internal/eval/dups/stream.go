package dups

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
)

// Stream returns a generator of the i-th article of a stream made from
// real ones, labelled as generated (IDs "g0", "g1", ...), dated 50 a day
// from 2020-01-01: nine in ten are a real article of base with a third of
// its words replaced at random from the first 200 articles' words, so
// that the replicas of one article are not copies of each other; the
// tenth is a perturbed copy of the one before (see Perturb), like a
// syndicated or re-scraped copy. Call it with i = 0, 1, 2, ... in order:
// a copy is made of the article the call before returned.
func Stream(base []storyline.Article, seed uint64) func(i int) storyline.Article {
	rng := rand.New(rand.NewPCG(seed, 1))
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var vocab []string
	for _, a := range base[:min(len(base), 200)] {
		vocab = append(vocab, strings.Fields(a.Text)...)
	}
	var prev storyline.Article
	return func(i int) storyline.Article {
		t := start.Add(time.Duration(i) * 24 * time.Hour / 50)
		if i%10 == 9 {
			d := prev
			d.ID, d.Published = fmt.Sprint("g", i), t
			d.Text = Perturb(d.Text, Kinds[rng.IntN(len(Kinds)-1)], rng)
			return d
		}
		a := base[i%len(base)]
		words := strings.Fields(a.Text)
		for k := 0; k < len(words)/3+1; k++ {
			words[rng.IntN(len(words))] = vocab[rng.IntN(len(vocab))]
		}
		prev = storyline.Article{ID: fmt.Sprint("g", i), Published: t, Title: a.Title, Text: strings.Join(words, " ")}
		return prev
	}
}
