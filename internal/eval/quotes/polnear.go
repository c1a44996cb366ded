// Package quotes measures quote extraction (package quote) on the PolNeAR
// attribution corpus (../shared/data/polnear, train and dev splits; test
// is held back): precision, recall and F1 of the content spans, exact and
// by token overlap, and speaker (source) accuracy, for direct, mixed and
// indirect attributions separately.
//
// Gold. The first annotator's .ann file per article (alphabetically), as
// in PROVENANCE.md. PolNeAR marks every attribution: speech, but also
// beliefs, intentions and findings ("polls show", "he believes"). Only
// speech is scored: a gold attribution counts when its cue contains a
// form of a speech verb (see SpeechVerbs: say, tell, add, write, ask,
// tweet, …), "according to", or is a colon. Gold without a content span
// is dropped. Labelling acts (call, describe, accuse, praise, urge) are
// left out with beliefs and findings. The other gold attributions are kept aside: a prediction
// overlapping one of them and no speech gold is ignored (neither right
// nor wrong).
//
// Kind of a gold attribution (PROVENANCE.md heuristic): its content,
// trimmed of white space and trailing .,;:, is direct when it starts and
// ends with a quote mark, mixed when it holds quote marks elsewhere,
// indirect otherwise. Two apostrophes in a row count as a quote mark: the
// New York Times texts write quotes so (the PROVENANCE.md counts do not,
// and call those quotes indirect).
//
// Matching. A prediction and a gold content match when their spans
// overlap; each is matched at most once, largest overlap first. Match
// P/R/F1 counts matched pairs over predictions and over gold. Exact: a
// matched pair whose spans are equal once both are trimmed of white
// space, quote marks and leading/trailing .,;:, and of a leading "that"
// (the complementizer of "said that": PolNeAR puts it in the content,
// the extractor leaves it out); a discontinuous gold content is taken
// from its first to its last piece. Token overlap, the
// Citron/PARC convention: precision = predicted word tokens inside a
// speech gold content / all predicted word tokens (every prediction not
// ignored); recall = gold content word tokens inside a prediction / all
// gold content word tokens. Word tokens are runs of letters and digits.
// A prediction whose content the attribution interrupts (“…,” he said.
// “…”) counts the tokens of its parts (quote.Quote.Parts), as a
// discontinuous gold content does; matching and exact use its hull.
// Per kind, a prediction takes the kind of the gold it matched (or
// overlaps most); an unmatched prediction counts under its own Kind.
//
// Source accuracy, over matched pairs whose gold has a source, "after
// coreference" approximated (PolNeAR marks no coreference): a gold source
// that is a third-person pronoun or relative (he, she, they, who, …) is
// replaced by the nearest preceding gold source in the article that is a
// name — neither a pronoun nor a definite description ("the Vermont
// senator", "The Republican") — and agrees with it: "he" and "she" skip a
// plural noun in lower case ("participants"), a phrase a possessive opens
// ("his eyes") and a courtesy title of the other gender ("Mr.", "Mrs.",
// "Ms."). A pair whose pronoun has no such antecedent is not scored. A
// description is matched as written or as its antecedent (so a pronoun
// after "the Vermont senator" refers through it to the name before).
// First-person sources (I, we) are the writer or the quoted speaker and
// are not chained. The prediction is right when its speaker as written,
// the canonical name of its linked entity, or the name its pronoun refers
// to (Quote.Refers) matches: the last word (surname) of one is a word of
// the other, ignoring case, accents and 's. A pair whose prediction has
// no speaker is wrong. Until 2026-11-25 a pronoun went to the nearest
// earlier gold source that was no pronoun, whatever it was ("his eyes",
// "the groups", "the judge"), and accents counted; docs/EVALUATION.md
// gives the figures both ways.
//
// Anchors: Citron (BBC) on PARC 3.0, end to end, exact F1 0.57 and
// token-overlap F1 0.83; the Gender Gap Tracker F1 0.84 with 87% speaker
// accuracy. Aim: token-overlap F1 ≥ 0.85 and source accuracy ≥ 0.90 on
// direct and mixed quotes.
package quotes

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Span is a byte range of a document's text.
type Span struct{ Start, End int }

// Doc is one PolNeAR article with its gold attributions.
type Doc struct {
	ID           string
	Text         string
	Attributions []Attribution
}

// Attribution is one gold attribution relation. Its parts are byte spans
// into the text (several when discontinuous), nil when the role is
// missing.
type Attribution struct {
	Content, Cue, Source []Span
	Kind                 string // direct, mixed or indirect (see the package doc)
	Speech               bool   // the cue is a speech cue
}

// LoadPolNeAR reads one split ("train", "dev", …) of the PolNeAR corpus
// under dir (the directory holding data/, or data/ itself), in file order,
// with the first annotator's attributions per article.
func LoadPolNeAR(dir, split string) ([]Doc, error) {
	base := filepath.Join(dir, "data", split)
	if _, err := os.Stat(base); err != nil {
		base = filepath.Join(dir, split)
		if _, err := os.Stat(base); err != nil {
			return nil, fmt.Errorf("polnear: no split %q under %s", split, dir)
		}
	}
	texts, err := filepath.Glob(filepath.Join(base, "text", "*.txt"))
	if err != nil {
		return nil, err
	}
	anns, err := filepath.Glob(filepath.Join(base, "attributions", "*.ann"))
	if err != nil {
		return nil, err
	}
	sort.Strings(texts)
	sort.Strings(anns)
	// first annotator per article: <base>_<annotator>.ann, the first
	// alphabetically
	first := map[string]string{}
	for _, a := range anns {
		name := strings.TrimSuffix(filepath.Base(a), ".ann")
		i := strings.LastIndexByte(name, '_')
		if i < 0 {
			continue
		}
		if _, ok := first[name[:i]]; !ok {
			first[name[:i]] = a
		}
	}
	var docs []Doc
	for _, t := range texts {
		id := strings.TrimSuffix(filepath.Base(t), ".txt")
		ann, ok := first[id]
		if !ok {
			continue
		}
		b, err := os.ReadFile(t)
		if err != nil {
			return nil, err
		}
		f, err := os.Open(ann)
		if err != nil {
			return nil, err
		}
		attrs, err := ParseAnn(f, string(b))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ann, err)
		}
		docs = append(docs, Doc{ID: id, Text: string(b), Attributions: attrs})
	}
	return docs, nil
}

// ParseAnn reads brat standoff attributions for text: T lines (type and
// code-point spans, discontinuous ones joined by ';') and E lines
// (Attribution:Tx Content:Ty Cue:Tz Source:Tw, roles possibly missing);
// other lines (AnnotatorNotes, relations) are skipped. Offsets become byte
// offsets.
func ParseAnn(r io.Reader, text string) ([]Attribution, error) {
	// code point index -> byte offset
	at := make([]int, 0, len(text)+1)
	for i := range text {
		at = append(at, i)
	}
	at = append(at, len(text))
	byteAt := func(cp int) int {
		if cp < 0 {
			return 0
		}
		if cp >= len(at) {
			return len(text)
		}
		return at[cp]
	}
	spans := map[string][]Span{}
	var events [][]string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		fields := strings.Split(line, "\t")
		if len(fields) < 2 {
			continue
		}
		switch {
		case strings.HasPrefix(fields[0], "T"):
			typ, rest, ok := strings.Cut(fields[1], " ")
			if !ok || typ == "" {
				return nil, fmt.Errorf("line %d: bad span %q", n, fields[1])
			}
			var ss []Span
			for _, part := range strings.Split(rest, ";") {
				a, b, ok := strings.Cut(strings.TrimSpace(part), " ")
				s, err1 := strconv.Atoi(a)
				e, err2 := strconv.Atoi(b)
				if !ok || err1 != nil || err2 != nil || e < s {
					return nil, fmt.Errorf("line %d: bad offsets %q", n, part)
				}
				ss = append(ss, Span{byteAt(s), byteAt(e)})
			}
			spans[fields[0]] = ss
		case strings.HasPrefix(fields[0], "E"):
			events = append(events, strings.Fields(fields[1]))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var out []Attribution
	for _, ev := range events {
		var a Attribution
		for _, arg := range ev {
			role, id, ok := strings.Cut(arg, ":")
			if !ok {
				continue
			}
			role = strings.TrimRight(role, "0123456789")
			switch role {
			case "Content":
				a.Content = append(a.Content, spans[id]...)
			case "Cue":
				a.Cue = append(a.Cue, spans[id]...)
			case "Source":
				a.Source = append(a.Source, spans[id]...)
			}
		}
		sortSpans(a.Content)
		sortSpans(a.Cue)
		sortSpans(a.Source)
		a.Kind = kindOf(joinSpans(text, a.Content))
		a.Speech = len(a.Content) > 0 && IsSpeechCue(joinSpans(text, a.Cue))
		out = append(out, a)
	}
	return out, nil
}

func sortSpans(s []Span) {
	sort.Slice(s, func(i, j int) bool { return s[i].Start < s[j].Start })
}

// joinSpans is the text of the spans, joined by a space.
func joinSpans(text string, ss []Span) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = text[s.Start:s.End]
	}
	return strings.Join(parts, " ")
}

// quoteMarks open or close a quote in the kind heuristic.
const quoteMarks = "“”\"„«»"

// kindOf classifies a content: direct when, trimmed, it starts and ends
// with a quote mark; mixed when it holds one; else indirect.
func kindOf(content string) string {
	// The New York Times texts write a double quote as two apostrophes.
	s := strings.ReplaceAll(content, "''", "\"")
	s = strings.TrimRight(strings.TrimSpace(s), ".,;: \t\n")
	if s == "" {
		return "indirect"
	}
	f, _ := utf8.DecodeRuneInString(s)
	l, _ := utf8.DecodeLastRuneInString(s)
	if len(s) > 1 && strings.ContainsRune(quoteMarks, f) && strings.ContainsRune(quoteMarks, l) {
		return "direct"
	}
	if strings.ContainsAny(s, quoteMarks) {
		return "mixed"
	}
	return "indirect"
}
