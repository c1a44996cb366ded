package story

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/eval/dups"
)

// bbcArticles are the BBC corpus's articles (../shared/data/bbc), in the
// order of their file names, an hour apart, with their entities resolved
// per batch of batch articles (none when batch is 0). A benchmark that needs them skips with a
// message when the corpus is absent, and fails under CI=true.
func bbcArticles(b *testing.B, batch int) ([]storyline.Article, []entity.Result) {
	b.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data", "bbc", "bbc")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err != nil || len(files) == 0 {
		if os.Getenv("CI") == "true" {
			b.Fatalf("the BBC corpus is missing under CI: %s (%v)", dir, err)
		}
		b.Skipf("the BBC corpus is not available under %s; skipping", dir)
	}
	slices.Sort(files)
	start := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	var articles []storyline.Article
	for i, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		title, text, _ := strings.Cut(string(raw), "\n")
		articles = append(articles, storyline.Article{ID: filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f),
			Title: strings.TrimSpace(title), Text: strings.TrimSpace(text), Published: start.Add(time.Duration(i) * time.Hour)})
	}
	var res []entity.Result
	for k := 0; batch > 0 && k < len(articles); k += batch {
		res = append(res, entity.Resolve(entity.Docs(articles[k:min(k+batch, len(articles))])))
	}
	return articles, res
}

// BenchmarkStreamAdd places the BBC corpus in a new Stream, in batches of
// 500 with their entities resolved ahead (not timed): near-duplicates,
// tokenising and clustering, as a store's placing does. Besides the wall
// time, it reports CPU times, steadier on a shared machine: the process's
// (cpu-ns/article, every core) and that of the goroutine that places the
// articles one after another (serial-cpu-ns/article), which bounds placing.
func BenchmarkStreamAdd(b *testing.B) {
	benchStream(b, false)
}

// BenchmarkStreamChanges is BenchmarkStreamAdd with the state's changes
// made after each batch (Stream.Changes), as a store saves them; it
// reports their CPU time apart (changes-cpu-ns/article).
func BenchmarkStreamChanges(b *testing.B) {
	benchStream(b, true)
}

func benchStream(b *testing.B, changes bool) {
	const batch = 500
	articles, res := bbcArticles(b, batch)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	b.ResetTimer()
	var cpu, serial, saving time.Duration
	for b.Loop() {
		s := NewStream(Options{}, 0)
		for k := 0; k < len(articles); k += batch {
			cpu0, t0 := processCPU(), threadCPU()
			s.Add(articles[k:min(k+batch, len(articles))], res[k/batch])
			if changes {
				t1 := threadCPU()
				if _, err := s.Changes(); err != nil {
					b.Fatal(err)
				}
				saving += threadCPU() - t1
			}
			cpu, serial = cpu+processCPU()-cpu0, serial+threadCPU()-t0
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*len(articles)) }
	b.ReportMetric(per(b.Elapsed()), "ns/article")
	b.ReportMetric(per(cpu), "cpu-ns/article")
	b.ReportMetric(per(serial), "serial-cpu-ns/article")
	if changes {
		b.ReportMetric(per(saving), "changes-cpu-ns/article")
	}
}

// BenchmarkCluster tokenises and clusters the BBC corpus's documents with
// their entities (Cluster), without near-duplicates: the clusterer's own
// cost. It reports CPU times as BenchmarkStreamAdd does.
func BenchmarkCluster(b *testing.B) {
	const batch = 500
	articles, res := bbcArticles(b, batch)
	docs := make([]Doc, len(articles))
	for i, a := range articles {
		docs[i] = Doc{ID: a.ID, Time: a.Published, Title: a.Title, Text: a.Text}
		r := res[i/batch]
		docs[i].AddNames(r.Mentions[i%batch], r.Entities, nil)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, t0 := processCPU(), threadCPU()
	for b.Loop() {
		Cluster(docs, Options{})
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*len(articles)) }
	b.ReportMetric(per(b.Elapsed()), "ns/article")
	b.ReportMetric(per(processCPU()-cpu0), "cpu-ns/article")
	b.ReportMetric(per(threadCPU()-t0), "serial-cpu-ns/article")
}

// BenchmarkGeneratedStream places streams of generated articles (as
// storyline bench --stream makes them: real BBC text with a third of its
// words replaced, one in ten a perturbed copy of the one before, 50 a
// day, no entities) in a new Clusterer, n articles per run, to see how the
// cost per article grows with the archive. "ahead" tokenises each chunk of
// tokeniseChunk documents on every core first, as a Stream does; "inline"
// gives the clusterer untokenised documents, as the bench command does.
// Generating the articles is not timed. As the machines these run on are
// shared, it reports CPU times, not wall times: the serial placing's, on
// its own thread (add-cpu-ns/article, and over the chunks of the last
// tenth of the stream alone), and the process's over the tokenising ahead
// (tok-cpu-ns/article) and over both (cpu-ns/article, every core and the
// garbage collector counted).
func BenchmarkGeneratedStream(b *testing.B) {
	base, _ := bbcArticles(b, 0)
	for _, mode := range []string{"ahead", "inline"} {
		for _, n := range []int{10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/n=%d", mode, n), func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				var add, addLast, tok, cpu time.Duration
				var last int
				for b.Loop() {
					gen := generatedDocs(base)
					c := New(Options{})
					c.Forget()
					docs := make([]Doc, 0, tokeniseChunk)
					for k := 0; k < n; k += tokeniseChunk {
						b.StopTimer()
						docs = docs[:0]
						for i := k; i < min(n, k+tokeniseChunk); i++ {
							docs = append(docs, gen(i))
						}
						b.StartTimer()
						cpu0 := processCPU()
						if mode == "ahead" {
							tokeniseAll(docs)
							tok += processCPU() - cpu0
						}
						t0 := threadCPU()
						for _, d := range docs {
							c.Add(d)
						}
						dt := threadCPU() - t0
						add += dt
						if k >= n-n/10 {
							addLast += dt
							last += len(docs)
						}
						cpu += processCPU() - cpu0
					}
				}
				per := func(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / float64(n) }
				b.ReportMetric(per(add, b.N*n), "add-cpu-ns/article")
				b.ReportMetric(per(addLast, last), "add-last10-cpu-ns/article")
				b.ReportMetric(per(tok, b.N*n), "tok-cpu-ns/article")
				b.ReportMetric(per(cpu, b.N*n), "cpu-ns/article")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// generatedDocs returns a generator of the documents of a stream made
// from base as bench.Stream makes them (its seed; its base articles are
// extracted from the same files).
func generatedDocs(base []storyline.Article) func(i int) Doc {
	next := dups.Stream(base, 1)
	return func(i int) Doc {
		a := next(i)
		return Doc{ID: a.ID, Time: a.Published, Title: a.Title, Text: a.Text}
	}
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPU is the CPU time the calling thread has used (the caller locks
// its goroutine to the thread).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
