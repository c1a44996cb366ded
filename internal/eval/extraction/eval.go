package extraction

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Output is what an extractor under test reads from one page.
type Output struct {
	Text      string
	Title     string
	Author    string
	Published string // YYYY-MM-DD or empty
}

// Extractor reads one page. An error counts as an empty extraction.
type Extractor func(html []byte, url string) (Output, error)

// Extract runs ex over pages on every CPU and returns the outputs in page
// order; failures give an empty Output and are counted. progress, when
// not nil, is called once per page done.
func Extract(ctx context.Context, pages []Page, ex Extractor, progress func()) (outs []Output, failed int) {
	outs = make([]Output, len(pages))
	errs := make([]bool, len(pages))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o, err := ex(pages[i].HTML, pages[i].URL)
				outs[i], errs[i] = o, err != nil
				if progress != nil {
					progress()
				}
			}
		}()
	}
feed:
	for i := range pages {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, e := range errs {
		if e {
			failed++
		}
	}
	return outs, failed
}

// ScoreZyte scores outputs against the pages' main text by shingles.
func ScoreZyte(pages []Page, outs []Output) ShingleScore {
	ms := make([]Match, len(pages))
	for i, p := range pages {
		ms[i] = ShingleMatch(p.Truth, outs[i].Text)
	}
	return ScoreMatches(ms)
}

// SnippetScore is trafilatura's evaluation: snippets pooled over pages.
type SnippetScore struct {
	PRF
	Accuracy float64 `json:"accuracy"`
	// TP: text snippets found; FN: missed; FP: boilerplate found; TN:
	// boilerplate left out.
	TP, FN, FP, TN int
}

// squash folds white space runs to one space and normalises to NFC, as
// trafilatura's evaluation compares snippets with white space trimmed.
func squash(s string) string {
	return norm.NFC.String(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " "))
}

// ScoreSnippets counts, over all pages, which snippets appear in the
// extracted text (white space folded).
func ScoreSnippets(pages []Page, outs []Output) SnippetScore {
	var s SnippetScore
	s.N = len(pages)
	for i, p := range pages {
		text := squash(outs[i].Text)
		for _, w := range p.With {
			if strings.Contains(text, squash(w)) {
				s.TP++
			} else {
				s.FN++
			}
		}
		for _, w := range p.Without {
			if strings.Contains(text, squash(w)) {
				s.FP++
			} else {
				s.TN++
			}
		}
	}
	if s.TP+s.FP > 0 {
		s.P = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		s.R = float64(s.TP) / float64(s.TP+s.FN)
	}
	s.F1 = f1(s.P, s.R)
	if all := s.TP + s.FN + s.FP + s.TN; all > 0 {
		s.Accuracy = float64(s.TP+s.TN) / float64(all)
	}
	return s
}

// MetaScore is fundus' metadata and body score: the share of pages whose
// title, author(s) and publish date are right, and the body's shingle
// score.
type MetaScore struct {
	N      int          `json:"n"`
	Title  float64      `json:"title"`
	Author float64      `json:"author"`
	Date   float64      `json:"date"`
	Body   ShingleScore `json:"body"`
	// Per kind, how many pages had a value and how many were given none.
	TitleMissing, AuthorMissing, DateMissing int
}

// ScoreFundus scores outputs against fundus' expected metadata and body.
func ScoreFundus(pages []Page, outs []Output) MetaScore {
	s := MetaScore{N: len(pages)}
	ms := make([]Match, 0, len(pages))
	var title, author, date int
	for i, p := range pages {
		o := outs[i]
		if sameTitle(p.Title, o.Title) {
			title++
		}
		if o.Title == "" {
			s.TitleMissing++
		}
		if sameAuthors(p.Authors, o.Author) {
			author++
		}
		if o.Author == "" {
			s.AuthorMissing++
		}
		if p.Date != "" && p.Date == o.Published {
			date++
		}
		if o.Published == "" {
			s.DateMissing++
		}
		ms = append(ms, ShingleMatch(p.Truth, o.Text))
	}
	if n := float64(len(pages)); n > 0 {
		s.Title, s.Author, s.Date = float64(title)/n, float64(author)/n, float64(date)/n
	}
	s.Body = ScoreMatches(ms)
	return s
}

// fold lower-cases s, drops punctuation and folds white space, for
// comparing titles and names.
func fold(s string) string {
	s = norm.NFC.String(strings.ToLower(strings.ReplaceAll(s, "\u00ad", "")))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r))
	}), " ")
}

// sameTitle tells whether a title matches the expected one, case,
// punctuation and white space aside.
func sameTitle(want, got string) bool { return fold(want) == fold(got) }

// sameAuthors tells whether the author string names exactly the expected
// authors: every expected name appears in it, and nothing else does
// beyond separators such as "and", "by" or commas. No expected author and
// no author found is right too.
func sameAuthors(want []string, got string) bool {
	g := " " + fold(got) + " "
	if len(want) == 0 {
		return strings.TrimSpace(g) == ""
	}
	for _, w := range want {
		fw := fold(w)
		if fw == "" || !strings.Contains(g, " "+fw+" ") {
			return false
		}
		g = strings.Replace(g, " "+fw+" ", " ", 1)
	}
	for _, w := range strings.Fields(g) {
		switch w {
		case "and", "und", "by", "von", "et", "y", "e", "i", "og", "en", "par", "por":
		default:
			return false
		}
	}
	return true
}
