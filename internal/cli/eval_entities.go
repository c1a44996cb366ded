package cli

import (
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline/internal/eval/entities"
)

func (a *app) evalEntitiesCmd() *cobra.Command {
	var asJSON bool
	var data string
	cmd := &cobra.Command{
		Use:   "entities",
		Short: "Entity detection and name-variant merging on the BSNLP corpus",
		Long: `Detect and resolve the entities of every annotated BSNLP document (all
languages, Latin and Cyrillic together) and score them against the gold
cross-lingual entity IDs: mention detection P/R/F1 (distinct surface forms per
document, exact match ignoring case) and BCubed P/R/F1 of the merge over the
gold mentions, end to end (the gold mentions detected) and with the gold
mentions given. Numeric gold IDs (hr, sk) are local to a topic and are scored
within it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := dataDir(data, "eval entities", "data", "bsnlp")
			if err != nil {
				return err
			}
			start := time.Now()
			a.log.Info("reading BSNLP", "dir", dir)
			docs, err := entities.LoadBSNLP(dir)
			if err != nil {
				return fmt.Errorf("eval entities: %w", err)
			}
			if len(docs) == 0 {
				return fmt.Errorf("eval entities: no annotated documents under %s", dir)
			}
			a.log.Info("resolving entities", "documents", len(docs))
			rows := entities.EvalEntities(docs)
			if asJSON {
				return writeJSON(a.stdout, rows)
			}
			fmt.Fprintf(a.stdout, "BSNLP entities: %d documents under %s (%.1fs)\n\n", len(docs), filepath.Clean(dir), time.Since(start).Seconds())
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "lang\tdocs\tgold\tfound\tdetect P\tR\tF1\tmerge P\tR\tF1\tgold-mention merge P\tR\tF1\t")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", r.Lang, r.Docs, r.Gold, r.Found,
					r.Detect.P, r.Detect.R, r.Detect.F1, r.Merge.P, r.Merge.R, r.Merge.F1, r.MergeOracle.P, r.MergeOracle.R, r.MergeOracle.F1)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&data, "data", "", "the BSNLP directory (default ../shared/data/bsnlp)")
	return cmd
}
