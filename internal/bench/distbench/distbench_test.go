package distbench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/storyline-news/storyline/internal/bench"
	"github.com/storyline-news/storyline/internal/cli"
	"github.com/storyline-news/storyline/internal/corpus"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/postgres"
	"github.com/storyline-news/storyline/internal/postgres/pgtest"
	"github.com/storyline-news/storyline/internal/queue"
	"github.com/storyline-news/storyline/internal/queue/queuetest"
)

// articles is how many generated articles each run ingests:
// STORYLINE_BENCH_ARTICLES, 10,000 by default.
func articles(b *testing.B) int {
	s := os.Getenv("STORYLINE_BENCH_ARTICLES")
	if s == "" {
		return 10000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		b.Fatalf("STORYLINE_BENCH_ARTICLES=%q: not a positive number", s)
	}
	return n
}

// BenchmarkDistributed queues N generated articles and times 1, 2 and 4
// workers taking them into PostgreSQL until every article is stored and
// placed in a story. Besides articles/s end to end it reports each
// stage's rate per second of that stage summed over the workers
// (extract-articles/s, store-articles/s, place-articles/s), the rate of
// queueing (publish-docs/s, not part of the end-to-end time) and the
// process's peak Go heap (the NATS server and the workers; PostgreSQL
// runs in its own processes and is not counted).
func BenchmarkDistributed(b *testing.B) {
	n := articles(b)
	base, err := bench.ReadFiles(corpus.Require(b, "data", "bbc", "bbc"), 0, ".txt")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), fmt.Sprintf("generated-%d.jsonl", n))
	if err := bench.WriteGenerated(path, base, n, 1); err != nil {
		b.Fatal(err)
	}
	pg := pgtest.Start(b)
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				r := run(b, pg, path, n, workers)
				b.ReportMetric(r.PerSec, "articles/s")
				b.ReportMetric(r.Extract.PerSec, "extract-articles/s")
				b.ReportMetric(r.Save.PerSec, "store-articles/s")
				b.ReportMetric(r.Place.PerSec, "place-articles/s")
				b.ReportMetric(r.Publish.PerSec, "publish-docs/s")
				b.ReportMetric(r.PeakHeapMB, "peak-heap-MiB")
				b.ReportMetric(float64(r.GaveUp), "placing-given-up")
				b.ReportMetric(float64(r.Loads), "state-loads")
				b.Logf("workers=%d documents=%d new=%d copies=%d failed=%d placed=%d seconds=%.1f articles/s=%.0f extract/s=%.0f (%.1fs) store/s=%.0f (%.1fs) place/s=%.0f (%.1fs) placing-given-up=%d state-loads=%d publish/s=%.0f (%.1fs) peak-heap=%.0fMiB peak-rss=%.0fMiB",
					workers, r.N, r.New, r.Copies, r.Failed, r.Placed, r.Seconds, r.PerSec, r.Extract.PerSec, r.Extract.Seconds,
					r.Save.PerSec, r.Save.Seconds, r.Place.PerSec, r.Place.Seconds, r.GaveUp, r.Loads, r.Publish.PerSec, r.Publish.Seconds, r.PeakHeapMB, r.PeakRSSMB)
			}
		})
	}
}

// result is a run's figures and how many times a worker gave up placing
// a batch after PlaceConflicts conflicts in a row (its articles wait for
// the next placement).
type result struct {
	bench.EndToEnd
	GaveUp int
	// Loads: reads of the whole saved clustering by the workers' placers,
	// summed (each after the first is a handover of the placing)
	Loads int
}

// run is one measured run: a new NATS server and database, the documents
// queued (untimed), then the workers started and the clock running until
// the queue is empty and no stored article is left unplaced.
func run(b *testing.B, pg *pgtest.Cluster, path string, n, workers int) result {
	ctx := context.Background()
	natsURL := queuetest.Start(b)
	dsn := pg.NewDatabase(b)
	r := result{EndToEnd: bench.EndToEnd{Store: "postgres", Workers: workers, N: n}}

	var stderr bytes.Buffer
	start := time.Now()
	if code := cli.Run(ctx, []string{"ingest", "--quiet", "--nats", natsURL, path}, nil, io.Discard, &stderr); code != 0 {
		b.Fatalf("ingest --nats: exit %d: %s", code, stderr.String())
	}
	r.Publish = bench.Rate(n, time.Since(start))
	q, err := queue.Connect(ctx, natsURL, queue.Options{Existing: true})
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)

	b.StartTimer()
	peak := bench.SampleHeap(50 * time.Millisecond)
	start = time.Now()
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	addrs := make([]string, workers)
	errs := make([]bytes.Buffer, workers)
	for w := range workers {
		addrs[w] = freeAddr(b)
		wg.Go(func() {
			args := []string{"worker", "--quiet", "--nats", natsURL, "--db", dsn, "--metrics-addr", addrs[w], "--fetch-wait", "500ms"}
			if code := cli.Run(wctx, args, nil, io.Discard, &errs[w]); code != 0 {
				b.Errorf("worker %d: exit %d", w, code)
			}
		})
	}
	// Wait until every document is acknowledged and every stored article
	// placed. A worker that gave up placing after conflicts leaves
	// articles for its next batch; when there is none, the articles are
	// placed here, as the next command on the store would, in the time.
	//
	// Once the queue is empty, the store is asked only whether any
	// article is unplaced (internal/postgres keeps a list of them, table
	// unplaced) and the clustering's version, which each save moves on:
	// counting the articles, copies and assignments scans tables that
	// grow with the archive, and doing it every 100 ms while placing
	// caught up with storing took 57 s of the server's statement time in
	// a run of 100,000 articles under load (pg_stat_statements; storing
	// took 395 s). Counting the unplaced list is no cheaper when placing
	// lags: with two workers at a million it held 750,000 rows, and its
	// count took 85 ms, most of a core at this rate. The articles and
	// placements are counted once, at the end, untimed.
	lastChange, lastVersion := time.Now(), int64(-1)
	for {
		time.Sleep(100 * time.Millisecond)
		st, err := q.Stats(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if st.Messages > 0 {
			continue
		}
		var some bool
		var version int64
		err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM unplaced), COALESCE((SELECT version FROM clustering WHERE id = 1), 0)`).Scan(&some, &version)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P01" && time.Since(start) < time.Minute {
			continue // the workers have not created the tables yet
		}
		if err != nil {
			b.Fatal(err)
		}
		if !some {
			break
		}
		if version != lastVersion {
			lastChange, lastVersion = time.Now(), version
		} else if time.Since(lastChange) > pipeline.MaxYieldWait+30*time.Second {
			// past the longest a waiting worker waits before it places
			var unplaced int
			if err := conn.QueryRow(ctx, `SELECT count(*) FROM unplaced`).Scan(&unplaced); err != nil {
				b.Fatal(err)
			}
			b.Logf("%d articles left unplaced by the workers, and no save for %v: placing them", unplaced, time.Since(lastChange).Round(time.Second))
			store, err := postgres.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := pipeline.PlaceStories(ctx, store, 0, nil); err != nil {
				b.Fatal(err)
			}
			store.Close()
		}
	}
	elapsed := time.Since(start)
	r.PeakHeapMB = peak()
	b.StopTimer()
	var stored, placed int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM assignments)`).Scan(&stored, &placed); err != nil {
		b.Fatal(err)
	}
	if placed != stored {
		b.Fatalf("%d articles stored, %d placed", stored, placed)
	}
	var ex, save, place float64
	for _, a := range addrs {
		m := scrape(b, a)
		stage := m["storyline_worker_stage_seconds"]
		ex += stage["extract"]
		save += stage["save"]
		place += stage["place"]
		r.Failed += int(m["storyline_worker_documents_total"]["poison"])
		r.Loads += int(m["storyline_worker_state_loads_total"][""])
	}
	stop()
	wg.Wait()
	// Benchmark logs are cut after a few lines: count the placements a
	// worker gave up after conflicts, and show only a worker's other errors.
	for w := range errs {
		for line := range strings.Lines(errs[w].String()) {
			if strings.Contains(line, "another process saved the clustering first") {
				r.GaveUp++
			} else if strings.TrimSpace(line) != "" {
				b.Logf("worker %d: %s", w, line)
			}
		}
	}
	r.Seconds = elapsed.Seconds()
	r.PerSec = float64(n) / r.Seconds
	r.New, r.Placed = stored, stored
	r.Copies = n - stored - r.Failed // documents stored as copies of an article
	r.Extract = bench.Rate(n, seconds(ex))
	r.Save = bench.Rate(n, seconds(save))
	r.Place = bench.Rate(stored, seconds(place))
	r.PeakRSSMB = bench.PeakRSSMB()
	return r
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func freeAddr(b *testing.B) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// scrape reads a worker's metrics (the exposition format, parsed by
// Prometheus's own parser): each family's values by the value of its one
// label ("" for a family without labels), a histogram's by the sum of
// its samples.
func scrape(b *testing.B, addr string) map[string]map[string]float64 {
	var resp *http.Response
	var err error
	for range 50 { // the worker may still be starting its server
		resp, err = http.Get("http://" + addr + "/metrics")
		if err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		b.Fatalf("metrics of the worker at %s: %v", addr, err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		b.Fatalf("metrics of the worker at %s: %v", addr, err)
	}
	out := map[string]map[string]float64{}
	for name, f := range families {
		values := map[string]float64{}
		for _, m := range f.GetMetric() {
			var label string // "" for a family without labels
			switch len(m.GetLabel()) {
			case 0:
			case 1:
				label = m.GetLabel()[0].GetValue()
			default:
				continue
			}
			switch {
			case m.GetCounter() != nil:
				values[label] = m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				values[label] = m.GetHistogram().GetSampleSum()
			}
		}
		out[name] = values
	}
	return out
}
