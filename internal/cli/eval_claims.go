package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/eval/claims"
)

func (a *app) evalDisagreementsCmd() *cobra.Command {
	var asJSON bool
	var data, only string
	var sample int
	cmd := &cobra.Command{
		Use:   "disagreements",
		Short: "Disagreements flagged in the stories of ECB+ and BSNLP, a sample printed for reading",
		Long: `Cluster the documents of ECB+ (no dates, no outlets) and BSNLP (dated; the
outlet is the URL's host) into stories, find their claims, compare the articles
of each story, and print how many points were flagged, by kind, and a fixed
sample of them in full (sides, sentences, why) to be judged by reading: these
corpora have no gold standard for disagreements.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := dataDir(data, "eval disagreements", "data")
			if err != nil {
				return err
			}
			var results []claims.Result
			if only == "" || only == "ecb+" {
				arts, err := claims.LoadECB(filepath.Join(dir, "ecbplus"))
				if err != nil {
					return fmt.Errorf("eval disagreements: %w", err)
				}
				results = append(results, claims.Run("ECB+", arts))
			}
			if only == "" || only == "bsnlp" {
				arts, err := claims.LoadBSNLP(filepath.Join(dir, "bsnlp"))
				if err != nil {
					return fmt.Errorf("eval disagreements: %w", err)
				}
				results = append(results, claims.Run("BSNLP", arts))
			}
			if len(results) == 0 {
				return fmt.Errorf("eval disagreements: --corpus is ecb+ or bsnlp")
			}
			var all []storyline.Disagreement
			for _, r := range results {
				all = append(all, r.Disagreements...)
			}
			picked := claims.Sample(all, sample)
			if asJSON {
				return writeJSON(a.stdout, map[string]any{"corpora": results, "sample": picked})
			}
			for _, r := range results {
				fmt.Fprintf(a.stdout, "%-6s %5d articles  %4d stories  %6d claims  %4d disagreements (role %d, duration %d, quantity %d)  %d updates  (%.1fs)\n",
					r.Corpus, r.Articles, r.Stories, r.Claims, len(r.Disagreements), r.ByKind[storyline.DisagreeRole],
					r.ByKind[storyline.DisagreeDuration], r.ByKind[storyline.DisagreeQuantity], r.Updates, r.Seconds)
			}
			fmt.Fprintf(a.stdout, "\n%d flags of %d, picked by a hash of their IDs, for reading:\n", len(picked), len(all))
			for i, d := range picked {
				fmt.Fprintf(a.stdout, "\n#%d %s  (story %s)", i+1, d.ID, deref(d.Story, "-"))
				writePoint(a, d)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&data, "data", "", "the shared data directory (default: ../shared/data)")
	cmd.Flags().StringVar(&only, "corpus", "", "only this corpus: ecb+ or bsnlp")
	cmd.Flags().IntVar(&sample, "sample", 30, "how many flags to print in full")
	return cmd
}
