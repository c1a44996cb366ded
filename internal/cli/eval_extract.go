package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline/internal/eval/extraction"
)

// extractReport is the JSON form of `eval extract`.
type extractReport struct {
	Zyte     map[string]extraction.ShingleScore `json:"zyte,omitempty"`
	Snippets map[string]extraction.SnippetScore `json:"trafilatura_eval,omitempty"`
	Fundus   map[string]extraction.MetaScore    `json:"fundus,omitempty"`
}

func (a *app) evalExtractCmd() *cobra.Command {
	var asJSON, noBaseline bool
	var data, only string
	cmd := &cobra.Command{
		Use:   "extract",
		Short: "HTML main text and metadata quality on the extraction corpora",
		Long: `Extract every page of three public corpora with storyline's HTML path and,
in the same run, with go-trafilatura alone, and score both the way each
corpus' own evaluation does:

  zyte      article-extraction-benchmark: token 4-gram shingle precision and
            recall averaged over pages, F1 of those, exact-page accuracy; the
            benchmark's published go-trafilatura output is scored too, which
            checks the scorer against the published F1 0.960
  snippets  trafilatura-eval: text snippets that must appear and boilerplate
            snippets that must not, pooled over pages (micro P/R/F1)
  fundus    fundus parser fixtures: title, author and publish-date accuracy
            and body shingle F1

--data defaults to ../shared/data found from the working directory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := dataDir(data, "eval extract", "data")
			if err != nil {
				return err
			}
			want := map[string]bool{}
			for _, s := range strings.Split(only, ",") {
				if s = strings.TrimSpace(s); s != "" {
					want[s] = true
				}
			}
			for s := range want {
				if s != "zyte" && s != "snippets" && s != "fundus" {
					return fmt.Errorf("eval extract: --only %q: want zyte, snippets or fundus", s)
				}
			}
			run := func(s string) bool { return len(want) == 0 || want[s] }
			systems := []struct {
				name string
				ex   extraction.Extractor
			}{{"storyline", extraction.Storyline(time.Now().UTC())}}
			if !noBaseline {
				systems = append(systems, struct {
					name string
					ex   extraction.Extractor
				}{"go-trafilatura", extraction.Trafilatura()})
			}
			extractAll := func(corpusName string, pages []extraction.Page) [][]extraction.Output {
				outs := make([][]extraction.Output, len(systems))
				for i, s := range systems {
					start := time.Now()
					progress, done := a.bar(fmt.Sprintf("%s: %s", corpusName, s.name), len(pages))
					o, failed := extraction.Extract(cmd.Context(), pages, s.ex, progress)
					done()
					outs[i] = o
					a.log.Info("extracted", "corpus", corpusName, "system", s.name, "pages", len(pages), "failed", failed, "seconds", fmt.Sprintf("%.1f", time.Since(start).Seconds()))
				}
				return outs
			}
			var rep extractReport
			if run("zyte") {
				zdir := filepath.Join(dir, "article-extraction-benchmark")
				pages, err := extraction.LoadZyte(zdir)
				if err != nil {
					return fmt.Errorf("eval extract: %w", err)
				}
				rep.Zyte = map[string]extraction.ShingleScore{}
				for i, o := range extractAll("zyte", pages) {
					rep.Zyte[systems[i].name] = extraction.ScoreZyte(pages, o)
				}
				ref := filepath.Join(zdir, "reference-outputs", "go_trafilatura.json")
				if bodies, err := extraction.Bodies(ref); err == nil {
					outs := make([]extraction.Output, len(pages))
					for i, p := range pages {
						outs[i].Text = bodies[p.ID]
					}
					rep.Zyte["published go_trafilatura output"] = extraction.ScoreZyte(pages, outs)
				} else if !os.IsNotExist(err) {
					a.log.Warn("reference output unreadable", "file", ref, "error", err)
				}
			}
			if run("snippets") {
				pages, missing, err := extraction.LoadSnippets(filepath.Join(dir, "trafilatura-eval"))
				if err != nil {
					return fmt.Errorf("eval extract: %w", err)
				}
				if missing > 0 {
					a.log.Warn("trafilatura-eval pages missing", "count", missing)
				}
				rep.Snippets = map[string]extraction.SnippetScore{}
				for i, o := range extractAll("snippets", pages) {
					rep.Snippets[systems[i].name] = extraction.ScoreSnippets(pages, o)
				}
			}
			if run("fundus") {
				pages, skipped, err := extraction.LoadFundus(filepath.Join(dir, "fundus", "test_data"))
				if err != nil {
					return fmt.Errorf("eval extract: %w", err)
				}
				if skipped > 0 {
					a.log.Warn("fundus pages without a unique expected entry", "count", skipped)
				}
				rep.Fundus = map[string]extraction.MetaScore{}
				for i, o := range extractAll("fundus", pages) {
					rep.Fundus[systems[i].name] = extraction.ScoreFundus(pages, o)
				}
			}
			if asJSON {
				return writeJSON(a.stdout, rep)
			}
			return writeExtractReport(a, rep)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the scores as JSON")
	cmd.Flags().StringVar(&data, "data", "", "the shared data directory (default: ../shared/data)")
	cmd.Flags().StringVar(&only, "only", "", "comma-separated corpora to run: zyte, snippets, fundus (default: all)")
	cmd.Flags().BoolVar(&noBaseline, "no-baseline", false, "skip go-trafilatura alone")
	return cmd
}

func writeExtractReport(a *app, rep extractReport) error {
	names := []string{"storyline", "go-trafilatura", "published go_trafilatura output"}
	table := func(title, header string, rows func(tw *tabwriter.Writer)) error {
		fmt.Fprintf(a.stdout, "%s\n\n", title)
		tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, header)
		rows(tw)
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
		return nil
	}
	if rep.Zyte != nil {
		err := table("article-extraction-benchmark: token 4-gram shingles, P and R averaged over pages",
			"system\tpages\tP\tR\tF1\texact\t", func(tw *tabwriter.Writer) {
				for _, n := range names {
					if s, ok := rep.Zyte[n]; ok {
						fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t\n", n, s.N, s.P, s.R, s.F1, s.Accuracy)
					}
				}
			})
		if err != nil {
			return err
		}
	}
	if rep.Snippets != nil {
		err := table("trafilatura-eval: text and boilerplate snippets, pooled over pages",
			"system\tpages\tP\tR\tF1\taccuracy\t", func(tw *tabwriter.Writer) {
				for _, n := range names {
					if s, ok := rep.Snippets[n]; ok {
						fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t\n", n, s.N, s.P, s.R, s.F1, s.Accuracy)
					}
				}
			})
		if err != nil {
			return err
		}
	}
	if rep.Fundus != nil {
		return table("fundus: share of pages with the right title, author and date; body by 4-gram shingles",
			"system\tpages\ttitle\tauthor\tdate\tbody P\tR\tF1\t", func(tw *tabwriter.Writer) {
				for _, n := range names {
					if s, ok := rep.Fundus[n]; ok {
						fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", n, s.N, s.Title, s.Author, s.Date, s.Body.P, s.Body.R, s.Body.F1)
					}
				}
			})
	}
	return nil
}

// bar returns a progress callback and a finish function: a progress bar
// on stderr when it is a terminal and --quiet is off, nothing otherwise.
func (a *app) bar(desc string, total int) (progress func(), done func()) {
	if a.quiet || !isTerminal(a.stderr) {
		return nil, func() {}
	}
	b := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return func() { _ = b.Add(1) }, func() { _ = b.Finish() }
}
