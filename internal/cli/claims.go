package cli

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/claim"
	"github.com/storyline-news/storyline/internal/story"
)

// claimJSON is one claim of `claims --json`: the report's claim with the
// article's outlet and date.
type claimJSON struct {
	storyline.Claim
	Outlet    *string `json:"outlet"`
	Published *string `json:"published"`
}

func (a *app) claimsCmd() *cobra.Command {
	var asJSON bool
	var storyID string
	cmd := &cobra.Command{
		Use:   "claims",
		Short: "The numbers the stored articles claim: value, unit, what is counted, who claims it",
		Long: `List the numeric claims of the stored articles, in digits or in words: the
value, its unit, the thing counted, the claimant (the speaker when the number
stands in a quote or is attributed in its sentence, else the outlet), the
article and the sentence. Years, dates, times and page furniture are left out.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			articles, res, ts, err := a.resolvedStories(cmd.Context(), storyID != "")
			if err != nil {
				return err
			}
			cs := claim.Find(articles, res)
			if storyID != "" {
				in, err := storyArticles(ts, storyID)
				if err != nil {
					return fmt.Errorf("claims: %w", err)
				}
				var kept []claim.Claim
				for _, c := range cs {
					if in[c.Article] {
						kept = append(kept, c)
					}
				}
				cs = kept
			}
			if asJSON {
				out := make([]claimJSON, 0, len(cs))
				for _, c := range cs {
					out = append(out, claimJSON{Claim: c.Claim, Outlet: nullable(c.Outlet), Published: nullable(dateString(c.Published))})
				}
				return writeJSON(a.stdout, out)
			}
			if len(cs) == 0 {
				fmt.Fprintln(a.stdout, "no claims: ingest articles first (storyline ingest --db FILE PATH...)")
				return nil
			}
			last := ""
			for _, c := range cs {
				if c.Article != last {
					if last != "" {
						fmt.Fprintln(a.stdout)
					}
					last = c.Article
					fmt.Fprintf(a.stdout, "%s  %s  %s\n", c.Article, deref(nullable(c.Outlet), "unknown outlet"), deref(nullable(dateString(c.Published)), "undated"))
				}
				fmt.Fprintf(a.stdout, "  %-44s %s\n      “%s”\n", clipText(describeClaim(c.Claim), 44), claimantLabel(c.Claim), clipText(c.Text, 240))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&storyID, "story", "", "only claims of this story (an ID from storyline stories, or its start)")
	return cmd
}

// describeClaim writes a claim's quantity: "at least 200000 international
// soldiers", "5 percent of GDP", "30 day ceasefire".
func describeClaim(c storyline.Claim) string {
	var parts []string
	if c.Qualifier != nil {
		parts = append(parts, strings.ToLower(*c.Qualifier))
	}
	parts = append(parts, formatValue(c.Value))
	if c.Unit != nil {
		u := *c.Unit
		if c.Value != 1 && pluralUnits[u] {
			u += "s"
		}
		parts = append(parts, u)
	}
	if c.Subject != nil {
		if c.Unit != nil {
			parts = append(parts, "·")
		}
		parts = append(parts, *c.Subject)
	}
	return strings.Join(parts, " ")
}

// pluralUnits are the unit names written with an s for more than one.
var pluralUnits = map[string]bool{"day": true, "week": true, "month": true, "year": true, "hour": true, "minute": true,
	"second": true, "decade": true, "ton": true, "mile": true, "metre": true, "barrel": true, "litre": true,
	"gallon": true, "hectare": true, "acre": true, "degree": true, "percentage point": true}

func claimantLabel(c storyline.Claim) string {
	who := deref(c.Claimant, "unknown")
	if c.Quoted {
		return who + " (quoted)"
	}
	if c.SpeakerEntity != nil {
		return who + " (attributed)"
	}
	return who + " (the article)"
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// storyArticles returns the IDs of the articles of one story (an ID or
// its start).
func storyArticles(ts []story.Timeline, id string) (map[string]bool, error) {
	in := map[string]bool{}
	for _, t := range ts {
		if t.ID == id || strings.HasPrefix(t.ID, id) {
			for _, a := range t.Articles {
				in[a] = true
			}
			break
		}
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("no story %q (storyline stories lists them)", id)
	}
	return in, nil
}

// formatValue writes a value with thousands separators: 200,000; 1.5.
func formatValue(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v < 0 || v >= 1e15 {
		return s
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// disagreementsJSON is the output of `disagreements --json`.
type disagreementsJSON struct {
	Disagreements []storyline.Disagreement `json:"disagreements"`
	// Updates are differences the articles' dates explain: not flagged.
	Updates []storyline.Disagreement `json:"updates"`
	// Sources are, per story, the articles in publish order and the
	// outlets and media each cites.
	Sources []storySources `json:"sources"`
}

// storySources is who reported what first in one story, and who cited whom.
type storySources struct {
	Story    string          `json:"story"`
	Articles []articleSource `json:"articles"`
}

type articleSource struct {
	Article   string     `json:"article"`
	Outlet    *string    `json:"outlet"`
	Published *string    `json:"published"`
	Cites     []citeJSON `json:"cites"`
}

type citeJSON struct {
	Cited    string `json:"cited"`
	How      string `json:"how"`
	Sentence string `json:"sentence"`
}

// sourcesOf lists, per story, its articles in publish order (undated
// last) with the outlets and media each cites.
func sourcesOf(stories []storyline.Story, articles []storyline.Article, cites []claim.Citation) []storySources {
	byID := map[string]storyline.Article{}
	for _, a := range articles {
		byID[a.ID] = a
	}
	citesOf := map[string][]citeJSON{}
	for _, c := range cites {
		citesOf[c.Article] = append(citesOf[c.Article], citeJSON{Cited: c.Cited, How: c.How, Sentence: c.Sentence})
	}
	out := make([]storySources, 0, len(stories))
	for _, st := range stories {
		ids := append([]string(nil), st.Articles...)
		sort.SliceStable(ids, func(i, j int) bool {
			pi, pj := byID[ids[i]].Published, byID[ids[j]].Published
			if pi.IsZero() != pj.IsZero() {
				return !pi.IsZero()
			}
			return pi.Before(pj)
		})
		ss := storySources{Story: st.ID, Articles: []articleSource{}}
		for _, id := range ids {
			a := byID[id]
			cs := citesOf[id]
			if cs == nil {
				cs = []citeJSON{}
			}
			ss.Articles = append(ss.Articles, articleSource{Article: id, Outlet: nullable(a.Outlet), Published: nullable(dateString(a.Published)), Cites: cs})
		}
		out = append(out, ss)
	}
	return out
}

func (a *app) disagreementsCmd() *cobra.Command {
	var asJSON bool
	var storyID string
	cmd := &cobra.Command{
		Use:   "disagreements",
		Short: "Where the articles of one story contradict each other, side by side",
		Long: `Compare what the articles of each story say — people's titles at the
articles' dates ("former President" or "President"), how long something has
lasted ("for four years", "its third year"), numbers about one subject — and
list each point where they disagree: the sentences of every side with their
article, outlet and date, and why it was flagged. Differences the publish
dates explain (a later article with a newer figure) are listed apart as
updates, not flagged; an article without a publish date never explains one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			articles, res, ts, err := a.resolvedStories(cmd.Context(), true)
			if err != nil {
				return err
			}
			var stories []storyline.Story
			titles := map[string]string{}
			for _, t := range ts {
				if storyID != "" && t.ID != storyID && !strings.HasPrefix(t.ID, storyID) {
					continue
				}
				stories = append(stories, t.Story)
				titles[t.ID] = deref(t.Title, "(untitled)")
			}
			if storyID != "" && len(stories) == 0 {
				return fmt.Errorf("disagreements: no story %q (storyline stories lists them)", storyID)
			}
			cmp := claim.Compare(articles, res, claim.Find(articles, res), stories)
			sources := sourcesOf(stories, articles, claim.Citations(articles, res))
			if asJSON {
				return writeJSON(a.stdout, disagreementsJSON{Disagreements: cmp.Disagreements, Updates: cmp.Updates, Sources: sources})
			}
			if len(articles) == 0 {
				fmt.Fprintln(a.stdout, "no articles: ingest articles first (storyline ingest --db FILE PATH...)")
				return nil
			}
			writeDisagreements(a, cmp, sources, titles)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&storyID, "story", "", "only this story (an ID from storyline stories, or its start)")
	return cmd
}

// writeDisagreements prints, story by story, the points of disagreement
// and who cited whom, then the updates.
func writeDisagreements(a *app, cmp claim.Comparison, sources []storySources, titles map[string]string) {
	flags := map[string][]storyline.Disagreement{}
	for _, d := range cmp.Disagreements {
		flags[deref(d.Story, "")] = append(flags[deref(d.Story, "")], d)
	}
	fmt.Fprintf(a.stdout, "%d points of disagreement in %d stories\n", len(cmp.Disagreements), len(flags))
	for _, ss := range sources {
		cited := 0
		for _, as := range ss.Articles {
			cited += len(as.Cites)
		}
		if len(flags[ss.Story]) == 0 && cited == 0 {
			continue
		}
		fmt.Fprintf(a.stdout, "\n%s  %s\n", ss.Story, clipText(titles[ss.Story], 90))
		for _, d := range flags[ss.Story] {
			writePoint(a, d)
		}
		if cited > 0 {
			fmt.Fprintf(a.stdout, "\n  sources, first reported first (who cited whom):\n")
			for i, as := range ss.Articles {
				if i >= 30 {
					fmt.Fprintf(a.stdout, "    … and %d more articles\n", len(ss.Articles)-i)
					break
				}
				var names []string
				for _, c := range as.Cites {
					names = append(names, c.Cited+" ("+c.How+")")
				}
				cites := "cites no outlet"
				if len(names) > 0 {
					cites = "cites " + strings.Join(names, ", ")
				}
				fmt.Fprintf(a.stdout, "    %-16s %-10s %s  %s\n", clipText(deref(as.Outlet, "-"), 16), deref(as.Published, "undated"), as.Article[:min(12, len(as.Article))], cites)
			}
		}
	}
	if len(cmp.Updates) > 0 {
		noun := "differences"
		if len(cmp.Updates) == 1 {
			noun = "difference"
		}
		fmt.Fprintf(a.stdout, "\n%d %s explained by the publish dates (updates, not flagged):\n", len(cmp.Updates), noun)
		for _, d := range cmp.Updates {
			writePoint(a, d)
		}
	}
}

func writePoint(a *app, d storyline.Disagreement) {
	fmt.Fprintf(a.stdout, "\n  [%s] %s\n", d.Kind, d.About)
	for _, s := range d.Statements {
		fmt.Fprintf(a.stdout, "    %-16s %-10s %s  “%s”\n      %s\n", clipText(deref(s.Outlet, "-"), 16), deref(s.Published, "undated"),
			s.Article[:min(12, len(s.Article))], s.Says, clipText(s.Text, 240))
	}
	fmt.Fprintf(a.stdout, "    why: %s\n", d.Why)
}
