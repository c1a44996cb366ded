package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/claim"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/quote"
	"github.com/storyline-news/storyline/internal/report"
	"github.com/storyline-news/storyline/internal/story"
)

func (a *app) analyzeCmd() *cobra.Command {
	var asJSON bool
	var ff fetchFlags
	cmd := &cobra.Command{
		Use:   "analyze [PATH...]",
		Short: "Analyse articles and print a report (with --db, keep them in the store)",
		Long: `Analyse the articles in PATHs (files, directories, "-" for standard input;
.txt, .html, .json, .jsonl, any of them gzipped) and print a report.
With --db the articles are kept in that store; with --db and no PATH the
report covers everything the store holds.`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			ctx := cmd.Context()
			if len(paths) == 0 && a.db == "" {
				return fmt.Errorf("analyze: give PATHs to analyse, or --db to report a store")
			}
			store, err := a.openStore(ctx, ":memory:")
			if err != nil {
				return err
			}
			defer store.Close()
			var articles []storyline.Article
			var runErr error
			if len(paths) > 0 {
				// with --db, the kept articles take their place in the
				// store's stories while the run goes on
				sum, err := a.runPipeline(ctx, paths, store, &ff, a.db != "", true)
				if err != nil {
					return err
				}
				articles = sum.Articles
				if sum.Failed > 0 {
					runErr = ErrFailed
				}
				if a.db != "" {
					// any left over (none unless placing stopped early)
					if _, err := a.placeStories(ctx, store); err != nil {
						return err
					}
				}
			} else {
				if articles, err = store.Articles(ctx); err != nil {
					return err
				}
			}
			res := entity.Resolve(entity.Docs(articles))
			r := report.Build(articles, res.Named())
			for _, s := range quote.Find(articles, res) {
				r.Quotes = append(r.Quotes, s.Quote)
			}
			claims := claim.Find(articles, res)
			for _, c := range claims {
				r.Claims = append(r.Claims, c.Claim)
			}
			// with a store, the report shows its articles in the stories
			// the store placed them in (the IDs storyline stories and
			// serve show); a report of one run without a store clusters
			// the run's articles, with the options a store places them with
			var ts []story.Timeline
			if a.db != "" {
				ts, err = pipeline.Stories(ctx, store, articles)
				if err != nil {
					return err
				}
			} else {
				ts = story.Build(articles, res, pipeline.StoryOptions())
			}
			for _, t := range ts {
				r.Stories = append(r.Stories, t.Story)
			}
			r.Disagreements = claim.Compare(articles, res, claims, r.Stories).Disagreements
			if asJSON {
				err = report.WriteJSON(a.stdout, r)
			} else {
				err = report.WriteText(a.stdout, r)
			}
			if err != nil {
				return err
			}
			return runErr
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the JSON report")
	ff.add(cmd)
	return cmd
}

func (a *app) ingestCmd() *cobra.Command {
	var ff fetchFlags
	var natsURL string
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Store articles without printing a report (with --nats, queue them for workers)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			ctx := cmd.Context()
			if natsURL != "" {
				return a.publishDocs(ctx, natsURL, paths, &ff)
			}
			store, err := a.openStore(ctx, "storyline.db")
			if err != nil {
				return err
			}
			defer store.Close()
			start := time.Now()
			sum, err := a.runPipeline(ctx, paths, store, &ff, true, false)
			if err != nil {
				return err
			}
			rest, err := a.placeStories(ctx, store)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%d documents: %d new articles, %d copies of stored articles (kept as copies), %d failed; %d articles placed in stories (%.1fs)\n",
				sum.Documents, sum.New, sum.Duplicates, sum.Failed, sum.Placed+rest, time.Since(start).Seconds())
			if sum.Failed > 0 {
				return ErrFailed
			}
			return nil
		},
	}
	ff.add(cmd)
	cmd.Flags().StringVar(&natsURL, "nats", "", "publish the raw documents to this NATS JetStream server's work queue for `storyline worker`, instead of storing them")
	return cmd
}

// runPipeline runs the pipeline with a progress bar on a terminal, logging
// every failed document. With place, the stored articles are placed in
// stories during the run (pipeline.Options.Place), on the core extraction
// leaves free. The summary holds the run's articles only with keep: an
// ingest keeps none, so that its memory does not grow with the archive.
func (a *app) runPipeline(ctx context.Context, paths []string, store storyline.Store, ff *fetchFlags, place, keep bool) (pipeline.Summary, error) {
	r := &ingest.Reader{
		Stdin: a.stdin,
		Warn:  func(source, msg string) { a.log.Warn(msg, "source", source) },
	}
	ff.apply(ctx, r)
	opt := pipeline.Options{Forget: !keep}
	if place {
		opt.Place = &pipeline.Placer{}
	}
	if !a.quiet && isTerminal(a.stderr) {
		bar := progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("analysing"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("docs"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		defer bar.Finish()
		opt.Progress = func(int) { bar.Add(1) }
	}
	sum, err := pipeline.Run(ctx, r, paths, store, opt)
	for _, e := range sum.Errors {
		a.log.Error("skipped", "error", e)
	}
	if err != nil {
		return sum, err
	}
	return sum, nil
}

// placeStories places the stored articles no story holds yet in events
// and stories, with a progress bar on a terminal.
func (a *app) placeStories(ctx context.Context, store storyline.Store) (int, error) {
	var progress func(int)
	if !a.quiet && isTerminal(a.stderr) {
		bar := progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("placing in stories"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetItsString("articles"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		defer bar.Finish()
		last := 0
		progress = func(placed int) { bar.Add(placed - last); last = placed }
	}
	return pipeline.PlaceStories(ctx, store, 0, progress)
}

func (a *app) searchCmd() *cobra.Command {
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Full-text search over stored articles",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			store, err := a.openStore(ctx, "storyline.db")
			if err != nil {
				return err
			}
			defer store.Close()
			q := joinArgs(args)
			hits, err := store.Search(ctx, q, limit)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, map[string]any{"query": q, "hits": nonNilHits(hits)})
			}
			if len(hits) == 0 {
				fmt.Fprintf(a.stdout, "no articles match %q\n", q)
				return nil
			}
			for _, h := range hits {
				fmt.Fprintf(a.stdout, "%s  %s  %s  %s\n    %s\n", h.ID, dash(h.Published), dash(h.Outlet), dash(h.Title), h.Snippet)
			}
			return nil
		},
	}
	cmd.Flags().IntVarP(&limit, "limit", "n", 20, "at most this many results")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
