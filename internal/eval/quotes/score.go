package quotes

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/quote"
	"github.com/storyline-news/storyline/internal/text"
	"golang.org/x/text/unicode/norm"
)

// Kinds are the rows of a report, "all" last.
var Kinds = []string{quote.Direct, quote.Mixed, quote.Indirect, "all"}

// PRF is precision, recall and F1.
type PRF struct{ P, R, F1 float64 }

func prf(tpP, nP, tpR, nR float64) PRF {
	var s PRF
	if nP > 0 {
		s.P = tpP / nP
	}
	if nR > 0 {
		s.R = tpR / nR
	}
	if s.P+s.R > 0 {
		s.F1 = 2 * s.P * s.R / (s.P + s.R)
	}
	return s
}

// Row is the score of one kind of quote.
type Row struct {
	Kind         string
	Gold         int // speech gold attributions
	Predicted    int // predictions scored under this kind
	Matched      int // overlapping pairs
	ExactMatched int // matched pairs with the same trimmed span
	Match        PRF // span overlap, one to one
	Exact        PRF // exact span
	Token        PRF // token overlap
	// Sources are the matched pairs whose gold has a source; Correct
	// those whose predicted speaker is the same referent.
	Sources, Correct int
	SourceAcc        float64

	predTok, predHit, goldTok, goldHit int
}

// Report is the score of one split.
type Report struct {
	Split     string
	Docs      int
	Gold      int // speech gold attributions with content
	Other     int // gold attributions not scored (not speech, or no content)
	Predicted int // predictions
	Ignored   int // predictions overlapping only non-speech gold
	Rows      []Row
}

// Pair is one scored prediction, for error analysis: the gold it matched
// (index into Doc.Attributions, -1 when none).
type Pair struct {
	Doc     int
	Quote   quote.Quote
	Gold    int
	Exact   bool
	Source  string // the gold source after the pronoun chain; "" when none
	Name    string // the canonical name of the predicted speaker's entity
	Speaker bool   // the speaker matched
	Ignored bool
}

// Run extracts the quotes of docs (entity resolution over all of them,
// then quote.Extract per document) and scores them.
func Run(split string, docs []Doc) (Report, []Pair, [][]bool) {
	edocs := make([]entity.Doc, len(docs))
	for i, d := range docs {
		edocs[i] = entity.Doc{ID: d.ID, Text: d.Text}
	}
	res := entity.Resolve(edocs)
	preds := make([][]quote.Quote, len(docs))
	names := make([]string, len(res.Entities))
	for i, e := range res.Entities {
		names[i] = e.Name
	}
	for i := range docs {
		preds[i] = quote.Extract(edocs[i].Text, res.Mentions[i], res.Entities)
	}
	return Score(split, docs, preds, names)
}

// Score scores predictions against the gold of docs. names are the
// canonical names of the entities the predictions' Entity indexes point
// to. It also returns every prediction's pairing and, per document and
// gold attribution, whether a prediction matched it.
func Score(split string, docs []Doc, preds [][]quote.Quote, names []string) (Report, []Pair, [][]bool) {
	rows := map[string]*Row{}
	for _, k := range Kinds {
		rows[k] = &Row{Kind: k}
	}
	rep := Report{Split: split, Docs: len(docs)}
	var pairs []Pair
	found := make([][]bool, len(docs))
	add := func(kind string, f func(r *Row)) {
		f(rows[kind])
		f(rows["all"])
	}
	for d, doc := range docs {
		text := doc.Text
		gold := doc.Attributions
		found[d] = make([]bool, len(gold))
		sources, alts := chainSources(text, gold)
		var speech []int
		for j, g := range gold {
			if g.Speech {
				speech = append(speech, j)
				rep.Gold++
				add(g.Kind, func(r *Row) { r.Gold++ })
			} else {
				rep.Other++
			}
		}
		ps := preds[d]
		rep.Predicted += len(ps)
		// candidate pairs, largest overlap first
		type cand struct{ p, g, ov int }
		var cands []cand
		for i, q := range ps {
			for _, j := range speech {
				if ov := overlap(Span{q.Start, q.End}, gold[j].Content); ov > 0 {
					cands = append(cands, cand{i, j, ov})
				}
			}
		}
		sort.SliceStable(cands, func(a, b int) bool { return cands[a].ov > cands[b].ov })
		matchP := make([]int, len(ps))
		best := make([]int, len(ps))
		for i := range ps {
			matchP[i], best[i] = -1, -1
		}
		for _, c := range cands {
			if best[c.p] < 0 {
				best[c.p] = c.g
			}
			if matchP[c.p] < 0 && !found[d][c.g] {
				matchP[c.p] = c.g
				found[d][c.g] = true
			}
		}
		// speech gold word tokens
		var goldSpans []Span
		for _, j := range speech {
			goldSpans = append(goldSpans, gold[j].Content...)
		}
		var predSpans []Span
		for i, q := range ps {
			pr := Pair{Doc: d, Quote: q, Gold: matchP[i]}
			if q.Entity >= 0 && q.Entity < len(names) {
				pr.Name = names[q.Entity]
			}
			kind := q.Kind
			if best[i] < 0 {
				for _, g := range gold {
					if !g.Speech && overlap(Span{q.Start, q.End}, g.Content) > 0 {
						pr.Ignored = true
						break
					}
				}
			} else {
				kind = gold[best[i]].Kind
			}
			if kind != quote.Direct && kind != quote.Mixed {
				kind = quote.Indirect
			}
			if pr.Ignored {
				rep.Ignored++
				pairs = append(pairs, pr)
				continue
			}
			var toks []Span
			for _, ps := range parts(q) {
				predSpans = append(predSpans, ps)
				toks = append(toks, wordTokens(text, ps)...)
			}
			hit := 0
			for _, t := range toks {
				if overlap(t, goldSpans) > 0 {
					hit++
				}
			}
			add(kind, func(r *Row) { r.Predicted++; r.predTok += len(toks); r.predHit += hit })
			if g := matchP[i]; g >= 0 {
				pr.Exact = trimSpan(text, Span{q.Start, q.End}) == trimSpan(text, hull(gold[g].Content))
				add(kind, func(r *Row) { r.Matched++ })
				if pr.Exact {
					add(kind, func(r *Row) { r.ExactMatched++ })
				}
				if src := sources[g]; src != "" {
					pr.Source = src
					pr.Speaker = namesSource(q, pr.Name, src) || (alts[g] != "" && namesSource(q, pr.Name, alts[g]))
					add(kind, func(r *Row) {
						r.Sources++
						if pr.Speaker {
							r.Correct++
						}
					})
				}
			}
			pairs = append(pairs, pr)
		}
		for _, j := range speech {
			var toks []Span
			for _, s := range gold[j].Content {
				toks = append(toks, wordTokens(text, s)...)
			}
			hit := 0
			for _, t := range toks {
				if overlap(t, predSpans) > 0 {
					hit++
				}
			}
			add(gold[j].Kind, func(r *Row) { r.goldTok += len(toks); r.goldHit += hit })
		}
	}
	for _, k := range Kinds {
		r := rows[k]
		r.Match = prf(float64(r.Matched), float64(r.Predicted), float64(r.Matched), float64(r.Gold))
		r.Exact = prf(float64(r.ExactMatched), float64(r.Predicted), float64(r.ExactMatched), float64(r.Gold))
		r.Token = prf(float64(r.predHit), float64(r.predTok), float64(r.goldHit), float64(r.goldTok))
		if r.Sources > 0 {
			r.SourceAcc = float64(r.Correct) / float64(r.Sources)
		}
		rep.Rows = append(rep.Rows, *r)
	}
	return rep, pairs, found
}

// namesSource tells whether a prediction names src: its speaker as written, the
// canonical name of its entity, or the name its pronoun refers to.
func namesSource(q quote.Quote, name, src string) bool {
	return sameReferent(q.Speaker, src) || sameReferent(name, src) || sameReferent(q.Refers, src)
}

// parts are the spans of a prediction's content: its Parts when the
// attribution stands inside it, else Start:End.
func parts(q quote.Quote) []Span {
	if len(q.Parts) == 0 {
		return []Span{{q.Start, q.End}}
	}
	out := make([]Span, len(q.Parts))
	for i, p := range q.Parts {
		out[i] = Span{p[0], p[1]}
	}
	return out
}

// overlap is the number of bytes of s inside any of ss.
func overlap(s Span, ss []Span) int {
	n := 0
	for _, t := range ss {
		a, b := max(s.Start, t.Start), min(s.End, t.End)
		if b > a {
			n += b - a
		}
	}
	return n
}

func hull(ss []Span) Span {
	if len(ss) == 0 {
		return Span{}
	}
	h := ss[0]
	for _, s := range ss[1:] {
		h.Start, h.End = min(h.Start, s.Start), max(h.End, s.End)
	}
	return h
}

// trimChars are trimmed off both ends of a span before an exact compare.
const trimChars = ".,;:“”\"„«»‘’'"

// trimSpan trims white space, quote marks and .,;: off both ends of s,
// and a leading complementizer "that".
func trimSpan(text string, s Span) Span {
	if s.Start < 0 || s.End > len(text) || s.End < s.Start {
		return s
	}
	s = trimPunct(text, s)
	t := text[s.Start:s.End]
	if r, _ := utf8.DecodeRuneInString(t[min(4, len(t)):]); len(t) > 5 && strings.EqualFold(t[:4], "that") && (unicode.IsSpace(r) || strings.ContainsRune(trimChars, r)) {
		s.Start += 4
		s = trimPunct(text, s)
	}
	return s
}

func trimPunct(text string, s Span) Span {
	for s.Start < s.End {
		r, n := utf8.DecodeRuneInString(text[s.Start:s.End])
		if !unicode.IsSpace(r) && !strings.ContainsRune(trimChars, r) {
			break
		}
		s.Start += n
	}
	for s.End > s.Start {
		r, n := utf8.DecodeLastRuneInString(text[s.Start:s.End])
		if !unicode.IsSpace(r) && !strings.ContainsRune(trimChars, r) {
			break
		}
		s.End -= n
	}
	return s
}

// wordTokens are the runs of letters and digits within s.
func wordTokens(text string, s Span) []Span {
	var out []Span
	start := -1
	for i := s.Start; i < s.End && i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			out = append(out, Span{start, i})
			start = -1
		}
		i += n
	}
	if start >= 0 {
		out = append(out, Span{start, min(s.End, len(text))})
	}
	return out
}

// pronouns are the gold sources resolved through the chain
// (PROVENANCE.md's list).
var pronouns = map[string]bool{
	"he": true, "she": true, "they": true, "i": true, "we": true, "it": true,
	"you": true, "him": true, "her": true, "them": true, "us": true, "me": true,
	"who": true, "his": true, "their": true, "its": true, "which": true, "that": true,
}

func isPronoun(s string) bool {
	return pronouns[strings.ToLower(strings.TrimSpace(s))]
}

// firstPerson are the pronouns of the writer or of the speaker in a
// quote: they are no anaphors of a third person named before, so they are
// not chained.
var firstPerson = map[string]bool{"i": true, "me": true, "we": true, "us": true}

// anaphor tells whether a gold source refers back to a source before it:
// a third-person pronoun or relative.
func anaphor(s string) bool {
	return isPronoun(s) && !firstPerson[strings.ToLower(strings.TrimSpace(s))]
}

// chainSources gives each gold attribution its source text and, for a
// definite description, the name it refers back to ("" when none).
//
// An anaphoric source — a third-person pronoun or relative ("he", "who")
// — is replaced by the nearest preceding gold source in the article that
// is a name, neither an anaphor nor a definite description ("the Vermont
// senator", "The Republican"), and that agrees with the pronoun (see
// agrees); "" when there is none, as the gold then does not say who it
// is. A description keeps its own text (a speaker written the same way
// matches it) and gets the same antecedent as an alternative; a pronoun
// after a description so refers through it to the name before it.
func chainSources(text string, gold []Attribution) (srcs, alts []string) {
	srcs, alts = make([]string, len(gold)), make([]string, len(gold))
	type src struct {
		at   int
		text string
	}
	var all []src
	for _, g := range gold {
		if len(g.Source) > 0 {
			t := joinSpans(text, g.Source)
			if !isPronoun(t) && !description(t) {
				all = append(all, src{g.Source[0].Start, t})
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].at < all[j].at })
	antecedent := func(t string, at int) string {
		k := sort.Search(len(all), func(k int) bool { return all[k].at >= at })
		for k--; k >= 0; k-- {
			if agrees(t, all[k].text) {
				return all[k].text
			}
		}
		return ""
	}
	for i, g := range gold {
		if len(g.Source) == 0 {
			continue
		}
		t := joinSpans(text, g.Source)
		switch {
		case anaphor(t):
			srcs[i] = antecedent(t, g.Source[0].Start)
		case description(t):
			srcs[i], alts[i] = t, antecedent(t, g.Source[0].Start)
		default:
			srcs[i] = t
		}
	}
	return srcs, alts
}

// description tells whether a gold source is a definite description that
// refers back to someone named before: "the" and a head phrase (before an
// apposition) ending in a lower-case noun ("the Vermont senator", "the
// cautious candidate") or in a party noun ("The Republican"). "The
// Washington Post" is a name.
func description(s string) bool {
	ws := strings.Fields(headPhrase(s))
	if len(ws) < 2 || !strings.EqualFold(ws[0], "the") {
		return false
	}
	last := strings.Trim(ws[len(ws)-1], ".;:")
	switch last {
	case "Republican", "Democrat":
		return true
	}
	if last != strings.ToLower(last) {
		return false
	}
	for _, w := range ws[1:] {
		if lw := strings.ToLower(w); lw == "of" || lw == "who" || lw == "that" {
			return false // "the director of the FBI, James Comey"
		}
	}
	return true
}

// agrees tells whether a gold source may be the antecedent of an anaphor
// (a pronoun or a description), by what the two sources' own words say:
// "he" and "she" name one person, not a plural noun written in lower case
// ("participants", "the groups") nor a phrase a possessive pronoun opens
// ("his eyes"), and not a person of the other gender by a courtesy title
// ("Mr.", "Mrs.", "Ms."); a singular description ("the mayor") is no
// plural noun either. Anything else agrees.
func agrees(anaphor, antecedent string) bool {
	ws := strings.Fields(headPhrase(antecedent))
	if len(ws) == 0 {
		return false
	}
	var gender string
	switch strings.ToLower(strings.TrimSpace(anaphor)) {
	case "he", "him", "his":
		gender = "m"
	case "she", "her":
		gender = "f"
	default:
		if description(anaphor) && !plural(anaphor) {
			return !plural(antecedent)
		}
		return true
	}
	named := false
	for _, w := range ws[1:] {
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			named = true
		}
	}
	switch strings.ToLower(ws[0]) {
	case "his", "her", "their", "its", "my", "our", "your":
		if !named {
			return false // "his eyes", not "their neighbor Ben Green"
		}
	}
	for _, w := range ws {
		switch strings.TrimRight(strings.ToLower(w), ".") {
		case "mr":
			return gender == "m"
		case "mrs", "ms":
			return gender == "f"
		}
	}
	return !plural(antecedent)
}

// headPhrase is a source before its apposition: "Joseph Hunter" of
// "Joseph Hunter, a blogger,".
func headPhrase(s string) string {
	if i := strings.IndexAny(s, ",("); i > 0 {
		return s[:i]
	}
	return s
}

// plural tells whether a source's head phrase ends in a plural noun
// written in lower case ("participants"; a name such as "Sanders" is no
// plural).
func plural(s string) bool {
	ws := strings.Fields(headPhrase(s))
	if len(ws) == 0 {
		return false
	}
	last := strings.Trim(ws[len(ws)-1], ".;:")
	return last == strings.ToLower(last) && strings.HasSuffix(last, "s") && !strings.HasSuffix(last, "ss") && !strings.HasSuffix(last, "us")
}

// nameWords are the lower-cased words of a name, possessive 's dropped.
func nameWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(foldMarks(strings.ToLower(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	}) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		w = strings.Trim(w, "'’")
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// foldMarks drops the accents of s: "Calderón" and "Calderon" are one
// name, spelled by one outlet with its accent and by another without.
func foldMarks(s string) string {
	if text.IsASCII(s) {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sameReferent: the last word of one name is a word of the other.
func sameReferent(a, b string) bool {
	wa, wb := nameWords(a), nameWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	has := func(ws []string, w string) bool {
		for _, x := range ws {
			if x == w {
				return true
			}
		}
		return false
	}
	return has(wb, wa[len(wa)-1]) || has(wa, wb[len(wb)-1])
}
