package cli

import (
	"fmt"
	"path/filepath"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline/internal/eval/clusters"
	"github.com/storyline-news/storyline/internal/eval/entities"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/story"
)

func (a *app) evalClustersCmd() *cobra.Command {
	var asJSON bool
	var data string
	var opt story.Options
	var orderRuns int
	var batches []int
	var shuffles int
	cmd := &cobra.Command{
		Use:   "clusters",
		Short: "Event and story clustering on ECB+ and BSNLP",
		Long: `Cluster the documents of two corpora as a stream and score the clusters
(BCubed and pairwise precision, recall and F1):

  ecb+   ../shared/data/ecbplus: events against the gold sub-topics (each topic
         holds two different events of one kind, which must not merge),
         stories against the gold topics; no publish dates (content alone),
         in an order that mixes the topics (a hash of the file name)
  bsnlp  ../shared/data/bsnlp: stories against the gold topics, eight languages,
         in publish-date order`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := dataDir(data, "eval clusters", "data")
			if err != nil {
				return err
			}
			start := time.Now()
			ecb, err := clusters.LoadECB(filepath.Join(dir, "ecbplus"))
			if err != nil {
				return fmt.Errorf("eval clusters: %w", err)
			}
			ecbRes := clusters.Run(ecb, nil, opt)
			bdocs, err := entities.LoadBSNLP(filepath.Join(dir, "bsnlp"))
			if err != nil {
				return fmt.Errorf("eval clusters: %w", err)
			}
			sort.SliceStable(bdocs, func(i, j int) bool { return bdocs[i].Date < bdocs[j].Date })
			var bs []clusters.Doc
			var times []time.Time
			for _, d := range bdocs {
				bs = append(bs, clusters.Doc{ID: d.Topic + "/" + d.ID, Title: d.Title, Text: d.Text, Topic: d.Topic, Event: d.Topic})
				t, _ := time.Parse("2006-01-02", d.Date)
				times = append(times, t)
			}
			bsRes := clusters.Run(bs, times, opt)
			var order, orderID []float64
			if orderRuns > 0 {
				seeds := make([]uint64, orderRuns)
				for i := range seeds {
					seeds[i] = uint64(i + 1)
				}
				a.log.Info("measuring order sensitivity", "runs", orderRuns)
				order = clusters.OrderSensitivity(bs, times, opt, seeds, false)
				orderID = clusters.OrderSensitivity(bs, times, opt, seeds, true)
			}
			var batched []clusters.BatchResult
			if len(batches) > 0 {
				if shuffles < 0 {
					return fmt.Errorf("eval clusters: --shuffles %d: must be 0 or more", shuffles)
				}
				seeds := make([]uint64, shuffles)
				for i := range seeds {
					seeds[i] = uint64(i + 1)
				}
				a.log.Info("measuring batch dependence", "batch sizes", batches, "shuffles", shuffles)
				batched = clusters.BatchDependence(bs, times, opt, batches, seeds)
			}
			if asJSON {
				return writeJSON(a.stdout, map[string]any{"ecbplus": ecbRes, "bsnlp": bsRes, "bsnlp_order_agreement": order, "bsnlp_order_agreement_ties_by_id": orderID, "bsnlp_batches": batched})
			}
			fmt.Fprintf(a.stdout, "clusters: ECB+ %d documents, BSNLP %d documents (%.1fs)\n\n", ecbRes.Docs, bsRes.Docs, time.Since(start).Seconds())
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "corpus\tlevel\tclusters\tgold\tBCubed P\tR\tF1\tpairwise P\tR\tF1\t")
			row := func(c, l string, s clusters.Scores) {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", c, l, s.Clusters, s.Gold,
					s.BCubed.P, s.BCubed.R, s.BCubed.F1, s.Pairwise.P, s.Pairwise.R, s.Pairwise.F1)
			}
			row("ECB+", "events", ecbRes.Events)
			row("ECB+", "stories", ecbRes.Stories)
			row("BSNLP", "stories", bsRes.Stories)
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(order) > 0 {
				fmt.Fprintf(a.stdout, "\nBSNLP stories ingested in %d other orders, against the first (BCubed F1; 1 = no dependence)\n", len(order))
				fmt.Fprintf(a.stdout, "  same-day ties in ingestion order:")
				for _, f := range order {
					fmt.Fprintf(a.stdout, " %.3f", f)
				}
				fmt.Fprintf(a.stdout, "\n  same-day ties by article ID (as storyline orders them):")
				for _, f := range orderID {
					fmt.Fprintf(a.stdout, " %.3f", f)
				}
				fmt.Fprintln(a.stdout)
			}
			if len(batched) > 0 {
				fmt.Fprintf(a.stdout, "\nBSNLP ingested in batches, placed as a store places them (entities resolved per batch, nothing placed before revised but merged stories and events split off, which take their articles along);\n")
				fmt.Fprintf(a.stdout, "random arrival: mean over %d shuffles (seeds 1..%d), the worst in brackets\n", shuffles, shuffles)
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
				fmt.Fprintln(tw, "batch\tarrival\tstories\tBCubed P\tR\tF1\tagreement with one batch\t")
				for _, b := range batched {
					size, arrival := fmt.Sprint(b.Batch), "by date"
					if b.Batch == 0 {
						size = "all"
					}
					m := b.Mean
					f1, agree := fmt.Sprintf("%.3f", m.F1), fmt.Sprintf("%.3f", m.Agreement)
					if b.Shuffled {
						arrival = "random"
						f1 += fmt.Sprintf(" (%.3f)", b.Min.F1)
						agree += fmt.Sprintf(" (%.3f)", b.Min.Agreement)
					}
					fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.3f\t%.3f\t%s\t%s\t\n", size, arrival, m.Stories, m.P, m.R, f1, agree)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the scores as JSON")
	cmd.Flags().StringVar(&data, "data", "", "the shared data directory (default: ../shared/data)")
	cmd.Flags().IntVar(&orderRuns, "order-runs", 0, "also cluster BSNLP in this many shuffled ingestion orders and compare the stories")
	cmd.Flags().IntSliceVar(&batches, "batches", nil, "also ingest BSNLP in batches of these sizes (by date and in a random order) and compare the stories with those made at once")
	cmd.Flags().IntVar(&shuffles, "shuffles", 1, "random arrival orders measured per batch size with --batches (seeds 1..N; mean and worst reported; 0: by date only)")
	cmd.Flags().Float64Var(&opt.EventThreshold, "event-threshold", 0, "similarity to join an event (default 0.30)")
	cmd.Flags().Float64Var(&opt.MergeThreshold, "merge-threshold", 0, "similarity of two stories' entities from which they merge (default 0.3; negative: never)")
	cmd.Flags().Float64Var(&opt.StoryThreshold, "story-threshold", 0, "similarity of a new event to join a story, over entities (default 0.08)")
	cmd.Flags().BoolVar(&opt.SplitStories, "split-stories", pipeline.StoryOptions().SplitStories, "split a story at the end of a batch when its events fall in two parts that would not merge, as ingest does (--split-stories=false: never)")
	return cmd
}
