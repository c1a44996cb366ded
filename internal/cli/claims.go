package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/claim"
	"github.com/storyline-news/storyline/internal/entity"
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
			articles, res, err := a.resolved(cmd.Context())
			if err != nil {
				return err
			}
			cs := claim.Find(articles, res)
			if storyID != "" {
				in, err := storyArticles(articles, res, storyID)
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
				fmt.Fprintf(a.stdout, "  %-34s %s\n      “%s”\n", clipText(describeClaim(c.Claim), 34), claimantLabel(c.Claim), clipText(c.Text, 240))
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
		parts = append(parts, *c.Unit)
	}
	if c.Subject != nil {
		if c.Unit != nil {
			parts = append(parts, "·")
		}
		parts = append(parts, *c.Subject)
	}
	return strings.Join(parts, " ")
}

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
func storyArticles(articles []storyline.Article, res entity.Result, id string) (map[string]bool, error) {
	in := map[string]bool{}
	for _, t := range story.Build(articles, res, story.Options{}) {
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
