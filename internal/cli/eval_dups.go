package cli

import (
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/eval/dups"
	"github.com/storyline-news/storyline/internal/extract"
	"github.com/storyline-news/storyline/internal/ingest"
)

func (a *app) evalDupsCmd() *cobra.Command {
	var asJSON bool
	var data string
	var seed uint64
	cmd := &cobra.Command{
		Use:   "dups",
		Short: "Near-duplicate detection on the BBC corpus: exact copies and generated perturbed copies",
		Long: `Clean every BBC article (../shared/data/bbc) and add them in file order to the
near-duplicate index (MinHash signatures, banded LSH, online inserts):

  exact      every article whose normalised text equals an earlier one's (the
             corpus has 98 such copies) must be flagged as a duplicate of it;
             other articles flagged are listed as near-copies
  perturbed  copies generated from the first half of the corpus (labelled as
             generated; seed --seed) with other boilerplate, the last third of
             the paragraphs cut, another headline, a few words edited in two
             sentences, or all of these, must each find their original; the
             second half, distinct articles, must find none`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := dataDir(data, "eval dups", "data", "bbc", "bbc")
			if err != nil {
				return err
			}
			start := time.Now()
			var docs []dups.Doc
			r := &ingest.Reader{}
			now := time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC)
			err = r.Read([]string{dir}, func(raw storyline.RawDoc, err error) error {
				if err != nil {
					return nil
				}
				art, err := extract.Article(raw, now)
				if err != nil {
					return nil
				}
				rel, _ := filepath.Rel(dir, raw.Source)
				docs = append(docs, dups.Doc{ID: rel, Text: art.Text, Raw: raw.Body})
				return nil
			})
			if err != nil {
				return fmt.Errorf("eval dups: %w", err)
			}
			if len(docs) == 0 {
				return fmt.Errorf("eval dups: no articles under %s", dir)
			}
			exact := dups.Exact(docs)
			// distinct articles only: the first copy of each text
			seen := map[string]bool{}
			var distinct []dups.Doc
			for _, d := range docs {
				if k := d.Text; !seen[k] {
					seen[k] = true
					distinct = append(distinct, d)
				}
			}
			half := len(distinct) / 2
			pert := dups.Perturbed(distinct[:half], distinct[half:], seed)
			if asJSON {
				return writeJSON(a.stdout, map[string]any{"exact": exact, "perturbed": pert})
			}
			fmt.Fprintf(a.stdout, "BBC near-duplicates: %d articles under %s (%.1fs)\n\n", len(docs), filepath.Clean(dir), time.Since(start).Seconds())
			fmt.Fprintf(a.stdout, "files identical to an earlier file: %d of %d found\n", exact.RawFound, exact.RawCopies)
			fmt.Fprintf(a.stdout, "clean texts identical to an earlier one: %d of %d found; %d other articles flagged as near-copies:\n", exact.Found, exact.Copies, exact.Near)
			for _, e := range exact.Examples {
				fmt.Fprintf(a.stdout, "  %s\n", e)
			}
			fmt.Fprintf(a.stdout, "\nperturbed copies of %d originals (generated), %d distinct articles (%d wrongly matched):\n\n", pert.Originals, pert.Distinct, pert.DistinctFP)
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "perturbation\tfound\tmissed\twrong\tP\tR\tF1\t")
			for _, k := range dups.Kinds {
				s := pert.ByKind[k]
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t\n", k, s.TP, s.FN, s.FP, s.P, s.R, s.F1)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the scores as JSON")
	cmd.Flags().StringVar(&data, "data", "", "the BBC corpus directory (default: ../shared/data/bbc/bbc)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the generated perturbations")
	return cmd
}
