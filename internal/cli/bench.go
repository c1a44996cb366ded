package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/bench"
	"github.com/storyline-news/storyline/internal/extract"
)

func (a *app) benchCmd() *cobra.Command {
	var asJSON bool
	var data string
	var limit, repeat int
	var streams, ingests []int
	var cpuProfile, memProfile string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure throughput and memory on the shared corpora",
		Long: `Measure articles per second and the peak Go heap of each stage, in one run:

  text clean        plain-text cleaning of the BBC corpus (data/bbc), one core
  text ingest       the whole path on the BBC files into a new SQLite database,
                    extraction on every core
  text stories      placing those stored articles in events and stories, as
                    ingest does after storing them (entities resolved per
                    batch of 2,000, near-duplicates, clustering), one core
  html trafilatura  go-trafilatura alone on the extraction benchmark's pages
                    (data/article-extraction-benchmark), one core: the baseline
  html clean        storyline's HTML path on the same pages, one core, with its
                    cost as a ratio of the baseline's
  html ingest       the whole path on those pages into a new SQLite database

With --ingest N,..., only the end-to-end runs are made: for each N, N
generated plain-text articles (real BBC text, replicated and perturbed,
labelled as generated; see bench.WriteGenerated) written as JSON lines and
taken through storyline ingest's path into a new SQLite database: read,
extract on every core, store in batches, place in stories. It prints
articles/s end to end and per stage (extract: a separate pass, every core,
nothing stored; store: time in SaveArticles; place: placing in stories),
the process's CPU time per article over the run (every core), the peak Go
heap and the process's peak resident memory so far.

The one-core stages run --repeat times after a warm-up, alternating, and
the fastest run counts. The process's peak resident memory is printed at
the end. Compare figures within one run only: these machines are shared.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			dir, err := dataDir(data, "bench", "data")
			if err != nil {
				return err
			}
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return fmt.Errorf("bench: %w", err)
				}
				defer stop()
			}
			if memProfile != "" {
				// deferred after the CPU profile's stop, so run before it
				defer func() {
					if err := writeHeapProfile(memProfile); err != nil {
						a.log.Error("bench", "err", err)
					}
				}()
			}
			tmp, err := os.MkdirTemp("", "storyline-bench-")
			if err != nil {
				return fmt.Errorf("bench: %w", err)
			}
			defer os.RemoveAll(tmp)
			now := time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC)
			bbc := filepath.Join(dir, "bbc", "bbc")
			if len(ingests) > 0 {
				return a.benchIngest(ctx, bbc, tmp, ingests, asJSON)
			}
			pages := filepath.Join(dir, "article-extraction-benchmark", "html")

			a.log.Info("reading corpora", "bbc", bbc, "html", pages)
			texts, err := bench.ReadFiles(bbc, limit, ".txt")
			if err != nil {
				return fmt.Errorf("bench: %w", err)
			}
			htmls, err := bench.ReadFiles(pages, limit, ".html.gz")
			if err != nil {
				return fmt.Errorf("bench: %w", err)
			}
			if len(texts) == 0 || len(htmls) == 0 {
				return fmt.Errorf("bench: no articles under %s or %s", bbc, pages)
			}
			ingest := limit == 0 // --limit measures the one-core stages only
			// Warm up lazily built tables and regular expressions.
			warm := min(5, len(texts), len(htmls))
			bench.Clean(texts[:warm], now)
			bench.Clean(htmls[:warm], now)
			bench.Trafilatura(htmls[:warm])

			type stage struct {
				name string
				f    func() (int, int, error)
			}
			// measure runs the stages in turn, repeat times, and keeps each
			// stage's fastest run.
			measure := func(repeat int, stages ...stage) ([]bench.Result, error) {
				best := make([]bench.Result, len(stages))
				for i := 0; i < max(1, repeat); i++ {
					for j, s := range stages {
						a.log.Info("measuring", "stage", s.name, "run", i+1)
						r, err := bench.Measure(s.name, s.f)
						if err != nil {
							return nil, err
						}
						if i == 0 || r.Seconds < best[j].Seconds {
							best[j] = r
						}
					}
				}
				return best, nil
			}
			var results []bench.Result
			rs, err := measure(repeat, stage{"text clean", func() (int, int, error) { return bench.Clean(texts, now) }})
			if err != nil {
				return err
			}
			results = append(results, rs...)
			if ingest {
				rs, err := measure(1, stage{"text ingest", func() (int, int, error) {
					return bench.Ingest(ctx, []string{bbc}, filepath.Join(tmp, "bbc.db"), now)
				}}, stage{"text stories", func() (int, int, error) {
					return bench.PlaceStories(ctx, filepath.Join(tmp, "bbc.db"))
				}})
				if err != nil {
					return err
				}
				results = append(results, rs...)
			}
			rs, err = measure(repeat,
				stage{"html trafilatura", func() (int, int, error) { return bench.Trafilatura(htmls) }},
				stage{"html clean", func() (int, int, error) { return bench.Clean(htmls, now) }})
			if err != nil {
				return err
			}
			results = append(results, rs[0], bench.WithBaseline(rs[1], rs[0]))
			if ingest {
				rs, err := measure(1, stage{"html ingest", func() (int, int, error) {
					return bench.Ingest(ctx, []string{pages}, filepath.Join(tmp, "html.db"), now)
				}})
				if err != nil {
					return err
				}
				results = append(results, rs...)
			}
			var streamResults []bench.StreamResult
			if len(streams) > 0 {
				var base []storyline.Article
				for _, d := range texts {
					if art, err := extract.Article(d, now); err == nil {
						base = append(base, art)
					}
				}
				for _, n := range streams {
					a.log.Info("measuring", "stage", "stream", "articles", n)
					streamResults = append(streamResults, bench.Stream(base, n, 1))
				}
			}
			rss := bench.PeakRSSMB()
			if asJSON {
				return writeJSON(a.stdout, map[string]any{"cpus": runtime.NumCPU(), "stages": results, "streams": streamResults, "peak_rss_mib": rss})
			}
			fmt.Fprintf(a.stdout, "storyline bench: %d BBC texts, %d HTML pages, %d CPUs\n\n", len(texts), len(htmls), runtime.NumCPU())
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "stage\tarticles\tfailed\tseconds\tarticles/s\tpeak heap MiB\tcost vs baseline\t")
			for _, r := range results {
				ratio := ""
				if r.Ratio > 0 {
					ratio = fmt.Sprintf("%.2fx %s", r.Ratio, r.Baseline)
				}
				fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%.0f\t%.0f\t%s\t\n", r.Name, r.Articles, r.Failed, r.Seconds, r.PerSec, r.PeakHeapMB, ratio)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(streamResults) > 0 {
				fmt.Fprintf(a.stdout, "\nstreams of generated articles (real BBC text, words replaced, one in five perturbed; 50 a day):\nnear-duplicate index and event/story clustering, one core\n\n")
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
				fmt.Fprintln(tw, "articles\tseconds\tarticles/s\tfirst tenth/s\tlast tenth/s\tpeak heap MiB\tduplicates\tevents\tstories\t")
				for _, s := range streamResults {
					fmt.Fprintf(tw, "%d\t%.1f\t%.0f\t%.0f\t%.0f\t%.0f\t%d\t%d\t%d\t\n", s.N, s.Seconds, s.PerSec, s.FirstPerSec, s.LastPerSec, s.PeakHeapMB, s.Duplicates, s.Events, s.Stories)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
			}
			if rss > 0 {
				fmt.Fprintf(a.stdout, "\npeak resident memory of the process: %.0f MiB\n", rss)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	cmd.Flags().StringVar(&data, "data", "", "the shared data directory (default: ../shared/data)")
	cmd.Flags().IntVar(&repeat, "repeat", 3, "runs of each one-core stage; the fastest counts")
	cmd.Flags().IntSliceVar(&streams, "stream", nil, "also run streams of this many generated articles through near-duplicates and clustering (e.g. 10000,100000,1000000)")
	cmd.Flags().IntSliceVar(&ingests, "ingest", nil, "only ingest this many generated articles end to end into SQLite, for each N (e.g. 10000,100000)")
	cmd.Flags().IntVar(&limit, "limit", 0, "measure only the first N files of each corpus (skips the ingest stages)")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (read it with go tool pprof)")
	cmd.Flags().StringVar(&memProfile, "memprofile", "", "write a heap profile at the end of the run to this file: what the run allocated (go tool pprof -sample_index=alloc_space) and what it still holds")
	return cmd
}

// startCPUProfile profiles the CPU into a new file at path until the
// returned function is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeHeapProfile writes the heap profile to a new file at path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("heap profile %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile %s: %w", path, err)
	}
	return nil
}

// benchIngest is bench --ingest: generated articles through the whole
// ingest path into SQLite, one run per size.
func (a *app) benchIngest(ctx context.Context, bbc, tmp string, sizes []int, asJSON bool) error {
	// Dates in the generated articles run from 2020; the reference time
	// only fills in dates without a year.
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	base, err := bench.ReadFiles(bbc, 0, ".txt")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	var results []bench.EndToEnd
	for i, n := range sizes {
		path := filepath.Join(tmp, fmt.Sprintf("generated-%d.jsonl", n))
		a.log.Info("generating", "articles", n, "from", len(base), "file", path)
		if err := bench.WriteGenerated(path, base, n, 1); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		a.log.Info("measuring", "stage", "ingest end to end (SQLite)", "articles", n)
		r, err := bench.IngestSQLite(ctx, []string{path}, filepath.Join(tmp, fmt.Sprintf("ingest-%d-%d.db", n, i)), now)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		os.Remove(path)
		results = append(results, r)
	}
	if asJSON {
		return writeJSON(a.stdout, map[string]any{"cpus": runtime.NumCPU(), "ingest": results})
	}
	fmt.Fprintf(a.stdout, "storyline bench --ingest: generated plain-text articles (real BBC text, words replaced, one in ten a perturbed copy; 50 a day)\nend to end into SQLite in one process, %d CPUs\n\n", runtime.NumCPU())
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "documents\tnew\tcopies\tfailed\tplaced\tseconds\tarticles/s\textract/s\tstore/s\tplace/s\tfirst tenth placed/s\tlast tenth placed/s\tCPU ms/article\tpeak heap MiB\tpeak RSS MiB\t")
	for _, r := range results {
		first, last := "-", "-"
		if n := len(r.PlacedByTenth); n > 0 {
			first, last = fmt.Sprintf("%.0f", r.PlacedByTenth[0]), fmt.Sprintf("%.0f", r.PlacedByTenth[n-1])
		}
		cpu := "-"
		if r.CPUSeconds > 0 && r.N > 0 {
			cpu = fmt.Sprintf("%.2f", 1000*r.CPUSeconds/float64(r.N))
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%.1f\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t%s\t%s\t%.0f\t%.0f\t\n", r.N, r.New, r.Copies, r.Failed, r.Placed,
			r.Seconds, r.PerSec, r.Extract.PerSec, r.Save.PerSec, r.Place.PerSec, first, last, cpu, r.PeakHeapMB, r.PeakRSSMB)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\n(placed/s by tenth: articles placed per second of wall-clock time over the first and the last tenth of them;\nthe first tenth overlaps the start of extraction and storing. All tenths: --json.\nCPU ms/article: the process's CPU time on every core over the end-to-end time, per document.)")
	return nil
}
