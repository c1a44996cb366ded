// Package claims runs the claim and disagreement stages (internal/claim)
// over the shared corpora that come in stories — ECB+ and BSNLP — so that
// their flags can be read and judged: how many of the points flagged are
// real disagreements, and what the false alarms look like. There is no
// gold standard for disagreements in these corpora; the figure comes from
// reading a sample.
package claims

import (
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/claim"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/eval/clusters"
	"github.com/storyline-news/storyline/internal/eval/entities"
	"github.com/storyline-news/storyline/internal/story"
	"github.com/storyline-news/storyline/internal/text"
)

// Result is what the stages find in one corpus.
type Result struct {
	Corpus   string `json:"corpus"`
	Articles int    `json:"articles"`
	Stories  int    `json:"stories"`
	Claims   int    `json:"claims"`
	// ByKind counts the disagreements by kind.
	ByKind        map[string]int           `json:"by_kind"`
	Updates       int                      `json:"updates"`
	Disagreements []storyline.Disagreement `json:"disagreements"`
	Seconds       float64                  `json:"seconds"`
}

// LoadECB reads the ECB+ documents under dir as articles: no outlet and
// no publish date (the corpus has neither), in the order clusters.LoadECB
// gives.
func LoadECB(dir string) ([]storyline.Article, error) {
	docs, err := clusters.LoadECB(dir)
	if err != nil {
		return nil, err
	}
	out := make([]storyline.Article, 0, len(docs))
	for _, d := range docs {
		out = append(out, storyline.Article{ID: d.ID, Source: "ecbplus/" + d.ID, Title: d.Title, Text: d.Text, Language: "en"})
	}
	return out, nil
}

// LoadBSNLP reads the BSNLP documents under dir as articles, in publish
// order: the outlet is the host of the document's URL, the date its own.
func LoadBSNLP(dir string) ([]storyline.Article, error) {
	docs, err := entities.LoadBSNLP(dir)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].Date < docs[j].Date })
	out := make([]storyline.Article, 0, len(docs))
	for _, d := range docs {
		a := storyline.Article{ID: d.Topic + "/" + d.Lang + "/" + d.ID, Source: "bsnlp/" + d.Topic + "/" + d.ID, URL: d.URL,
			Title: d.Title, Text: d.Text, Language: d.Lang}
		if u, err := url.Parse(d.URL); err == nil {
			a.Outlet = strings.TrimPrefix(u.Hostname(), "www.")
		}
		if t, err := time.Parse("2006-01-02", d.Date); err == nil {
			a.Published = t
		}
		out = append(out, a)
	}
	return out, nil
}

// Run resolves the entities of the articles, clusters them into stories,
// finds their claims and compares the articles of each story.
func Run(name string, articles []storyline.Article) Result {
	start := time.Now()
	res := entity.Resolve(entity.Docs(articles))
	cs := claim.Find(articles, res)
	var stories []storyline.Story
	for _, t := range story.Build(articles, res, story.Options{}) {
		stories = append(stories, t.Story)
	}
	cmp := claim.Compare(articles, res, cs, stories)
	r := Result{Corpus: name, Articles: len(articles), Stories: len(stories), Claims: len(cs), ByKind: map[string]int{},
		Updates: len(cmp.Updates), Disagreements: cmp.Disagreements}
	for _, d := range cmp.Disagreements {
		r.ByKind[d.Kind]++
	}
	r.Seconds = time.Since(start).Seconds()
	return r
}

// Sample picks n disagreements to read, the same ones every run: those
// whose IDs hash first under a fixed salt, so that no kind or story is
// favoured by the order they were found in. All are returned when there
// are n or fewer.
func Sample(ds []storyline.Disagreement, n int) []storyline.Disagreement {
	if len(ds) <= n {
		return ds
	}
	out := append([]storyline.Disagreement(nil), ds...)
	key := func(d storyline.Disagreement) string { return text.Hash("sample", d.ID) }
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out[:n]
}
