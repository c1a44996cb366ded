package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The state of `storyline watch` lives beside the articles so that a
// restarted daemon resumes where it stopped: the feeds watched (validators
// for conditional GET, when to poll next, failures in a row for back-off)
// and every item seen, queued until its article is stored. Its tables have
// their own version, apart from the article schema's migrations, so that
// the daemon's state can change without renumbering those.
var watchMigrations = []string{
	`CREATE TABLE watch_feeds (
		url TEXT PRIMARY KEY,
		etag TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		next_poll TEXT NOT NULL,
		failures INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		last_polled TEXT NOT NULL DEFAULT ''
	);
	CREATE TABLE watch_items (
		seq INTEGER PRIMARY KEY,
		feed TEXT NOT NULL,
		key TEXT NOT NULL,
		source TEXT NOT NULL,
		url TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		outlet TEXT NOT NULL DEFAULT '',
		author TEXT NOT NULL DEFAULT '',
		published TEXT NOT NULL DEFAULT '',
		content TEXT NOT NULL DEFAULT '',
		state TEXT NOT NULL DEFAULT 'queued', -- queued, stored, failed
		attempts INTEGER NOT NULL DEFAULT 0,
		error TEXT NOT NULL DEFAULT '',
		article_id TEXT NOT NULL DEFAULT '',
		updated_at TEXT NOT NULL,
		UNIQUE(feed, key)
	);
	CREATE INDEX watch_items_state ON watch_items(state, seq);`,
}

// Item states.
const (
	ItemQueued = "queued"
	ItemStored = "stored"
	ItemFailed = "failed"
)

// WatchFeed is one watched feed.
type WatchFeed struct {
	URL          string
	ETag         string
	LastModified string
	NextPoll     time.Time
	Failures     int // polls failed in a row
	LastError    string
	LastPolled   time.Time
}

// WatchItem is one item of a watched feed, with what the feed said of it.
type WatchItem struct {
	Seq                                                    int64 // order of queueing
	Feed, Key                                              string
	Source, URL, Title, Outlet, Author, Published, Content string
	State                                                  string
	Attempts                                               int
	Error                                                  string
	ArticleID                                              string
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTimeText(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// InitWatch creates or upgrades the watch tables.
func (s *Store) InitWatch(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS watch_schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("watch schema: %w", err)
	}
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM watch_schema_version`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO watch_schema_version(version) VALUES (0)`); err != nil {
			return fmt.Errorf("watch schema: %w", err)
		}
	} else if err != nil {
		return fmt.Errorf("watch schema version: %w", err)
	}
	if v > len(watchMigrations) {
		return fmt.Errorf("watch schema version %d is newer than this storyline (%d): upgrade storyline", v, len(watchMigrations))
	}
	for i := v; i < len(watchMigrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("watch migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, watchMigrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("watch migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE watch_schema_version SET version = ?`, i+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("watch migration %d: %w", i+1, err)
		}
		if err := s.commit(tx); err != nil {
			return fmt.Errorf("watch migration %d: %w", i+1, err)
		}
	}
	return nil
}

// AddWatchFeeds adds feeds to watch, due at now; feeds already watched
// keep their state.
func (s *Store) AddWatchFeeds(ctx context.Context, urls []string, now time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add feeds: %w", err)
	}
	defer tx.Rollback()
	for _, u := range urls {
		if _, err := tx.ExecContext(ctx, `INSERT INTO watch_feeds (url, next_poll) VALUES (?, ?) ON CONFLICT(url) DO NOTHING`, u, timeText(now)); err != nil {
			return fmt.Errorf("add feed %s: %w", u, err)
		}
	}
	return s.commit(tx)
}

// WatchFeeds returns the watched feeds, in URL order.
func (s *Store) WatchFeeds(ctx context.Context) ([]WatchFeed, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url, etag, last_modified, next_poll, failures, last_error, last_polled FROM watch_feeds ORDER BY url`)
	if err != nil {
		return nil, fmt.Errorf("watched feeds: %w", err)
	}
	defer rows.Close()
	var out []WatchFeed
	for rows.Next() {
		var f WatchFeed
		var next, polled string
		if err := rows.Scan(&f.URL, &f.ETag, &f.LastModified, &next, &f.Failures, &f.LastError, &polled); err != nil {
			return nil, fmt.Errorf("watched feeds: %w", err)
		}
		f.NextPoll, f.LastPolled = parseTimeText(next), parseTimeText(polled)
		out = append(out, f)
	}
	return out, rows.Err()
}

// UpdateWatchFeed records a poll of a feed.
func (s *Store) UpdateWatchFeed(ctx context.Context, f WatchFeed) error {
	_, err := s.w.ExecContext(ctx, `UPDATE watch_feeds SET etag = ?, last_modified = ?, next_poll = ?, failures = ?, last_error = ?, last_polled = ? WHERE url = ?`,
		f.ETag, f.LastModified, timeText(f.NextPoll), f.Failures, f.LastError, timeText(f.LastPolled), f.URL)
	if err != nil {
		return fmt.Errorf("update feed %s: %w", f.URL, err)
	}
	return nil
}

// QueueWatchItems queues the items of a feed not seen before, in one
// transaction, and returns how many were new.
func (s *Store) QueueWatchItems(ctx context.Context, items []WatchItem) (int, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("queue items: %w", err)
	}
	defer tx.Rollback()
	now := timeText(time.Now())
	n := 0
	for _, it := range items {
		res, err := tx.ExecContext(ctx, `INSERT INTO watch_items (feed, key, source, url, title, outlet, author, published, content, state, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?) ON CONFLICT(feed, key) DO NOTHING`,
			it.Feed, it.Key, it.Source, it.URL, it.Title, it.Outlet, it.Author, it.Published, it.Content, now)
		if err != nil {
			return 0, fmt.Errorf("queue item %s of %s: %w", it.Key, it.Feed, err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	if err := s.commit(tx); err != nil {
		return 0, fmt.Errorf("queue items: %w", err)
	}
	return n, nil
}

// QueuedWatchItems returns up to limit queued items queued after the item
// numbered after (0: from the first), oldest first.
func (s *Store) QueuedWatchItems(ctx context.Context, after int64, limit int) ([]WatchItem, error) {
	return s.watchItems(ctx, `WHERE state = 'queued' AND seq > ? ORDER BY seq LIMIT ?`, after, limit)
}

// AllWatchItems returns every item, in the order they were queued.
func (s *Store) AllWatchItems(ctx context.Context) ([]WatchItem, error) {
	return s.watchItems(ctx, `ORDER BY seq`)
}

func (s *Store) watchItems(ctx context.Context, where string, args ...any) ([]WatchItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, feed, key, source, url, title, outlet, author, published, content, state, attempts, error, article_id FROM watch_items `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("watched items: %w", err)
	}
	defer rows.Close()
	var out []WatchItem
	for rows.Next() {
		var it WatchItem
		if err := rows.Scan(&it.Seq, &it.Feed, &it.Key, &it.Source, &it.URL, &it.Title, &it.Outlet, &it.Author, &it.Published, &it.Content,
			&it.State, &it.Attempts, &it.Error, &it.ArticleID); err != nil {
			return nil, fmt.Errorf("watched items: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// SetWatchItem records what became of an item: its state, attempts, error
// and article.
func (s *Store) SetWatchItem(ctx context.Context, it WatchItem) error {
	_, err := s.w.ExecContext(ctx, `UPDATE watch_items SET state = ?, attempts = ?, error = ?, article_id = ?, updated_at = ? WHERE feed = ? AND key = ?`,
		it.State, it.Attempts, it.Error, it.ArticleID, timeText(time.Now()), it.Feed, it.Key)
	if err != nil {
		return fmt.Errorf("update item %s of %s: %w", it.Key, it.Feed, err)
	}
	return nil
}

// WatchItemCounts counts the items by state.
func (s *Store) WatchItemCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM watch_items GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count items: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count items: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}
