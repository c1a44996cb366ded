// Package dups measures near-duplicate detection (internal/dedup) on real
// text: the exact duplicate copies of the BBC corpus, and copies of real
// articles perturbed the ways scrapes and syndication change them (other
// boilerplate, trimmed paragraphs, another headline, edited sentences),
// generated here from a fixed seed and labelled as generated.
package dups

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/storyline-news/storyline/internal/dedup"
	"github.com/storyline-news/storyline/internal/text"
)

// Doc is one article of a corpus: its clean text, and the file's bytes.
type Doc struct {
	ID, Text string
	Raw      []byte
}

// ExactResult is the check on a corpus with exact duplicate copies.
type ExactResult struct {
	Docs int `json:"docs"`
	// Copies are the documents whose normalised text equals an earlier
	// one's; Found of them were flagged as duplicates of such a document.
	Copies int `json:"copies"`
	Found  int `json:"found"`
	// RawCopies are the files whose bytes equal an earlier file's;
	// RawFound of them were flagged as duplicates.
	RawCopies int `json:"raw_copies"`
	RawFound  int `json:"raw_found"`
	// Near are the other documents flagged as near-duplicates of an
	// earlier one (real near-copies in the corpus, or false alarms).
	Near     int      `json:"near"`
	Examples []string `json:"near_examples,omitempty"`
}

// Exact adds the documents in order and checks that every exact copy is
// flagged as a duplicate of an identical earlier document.
func Exact(docs []Doc) ExactResult {
	x := dedup.NewIndex()
	keyOf := map[string]string{} // ID → content key, of the documents so far
	seenKey := map[string]bool{}
	rawSeen := map[string]bool{}
	r := ExactResult{Docs: len(docs)}
	for _, d := range docs {
		key := text.ContentKey(d.Text)
		keyOf[d.ID] = key
		seen := seenKey[key]
		seenKey[key] = true
		m, dup := x.Add(d.ID, d.Text)
		if d.Raw != nil {
			if rawSeen[string(d.Raw)] {
				r.RawCopies++
				if dup {
					r.RawFound++
				}
			}
			rawSeen[string(d.Raw)] = true
		}
		switch {
		case seen:
			r.Copies++
			if dup && keyOf[m.ID] == key {
				r.Found++
			}
		case dup:
			r.Near++
			if len(r.Examples) < 10 {
				r.Examples = append(r.Examples, fmt.Sprintf("%s ~ %s (%.2f)", d.ID, m.ID, m.Similarity))
			}
		}
	}
	return r
}

// PRF is precision, recall and F1 with their counts.
type PRF struct {
	P  float64 `json:"precision"`
	R  float64 `json:"recall"`
	F1 float64 `json:"f1"`
	// TP: copies matched to their original; FP: matches that are wrong
	// (a copy to another article, or a distinct article to anything); FN:
	// copies not matched to their original.
	TP, FP, FN int
}

// Kinds of perturbation.
var Kinds = []string{"boilerplate", "trimmed", "headline", "edited", "all"}

// PerturbResult scores the perturbed copies, per kind of perturbation.
type PerturbResult struct {
	Originals int            `json:"originals"`
	Distinct  int            `json:"distinct"` // other articles, each to match nothing
	ByKind    map[string]PRF `json:"by_kind"`
	// DistinctFP counts distinct articles wrongly matched to an original.
	DistinctFP int `json:"distinct_false_positives"`
}

// Perturbed indexes the originals, then for each kind of perturbation
// looks up one perturbed copy of every original (the copy must find its
// original) and every distinct article (it must find none).
func Perturbed(originals, distinct []Doc, seed uint64) PerturbResult {
	x := dedup.NewIndex()
	for _, d := range originals {
		x.Add(d.ID, d.Text)
	}
	res := PerturbResult{Originals: len(originals), Distinct: len(distinct), ByKind: map[string]PRF{}}
	for _, d := range distinct {
		if _, ok := x.Find(d.Text); ok {
			res.DistinctFP++
		}
	}
	for _, kind := range Kinds {
		rng := rand.New(rand.NewPCG(seed, uint64(len(kind))))
		var s PRF
		for _, d := range originals {
			m, ok := x.Find(Perturb(d.Text, kind, rng))
			switch {
			case ok && m.ID == d.ID:
				s.TP++
			case ok:
				s.FP++
				s.FN++
			default:
				s.FN++
			}
		}
		s.FP += res.DistinctFP
		if s.TP+s.FP > 0 {
			s.P = float64(s.TP) / float64(s.TP+s.FP)
		}
		if s.TP+s.FN > 0 {
			s.R = float64(s.TP) / float64(s.TP+s.FN)
		}
		if s.P+s.R > 0 {
			s.F1 = 2 * s.P * s.R / (s.P + s.R)
		}
		res.ByKind[kind] = s
	}
	return res
}

// boilerplate are lines scrapers leave around an article.
var boilerplate = []string{
	"Share this article", "Subscribe to our newsletter for the latest updates", "Read more:",
	"Advertisement", "Follow us on social media", "Sign up for breaking news alerts",
	"Related: more stories from this section", "Comments are closed.", "Copyright © all rights reserved",
	"Click here to read the full story", "Most popular", "Listen to this article · 4 min",
}

// Perturb returns a copy of an article changed the way kind says:
// boilerplate (lines added before and after), trimmed (the last third of
// the paragraphs dropped), headline (the first line replaced), edited (a
// few words changed in two sentences), all (every one of them).
func Perturb(body, kind string, rng *rand.Rand) string {
	paras := strings.Split(strings.TrimSpace(body), "\n\n")
	if len(paras) == 1 {
		paras = strings.Split(strings.TrimSpace(body), "\n")
	}
	do := func(k string) bool { return kind == k || kind == "all" }
	if do("headline") && len(paras) > 0 {
		paras[0] = "UPDATED: " + strings.Join(reverse(strings.Fields(paras[0])), " ")
	}
	if do("edited") {
		for n := 0; n < 2 && len(paras) > 1; n++ {
			i := 1 + rng.IntN(len(paras)-1)
			ws := strings.Fields(paras[i])
			for e := 0; e < 3 && len(ws) > 0; e++ {
				ws[rng.IntN(len(ws))] = []string{"reportedly", "officials", "however", "said", "new"}[rng.IntN(5)]
			}
			paras[i] = strings.Join(ws, " ")
		}
	}
	if do("trimmed") && len(paras) >= 3 {
		paras = paras[:len(paras)-len(paras)/3]
	}
	if do("boilerplate") {
		pre := boilerplate[rng.IntN(len(boilerplate))]
		post := []string{boilerplate[rng.IntN(len(boilerplate))], boilerplate[rng.IntN(len(boilerplate))]}
		paras = append(append([]string{pre}, paras...), post...)
	}
	return strings.Join(paras, "\n\n")
}

func reverse(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[len(ws)-1-i] = w
	}
	return out
}
