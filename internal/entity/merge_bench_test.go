package entity

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus/corpustest"
)

// BenchmarkResolveGenerated is Resolve with mentions given (detected once,
// outside the timer) on 10k and 50k articles generated from the BBC
// articles: the cross-article merge, whose cost per article should not
// grow with the corpus. The articles are generated, not real: names recur
// more than in a real corpus of that size.
func BenchmarkResolveGenerated(b *testing.B) {
	_, bbc := corpustest.BBC(b, 100000)
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprint(n/1000, "k"), func(b *testing.B) {
			docs := Docs(generatedCorpus(bbc, n, 1))
			Resolve(docs) // detects the mentions once
			b.ResetTimer()
			for b.Loop() {
				Resolve(docs)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

// commonSurnameDocs makes n synthetic articles whose people share 40
// surnames while their number grows with the corpus (n/4 people): the
// case of a large real corpus, where a common surname is borne by more
// and more people. Each article names three people in full and two by
// surname alone; the mentions are given, there is no text.
func commonSurnameDocs(n int) []Doc {
	rng := rand.New(rand.NewPCG(uint64(n), 5))
	cons, vow := "bdfgklmnprstvz", "aeiou"
	syl := func() string { return string(cons[rng.IntN(len(cons))]) + string(vow[rng.IntN(len(vow))]) }
	word := func(k int) string {
		w := ""
		for range k {
			w += syl()
		}
		return strings.ToUpper(w[:1]) + w[1:]
	}
	surnames := make([]string, 40)
	for i := range surnames {
		surnames[i] = word(3)
	}
	type person struct{ first, last string }
	people := make([]person, n/4)
	for i := range people {
		people[i] = person{word(3), surnames[rng.IntN(len(surnames))]}
	}
	docs := make([]Doc, n)
	for d := range docs {
		var ms []Mention
		for range 3 {
			p := people[rng.IntN(len(people))]
			ms = append(ms, Mention{Name: p.first + " " + p.last, Type: Person, Kind: KindName})
		}
		for range 2 {
			ms = append(ms, Mention{Name: surnames[rng.IntN(len(surnames))], Type: Person, Kind: KindName})
		}
		docs[d] = Doc{ID: fmt.Sprintf("syn%06d", d), Mentions: ms}
	}
	return docs
}

// BenchmarkResolveCommonSurnames is Resolve on synthetic articles whose
// people share few surnames (commonSurnameDocs), at 10k and 50k articles.
func BenchmarkResolveCommonSurnames(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprint(n/1000, "k"), func(b *testing.B) {
			docs := commonSurnameDocs(n)
			for b.Loop() {
				Resolve(docs)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
