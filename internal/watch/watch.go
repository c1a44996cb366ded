// Package watch is the feed daemon behind `storyline watch`: it polls feeds
// (conditional GET, back-off on failure), queues their new items in the
// store, fetches and extracts each item's page and stores its article.
//
// Crash safety comes from the order of writes, each its own transaction:
// a feed's new items are queued before the feed is marked polled; an
// item's article is stored before the item is marked stored. A daemon
// killed at any point finds on restart the items it had queued and not yet
// marked stored, and processes them again; storing an article that is
// already stored is a no-op (articles are keyed by their text, copies by
// their source), so nothing is stored twice and nothing queued is lost.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync/atomic"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract"
	"github.com/storyline-news/storyline/internal/fetch"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// Options tune a Daemon.
type Options struct {
	// Every is the time between two polls of a feed; 0 means 10 minutes.
	Every time.Duration
	// MaxBackoff bounds the wait after failed polls, which doubles with
	// each failure in a row; 0 means 24 hours.
	MaxBackoff time.Duration
	// MaxAttempts is the number of times an item's page is tried before
	// the item is given up; 0 means 3.
	MaxAttempts int
	// Once polls the feeds that are due, processes the queue and returns,
	// instead of running until the context ends.
	Once bool
	// Log receives what the daemon does; nil discards it.
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Daemon polls feeds and stores their items' articles.
type Daemon struct {
	store  *sqlite.Store
	reader *ingest.Reader
	fetch  *fetch.Client
	opt    Options
	// Metrics counts what the daemon did since it started.
	Metrics Metrics
}

// Metrics are counters since the daemon started.
type Metrics struct {
	Polls, NotModified, PollErrors          atomic.Int64
	ItemsQueued, ItemsStored, ItemsFailed   atomic.Int64
	ItemRetries, ArticlesNew, ArticleCopies atomic.Int64
}

// New returns a daemon storing into store and fetching through client.
func New(store *sqlite.Store, client *fetch.Client, opt Options) *Daemon {
	if opt.Every <= 0 {
		opt.Every = 10 * time.Minute
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 24 * time.Hour
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 3
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	d := &Daemon{store: store, fetch: client, opt: opt}
	d.reader = &ingest.Reader{Fetch: client, Warn: func(source, msg string) { opt.Log.Warn(msg, "source", source) }}
	return d
}

// Run adds feeds to the watched ones and runs until ctx ends (or, with
// Once, until the due feeds are polled and the queue is empty). Items
// queued by an earlier run that stopped are processed first. It returns
// nil when ctx ends: the item in hand is finished, nothing is cut halfway.
func (d *Daemon) Run(ctx context.Context, feeds []string) error {
	d.reader.Context = ctx // item pages are fetched under ctx: a stop cancels the one in hand
	if err := d.store.InitWatch(ctx); err != nil {
		return err
	}
	if err := d.store.AddWatchFeeds(ctx, feeds, d.opt.Now()); err != nil {
		return err
	}
	for {
		if err := d.drain(ctx); err != nil {
			return stopped(ctx, err)
		}
		next, err := d.pollDue(ctx)
		if err != nil {
			return stopped(ctx, err)
		}
		if err := d.drain(ctx); err != nil {
			return stopped(ctx, err)
		}
		if d.opt.Once || ctx.Err() != nil {
			return nil
		}
		wait := min(max(next.Sub(d.opt.Now()), time.Second), d.opt.Every)
		d.opt.Log.Debug("waiting", "for", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// stopped turns an error caused by the end of ctx into a clean stop.
func stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return nil
	}
	return err
}

// pollDue polls every feed whose time has come and returns when the next
// one is due.
func (d *Daemon) pollDue(ctx context.Context) (time.Time, error) {
	feeds, err := d.store.WatchFeeds(ctx)
	if err != nil {
		return time.Time{}, err
	}
	now := d.opt.Now()
	next := now.Add(d.opt.Every)
	for _, f := range feeds {
		if ctx.Err() != nil {
			return next, nil
		}
		if !f.NextPoll.After(now) {
			if f, err = d.poll(ctx, f); err != nil {
				return next, err
			}
		}
		if f.NextPoll.Before(next) {
			next = f.NextPoll
		}
	}
	return next, nil
}

// poll fetches one feed (conditionally), queues its new items and records
// the poll; a failed poll backs off.
func (d *Daemon) poll(ctx context.Context, f sqlite.WatchFeed) (sqlite.WatchFeed, error) {
	d.Metrics.Polls.Add(1)
	now := d.opt.Now()
	f.LastPolled = now
	resp, err := d.fetch.Do(ctx, fetch.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified})
	var items []ingest.FeedItem
	if err == nil && !resp.NotModified {
		items, err = d.reader.ParseFeed(f.URL, resp.Body)
		if err != nil {
			err = fmt.Errorf("%s: %w", f.URL, err)
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return f, ctx.Err()
		}
		d.Metrics.PollErrors.Add(1)
		f.Failures++
		f.LastError = err.Error()
		f.NextPoll = now.Add(d.backoff(f.Failures))
		d.opt.Log.Warn("poll failed", "feed", f.URL, "failures", f.Failures, "next", f.NextPoll.Format(time.RFC3339), "error", err)
		return f, d.store.UpdateWatchFeed(ctx, f)
	}
	f.Failures, f.LastError, f.NextPoll = 0, "", now.Add(d.opt.Every)
	if resp.NotModified {
		d.Metrics.NotModified.Add(1)
		d.opt.Log.Debug("not modified", "feed", f.URL)
		return f, d.store.UpdateWatchFeed(ctx, f)
	}
	queue := make([]sqlite.WatchItem, 0, len(items))
	for _, it := range items {
		source := it.Doc.URL // stable across polls, unlike FEED#N
		if source == "" {
			source = f.URL + "#" + it.Key
		}
		queue = append(queue, sqlite.WatchItem{Feed: f.URL, Key: it.Key, Source: source, URL: it.Doc.URL, Title: it.Doc.Title,
			Outlet: it.Doc.Outlet, Author: it.Doc.Author, Published: it.Doc.PublishedFallback, Content: it.Content})
	}
	n, err := d.store.QueueWatchItems(ctx, queue)
	if err != nil {
		return f, err
	}
	d.Metrics.ItemsQueued.Add(int64(n))
	d.opt.Log.Info("polled", "feed", f.URL, "items", len(items), "new", n)
	// the validators are kept only once the items are queued: a crash in
	// between polls the feed again in full
	f.ETag, f.LastModified = resp.ETag, resp.LastModified
	return f, d.store.UpdateWatchFeed(ctx, f)
}

// backoff is the wait after n failed polls in a row: Every doubled n-1
// times, at most MaxBackoff.
func (d *Daemon) backoff(n int) time.Duration {
	w := d.opt.Every
	for i := 1; i < n && w < d.opt.MaxBackoff; i++ {
		w *= 2
	}
	return min(w, d.opt.MaxBackoff)
}

// drain processes the queued items, oldest first, until none is left or
// ctx ends; an item left queued for another try waits for the next drain.
func (d *Daemon) drain(ctx context.Context) error {
	var after int64
	for ctx.Err() == nil {
		items, err := d.store.QueuedWatchItems(ctx, after, 64)
		if err != nil || len(items) == 0 {
			return err
		}
		for _, it := range items {
			if ctx.Err() != nil {
				return nil
			}
			after = it.Seq
			if err := d.process(ctx, it); err != nil {
				return err
			}
		}
	}
	return nil
}

// process fetches, extracts and stores one item's article. A failed fetch
// leaves the item queued for a later try, up to MaxAttempts; an item that
// yields no article is marked failed; a store error stops the daemon.
func (d *Daemon) process(ctx context.Context, it sqlite.WatchItem) error {
	doc, err := d.reader.ItemDoc(ingest.FeedItem{Key: it.Key, Content: it.Content, Doc: storyline.RawDoc{
		Source: it.Source, URL: it.URL, Title: it.Title, Outlet: it.Outlet, Author: it.Author, PublishedFallback: it.Published}})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		it.Attempts++
		it.Error = err.Error()
		if it.Attempts >= d.opt.MaxAttempts {
			it.State = sqlite.ItemFailed
			d.Metrics.ItemsFailed.Add(1)
			d.opt.Log.Warn("item given up", "item", it.Source, "attempts", it.Attempts, "error", err)
		} else {
			d.Metrics.ItemRetries.Add(1)
			d.opt.Log.Info("item to try again", "item", it.Source, "attempts", it.Attempts, "error", err)
		}
		return d.store.SetWatchItem(ctx, it)
	}
	a, err := extract.Article(doc, d.opt.Now())
	if err != nil {
		it.State, it.Error = sqlite.ItemFailed, err.Error()
		d.Metrics.ItemsFailed.Add(1)
		d.opt.Log.Warn("no article", "item", it.Source, "error", err)
		return d.store.SetWatchItem(ctx, it)
	}
	created, err := d.store.SaveArticles(ctx, []storyline.Article{a})
	if err != nil {
		return err
	}
	if created[0] {
		d.Metrics.ArticlesNew.Add(1)
	} else {
		d.Metrics.ArticleCopies.Add(1)
	}
	it.State, it.Error, it.ArticleID = sqlite.ItemStored, "", a.ID
	d.Metrics.ItemsStored.Add(1)
	d.opt.Log.Info("stored", "item", it.Source, "article", a.ID, "new", created[0])
	return d.store.SetWatchItem(ctx, it)
}

// WriteMetrics writes the counters and the store's gauges in the
// Prometheus text exposition format.
func (d *Daemon) WriteMetrics(ctx context.Context, w io.Writer) error {
	counters := []struct {
		name, help, labels string
		v                  int64
	}{
		{"storyline_watch_polls_total", "Feed polls.", `result="fetched"`, d.Metrics.Polls.Load() - d.Metrics.NotModified.Load() - d.Metrics.PollErrors.Load()},
		{"storyline_watch_polls_total", "", `result="not_modified"`, d.Metrics.NotModified.Load()},
		{"storyline_watch_polls_total", "", `result="error"`, d.Metrics.PollErrors.Load()},
		{"storyline_watch_items_total", "Feed items by what became of them.", `event="queued"`, d.Metrics.ItemsQueued.Load()},
		{"storyline_watch_items_total", "", `event="stored"`, d.Metrics.ItemsStored.Load()},
		{"storyline_watch_items_total", "", `event="failed"`, d.Metrics.ItemsFailed.Load()},
		{"storyline_watch_items_total", "", `event="retried"`, d.Metrics.ItemRetries.Load()},
		{"storyline_watch_articles_total", "Articles stored from items.", `kind="new"`, d.Metrics.ArticlesNew.Load()},
		{"storyline_watch_articles_total", "", `kind="copy"`, d.Metrics.ArticleCopies.Load()},
	}
	for _, c := range counters {
		if c.help != "" {
			if _, err := fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", c.name, c.help, c.name); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "%s{%s} %d\n", c.name, c.labels, c.v)
	}
	counts, err := d.store.WatchItemCounts(ctx)
	if err != nil {
		return err
	}
	feeds, err := d.store.WatchFeeds(ctx)
	if err != nil {
		return err
	}
	failing := 0
	for _, f := range feeds {
		if f.Failures > 0 {
			failing++
		}
	}
	fmt.Fprintf(w, "# HELP storyline_watch_feeds Watched feeds.\n# TYPE storyline_watch_feeds gauge\nstoryline_watch_feeds %d\n", len(feeds))
	fmt.Fprintf(w, "# HELP storyline_watch_feeds_failing Watched feeds whose last poll failed.\n# TYPE storyline_watch_feeds_failing gauge\nstoryline_watch_feeds_failing %d\n", failing)
	fmt.Fprintf(w, "# HELP storyline_watch_items Items in the store by state.\n# TYPE storyline_watch_items gauge\n")
	states := []string{sqlite.ItemQueued, sqlite.ItemStored, sqlite.ItemFailed}
	sort.Strings(states)
	for _, st := range states {
		fmt.Fprintf(w, "storyline_watch_items{state=%q} %d\n", st, counts[st])
	}
	return nil
}
