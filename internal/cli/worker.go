package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/queue"
)

// workerOptions tune a worker.
type workerOptions struct {
	batch     int           // messages per batch
	fetchWait time.Duration // how long one fetch waits for messages
	queue     queue.Options
	// hold, for tests, stops the worker in the middle of a batch: at
	// "save" (extracted, nothing written) or "ack" (committed, not
	// acknowledged). It waits there until the worker's context ends, then
	// returns without acknowledging anything, as a killed worker would.
	hold string
	// metricsAddr, when set, serves Prometheus metrics at /metrics.
	metricsAddr string
}

func (a *app) workerCmd() *cobra.Command {
	var natsURL string
	var opt workerOptions
	cmd := &cobra.Command{
		Use:   "worker --nats URL [--db DSN]",
		Short: "Process documents queued by `ingest --nats`: extract, store, place in stories (until stopped)",
		Long: `Take raw documents from the JetStream work queue that ingest --nats fills,
in batches: extract each document, store the batch's articles in one
transaction, acknowledge the batch's messages once it is committed, then
place the new articles in stories. Run as many workers as needed, on any
machines, against one store (a PostgreSQL URL; or a SQLite file on this
machine).

Delivery is at least once: a worker stopped mid-batch by a crash or SIGKILL
loses nothing (its unacknowledged messages go to another worker after
--ack-wait) and stores nothing twice (articles are keyed by their content,
each source recorded once). A message that is no document, or whose
document cannot be extracted, is acknowledged, logged and counted, never
retried; one that fails --max-deliver times is no longer delivered.
SIGTERM or Ctrl-C stops the worker after the batch in hand.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if natsURL == "" {
				return errors.New("worker: --nats URL is required (the NATS server with JetStream)")
			}
			store, err := a.openStore(ctx, "storyline.db")
			if err != nil {
				return err
			}
			defer store.Close()
			q, err := queue.Connect(ctx, natsURL, opt.queue)
			if err != nil {
				return fmt.Errorf("worker: %w", err)
			}
			defer q.Close()
			return a.runWorker(ctx, q, store, opt)
		},
	}
	cmd.Flags().StringVar(&natsURL, "nats", "", "NATS server URL, e.g. nats://127.0.0.1:4222")
	cmd.Flags().IntVar(&opt.batch, "batch", 100, "documents per batch (one transaction)")
	cmd.Flags().DurationVar(&opt.queue.AckWait, "ack-wait", time.Minute, "a batch not acknowledged within this time is delivered again (to any worker)")
	cmd.Flags().IntVar(&opt.queue.MaxDeliver, "max-deliver", 5, "deliver a message at most this many times")
	cmd.Flags().DurationVar(&opt.fetchWait, "fetch-wait", 2*time.Second, "how long one fetch waits for messages")
	cmd.Flags().StringVar(&opt.metricsAddr, "metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics (e.g. 127.0.0.1:9109; off when empty)")
	cmd.Flags().StringVar(&opt.hold, "test-hold", "", "for tests: stop mid-batch at save or ack and wait to be killed")
	cmd.Flags().MarkHidden("test-hold")
	return cmd
}

// errHeld is returned by a worker stopped by --test-hold.
var errHeld = errors.New("worker: stopped mid-batch (--test-hold), nothing acknowledged")

// runWorker fetches and processes batches until ctx ends. The batch in
// hand when ctx ends is finished (stored and acknowledged), within the
// consumer's AckWait: after that its messages go to another worker anyway.
func (a *app) runWorker(ctx context.Context, q *queue.Queue, store storyline.Store, opt workerOptions) error {
	if opt.batch <= 0 {
		opt.batch = 100
	}
	if opt.fetchWait <= 0 {
		opt.fetchWait = 2 * time.Second
	}
	ackWait := opt.queue.AckWait
	if ackWait <= 0 {
		ackWait = time.Minute
	}
	c, err := q.Consumer(ctx)
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	m := newWorkerMetrics(q)
	if opt.metricsAddr != "" {
		addr, stop, err := m.serve(ctx, opt.metricsAddr)
		if err != nil {
			return err
		}
		defer stop()
		a.log.Info("serving metrics", "url", "http://"+addr+"/metrics")
	}
	a.log.Info("worker started", "batch", opt.batch, "ack_wait", ackWait)
	var total batchResult
	// the worker places on a goroutine of its own while it goes on
	// storing; one worker places while the others store (see
	// pipeline.Placer)
	pctx, stopPlacing := context.WithCancel(ctx)
	placing := a.startPlacing(pctx, store, opt.batch, m)
	defer func() {
		stopPlacing()
		<-placing.done
	}()
	for ctx.Err() == nil {
		// a fetch is not cut short when the worker stops: messages the
		// server handed over would stay in flight until AckWait; the
		// fetch ends within fetchWait and its batch is finished
		items, err := c.Fetch(context.WithoutCancel(ctx), opt.batch, opt.fetchWait)
		if err != nil {
			m.errors.WithLabelValues("fetch").Inc()
			a.log.Error("fetch", "error", err)
			sleep(ctx, time.Second)
			continue
		}
		if len(items) == 0 {
			placing.idle() // articles stored by this worker may wait for a placer
			continue
		}
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackWait)
		r, err := a.processBatch(bctx, ctx, store, items, opt, m)
		cancel()
		total.add(r)
		m.docs.WithLabelValues("new").Add(float64(r.new))
		m.docs.WithLabelValues("copy").Add(float64(r.copies))
		m.docs.WithLabelValues("poison").Add(float64(r.poison))
		if err != nil {
			if errors.Is(err, errHeld) {
				return err
			}
			m.errors.WithLabelValues("save").Inc()
			a.log.Error("batch", "documents", len(items), "error", err)
			continue
		}
		m.batches.Inc()
		a.log.Debug("batch stored", "documents", len(items), "new", r.new, "copies", r.copies, "poison", r.poison)
		if ctx.Err() != nil {
			break // stopping: the articles are placed by the next worker or command
		}
		placing.stored()
	}
	a.log.Info("worker stopped", "new", total.new, "copies", total.copies, "poison", total.poison)
	return nil
}

// workerPlacing places a worker's stored articles in stories on a
// goroutine of its own, so that the worker goes on fetching, extracting
// and storing meanwhile. Each round places every article left unplaced,
// a worker's batch at a time: a save per batch tells the other workers'
// yielding Placers that this one is placing (a larger batch under load
// outlasts their wait, and they would start placing the same articles).
type workerPlacing struct {
	kick chan struct{}
	// fresh is set when a batch was stored since the last round
	fresh atomic.Bool
	done  chan struct{}
}

// startPlacing starts placing until ctx ends (a round in hand stops
// then: what it did not save stays unplaced for the next worker).
func (a *app) startPlacing(ctx context.Context, store storyline.Store, batch int, m *workerMetrics) *workerPlacing {
	wp := &workerPlacing{kick: make(chan struct{}, 1), done: make(chan struct{})}
	placer := &pipeline.Placer{Batch: batch, Yield: true}
	go func() {
		defer close(wp.done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-wp.kick:
			}
			// when idle, only a placer that yielded and waits for another
			// worker's save goes on (see pipeline.Placer.Waiting), and the
			// one placing, which places what the others stored
			if !wp.fresh.Swap(false) && !placer.Waiting() && !placer.Leading() {
				continue
			}
			// a round lasts as long as articles keep coming: its time is
			// observed batch by batch
			start, loads := time.Now(), placer.Loads()
			_, err := placer.Place(ctx, store, func(int) {
				m.since("place", start)
				start = time.Now()
			})
			m.loads.Add(float64(placer.Loads() - loads))
			if err != nil && ctx.Err() == nil {
				m.errors.WithLabelValues("place").Inc()
				a.log.Error("placing in stories", "error", err)
			}
			m.since("place", start)
		}
	}()
	return wp
}

// stored tells that a batch was stored: the next round places it.
func (wp *workerPlacing) stored() {
	wp.fresh.Store(true)
	wp.poke()
}

// idle tells that the queue is empty.
func (wp *workerPlacing) idle() { wp.poke() }

func (wp *workerPlacing) poke() {
	select {
	case wp.kick <- struct{}{}:
	default: // a round is due already
	}
}

type batchResult struct{ new, copies, poison int }

func (r *batchResult) add(o batchResult) {
	r.new += o.new
	r.copies += o.copies
	r.poison += o.poison
}

// processBatch extracts the batch's documents, stores their articles in
// one transaction and acknowledges the messages after the commit. Poison
// messages (no document, or a document that cannot be extracted) are
// acknowledged and counted. When the save fails, the messages are given
// back (nak) to be delivered again later. ctx bounds the writes; stop is
// the worker's own context (for --test-hold).
func (a *app) processBatch(ctx, stop context.Context, store storyline.Store, items []*queue.Item, opt workerOptions, m *workerMetrics) (batchResult, error) {
	var r batchResult
	now := time.Now().UTC()
	arts, errs := extractAll(items, now)
	m.since("extract", now)
	var good, poison []*queue.Item
	var articles []storyline.Article
	for i, it := range items {
		if errs[i] != nil {
			r.poison++
			poison = append(poison, it)
			a.log.Error("poison message: acknowledged, not retried", "source", it.Doc.Source, "delivered", it.Delivered, "error", errs[i])
			continue
		}
		good = append(good, it)
		articles = append(articles, arts[i])
	}
	if err := a.hold(stop, opt, "save"); err != nil {
		return r, err
	}
	if len(articles) > 0 {
		start := time.Now()
		created, err := store.SaveArticles(ctx, articles)
		m.since("save", start)
		if err != nil {
			for _, it := range good {
				it.Nak(5 * time.Second)
			}
			ackAll(a, poison, m)
			return r, fmt.Errorf("store: %w (the batch's messages are delivered again)", err)
		}
		for _, c := range created {
			if c {
				r.new++
			} else {
				r.copies++
			}
		}
	}
	if err := a.hold(stop, opt, "ack"); err != nil {
		return r, err
	}
	start := time.Now()
	ackAll(a, items, m)
	m.since("ack", start)
	return r, nil
}

// ackAll acknowledges the items; a lost ack only means the message is
// delivered again, and stored again as a no-op.
func ackAll(a *app, items []*queue.Item, m *workerMetrics) {
	for _, it := range items {
		if err := it.Ack(); err != nil {
			m.errors.WithLabelValues("ack").Inc()
			a.log.Warn("ack", "source", it.Doc.Source, "error", err)
		}
	}
}

func (a *app) hold(stop context.Context, opt workerOptions, stage string) error {
	if opt.hold != stage {
		return nil
	}
	a.log.Warn("holding the batch (--test-hold)", "stage", stage)
	<-stop.Done()
	return errHeld
}

// extractAll extracts every decoded document, on one goroutine per CPU,
// with the extraction storyline ingest uses (pipeline.Run); a document
// whose extraction fails, or panics, gets the error.
func extractAll(items []*queue.Item, now time.Time) ([]storyline.Article, []error) {
	arts := make([]storyline.Article, len(items))
	errs := make([]error, len(items))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.NumCPU(), len(items)) {
		wg.Go(func() {
			for i := range work {
				arts[i], errs[i] = extractDoc(items[i].Doc, now)
			}
		})
	}
	for i, it := range items {
		if it.Err != nil {
			errs[i] = it.Err
			continue
		}
		work <- i
	}
	close(work)
	wg.Wait()
	return arts, errs
}

func extractDoc(doc storyline.RawDoc, now time.Time) (a storyline.Article, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = ingest.DocError(doc, fmt.Errorf("extraction panicked: %v", p))
		}
	}()
	a, err = extract.Article(doc, now)
	if err != nil {
		return a, ingest.DocError(doc, err)
	}
	return a, nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// publishDocs is ingest --nats: it reads the paths as ingest does and
// publishes every document to the work queue instead of processing it.
func (a *app) publishDocs(ctx context.Context, natsURL string, paths []string, ff *fetchFlags) error {
	start := time.Now()
	q, err := queue.Connect(ctx, natsURL, queue.Options{})
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	defer q.Close()
	r := &ingest.Reader{
		Stdin: a.stdin,
		Warn:  func(source, msg string) { a.log.Warn(msg, "source", source) },
	}
	ff.apply(ctx, r)
	p := q.Publisher()
	docs, failed := 0, 0
	readErr := r.Read(paths, func(doc storyline.RawDoc, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		docs++
		if err == nil {
			err = p.Publish(ctx, doc)
			if err != nil && !errors.Is(err, queue.ErrTooLarge) {
				return err // the queue itself failed: stop
			}
		}
		if err != nil {
			failed++
			a.log.Error("skipped", "error", err)
		}
		return nil
	})
	if err := p.Flush(ctx); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	if readErr != nil {
		return fmt.Errorf("ingest: %w", readErr)
	}
	fmt.Fprintf(a.stdout, "%d documents: %d queued, %d already queued, %d failed (%.1fs)\n",
		docs, p.Published, p.Duplicates, failed, time.Since(start).Seconds())
	if failed > 0 {
		return ErrFailed
	}
	return nil
}
