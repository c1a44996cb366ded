package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/storyline-news/storyline/internal/queue"
)

// workerMetrics are a worker's Prometheus metrics: documents by result,
// errors by stage, the latency of each stage of a batch, and the queue's
// depth read from the server when scraped.
type workerMetrics struct {
	reg     *prometheus.Registry
	docs    *prometheus.CounterVec
	errors  *prometheus.CounterVec
	batches prometheus.Counter
	stage   *prometheus.HistogramVec
	loads   prometheus.Counter
}

func newWorkerMetrics(q *queue.Queue) *workerMetrics {
	m := &workerMetrics{
		reg: prometheus.NewRegistry(),
		docs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storyline_worker_documents_total",
			Help: "Documents this worker took from the queue, by result: new (a new article), copy (an article already stored: recorded as a copy), poison (no document, or extraction failed: acknowledged, not retried).",
		}, []string{"result"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storyline_worker_errors_total",
			Help: "Errors by stage: fetch, save (the batch is delivered again), ack, place.",
		}, []string{"stage"}),
		batches: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "storyline_worker_batches_total",
			Help: "Batches stored and acknowledged.",
		}),
		stage: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "storyline_worker_stage_seconds",
			Help:    "Time of each stage of a batch: extract, save (one transaction), ack, place (placing in stories).",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10), // 1 ms to about 4 min
		}, []string{"stage"}),
		loads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "storyline_worker_state_loads_total",
			Help: "Reads of the whole saved clustering by this worker's placer: one when it starts placing, one more each time it takes the placing over from another worker. Its cost grows with the archive.",
		}),
	}
	for _, r := range []string{"new", "copy", "poison"} {
		m.docs.WithLabelValues(r)
	}
	for _, s := range []string{"fetch", "save", "ack", "place"} {
		m.errors.WithLabelValues(s)
	}
	// every stage's series exists from the start, at zero, also on a
	// worker that has not had a batch yet
	for _, s := range []string{"extract", "save", "ack", "place"} {
		m.stage.WithLabelValues(s)
	}
	m.reg.MustRegister(m.docs, m.errors, m.batches, m.stage, m.loads, queueCollector{q},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// since records the time of a stage begun at start.
func (m *workerMetrics) since(stage string, start time.Time) {
	m.stage.WithLabelValues(stage).Observe(time.Since(start).Seconds())
}

var (
	queueMessages      = prometheus.NewDesc("storyline_queue_messages", "Documents in the work queue: waiting or in flight.", nil, nil)
	queuePending       = prometheus.NewDesc("storyline_queue_pending", "Documents no worker has been given yet.", nil, nil)
	queueAckPending    = prometheus.NewDesc("storyline_queue_in_flight", "Documents given to a worker and not acknowledged yet.", nil, nil)
	queueRedelivered   = prometheus.NewDesc("storyline_queue_redelivered", "Documents in flight that were delivered more than once.", nil, nil)
	queueUndeliverable = prometheus.NewDesc("storyline_queue_undeliverable", "Documents delivered --max-deliver times without an ack, no longer delivered.", nil, nil)
	queueUp            = prometheus.NewDesc("storyline_queue_up", "1 when the queue's state could be read from the server at this scrape.", nil, nil)
)

// queueCollector reads the queue's depth from the server at each scrape.
type queueCollector struct{ q *queue.Queue }

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{queueMessages, queuePending, queueAckPending, queueRedelivered, queueUndeliverable, queueUp} {
		ch <- d
	}
}

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	st, err := c.q.Stats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(queueUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(queueUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(queueMessages, prometheus.GaugeValue, float64(st.Messages))
	ch <- prometheus.MustNewConstMetric(queuePending, prometheus.GaugeValue, float64(st.Pending))
	ch <- prometheus.MustNewConstMetric(queueAckPending, prometheus.GaugeValue, float64(st.AckPending))
	ch <- prometheus.MustNewConstMetric(queueRedelivered, prometheus.GaugeValue, float64(st.Redelivered))
	ch <- prometheus.MustNewConstMetric(queueUndeliverable, prometheus.GaugeValue, float64(st.Undeliverable))
}

// serve serves /metrics on addr until stop is called; it returns the
// address listened on (addr may name port 0).
func (m *workerMetrics) serve(ctx context.Context, addr string) (string, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("worker: metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return ln.Addr().String(), func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}, nil
}
