// Package extraction measures how well storyline reads articles out of
// HTML pages, on three public corpora and the way each one's own
// evaluation computes it:
//
//   - the Zyte article-extraction-benchmark: token 4-gram shingle
//     precision, recall and F1 of the main text (ShingleScore);
//   - trafilatura's evaluation set: text snippets that must appear and
//     boilerplate snippets that must not, pooled (SnippetScore);
//   - fundus' parser fixtures: title, author and publish date accuracy
//     and body shingle F1 per page (FundusScore).
//
// The package only loads and scores; the extractor under test is passed
// in as a function, so the same code scores storyline and go-trafilatura
// alone in one run.
package extraction

import (
	"strings"
	"unicode"
)

// Tokens splits text into word tokens the way the Zyte benchmark does
// (Python's `\w+`): runs of letters, digits and underscores.
func Tokens(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	})
}

// shingles counts the token n-grams of text. A text shorter than n tokens
// gives one shingle of all its tokens; an empty text gives none.
func shingles(text string, n int) map[string]int {
	toks := Tokens(text)
	out := make(map[string]int)
	end := len(toks) - n + 1
	if end < 1 {
		end = 1
	}
	for i := 0; i < end && i < len(toks); i++ {
		j := min(i+n, len(toks))
		out[strings.Join(toks[i:j], "\x00")]++
	}
	return out
}

// Match is the comparison of one predicted text with the true one.
type Match struct {
	// TP, FP and FN are shingle counts, normalised to sum to 1 so that
	// long articles weigh no more than short ones (as the benchmark does).
	TP, FP, FN float64
}

// Precision is TP/(TP+FP), 0 when nothing was predicted.
func (m Match) Precision() float64 {
	if m.TP+m.FP == 0 {
		if m.FN == 0 {
			return 1
		}
		return 0
	}
	return m.TP / (m.TP + m.FP)
}

// Recall is TP/(TP+FN), 0 when the prediction found none of the truth.
func (m Match) Recall() float64 {
	if m.TP+m.FN == 0 {
		if m.FP == 0 {
			return 1
		}
		return 0
	}
	return m.TP / (m.TP + m.FN)
}

// Exact tells whether the prediction has exactly the true shingles.
func (m Match) Exact() bool { return m.FP == 0 && m.FN == 0 }

// ShingleMatch compares pred with truth by token 4-gram shingles, counting
// repeated shingles as often as they occur.
func ShingleMatch(truth, pred string) Match {
	t, p := shingles(truth, 4), shingles(pred, 4)
	var m Match
	for k, tc := range t {
		pc := p[k]
		m.TP += float64(min(tc, pc))
		m.FN += float64(max(0, tc-pc))
	}
	for k, pc := range p {
		m.FP += float64(max(0, pc-t[k]))
	}
	if s := m.TP + m.FP + m.FN; s > 0 {
		m.TP, m.FP, m.FN = m.TP/s, m.FP/s, m.FN/s
	}
	return m
}

// PRF is a precision, recall and F1 triple with the number of items
// scored.
type PRF struct {
	N  int     `json:"n"`
	P  float64 `json:"precision"`
	R  float64 `json:"recall"`
	F1 float64 `json:"f1"`
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// ShingleScore is the Zyte benchmark's score over pages: precision and
// recall averaged over pages, F1 of those averages, and accuracy, the
// share of pages extracted exactly.
type ShingleScore struct {
	PRF
	Accuracy float64 `json:"accuracy"`
}

// ScoreMatches aggregates per-page matches as the Zyte benchmark does.
func ScoreMatches(ms []Match) ShingleScore {
	var s ShingleScore
	s.N = len(ms)
	if len(ms) == 0 {
		return s
	}
	exact := 0
	for _, m := range ms {
		s.P += m.Precision()
		s.R += m.Recall()
		if m.Exact() {
			exact++
		}
	}
	n := float64(len(ms))
	s.P, s.R = s.P/n, s.R/n
	s.F1 = f1(s.P, s.R)
	s.Accuracy = float64(exact) / n
	return s
}
