// Package claim finds the numbers articles claim and where articles of one
// story disagree.
//
// A claim is a number in a sentence, in digits or in words ("200,000",
// "Two hundred thousand", "5% of their GDP", "a 30-day ceasefire"), with
// its unit, the thing it counts (the noun phrase after it) and who claims
// it: the speaker when the number stands inside a quote found by
// internal/quote or is attributed in its sentence ("proposed by …"), else
// the article's outlet. Years, dates, times of day, ages of articles
// ("3 hours ago"), identifiers ("Article 5", "F-16") and page furniture
// ("12 comments") are not claims.
//
// It uses no model: the shape of the number and the words around it.
package claim

import (
	"regexp"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/quote"
	"github.com/storyline-news/storyline/internal/text"
)

// Number is one claim in an article's text, with offsets.
type Number struct {
	Start, End int // byte offsets of the number (and its unit) in the text
	// SentStart and SentEnd are the byte offsets of the sentence.
	SentStart, SentEnd int
	Sentence           string
	Value              float64
	Written            string // the number as written
	Qualifier          string // "at least", "about", …; "" when none
	Unit               string // "" for a plain count
	Subject            string // "" when the number counts nothing named
	// Entity is the index of the claimant's entity in the resolution,
	// -1 when none; Speaker is the claimant as written ("a senior
	// official"), "" when the article itself claims it.
	Entity  int
	Speaker string
	Quoted  bool
}

// Claim is a claim of the report with what the CLI shows around it.
type Claim struct {
	storyline.Claim
	Start, End int
	Outlet     string
	Published  time.Time // the article's publish date; zero when unknown
}

// splitDecimalRE finds the rest of a decimal after a number that ends a
// sentence: "worth £1 . | 6m" in tokenised text.
var splitDecimalRE = regexp.MustCompile(`^ ?\. ?\d`)

// Limits that bound the work on one article.
const (
	maxTextBytes = 1 << 20 // text read per article
	maxClaims    = 500     // claims kept per article
)

// Extract finds the claims of one article: text is its clean text, quotes
// the quotes internal/quote found in it, mentions its linked mentions and
// entities the entities of the same resolution (nil when unknown).
func Extract(body string, quotes []quote.Quote, mentions []entity.Linked, entities []storyline.Entity) []Number {
	return extract(body, "en", quotes, mentions, entities)
}

// extract is Extract for a text in language lang: outside English a dot
// between groups of three digits separates thousands ("1.237").
func extract(body, lang string, quotes []quote.Quote, mentions []entity.Linked, entities []storyline.Entity) []Number {
	if len(body) > maxTextBytes {
		body = body[:maxTextBytes]
	}
	var out []Number
	off := 0
	for _, para := range strings.Split(body, "\n\n") {
		for _, s := range text.Sentences(para) {
			start := off + s.Start
			for _, n := range sentenceNumbers(s.Text, lang != "en" && lang != "") {
				n.Start += start
				n.End += start
				if splitDecimalRE.MatchString(body[n.End:min(len(body), n.End+8)]) {
					continue // "£1 . 6m" cut by the sentence splitter: the rest is elsewhere
				}
				n.SentStart, n.SentEnd = start, off+s.End
				n.Sentence = strings.TrimSpace(s.Text)
				n.Entity = -1
				attribute(&n, body, quotes, mentions, entities)
				out = append(out, n)
				if len(out) >= maxClaims {
					return out
				}
			}
		}
		off += len(para) + 2
	}
	inheritSubjects(out)
	return out
}

// inheritSubjects gives a bare number ("Two hundred thousand is the
// minimum") the subject and unit of an earlier claim of the same value in
// the article ("200,000 international soldiers").
func inheritSubjects(ns []Number) {
	for i := range ns {
		if ns[i].Subject != "" || ns[i].Unit != "" {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			if ns[j].Value == ns[i].Value && ns[j].Subject != "" {
				ns[i].Subject, ns[i].Unit = ns[j].Subject, ns[j].Unit
				break
			}
		}
	}
}

// attribute sets the claimant of a number: the speaker of the quote it
// stands in, else a person or organisation its sentence attributes it to.
func attribute(n *Number, body string, quotes []quote.Quote, mentions []entity.Linked, entities []storyline.Entity) {
	for _, q := range quotes {
		if n.Start >= q.Start && n.End <= q.End {
			n.Quoted = true
			n.Entity = q.Entity
			n.Speaker = q.Speaker
			if q.Entity >= 0 && q.Entity < len(entities) {
				n.Speaker = entities[q.Entity].Name
				return
			}
			if q.Anonymous {
				return
			}
			// a speaker the quote stage could not place ("His comments
			// come as …"): the sentence's own attribution goes first
			break
		}
	}
	// "a ceasefire proposed by X", "X has suggested … 5%": the nearest
	// person or organisation linked to an attribution word in the sentence
	sent := body[n.SentStart:n.SentEnd]
	low := strings.ToLower(sent)
	best, bestDist := -1, 1<<30
	for k, m := range mentions {
		if m.Start < n.SentStart || m.End > n.SentEnd || m.Entity < 0 || m.Entity >= len(entities) {
			continue
		}
		if t := entities[m.Entity].Type; t != storyline.Person && t != storyline.Organization {
			continue
		}
		ms, me := m.Start-n.SentStart, m.End-n.SentStart
		if me <= n.Start-n.SentStart {
			// before the number: "X suggested …", "according to X, …"
			between := low[me : n.Start-n.SentStart]
			before := low[:ms]
			if (hasCue(between) && !strings.ContainsAny(between, ";")) || strings.Contains(before[max(0, len(before)-40):], "according to") {
				if d := n.Start - n.SentStart - me; d < bestDist {
					best, bestDist = k, d
				}
			}
			continue
		}
		// after the number: "… proposed by X", "…, according to X"
		if ms >= n.End-n.SentStart {
			between := low[n.End-n.SentStart : ms]
			if byRE.MatchString(between) || strings.HasSuffix(strings.TrimSpace(between), "according to") || trailingCue(between) {
				if d := ms - (n.End - n.SentStart); d < bestDist {
					best, bestDist = k, d
				}
			}
		}
	}
	if best >= 0 {
		n.Entity = mentions[best].Entity
		n.Speaker = entities[n.Entity].Name
		n.Quoted = false
	}
}

// Find extracts the claims of every article. res is the entity resolution
// of the same articles, in the same order. IDs are stable: the same
// articles give the same IDs.
func Find(articles []storyline.Article, res entity.Result) []Claim {
	var out []Claim
	for i, a := range articles {
		var mentions []entity.Linked
		if i < len(res.Mentions) {
			mentions = res.Mentions[i]
		}
		qs := quote.Extract(a.Text, mentions, res.Entities)
		seen := map[string]bool{}
		for _, n := range extract(a.Text, a.Language, qs, mentions, res.Entities) {
			c := Claim{Start: n.Start, End: n.End, Outlet: a.Outlet, Published: a.Published}
			c.ID = "c_" + text.Hash("claim", a.ID, n.Sentence, n.Written, n.Unit, n.Subject)[:12]
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			c.Article = a.ID
			c.Text = n.Sentence
			c.Value = n.Value
			c.Number = n.Written
			c.Qualifier = null(n.Qualifier)
			c.Unit = null(n.Unit)
			c.Subject = null(n.Subject)
			c.Quoted = n.Quoted
			if n.Entity >= 0 && n.Entity < len(res.Entities) && res.Entities[n.Entity].Type != entity.Other {
				id := res.Entities[n.Entity].ID
				c.SpeakerEntity = &id
			}
			switch {
			case n.Speaker != "":
				c.Claimant = null(n.Speaker)
			case !n.Quoted:
				c.Claimant = null(a.Outlet)
			}
			out = append(out, c)
		}
	}
	return out
}

func null(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
