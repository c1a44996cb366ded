package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/sqlite"
)

func sampleText(n int) string {
	return fmt.Sprintf("Harbour story number %d\n\nThe harbour authority said on Tuesday that berth %d would reopen after repairs to the quay wall.\n\nShipping lines welcomed the news, the authority said.\n", n, n)
}

// corpus writes n distinct articles, a copy of the first with other
// layout, and an empty file; it returns the directory.
func corpus(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	writeArticles(t, dir, 0, n)
	copyText := strings.ReplaceAll(sampleText(0), "\n\n", "\n")
	os.WriteFile(filepath.Join(dir, "z-copy.txt"), []byte(copyText), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.txt"), nil, 0o644)
	return dir
}

// writeArticles writes the articles numbered from to to-1 into dir.
func writeArticles(t *testing.T, dir string, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("a%03d.txt", i)), []byte(sampleText(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var now = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func TestRunCountsAndKeepsOrder(t *testing.T) {
	dir := corpus(t, 30)
	var ids [][]string
	for _, workers := range []int{1, 4} {
		var progress int
		sum, err := Run(context.Background(), &ingest.Reader{}, []string{dir}, nil,
			Options{Workers: workers, Now: now, Progress: func(done int) { progress = done }})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Documents != 32 || sum.New != 30 || sum.Duplicates != 1 || sum.Failed != 1 || progress != 32 {
			t.Fatalf("workers %d: summary %+v, progress %d", workers, sum, progress)
		}
		if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Error(), "empty.txt") || !errors.Is(sum.Errors[0], ingest.ErrEmpty) {
			t.Errorf("errors = %v, want one naming empty.txt", sum.Errors)
		}
		var run []string
		for _, a := range sum.Articles {
			run = append(run, a.ID)
		}
		ids = append(ids, run)
		if !strings.HasSuffix(sum.Articles[0].Source, "a000.txt") || !strings.HasSuffix(sum.Articles[29].Source, "a029.txt") {
			t.Errorf("articles out of input order: first %s, last %s", sum.Articles[0].Source, sum.Articles[29].Source)
		}
	}
	if strings.Join(ids[0], ",") != strings.Join(ids[1], ",") {
		t.Error("one worker and four give different articles or order")
	}
}

func TestRunStoresInBatchesIdempotently(t *testing.T) {
	ctx := context.Background()
	dir := corpus(t, 25)
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sum, err := Run(ctx, &ingest.Reader{}, []string{dir}, store, Options{BatchSize: 7, Now: now})
	if err != nil || sum.New != 25 || sum.Duplicates != 1 {
		t.Fatalf("first run: %+v %v", sum, err)
	}
	sum, err = Run(ctx, &ingest.Reader{}, []string{dir}, store, Options{BatchSize: 7, Now: now})
	if err != nil || sum.New != 0 || sum.Duplicates != 26 {
		t.Fatalf("second run: %+v %v; want nothing new", sum, err)
	}
	all, _ := store.Articles(ctx)
	if len(all) != 25 {
		t.Errorf("%d articles stored, want 25", len(all))
	}
	// the copy of this run is kept as a copy of the first article
	cs, err := store.Copies(ctx, all[0].ID)
	if err != nil || len(cs) != 2 || !strings.HasSuffix(cs[1].Source, "z-copy.txt") {
		t.Errorf("copies of %s: %+v %v", all[0].Source, cs, err)
	}
}

// failingStore fails its second batch.
type failingStore struct {
	storyline.Store
	calls int
}

func (f *failingStore) SaveArticles(ctx context.Context, as []storyline.Article) ([]bool, error) {
	f.calls++
	if f.calls == 2 {
		return nil, errors.New("disk full")
	}
	return make([]bool, len(as)), nil
}

func TestRunStopsOnStoreError(t *testing.T) {
	dir := corpus(t, 20)
	_, err := Run(context.Background(), &ingest.Reader{}, []string{dir}, &failingStore{}, Options{BatchSize: 5, Now: now})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the store's error", err)
	}
}

func TestRunCancelled(t *testing.T) {
	dir := corpus(t, 50)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, &ingest.Reader{}, []string{dir}, nil, Options{Now: now})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestRunForgetKeepsNoArticles(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 5; i++ {
		text := fmt.Sprintf("Harbour notice %d\n\nThe harbour master said berth %d reopens on Monday after repairs to the quay wall.", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("a%d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, forget := range []bool{false, true} {
		sum, err := Run(context.Background(), &ingest.Reader{}, []string{dir}, nil, Options{Forget: forget})
		if err != nil || sum.New != 5 {
			t.Fatalf("forget %v: %+v, %v", forget, sum, err)
		}
		if got, want := len(sum.Articles), map[bool]int{false: 5, true: 0}[forget]; got != want {
			t.Errorf("forget %v: %d articles kept, want %d", forget, got, want)
		}
	}
}

// batchStore records the size of every batch saved.
// batchStore records the batches saved: articles, bytes of titles and
// texts, and those of the batch's last article.
type batchStore struct {
	storyline.Store
	sizes, bytes, last []int
}

func (b *batchStore) SaveArticles(ctx context.Context, as []storyline.Article) ([]bool, error) {
	n, last := 0, 0
	for _, a := range as {
		last = len(a.Title) + len(a.Text)
		n += last
	}
	b.sizes, b.bytes, b.last = append(b.sizes, len(as)), append(b.bytes, n), append(b.last, last)
	return make([]bool, len(as)), nil
}

// With no BatchSize, Run stores StoreBatch articles per transaction (the
// rest at the end).
func TestRunStoresStoreBatchByDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	var b strings.Builder
	n := StoreBatch + StoreBatch/4
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "{\"url\":\"https://example.invalid/%d\",\"title\":\"Harbour %d\",\"text\":%q}\n", i, i, sampleText(i))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	store := &batchStore{}
	sum, err := Run(context.Background(), &ingest.Reader{}, []string{path}, store, Options{Now: now, Forget: true})
	if err != nil || sum.Failed != 0 {
		t.Fatalf("run: %+v, %v", sum, err)
	}
	if want := []int{StoreBatch, n - StoreBatch}; fmt.Sprint(store.sizes) != fmt.Sprint(want) {
		t.Errorf("batches of %v, want %v", store.sizes, want)
	}
}

// TestRunBoundsTheBytesOfABatch: long articles are stored in smaller
// batches, so that a batch never holds much more text than BatchBytes.
func TestRunBoundsTheBytesOfABatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	var b strings.Builder
	const n, limit = 40, 20000
	for i := 0; i < n; i++ {
		var text strings.Builder
		for k := 0; k < 10*(1+i%5); k++ {
			fmt.Fprintf(&text, "Paragraph %d of report %d: the harbour authority said berth %d would reopen after repairs.\n\n", k, i, k)
		}
		fmt.Fprintf(&b, "{\"url\":\"https://example.invalid/%d\",\"title\":\"Harbour %d\",\"text\":%q}\n", i, i, text.String())
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	store := &batchStore{}
	sum, err := Run(context.Background(), &ingest.Reader{}, []string{path}, store, Options{Now: now, Forget: true, BatchSize: 1000, BatchBytes: limit})
	if err != nil || sum.Failed != 0 {
		t.Fatalf("run: %+v, %v", sum, err)
	}
	total := 0
	for i, size := range store.sizes {
		total += size
		if store.bytes[i] > limit+store.last[i] {
			t.Errorf("batch %d: %d bytes, more than %d plus its last article (%d)", i, store.bytes[i], limit, store.last[i])
		}
	}
	if total != n || len(store.sizes) < 2 {
		t.Errorf("batches of %v (%d articles), want %d articles in several batches", store.sizes, total, n)
	}
}

// TestRunBoundsTheBytesReadAhead: while the first document is slow to
// extract, the later ones wait for it, already read; Run reads no more of
// them than ReadAheadBytes allows, and loses none once the first is done.
func TestRunBoundsTheBytesReadAhead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	var b strings.Builder
	const n, docBytes = 200, 2000
	for i := 0; i < n; i++ {
		text := strings.Repeat(fmt.Sprintf("Report %d: the harbour authority said berth %d would reopen. ", i, i), docBytes/60)
		fmt.Fprintf(&b, "{\"url\":\"https://example.invalid/%d\",\"title\":\"Harbour %d\",\"text\":%q}\n", i, i, text)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	const window = 20 * docBytes
	release := make(chan struct{})
	var mu sync.Mutex
	held := true
	ahead := 0 // documents started while the first was held
	extractDoc = func(doc storyline.RawDoc, now time.Time) (storyline.Article, error) {
		if strings.HasSuffix(doc.Source, ":1") {
			<-release
		} else {
			mu.Lock()
			if held {
				ahead++
			}
			mu.Unlock()
		}
		return extractOne(doc, now)
	}
	defer func() { extractDoc = extractOne }()
	go func() {
		// let the others run ahead as far as they may (until no more
		// start for a while), then free the first
		settled(&mu, &ahead, 150*time.Millisecond, 10*time.Second, true)
		mu.Lock()
		held = false
		mu.Unlock()
		close(release)
	}()
	store := &batchStore{}
	sum, err := Run(context.Background(), &ingest.Reader{}, []string{path}, store, Options{Now: now, Forget: true, Workers: 4, ReadAheadBytes: window})
	if err != nil || sum.Failed != 0 || sum.Documents != n {
		t.Fatalf("run: %+v, %v", sum, err)
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d documents read ahead of the held one", ahead)
	// documents of about docBytes each; the held one counts too
	if limit := window/docBytes + 1; ahead > limit {
		t.Errorf("%d documents were read ahead of the held first one, more than the %d bytes allow (%d)", ahead, window, limit)
	}
	if ahead < 5 {
		t.Errorf("only %d documents were read ahead of the held first one: the window lets none run ahead", ahead)
	}
	if len(store.sizes) == 0 {
		t.Error("nothing was stored")
	}
}

// TestRunReadsDocumentsLargerThanTheReadAhead: a document larger than the
// read-ahead window is still read and stored (alone), never waited for
// forever.
func TestRunReadsDocumentsLargerThanTheReadAhead(t *testing.T) {
	dir := corpus(t, 12)
	store := &batchStore{}
	sum, err := Run(context.Background(), &ingest.Reader{}, []string{dir}, store, Options{Now: now, Forget: true, Workers: 3, ReadAheadBytes: 10})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	stored := 0
	for _, n := range store.sizes {
		stored += n
	}
	if sum.Documents != 14 || sum.Failed != 1 || stored != 13 {
		t.Errorf("run: %d documents, %d failed, %d stored; want 14, 1 (the empty file), 13 (12 and a copy)", sum.Documents, sum.Failed, stored)
	}
}

// heldSave is a store whose first SaveArticles waits until release is
// closed, after closing holding.
type heldSave struct {
	storyline.Store
	holding, release chan struct{}
	once             sync.Once
}

func (s *heldSave) SaveArticles(ctx context.Context, as []storyline.Article) ([]bool, error) {
	s.once.Do(func() {
		close(s.holding)
		<-s.release
	})
	return s.Store.SaveArticles(ctx, as)
}

// While a batch is saved, extraction goes on and fills the next batch:
// the save runs on a goroutine of its own. Before, the loop that orders
// the results saved each batch itself, and extraction stopped after a
// document or two for the length of every save.
func TestRunExtractsWhileABatchIsSaved(t *testing.T) {
	dir := corpus(t, 40)
	store := &heldSave{Store: memStore(t), holding: make(chan struct{}), release: make(chan struct{})}
	const batch = 10
	var mu sync.Mutex
	extracted := 0
	extractDoc = func(doc storyline.RawDoc, now time.Time) (storyline.Article, error) {
		mu.Lock()
		extracted++
		mu.Unlock()
		return extractOne(doc, now)
	}
	defer func() { extractDoc = extractOne }()
	var during int
	go func() {
		<-store.holding
		// wait until extraction stops (the next batch is full) or 5 s pass
		during = settled(&mu, &extracted, 100*time.Millisecond, 5*time.Second, false)
		close(store.release)
	}()
	sum, err := Run(context.Background(), &ingest.Reader{}, []string{dir}, store, Options{Workers: 1, BatchSize: batch, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if during < 2*batch {
		t.Errorf("%d documents extracted while the first batch was saved; want the next batch too (%d at least)", during, 2*batch)
	}
	if sum.New != 40 || sum.Duplicates != 1 || sum.Failed != 1 {
		t.Errorf("new %d, copies %d, failed %d; want 40, 1, 1", sum.New, sum.Duplicates, sum.Failed)
	}
}

// settled reads *n (under mu) every step until it stops changing (and,
// with some, is above zero) or within has passed, and returns the last
// value read.
func settled(mu *sync.Mutex, n *int, step, within time.Duration, some bool) int {
	last := -1
	for deadline := time.Now().Add(within); time.Now().Before(deadline); {
		time.Sleep(step)
		mu.Lock()
		now := *n
		mu.Unlock()
		if now == last && (now > 0 || !some) {
			break
		}
		last = now
	}
	return last
}
