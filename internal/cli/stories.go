package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/story"
)

func (a *app) storiesCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stories",
		Short: "The stories of the stored articles, with their events in order",
		Long: `List the stories of the stored articles, largest first: title, date span,
outlets, articles and events. Articles are placed in events and stories as
they are ingested, batch by batch in publish order (near-duplicate copies
folded under their original), and keep their place; articles stored but not
placed yet (by an older storyline) are placed first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ts, _, err := a.storedStories(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]storyline.Story, 0, len(ts))
				for _, t := range ts {
					out = append(out, t.Story)
				}
				return writeJSON(a.stdout, out)
			}
			if len(ts) == 0 {
				fmt.Fprintln(a.stdout, "no stories: ingest articles first (storyline ingest --db FILE PATH...)")
				return nil
			}
			for _, t := range ts {
				fmt.Fprintf(a.stdout, "%s  %s\n", t.ID, deref(t.Title, "(untitled)"))
				fmt.Fprintf(a.stdout, "  %s · %d articles · %d events · %s\n", span(t), len(t.Articles), len(t.Events), outletList(t.Outlets))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) storyCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "story ID",
		Short: "One story's timeline: events in order, who reported first, copies folded",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := a.openStore(cmd.Context(), "storyline.db")
			if err != nil {
				return err
			}
			defer store.Close()
			ts, articles, err := storiesOf(cmd.Context(), store)
			if err != nil {
				return err
			}
			byID := map[string]storyline.Article{}
			for _, art := range articles {
				byID[art.ID] = art
			}
			for _, t := range ts {
				if t.ID != args[0] && !strings.HasPrefix(t.ID, args[0]) {
					continue
				}
				if asJSON {
					return writeJSON(a.stdout, t.Story)
				}
				// exact copies: other sources of the same text, from the store
				exact, err := exactCopies(cmd.Context(), store, t.Articles)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s  %s\n  %s · %s\n", t.ID, deref(t.Title, "(untitled)"), span(t), outletList(t.Outlets))
				for _, ev := range t.Events {
					fmt.Fprintf(a.stdout, "\n  %s  %s\n", deref(ev.FirstPublished, "undated"), ev.Title)
					copies := map[string][]string{}
					for _, id := range ev.Articles {
						if o, ok := t.CopyOf[id]; ok {
							copies[o] = append(copies[o], id)
						}
					}
					first := true
					for _, id := range ev.Articles {
						if _, isCopy := t.CopyOf[id]; isCopy {
							continue
						}
						art := byID[id]
						mark := "   "
						if first {
							mark = " ★ " // reported first
							first = false
						}
						fmt.Fprintf(a.stdout, "  %s%-16s %-10s %s\n", mark, clipText(dash(art.Outlet), 16), dash(art.PublishedString()), clipText(dash(art.Title), 80))
						var names []string
						for _, c := range copies[id] {
							names = append(names, dash(byID[c].Outlet))
						}
						for _, c := range exact[id] {
							names = append(names, dash(c.Outlet)+" (same text)")
						}
						if len(names) > 0 {
							fmt.Fprintf(a.stdout, "      also carried by %s\n", strings.Join(names, ", "))
						}
					}
				}
				return nil
			}
			return fmt.Errorf("story: no story %q (storyline stories lists them)", args[0])
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func span(t story.Timeline) string {
	if t.Span[0].IsZero() {
		return "undated"
	}
	a, b := t.Span[0].Format("2006-01-02"), t.Span[1].Format("2006-01-02")
	if a == b {
		return a
	}
	return a + " – " + b
}

func outletList(os []string) string {
	if len(os) == 0 {
		return "no outlet known"
	}
	if len(os) > 5 {
		return strings.Join(os[:5], ", ") + fmt.Sprintf(" and %d more", len(os)-5)
	}
	return strings.Join(os, ", ")
}

// exactCopies returns, per article, the other sources the store recorded
// for its very text (the article's own source left out).
func exactCopies(ctx context.Context, store storyline.Store, ids []string) (map[string][]storyline.Copy, error) {
	out := map[string][]storyline.Copy{}
	for _, id := range ids {
		cs, err := store.Copies(ctx, id)
		if err != nil {
			return nil, err
		}
		if len(cs) > 1 {
			out[id] = cs[1:]
		}
	}
	return out, nil
}

// storedStories places the stored articles no story holds yet and returns
// the stories of the store, with its articles.
func (a *app) storedStories(ctx context.Context) ([]story.Timeline, []storyline.Article, error) {
	store, err := a.openStore(ctx, "storyline.db")
	if err != nil {
		return nil, nil, err
	}
	defer store.Close()
	return storiesOf(ctx, store)
}

// storiesOf places the articles of store no story holds yet and returns
// its stories, with its articles.
func storiesOf(ctx context.Context, store storyline.Store) ([]story.Timeline, []storyline.Article, error) {
	articles, err := store.Articles(ctx)
	if err != nil {
		return nil, nil, err
	}
	ts, err := pipeline.Stories(ctx, store, articles)
	if err != nil {
		return nil, nil, err
	}
	return ts, articles, nil
}
