package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/report"
)

func (a *app) peopleCmd() *cobra.Command {
	var asJSON bool
	var limit int
	var typ string
	cmd := &cobra.Command{
		Use:   "people",
		Short: "List the people, organisations and places of the stored articles",
		Long: `List the people, organisations and places the stored articles mention, most
mentioned first, with every variant of their names merged.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ents, _, err := a.entities(cmd.Context())
			if err != nil {
				return err
			}
			if typ != "" {
				var kept []storyline.Entity
				for _, e := range ents {
					if e.Type == typ {
						kept = append(kept, e)
					}
				}
				ents = kept
			}
			if limit > 0 && len(ents) > limit {
				ents = ents[:limit]
			}
			if asJSON {
				return writeJSON(a.stdout, ents)
			}
			if len(ents) == 0 {
				fmt.Fprintln(a.stdout, "no entities: ingest articles first (storyline ingest --db FILE PATH...)")
				return nil
			}
			return report.WriteEntities(a.stdout, ents, 0)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVarP(&limit, "limit", "n", 0, "print at most N entities (0: all)")
	cmd.Flags().StringVar(&typ, "type", "", "only entities of this type: person, organization or location")
	return cmd
}

func (a *app) personCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "person NAME",
		Short: "Show one person, organisation or place in full, found by any variant of its name",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := strings.Join(args, " ")
			ents, articles, err := a.entities(cmd.Context())
			if err != nil {
				return err
			}
			found := entity.Find(ents, name)
			if len(found) == 0 {
				return fmt.Errorf("person: no entity named %q", name)
			}
			if asJSON {
				return writeJSON(a.stdout, found)
			}
			byID := map[string]storyline.Article{}
			for _, art := range articles {
				byID[art.ID] = art
			}
			for i, e := range found {
				if i > 0 {
					fmt.Fprintln(a.stdout)
				}
				if err := report.WriteEntity(a.stdout, e, byID); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// entities resolves the entities of every article in the store.
func (a *app) entities(ctx context.Context) ([]storyline.Entity, []storyline.Article, error) {
	store, err := a.openStore(ctx, "storyline.db")
	if err != nil {
		return nil, nil, err
	}
	defer store.Close()
	articles, err := store.Articles(ctx)
	if err != nil {
		return nil, nil, err
	}
	return entity.Resolve(entity.Docs(articles)).Named(), articles, nil
}
