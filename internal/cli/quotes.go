package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/quote"
	"github.com/storyline-news/storyline/internal/story"
)

// statementJSON is one statement of `quotes --json`: the quote carried by
// the first outlet, and every version of it.
type statementJSON struct {
	ID            string        `json:"id"`
	Speaker       *string       `json:"speaker"`
	SpeakerEntity *string       `json:"speaker_entity"`
	SpeakerName   *string       `json:"speaker_name"`
	Direct        bool          `json:"direct"`
	FirstOutlet   *string       `json:"first_outlet"`
	FirstDate     *string       `json:"first_published"`
	Versions      []versionJSON `json:"versions"`
}

type versionJSON struct {
	Quote     string  `json:"quote"`
	Article   string  `json:"article"`
	Source    string  `json:"source"`
	Outlet    *string `json:"outlet"`
	Published *string `json:"published"`
	Text      string  `json:"text"`
	Cue       *string `json:"cue"`
	Speaker   *string `json:"speaker"`
	Kind      string  `json:"kind"`
}

func (a *app) quotesCmd() *cobra.Command {
	var asJSON bool
	var speaker, storyID string
	cmd := &cobra.Command{
		Use:   "quotes",
		Short: "Who said what: every statement in the stored articles, with its speaker",
		Long: `List every statement of the stored articles: direct quotes and reported
speech, with the speaker (and the entity it names), the cue verb, the article,
the outlet and the date. A statement carried by several outlets, or quoted in
several translations, is listed once with each outlet's version and the first
outlet that carried it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			articles, res, ts, err := a.resolvedStories(cmd.Context(), storyID != "")
			if err != nil {
				return err
			}
			stmts := quote.Find(articles, res)
			if storyID != "" {
				in, err := storyArticles(ts, storyID)
				if err != nil {
					return fmt.Errorf("quotes: %w", err)
				}
				var kept []quote.Statement
				for _, s := range stmts {
					if in[s.Article] {
						kept = append(kept, s)
					}
				}
				stmts = kept
			}
			if speaker != "" {
				stmts = bySpeaker(stmts, res, speaker)
				if len(stmts) == 0 {
					return fmt.Errorf("quotes: no statement by %q", speaker)
				}
			}
			groups := groupStatements(stmts)
			if asJSON {
				return writeJSON(a.stdout, groups)
			}
			if len(groups) == 0 {
				fmt.Fprintln(a.stdout, "no statements: ingest articles first (storyline ingest --db FILE PATH...)")
				return nil
			}
			for i, g := range groups {
				if i > 0 {
					fmt.Fprintln(a.stdout)
				}
				writeStatement(a, g)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&speaker, "speaker", "", "only statements by this person or organisation (any variant of the name)")
	cmd.Flags().StringVar(&storyID, "story", "", "only statements of this story (an ID from storyline stories, or its start)")
	return cmd
}

// resolvedStories reads the stored articles, resolves their entities and,
// when withStories, returns the store's stories too: one opening of the
// store, one read of its articles.
func (a *app) resolvedStories(ctx context.Context, withStories bool) ([]storyline.Article, entity.Result, []story.Timeline, error) {
	store, err := a.openStore(ctx, "storyline.db")
	if err != nil {
		return nil, entity.Result{}, nil, err
	}
	defer store.Close()
	articles, err := store.Articles(ctx)
	if err != nil {
		return nil, entity.Result{}, nil, err
	}
	var ts []story.Timeline
	if withStories {
		if ts, err = pipeline.Stories(ctx, store, articles); err != nil {
			return nil, entity.Result{}, nil, err
		}
	}
	return articles, entity.Resolve(entity.Docs(articles)), ts, nil
}

// bySpeaker keeps the statements of the entities a name finds, and those
// whose speaker as written contains the name.
func bySpeaker(stmts []quote.Statement, res entity.Result, name string) []quote.Statement {
	ids := map[string]bool{}
	for _, e := range entity.Find(res.Named(), name) {
		ids[e.ID] = true
	}
	lname := strings.ToLower(name)
	var out []quote.Statement
	for _, s := range stmts {
		if (s.SpeakerEntity != nil && ids[*s.SpeakerEntity]) || (s.Speaker != nil && strings.Contains(strings.ToLower(*s.Speaker), lname)) {
			out = append(out, s)
		}
	}
	// keep every version of a statement one of whose versions was kept
	return out
}

// groupStatements folds the versions of one statement (same SameAs) into
// one entry, in the order of their first publication.
func groupStatements(stmts []quote.Statement) []statementJSON {
	var order []string
	byKey := map[string][]quote.Statement{}
	for _, s := range stmts {
		key := s.ID
		if s.SameAs != nil {
			key = *s.SameAs
		}
		if _, ok := byKey[key]; !ok {
			order = append(order, key)
		}
		byKey[key] = append(byKey[key], s)
	}
	out := make([]statementJSON, 0, len(order))
	for _, key := range order {
		vs := byKey[key]
		sort.SliceStable(vs, func(i, j int) bool {
			pi, pj := vs[i].Published, vs[j].Published
			if pi.IsZero() != pj.IsZero() {
				return !pi.IsZero()
			}
			return pi.Before(pj)
		})
		first := vs[0]
		g := statementJSON{ID: key, Speaker: first.Speaker, SpeakerEntity: first.SpeakerEntity, Direct: first.Direct}
		if first.SpeakerName != "" {
			n := first.SpeakerName
			g.SpeakerName = &n
		}
		g.FirstOutlet = nullable(first.Outlet)
		g.FirstDate = nullable(dateOf(first))
		for _, v := range vs {
			g.Direct = g.Direct || v.Direct
			g.Versions = append(g.Versions, versionJSON{Quote: v.ID, Article: v.Article, Source: v.Source, Outlet: nullable(v.Outlet),
				Published: nullable(dateOf(v)), Text: v.Text, Cue: v.Cue, Speaker: v.Speaker, Kind: v.Kind})
		}
		out = append(out, g)
	}
	return out
}

func dateOf(s quote.Statement) string {
	if s.Published.IsZero() {
		return ""
	}
	return s.Published.Format("2006-01-02")
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string, def string) string {
	if s == nil || *s == "" {
		return def
	}
	return *s
}

// writeStatement prints one statement: speaker, then each version.
func writeStatement(a *app, g statementJSON) {
	who := deref(g.SpeakerName, deref(g.Speaker, "unknown speaker"))
	if g.SpeakerName != nil && g.Speaker != nil && !strings.EqualFold(*g.Speaker, *g.SpeakerName) {
		who += fmt.Sprintf(" (%q)", *g.Speaker)
	}
	kind := "reported"
	if g.Direct {
		kind = "direct"
	}
	fmt.Fprintf(a.stdout, "%s — %s", who, kind)
	if len(g.Versions) > 1 {
		fmt.Fprintf(a.stdout, ", %d versions; first: %s %s", len(g.Versions), deref(g.FirstOutlet, "unknown outlet"), deref(g.FirstDate, "undated"))
	}
	fmt.Fprintln(a.stdout)
	for _, v := range g.Versions {
		fmt.Fprintf(a.stdout, "  %-16s %-10s %-10s “%s”\n", clipText(deref(v.Outlet, "-"), 16), deref(v.Published, "-"), deref(v.Cue, "-"), clipText(v.Text, 300))
	}
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
