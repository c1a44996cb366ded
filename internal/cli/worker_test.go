package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/postgres/pgtest"
	"github.com/storyline-news/storyline/internal/queue"
	"github.com/storyline-news/storyline/internal/queue/queuetest"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// madeUpDocs writes n made-up articles (distinct texts, a few stories)
// into a new directory and returns it.
func madeUpDocs(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	places := []string{"harbour", "ferry terminal", "river bridge", "city library", "tram depot"}
	for i := range n {
		p := places[i%len(places)]
		body := fmt.Sprintf("Works at the %s, report %d\n\nThe council said on Tuesday that repairs at the %s would take %d more weeks, according to engineer Mara Vell.\n\nResidents of district %d asked for a timetable, the council said.\n",
			p, i, p, i%7+2, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("doc%04d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// publish runs ingest --nats and checks its summary.
func publish(t *testing.T, url, dir string, n int) {
	t.Helper()
	out, stderr, code := run(t, "ingest", "--nats", url, dir)
	if code != 0 || !strings.HasPrefix(out, fmt.Sprintf("%d documents: %d queued, 0 already queued, 0 failed", n, n)) {
		t.Fatalf("ingest --nats: %d %q %s", code, out, stderr)
	}
}

// syncBuffer is a buffer that a worker writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startWorker runs `storyline worker ARGS...` in this process until the
// returned stop is called; stop returns its exit status.
func startWorker(t *testing.T, log *syncBuffer, args ...string) (stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"worker"}, args...), strings.NewReader(""), log, log)
	}()
	return func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(time.Minute):
			t.Fatalf("a worker did not stop within a minute of its context's end; log:\n%s", log)
			return -1
		}
	}
}

// storeState is what the store holds: articles, how many sources each
// has (copies), and how many articles are placed in stories.
type storeState struct {
	articles, placed, maxCopies int
}

func readState(t *testing.T, s storyline.Store) storeState {
	t.Helper()
	ctx := context.Background()
	arts, err := s.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	as, err := s.Assignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := storeState{articles: len(arts), placed: len(as)}
	seen := map[string]bool{}
	for _, a := range as {
		if seen[a.Article] {
			t.Errorf("article %s placed twice", a.Article)
		}
		seen[a.Article] = true
	}
	for _, a := range arts {
		cs, err := s.Copies(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		st.maxCopies = max(st.maxCopies, len(cs))
	}
	return st
}

// waitUntil polls cond every 100 ms for up to a minute.
func waitUntil(t *testing.T, what string, cond func() bool, log fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute, still not: %s; log:\n%s", what, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func queueStats(t *testing.T, url string) queue.Stats {
	t.Helper()
	q, err := queue.Connect(context.Background(), url, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	st, err := q.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestWorkers publishes made-up documents and two poison messages, runs
// two workers against one store, and checks that every document is stored
// exactly once, every article placed in a story exactly once, the poison
// messages acknowledged and counted, and the queue left empty. On SQLite
// (one file, two connection pools) and, when a server can be had, on
// PostgreSQL.
func TestWorkers(t *testing.T) {
	stores := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "news.db") },
		"postgres": func(t *testing.T) string {
			return pgtest.Start(t).NewDatabase(t)
		},
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			db := stores[name](t)
			const n = 120
			url := queuetest.Start(t)
			dir := madeUpDocs(t, n)
			publish(t, url, dir, n)
			// published twice: de-duplicated by the queue
			if out, _, code := run(t, "ingest", "--nats", url, dir); code != 0 || !strings.Contains(out, fmt.Sprintf("0 queued, %d already queued", n)) {
				t.Errorf("publishing the same documents again: %q", out)
			}
			nc, err := nats.Connect(url)
			if err != nil {
				t.Fatal(err)
			}
			nc.Publish(queue.Subject, []byte("not a document"))
			empty, _ := queue.Encode(storyline.RawDoc{Source: "empty.txt", Kind: storyline.KindText, Body: []byte("  \n")})
			nc.Publish(queue.Subject, empty)
			nc.Flush()
			nc.Close()

			var before statusReport
			status(t, &before, "--nats", url)
			if q := before.Queue; q == nil || q.Messages != n+2 || q.Pending != n+2 || q.InFlight != 0 || q.Workers {
				t.Errorf("status before the workers: %+v; want %d pending", q, n+2)
			}

			var log1, log2 syncBuffer
			args := []string{"--nats", url, "--db", db, "--batch", "15", "--fetch-wait", "300ms"}
			stop1 := startWorker(t, &log1, append(args, "--metrics-addr", "127.0.0.1:0")...)
			stop2 := startWorker(t, &log2, args...)
			s := openTestStore(t, db)
			both := multiLog{&log1, &log2}
			waitUntil(t, fmt.Sprintf("%d articles stored and placed, queue empty", n), func() bool {
				st := readState(t, s)
				return st.articles == n && st.placed == n && queueStats(t, url).Messages == 0
			}, both)
			metrics := scrape(t, &log1)
			var after statusReport
			status(t, &after, "--nats", url, "--db", db)
			if q, st := after.Queue, after.Store; q == nil || st == nil || q.Messages != 0 || q.InFlight != 0 || !q.Workers || st.Articles != n || st.Unplaced != 0 {
				t.Errorf("status after the workers: %+v %+v; want an empty queue, %d articles, none unplaced", q, st, n)
			}
			if c1, c2 := stop1(), stop2(); c1 != 0 || c2 != 0 {
				t.Errorf("workers exited %d and %d; logs:\n%s", c1, c2, both)
			}
			st := readState(t, s)
			if st.articles != n || st.placed != n || st.maxCopies != 1 {
				t.Errorf("store: %+v; want %d articles, each placed once, each with one source", st, n)
			}
			if p := strings.Count(both.String(), "poison message"); p != 2 {
				t.Errorf("%d poison messages logged, want 2; logs:\n%s", p, both)
			}
			for _, want := range []string{
				"storyline_queue_messages 0", "storyline_queue_in_flight 0", "storyline_queue_up 1",
				`storyline_worker_stage_seconds_count{stage="save"}`, `storyline_worker_stage_seconds_count{stage="extract"}`,
				`storyline_worker_stage_seconds_count{stage="place"}`, `storyline_worker_errors_total{stage="save"} 0`,
				`storyline_worker_documents_total{result="new"}`, "storyline_worker_batches_total",
			} {
				if !strings.Contains(metrics, want) {
					t.Errorf("worker 1's /metrics has no %q", want)
				}
			}
			if !strings.Contains(log1.String(), "worker stopped") || !strings.Contains(log2.String(), "worker stopped") {
				t.Errorf("a worker did not log its stop; logs:\n%s", both)
			}
			if q := queueStats(t, url); q.Messages != 0 || q.AckPending != 0 {
				t.Errorf("queue after the workers: %+v", q)
			}
		})
	}
}

type multiLog []*syncBuffer

func (m multiLog) String() string {
	var b strings.Builder
	for i, l := range m {
		fmt.Fprintf(&b, "--- worker %d\n%s", i+1, l)
	}
	return b.String()
}

func openTestStore(t *testing.T, db string) storyline.Store {
	t.Helper()
	a := &app{db: db}
	s, err := a.openStore(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// queuedStore starts a queue holding n made-up documents and returns its
// URL, the path of an empty store for workers and that store, open (and
// closed at the end of the test) for the test to read.
func queuedStore(t *testing.T, n int) (url, db string, s *sqlite.Store) {
	t.Helper()
	url = queuetest.Start(t)
	db = filepath.Join(t.TempDir(), "news.db")
	publish(t, url, madeUpDocs(t, n), n)
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return url, db, s
}

// TestWorkerSurvivesSIGKILL kills a worker process (SIGKILL) in the
// middle of a batch — after extracting it, before anything is written;
// and after the commit, before the ack — then starts another worker:
// every document is stored exactly once.
func TestWorkerSurvivesSIGKILL(t *testing.T) {
	for _, stage := range []string{"save", "ack"} {
		t.Run(stage, func(t *testing.T) {
			const n = 30
			url, db, s := queuedStore(t, n)

			cmd, out := child(t, "worker", "--nats", url, "--db", db, "--batch", "50", "--ack-wait", "2s", "--test-hold", stage)
			// the child holds the whole batch: fetched (and, at ack, committed)
			waitUntil(t, "the child holding the batch", func() bool {
				if queueStats(t, url).AckPending != n {
					return false
				}
				return stage == "save" || readState(t, s).articles == n
			}, out)
			if stage == "save" {
				time.Sleep(300 * time.Millisecond) // let it extract; it writes nothing before the hold
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			waitFor(t, cmd, out)
			if st := readState(t, s); (stage == "save" && st.articles != 0) || (stage == "ack" && st.articles != n) {
				t.Fatalf("killed at %s: %d articles stored; log:\n%s", stage, st.articles, out)
			}
			if q := queueStats(t, url); q.Messages != n {
				t.Fatalf("killed at %s: the queue holds %d messages, want all %d (none acknowledged)", stage, q.Messages, n)
			}

			var log syncBuffer
			stop := startWorker(t, &log, "--nats", url, "--db", db, "--batch", "50", "--ack-wait", "2s", "--fetch-wait", "300ms")
			waitUntil(t, "every document stored and placed, the queue empty", func() bool {
				st := readState(t, s)
				return st.articles == n && st.placed == n && queueStats(t, url).Messages == 0
			}, &log)
			if code := stop(); code != 0 {
				t.Errorf("the second worker exited %d; log:\n%s", code, &log)
			}
			if st := readState(t, s); st.articles != n || st.placed != n || st.maxCopies != 1 {
				t.Errorf("store: %+v; want %d articles, each placed once, each with one source", st, n)
			}
		})
	}
}

// TestWorkerStopsOnSIGTERM stops a worker process with SIGTERM while it
// works through the queue: it exits 0 after the batch in hand, leaving
// nothing in flight; every document is stored or still queued, none
// both and none lost.
func TestWorkerStopsOnSIGTERM(t *testing.T) {
	const n = 200
	url, db, s := queuedStore(t, n)
	cmd, out := child(t, "worker", "--nats", url, "--db", db, "--batch", "10", "--fetch-wait", "300ms")
	waitUntil(t, "a first batch stored", func() bool { return readState(t, s).articles > 0 }, out)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := waitFor(t, cmd, out); code != 0 || !strings.Contains(out.String(), "worker stopped") {
		t.Fatalf("after SIGTERM: exit %d; output:\n%s", code, out)
	}
	st, q := readState(t, s), queueStats(t, url)
	if q.AckPending != 0 || st.articles+int(q.Messages) != n || st.maxCopies != 1 {
		t.Errorf("after SIGTERM: %d stored, %d queued, %d in flight; want %d in all, none in flight; output:\n%s", st.articles, q.Messages, q.AckPending, n, out)
	}
	if st.articles == n {
		t.Logf("the worker had finished the queue before SIGTERM came")
	}
}

// status runs storyline status --json and decodes what it prints.
func status(t *testing.T, r *statusReport, args ...string) {
	t.Helper()
	out, stderr, code := run(t, append([]string{"status", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("status: %d %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(out), r); err != nil {
		t.Fatalf("status: %v\n%s", err, out)
	}
}

// scrape reads the /metrics of the worker whose log names its address.
func scrape(t *testing.T, log *syncBuffer) string {
	t.Helper()
	m := regexp.MustCompile(`url=(http://\S+/metrics)`).FindStringSubmatch(log.String())
	if m == nil {
		t.Fatalf("the worker logged no metrics address:\n%s", log)
	}
	resp, err := http.Get(m[1])
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", m[1], resp.StatusCode, err)
	}
	return string(b)
}

func TestStatus(t *testing.T) {
	url := queuetest.Start(t)
	out, stderr, code := run(t, "status", "--nats", url)
	if code != 0 || !strings.Contains(out, " 0  documents queued") {
		t.Errorf("status of a server with no queue yet: %d %q %s", code, out, stderr)
	}
	publish(t, url, madeUpDocs(t, 3), 3)
	db := filepath.Join(t.TempDir(), "news.db")
	out, stderr, code = run(t, "status", "--nats", url, "--db", db)
	for _, want := range []string{" 3  documents queued", " 3  pending", " 0  in flight", " 0  articles", " 0  unplaced"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("status: no %q in %d %q %s", want, code, out, stderr)
		}
	}
	if _, _, code := run(t, "status"); code == 0 {
		t.Error("status with neither --nats nor --db succeeded")
	}
}
