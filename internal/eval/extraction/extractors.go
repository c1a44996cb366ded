package extraction

import (
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract"
	"github.com/storyline-news/storyline/internal/extract/html"
)

// Storyline is storyline's own HTML path: the article as ingestion reads
// it (paragraphs joined by blank lines, title, author, publish date).
func Storyline(now time.Time) Extractor {
	return func(page []byte, pageURL string) (Output, error) {
		a, err := extract.Article(storyline.RawDoc{Source: pageURL, URL: pageURL, Kind: storyline.KindHTML, Body: page}, now)
		if err != nil {
			return Output{}, err
		}
		o := Output{Text: a.Text, Title: a.Title, Author: a.Author}
		if !a.Published.IsZero() {
			o.Published = a.Published.Format("2006-01-02")
		}
		return o, nil
	}
}

// Trafilatura is go-trafilatura alone with storyline's options: its
// ContentText and metadata, the baseline storyline must match.
func Trafilatura() Extractor {
	return func(page []byte, pageURL string) (Output, error) {
		out, err := html.Baseline(page, pageURL)
		if err != nil {
			return Output{}, err
		}
		o := Output{Text: out.ContentText, Title: strings.TrimSpace(out.Metadata.Title), Author: strings.TrimSpace(out.Metadata.Author)}
		if !out.Metadata.Date.IsZero() {
			o.Published = out.Metadata.Date.Format("2006-01-02")
		}
		return o, nil
	}
}
