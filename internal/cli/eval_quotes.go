package cli

import (
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline/internal/eval/quotes"
)

func (a *app) evalQuotesCmd() *cobra.Command {
	var asJSON bool
	var data, split string
	cmd := &cobra.Command{
		Use:   "quotes",
		Short: "Quote extraction (content spans, speakers) on the PolNeAR corpus",
		Long: `Resolve the entities of every PolNeAR article of a split, extract its quotes
and score them against the first annotator's attributions, for direct, mixed
and indirect attributions separately. Tune on train, report dev (test is held
back).

Gold: only speech attributions are scored, those whose cue holds a form of a
speech verb (say, tell, add, write, ask, tweet, note, report, announce, …),
"according to", or is a colon; beliefs and findings (believe, show, found) and
labelling acts (call, describe, accuse, praise, urge) are left out, and a
prediction overlapping only such an attribution is ignored. The first
annotator's file (alphabetically) is the gold of an article with several. Kind
of a gold content: direct when it starts and ends with a quote mark, mixed when
it holds one, else indirect (two apostrophes in a row, the New York Times
style, count as a quote mark).

Match: a prediction and a gold content overlap, one to one, largest overlap
first; P = matched / predictions, R = matched / gold. Exact: a matched pair
with the same span once both are trimmed of white space, quote marks and .,;:
and of a leading "that" (PolNeAR keeps the complementizer in the content).
Token (Citron/PARC): P = predicted word tokens inside gold content / all
predicted word tokens, R = gold word tokens inside a prediction / all gold word
tokens; a prediction the attribution interrupts ("…," he said. "…") counts
the tokens of its parts only, as a discontinuous gold content does. A prediction is scored under the kind of the gold it matched, or its
own kind when unmatched.

Source: over matched pairs whose gold has a source, the share whose predicted
speaker (as written, its entity's canonical name, or the unlinked name its
pronoun refers to) shares a surname with the gold source, accents aside. A
gold third-person pronoun or relative (he, she, they, who, …) is replaced by
the nearest preceding gold source that is a name — no pronoun and no definite
description such as "the Vermont senator" or "The Republican" — and agrees
with it ("he"/"she": no lower-case plural, no "his …" phrase, no "Mrs."/"Mr."
of the other gender); a pair whose pronoun has no such antecedent is not
scored. A description matches as written or as that antecedent. First-person
sources (I, we) are not chained. PolNeAR has no coreference, so this is an
approximation.

Anchors: Citron (BBC) on PARC 3.0 end to end, exact F1 0.57 and token F1 0.83;
Gender Gap Tracker F1 0.84 with 87% speaker accuracy. Aim: token F1 >= 0.85 and
source accuracy >= 0.90 on direct and mixed quotes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var splits []string
			switch split {
			case "train", "dev":
				splits = []string{split}
			case "both":
				splits = []string{"train", "dev"}
			default:
				return fmt.Errorf("eval quotes: --split must be train, dev or both, not %q", split)
			}
			dir, err := dataDir(data, "eval quotes", "data", "polnear")
			if err != nil {
				return err
			}
			var reports []quotes.Report
			var took []time.Duration
			for _, s := range splits {
				start := time.Now()
				a.log.Info("reading PolNeAR", "dir", dir, "split", s)
				docs, err := quotes.LoadPolNeAR(dir, s)
				if err != nil {
					return fmt.Errorf("eval quotes: %w", err)
				}
				if len(docs) == 0 {
					return fmt.Errorf("eval quotes: no annotated articles in %s under %s", s, dir)
				}
				a.log.Info("extracting quotes", "split", s, "articles", len(docs))
				rep, _, _ := quotes.Run(s, docs)
				reports = append(reports, rep)
				took = append(took, time.Since(start))
			}
			if asJSON {
				return writeJSON(a.stdout, reports)
			}
			for i, rep := range reports {
				if i > 0 {
					fmt.Fprintln(a.stdout)
				}
				fmt.Fprintf(a.stdout, "PolNeAR %s: %d articles under %s, %d speech attributions scored (%d others left out), %d predictions (%d ignored on non-speech gold) (%.1fs)\n\n",
					rep.Split, rep.Docs, filepath.Clean(dir), rep.Gold, rep.Other, rep.Predicted, rep.Ignored, took[i].Seconds())
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
				fmt.Fprintln(tw, "kind\tgold\tpred\tmatch P\tR\tF1\texact P\tR\tF1\ttoken P\tR\tF1\tsources\tsource acc\t")
				for _, r := range rep.Rows {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%.3f\t\n", r.Kind, r.Gold, r.Predicted,
						r.Match.P, r.Match.R, r.Match.F1, r.Exact.P, r.Exact.R, r.Exact.F1, r.Token.P, r.Token.R, r.Token.F1, r.Sources, r.SourceAcc)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&data, "data", "", "the PolNeAR directory (default ../shared/data/polnear)")
	cmd.Flags().StringVar(&split, "split", "both", "train, dev or both")
	return cmd
}
