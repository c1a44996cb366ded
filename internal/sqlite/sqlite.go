// Package sqlite is the embedded Store: one SQLite file through
// modernc.org/sqlite (pure Go, no cgo), with versioned schema migrations,
// FTS5 full-text search and WAL journaling so readers never block the writer.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/storyline-news/storyline"
)

// Store is a storyline.Store on one SQLite file.
type Store struct {
	db *sql.DB // reads, and the schema's migrations
	w  *sql.DB // writes: one connection (see Open); db in memory

	mu    sync.Mutex
	stmts map[string]*sql.Stmt // see prepared

	ckpt *checkpointer // nil in memory
}

var _ storyline.Store = (*Store)(nil)

// walLimitBytes is how large the WAL grows before a commit copies its
// pages into the database file itself (SQLite's default is 1,000
// pages): 32,768 pages of 4 KiB, 8,192 of pageBytes. The store's
// checkpointer (see checkpointer) copies them sooner, off the commits'
// path; this is the bound when it falls behind.
const walLimitBytes = 128 << 20

// pageBytes is the page size of a new database file (SQLite's default
// is 4,096). Every page SQLite writes or reads is a system call of its
// own (into the WAL at each commit, from the WAL into the file at each
// checkpoint, and back when a page left the cache), and an article's
// text, its search index and the clustering state's parts (most of them
// 1 to 16 KiB) span many pages: with larger pages the same bytes take
// fewer calls. A file made before keeps its page size (changing it
// means rewriting the file).
const pageBytes = 16 << 10

// cacheKiB is each connection's page cache (SQLite's default is 2 MiB):
// a batch of 2,000 articles (pipeline's batch) dirties more pages than
// 2 MiB, and a full cache spills dirty pages into the WAL before the
// commit, some of them to be written again at the commit. Pages are
// allocated as they are used, so a connection that reads little holds
// little.
const cacheKiB = 32 << 10

// ftsHashBytes is how much of the search index FTS5 keeps in memory in a
// transaction before writing it out as a segment (FTS5's "hashsize",
// 1 MiB by default). SaveArticles indexes its batch in one statement; at
// 1 MiB a batch of 2,000 generated BBC articles (between 1 and 2 MiB of
// pending index) was written as two segments, and every segment is
// merged into larger ones later (FTS5 merges sixteen of a level into one
// of the next), so more segments meant more of the index rewritten. A
// batch's index now makes one segment, at the price of holding up to
// 8 MiB of it in memory while the batch is saved. The setting is kept in
// the index's config table; the segments' layout is all it changes:
// searches find, rank and cut the same.
const ftsHashBytes = 8 << 20

// Open opens (creating if needed) the database at path and migrates its
// schema to the current version. ":memory:" gives a private in-memory store.
func Open(ctx context.Context, path string) (*Store, error) {
	db, err := openPool(path, pageBytes)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, w: db}
	if err := s.migrateRetrying(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := retryBusy(ctx, 40, 25*time.Millisecond, func() error { return s.tuneSearchIndex(ctx) }); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if path == ":memory:" {
		return s, nil
	}
	// a file made before with other pages keeps them: its connections
	// checkpoint at walLimitBytes of its pages
	var size int
	if err := db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: page size: %w", path, err)
	}
	if size <= 0 {
		size = pageBytes
	}
	if size != pageBytes {
		db.Close()
		if s.db, err = openPool(path, size); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	// Every write goes through one connection, which keeps its page
	// cache from one transaction to the next. A connection drops its
	// whole cache when it finds that another one wrote since its last
	// transaction, so with the pool's connections taking turns at
	// writing (storing articles, placing them, each beside reads), a
	// transaction began with an empty cache whenever another connection
	// had written last, and read back, a system call a page, the index
	// pages it was about to change. Waiting for
	// the connection also makes this process's writers take turns without
	// polling SQLite's lock (busy_timeout).
	if s.w, err = openPool(path, size); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.ckpt = startCheckpointer(s.db, checkpointEvery)
	return s, nil
}

// openPool opens the connection pool of the database at path, its
// connections set for a file of pages of pageSize bytes.
func openPool(path string, pageSize int) (*sql.DB, error) {
	q := url.Values{}
	// A checkpoint copies every page the WAL holds into the file; at the
	// default (every 1,000 pages) it ran after nearly every batch that
	// SaveArticles stores, so an index page dirtied by batch after batch
	// was copied each time. The store's checkpointer copies them at most
	// once a second, and the commits themselves at walLimitBytes.
	// Statement journals (the pages a statement changed, kept so that the
	// statement alone can be undone, for a statement of many rows that
	// may fail halfway, such as an update of many rows when stories
	// merge) stay in memory instead of spilling into a temporary file past
	// 64 KiB, a write call per page. They play no part in recovery after
	// a crash (the WAL does), so durability is unchanged.
	// The page size applies to a file that has no page yet, so it is set
	// before WAL mode (whose header is the first write): the driver runs
	// the _pragma list in lexicographic order and journal_mode would sort
	// first, so WAL mode is set by its own key, which runs after them.
	for _, p := range []string{"busy_timeout(10000)", fmt.Sprintf("page_size(%d)", pageBytes), "synchronous(NORMAL)", "foreign_keys(ON)",
		fmt.Sprintf("wal_autocheckpoint(%d)", walLimitBytes/pageSize), fmt.Sprintf("cache_size(%d)", -cacheKiB), "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_journal_mode", "WAL")
	// Write transactions take the write lock when they begin: a deferred
	// one that read first cannot wait for another writer (SQLITE_BUSY at
	// once, busy_timeout or not), so two processes saving at once failed.
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	if path == ":memory:" {
		dsn = "file::memory:?" + q.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if path == ":memory:" {
		db.SetMaxOpenConns(1) // one connection, or each would see its own database
	}
	return db, nil
}

// tuneSearchIndex sets FTS5's hashsize to ftsHashBytes when the index's
// config says less (a file made before, or a new one). It is a setting,
// not a schema change: it writes one row of articles_fts_config, once per
// file, and no migration (so its number cannot clash with one); a file
// that has it is only read.
func (s *Store) tuneSearchIndex(ctx context.Context) error {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT v FROM articles_fts_config WHERE k = 'hashsize'`).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("search index hashsize: %w", err)
	}
	if v.Valid && v.Int64 >= ftsHashBytes {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', ?)`, ftsHashBytes); err != nil {
		return fmt.Errorf("search index hashsize: %w", err)
	}
	return nil
}

// migrateRetrying migrates, trying again while another process holds the
// file: when several processes open a new file at once, one of them turns
// it to WAL mode, and SQLite answers the others "database is locked"
// without waiting, whatever the busy timeout.
func (s *Store) migrateRetrying(ctx context.Context) error {
	return retryBusy(ctx, 40, 25*time.Millisecond, func() error { return s.migrate(ctx) })
}

// retryBusy calls f until it succeeds, fails otherwise than busy, or has
// been tried tries times, waiting step longer after each busy failure.
func retryBusy(ctx context.Context, tries int, step time.Duration, f func() error) error {
	for i := 1; ; i++ {
		err := f()
		if err == nil || i >= tries || !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(i) * step):
		}
	}
}

// isBusy tells whether an error is SQLite's "database is locked".
func isBusy(err error) bool {
	return strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked")
}

// Close closes the database.
func (s *Store) Close() error {
	s.ckpt.close()
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	if s.w != s.db {
		if err := s.w.Close(); err != nil {
			s.db.Close()
			return err
		}
	}
	return s.db.Close()
}

// commit commits tx and tells the checkpointer.
func (s *Store) commit(tx *sql.Tx) error {
	if err := tx.Commit(); err != nil {
		return err
	}
	s.ckpt.wrote()
	return nil
}

// prepared returns the statement q prepared on the writing connection,
// once for the store: the statements that write a whole chunk of a batch
// are long (a row of parameters per article), and parsing one cost about
// as much as running it. It is called outside a transaction (preparing
// takes the connection); the transaction runs it through
// (*sql.Tx).StmtContext.
func (s *Store) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.stmts[q]; st != nil {
		return st, nil
	}
	st, err := s.w.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[q] = st
	return st, nil
}

// migrations are applied in order; the schema version is their count. Never
// edit one that has shipped: add a new one.
var migrations = []string{
	`CREATE TABLE articles (
		seq INTEGER PRIMARY KEY,
		id TEXT NOT NULL UNIQUE,
		source TEXT NOT NULL,
		url TEXT NOT NULL DEFAULT '',
		outlet TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		author TEXT NOT NULL DEFAULT '',
		published TEXT NOT NULL DEFAULT '',
		published_clock INTEGER NOT NULL DEFAULT 0,
		language TEXT NOT NULL DEFAULT '',
		text TEXT NOT NULL,
		removed TEXT NOT NULL DEFAULT '[]',
		ingested_at TEXT NOT NULL
	);
	CREATE INDEX articles_published ON articles(published);
	CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
	CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
		INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
	END;
	CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
		INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
	END;`,
	// 2: every source that carried an article's text, the first included:
	// a copy ingested later is recorded, never dropped.
	`CREATE TABLE copies (
		seq INTEGER PRIMARY KEY,
		article_id TEXT NOT NULL REFERENCES articles(id),
		source TEXT NOT NULL,
		url TEXT NOT NULL DEFAULT '',
		outlet TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		published TEXT NOT NULL DEFAULT '',
		ingested_at TEXT NOT NULL,
		UNIQUE(article_id, source)
	);
	INSERT INTO copies (article_id, source, url, outlet, title, published, ingested_at)
		SELECT id, source, url, outlet, title, published, ingested_at FROM articles ORDER BY seq;`,
	// 3: the story clustering kept as the archive grows: where each article
	// was placed (never revised) and the clustering's state between batches.
	`CREATE TABLE assignments (
		seq INTEGER PRIMARY KEY,
		article_id TEXT NOT NULL UNIQUE REFERENCES articles(id),
		event_id TEXT NOT NULL,
		story_id TEXT NOT NULL,
		copy_of TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX assignments_story ON assignments(story_id);
	CREATE TABLE clustering (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		state BLOB NOT NULL,
		updated_at TEXT NOT NULL
	);`,
	// 4: the clustering state's version, for optimistic concurrency
	// between processes placing articles at once (a state saved before
	// is version 1).
	`ALTER TABLE clustering ADD COLUMN version INTEGER NOT NULL DEFAULT 1;`,
	// 5: the clustering state kept as parts, one row each, so that a
	// batch rewrites only the parts it changed; a whole state saved before
	// becomes the part "stream", which the stream replaces by parts when
	// it next saves.
	`CREATE TABLE clustering_parts (
		key TEXT PRIMARY KEY,
		data BLOB NOT NULL
	);
	INSERT INTO clustering_parts (key, data) SELECT 'stream', state FROM clustering WHERE id = 1 AND length(state) > 0;
	UPDATE clustering SET state = X'';`,
	// 6: articles are indexed for search by SaveArticles, one statement
	// per batch, instead of by a trigger per row: FTS5 writes its pending
	// index to disk at every statement's savepoint, so a trigger made one
	// small segment per article, and merging them cost more than the
	// inserts (see SaveArticles). Deleting still goes through the trigger.
	`DROP TRIGGER articles_ai;`,
	// 7: the search index merges its segments sixteen at a time instead
	// of four (FTS5's automerge; crisismerge is 16 already): each batch
	// SaveArticles stores writes one segment, and with four at a time
	// every article's index entries were rewritten once per level of a
	// deep tree of merges, the largest part of storing (at 30,000
	// articles in batches of 200: 9.0 s CPU with 4, 6.0 s with 16). The
	// segments' layout is all it changes: every search finds the same
	// articles, ranked and cut the same, at the same cost.
	`INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 16);`,
	// 8: the articles not placed in stories yet, kept by triggers, so that
	// finding the next batch to place reads that batch: before, the query
	// walked every placed article to skip it, a cost per batch that grew
	// with the archive (at a million articles, placing slowed to half).
	`CREATE TABLE unplaced (
		seq INTEGER PRIMARY KEY,
		article_id TEXT NOT NULL UNIQUE
	);
	INSERT INTO unplaced (seq, article_id)
		SELECT a.seq, a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM assignments s WHERE s.article_id = a.id);
	CREATE TRIGGER articles_unplaced AFTER INSERT ON articles BEGIN
		INSERT INTO unplaced (seq, article_id) VALUES (new.seq, new.id);
	END;
	CREATE TRIGGER articles_unplaced_gone AFTER DELETE ON articles BEGIN
		DELETE FROM unplaced WHERE seq = old.seq;
	END;
	CREATE TRIGGER assignments_placed AFTER INSERT ON assignments BEGIN
		DELETE FROM unplaced WHERE article_id = new.article_id;
	END;`,
	// 9: storing an article writes two indexes fewer, each an insert at
	// a random place (IDs are content hashes, publish times come in any
	// order) that dirtied a page of its own per article, a cost that grew
	// with the file: the index on published, which no query reads, is
	// dropped, and unplaced keeps only seqs (placing finds an article's
	// seq through the articles' index on id, a read).
	`DROP INDEX articles_published;
	CREATE TABLE unplaced_seqs (seq INTEGER PRIMARY KEY);
	INSERT INTO unplaced_seqs (seq) SELECT seq FROM unplaced;
	DROP TRIGGER articles_unplaced;
	DROP TRIGGER articles_unplaced_gone;
	DROP TRIGGER assignments_placed;
	DROP TABLE unplaced;
	ALTER TABLE unplaced_seqs RENAME TO unplaced;
	CREATE TRIGGER articles_unplaced AFTER INSERT ON articles BEGIN
		INSERT INTO unplaced (seq) VALUES (new.seq);
	END;
	CREATE TRIGGER articles_unplaced_gone AFTER DELETE ON articles BEGIN
		DELETE FROM unplaced WHERE seq = old.seq;
	END;
	CREATE TRIGGER assignments_placed AFTER INSERT ON assignments BEGIN
		DELETE FROM unplaced WHERE seq = (SELECT seq FROM articles WHERE id = new.article_id);
	END;`,
	// 10: an event's articles are found by the event, so that moving an
	// event split off from its story (SaveClustering's moves) reads its
	// rows, not the whole table.
	`CREATE INDEX assignments_event ON assignments(event_id);`,
	// 11: an article's first copy (its own source) is its row in
	// articles, which holds the same source, URL, outlet, title and
	// publish time: copies keeps the copies from other sources only, so
	// storing a new article writes no copy row and no entry in the
	// copies' index on article ID, an insert at a random place (IDs are
	// content hashes) that dirtied a page of its own per article.
	`DELETE FROM copies WHERE EXISTS (SELECT 1 FROM articles a WHERE a.id = copies.article_id AND a.source = copies.source);`,
	// 12: a placement is unique by the article's seq, not its ID: the
	// articles of a batch are placed in the order they were stored, so
	// the unique index grows at its end instead of taking an insert at a
	// random place (IDs are content hashes) per article, and taking the
	// placed article off the unplaced list needs no look-up of its seq.
	`CREATE TABLE placements (
		seq INTEGER PRIMARY KEY,
		article_seq INTEGER NOT NULL UNIQUE REFERENCES articles(seq),
		article_id TEXT NOT NULL,
		event_id TEXT NOT NULL,
		story_id TEXT NOT NULL,
		copy_of TEXT NOT NULL DEFAULT ''
	);
	INSERT INTO placements (seq, article_seq, article_id, event_id, story_id, copy_of)
		SELECT s.seq, a.seq, s.article_id, s.event_id, s.story_id, s.copy_of FROM assignments s JOIN articles a ON a.id = s.article_id ORDER BY s.seq;
	DROP TRIGGER assignments_placed;
	DROP TABLE assignments;
	ALTER TABLE placements RENAME TO assignments;
	CREATE INDEX assignments_story ON assignments(story_id);
	CREATE INDEX assignments_event ON assignments(event_id);
	CREATE TRIGGER assignments_placed AFTER INSERT ON assignments BEGIN
		DELETE FROM unplaced WHERE seq = new.article_seq;
	END;`,
	// 13: storing and placing keep no statement journal: a copy of every
	// page a statement changes, made first so that the statement alone
	// can be undone, which SQLite keeps for a statement of many rows that
	// could fail halfway. Their inserts could: the insert into articles
	// fired a trigger that inserted into unplaced, and a placement's key
	// to articles was checked row by row. SaveArticles now adds the
	// unplaced rows itself, in one statement, and the placements' key is
	// checked when the transaction commits (DEFERRABLE INITIALLY
	// DEFERRED), as strictly as before: a transaction that placed an
	// article not stored fails whole. (Both inserts are also INSERT OR
	// IGNORE, whose unique and NOT NULL checks skip a row, not fail.)
	`DROP TRIGGER articles_unplaced;
	CREATE TABLE placements (
		seq INTEGER PRIMARY KEY,
		article_seq INTEGER NOT NULL UNIQUE REFERENCES articles(seq) DEFERRABLE INITIALLY DEFERRED,
		article_id TEXT NOT NULL,
		event_id TEXT NOT NULL,
		story_id TEXT NOT NULL,
		copy_of TEXT NOT NULL DEFAULT ''
	);
	INSERT INTO placements (seq, article_seq, article_id, event_id, story_id, copy_of)
		SELECT seq, article_seq, article_id, event_id, story_id, copy_of FROM assignments ORDER BY seq;
	DROP TABLE assignments;
	ALTER TABLE placements RENAME TO assignments;
	CREATE INDEX assignments_story ON assignments(story_id);
	CREATE INDEX assignments_event ON assignments(event_id);
	CREATE TRIGGER assignments_placed AFTER INSERT ON assignments BEGIN
		DELETE FROM unplaced WHERE seq = new.article_seq;
	END;`,
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	// one statement, so that two processes opening a new file at once
	// do not both insert a row
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_version(version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)`); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this storyline (%d): upgrade storyline", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil) // takes the write lock (BEGIN IMMEDIATE)
		if err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		// another process opening the file at the same time (two workers)
		// may have applied it since the version was read
		var now int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&now); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if now > i {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, i+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}

// SaveArticles stores the articles in one transaction; an article whose ID
// is already stored is left as it is.
//
// The articles are inserted by one statement per articleRows of them,
// not one per article: a statement costs the driver a call, a binding
// and a reset. Rows are inserted in the batch's order, so seqs and the
// article kept of several with one ID are as they were with a statement
// each. The statement cannot fail halfway (INSERT OR IGNORE skips an ID
// stored already, and no value is NULL) and fires no trigger, so SQLite
// keeps no statement journal for it: no copy of each page it changes,
// made first so that it alone could be undone (migration 13).
func (s *Store) SaveArticles(ctx context.Context, articles []storyline.Article) ([]bool, error) {
	var full *sql.Stmt // the statement of articleRows articles
	if len(articles) >= articleRows {
		var err error
		if full, err = s.prepared(ctx, insertArticles(articleRows)); err != nil {
			return nil, fmt.Errorf("save articles: %w", err)
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("save articles: %w", err)
	}
	defer tx.Rollback()
	if full != nil {
		full = tx.StmtContext(ctx, full)
	}
	// the write lock is held from BEGIN (IMMEDIATE): the rows after this
	// seq are the ones this transaction inserts
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM articles`).Scan(&last); err != nil {
		return nil, fmt.Errorf("save articles: %w", err)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	_, err = execChunks(ctx, tx, full, len(articles), articleRows, insertArticles, func(args []any, i int) ([]any, error) {
		a := articles[i]
		removed, err := json.Marshal(nonNil(a.Removed))
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", a.ID, err)
		}
		return append(args, a.ID, a.Source, a.URL, a.Outlet, a.Title, a.Author,
			publishedKey(a), a.PublishedClock, a.Language, a.Text, string(removed), now), nil
	})
	if err != nil {
		return nil, fmt.Errorf("save articles: %w", err)
	}
	created, err := createdOf(ctx, tx, articles, last)
	if err != nil {
		return nil, err
	}
	var cp *sql.Stmt // prepared at the first copy of a stored article
	some := false
	for i, a := range articles {
		some = some || created[i]
		if created[i] {
			continue // its row in articles is its first copy
		}
		// a copy of a stored article: kept unless it is from the
		// article's own source or from one recorded already
		if cp == nil {
			if cp, err = tx.PrepareContext(ctx, `INSERT INTO copies (article_id, source, url, outlet, title, published, ingested_at)
				SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM articles WHERE id = ?1 AND source = ?2)
				ON CONFLICT(article_id, source) DO NOTHING`); err != nil {
				return nil, fmt.Errorf("save articles: %w", err)
			}
			defer cp.Close()
		}
		if _, err := cp.ExecContext(ctx, a.ID, a.Source, a.URL, a.Outlet, a.Title, publishedKey(a), now); err != nil {
			return nil, fmt.Errorf("save copy of %s (%s): %w", a.ID, a.Source, err)
		}
	}
	if some {
		// one statement for the batch: FTS5 flushes its pending index at
		// each statement's end, so this writes one segment, not one per row
		if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts(rowid, title, text) SELECT seq, title, text FROM articles WHERE seq > ?`, last); err != nil {
			return nil, fmt.Errorf("save articles: search index: %w", err)
		}
		// the new articles are unplaced; a statement of its own, not a
		// trigger of the articles' insert, which would make SQLite keep
		// a statement journal for it (migration 13)
		if _, err := tx.ExecContext(ctx, `INSERT INTO unplaced (seq) SELECT seq FROM articles WHERE seq > ?`, last); err != nil {
			return nil, fmt.Errorf("save articles: unplaced: %w", err)
		}
	}
	if err := s.commit(tx); err != nil {
		return nil, fmt.Errorf("save articles: %w", err)
	}
	return created, nil
}

// articleRows is how many articles one statement of SaveArticles inserts
// (insertCols parameters each: SQLite takes 32,766 at most).
const articleRows = 250

// insertCols is how many columns SaveArticles writes per article.
const insertCols = 12

// insertArticles is the statement that inserts n articles, in order,
// skipping those whose ID is stored already.
func insertArticles(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT OR IGNORE INTO articles (id, source, url, outlet, title, author, published, published_clock, language, text, removed, ingested_at) VALUES `)
	row := "(" + strings.Repeat("?, ", insertCols-1) + "?)"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// createdOf tells which of the articles SaveArticles inserted, from the
// IDs of the rows after seq last, in the order they were inserted: the
// batch's order, skipping an article whose ID was stored already (before
// or earlier in the batch).
func createdOf(ctx context.Context, tx *sql.Tx, articles []storyline.Article, last int64) ([]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM articles WHERE seq > ? ORDER BY seq`, last)
	if err != nil {
		return nil, fmt.Errorf("save articles: %w", err)
	}
	defer rows.Close()
	created := make([]bool, len(articles))
	i := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("save articles: %w", err)
		}
		for i < len(articles) && articles[i].ID != id {
			i++
		}
		if i == len(articles) {
			return nil, fmt.Errorf("save articles: stored article %s is not in the batch", id)
		}
		created[i] = true
		i++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("save articles: %w", err)
	}
	return created, nil
}

func nonNil(r []storyline.RemovedLine) []storyline.RemovedLine {
	if r == nil {
		return []storyline.RemovedLine{}
	}
	return r
}

// publishedKey stores the publish time as RFC 3339 in UTC, so that text
// order is time order.
func publishedKey(a storyline.Article) string {
	if a.Published.IsZero() {
		return ""
	}
	return a.Published.UTC().Format(time.RFC3339)
}

const articleCols = `id, source, url, outlet, title, author, published, published_clock, language, text, removed`

func scanArticle(sc interface{ Scan(...any) error }) (storyline.Article, error) {
	var a storyline.Article
	var published, removed string
	if err := sc.Scan(&a.ID, &a.Source, &a.URL, &a.Outlet, &a.Title, &a.Author, &published, &a.PublishedClock, &a.Language, &a.Text, &removed); err != nil {
		return a, err
	}
	if published != "" {
		t, err := time.Parse(time.RFC3339, published)
		if err != nil {
			return a, fmt.Errorf("article %s: bad published %q: %w", a.ID, published, err)
		}
		a.Published = t
	}
	if err := json.Unmarshal([]byte(removed), &a.Removed); err != nil {
		return a, fmt.Errorf("article %s: bad removed lines: %w", a.ID, err)
	}
	return a, nil
}

// Articles returns all articles in the order they were first stored.
func (s *Store) Articles(ctx context.Context) ([]storyline.Article, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleCols+` FROM articles ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	defer rows.Close()
	var out []storyline.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("list articles: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, nil
}

// Article returns one article by ID.
func (s *Store) Article(ctx context.Context, id string) (storyline.Article, error) {
	a, err := scanArticle(s.db.QueryRowContext(ctx, `SELECT `+articleCols+` FROM articles WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("article %s: %w", id, storyline.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("article %s: %w", id, err)
	}
	return a, nil
}

// Copies returns every source that carried an article's text, in the
// order they were ingested (the first is the stored article's own).
func (s *Store) Copies(ctx context.Context, id string) ([]storyline.Copy, error) {
	// the article's own row first (its first copy), then the copies from
	// other sources as they were stored (seq counts from 1)
	rows, err := s.db.QueryContext(ctx, `SELECT source, url, outlet, title, published FROM (
			SELECT 0 AS k, source, url, outlet, title, published FROM articles WHERE id = ?
			UNION ALL
			SELECT seq, source, url, outlet, title, published FROM copies WHERE article_id = ?)
		ORDER BY k`, id, id)
	if err != nil {
		return nil, fmt.Errorf("copies of %s: %w", id, err)
	}
	defer rows.Close()
	var out []storyline.Copy
	for rows.Next() {
		c := storyline.Copy{Article: id}
		if err := rows.Scan(&c.Source, &c.URL, &c.Outlet, &c.Title, &c.Published); err != nil {
			return nil, fmt.Errorf("copies of %s: %w", id, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Clustering returns the clustering state's version, its parts when the
// version is not have, and up to limit stored articles not placed yet,
// in the order they were stored, all read in one transaction (one
// snapshot).
func (s *Store) Clustering(ctx context.Context, have int64, limit int) ([]storyline.StatePart, int64, []storyline.Article, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // a deferred transaction: no write lock
	if err != nil {
		return nil, 0, nil, fmt.Errorf("clustering: %w", err)
	}
	defer tx.Rollback()
	var version int64
	err = tx.QueryRowContext(ctx, `SELECT version FROM clustering WHERE id = 1`).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil, fmt.Errorf("clustering state: %w", err)
	}
	var parts []storyline.StatePart
	if version != have {
		if parts, err = readParts(ctx, tx); err != nil {
			return nil, 0, nil, err
		}
	}
	if limit <= 0 {
		limit = -1 // no limit
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("a.", articleCols)+` FROM unplaced u
		JOIN articles a ON a.seq = u.seq ORDER BY u.seq LIMIT ?`, limit)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("unplaced articles: %w", err)
	}
	defer rows.Close()
	var out []storyline.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("unplaced articles: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, nil, fmt.Errorf("unplaced articles: %w", err)
	}
	return parts, version, out, nil
}

// ClusteringVersion returns the clustering state's version (0 when none).
func (s *Store) ClusteringVersion(ctx context.Context) (int64, error) {
	var version int64
	err := s.db.QueryRowContext(ctx, `SELECT version FROM clustering WHERE id = 1`).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("clustering version: %w", err)
	}
	return version, nil
}

// Counts returns how many articles are stored and how many are placed
// in stories, in one query.
func (s *Store) Counts(ctx context.Context) (articles, placed int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM assignments)`).Scan(&articles, &placed)
	if err != nil {
		return 0, 0, fmt.Errorf("counting articles: %w", err)
	}
	return articles, placed, nil
}

// readParts reads every part of the clustering state.
func readParts(ctx context.Context, tx *sql.Tx) ([]storyline.StatePart, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key, data FROM clustering_parts`)
	if err != nil {
		return nil, fmt.Errorf("clustering state: %w", err)
	}
	defer rows.Close()
	var parts []storyline.StatePart
	for rows.Next() {
		var p storyline.StatePart
		if err := rows.Scan(&p.Key, &p.Data); err != nil {
			return nil, fmt.Errorf("clustering state: %w", err)
		}
		if p.Data == nil {
			p.Data = []byte{}
		}
		parts = append(parts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("clustering state: %w", err)
	}
	return parts, nil
}

// prefixed qualifies each of a list of columns with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// SaveClustering records the merged stories (in order), then the moved
// events (in order), then the placed articles, and the changed parts of
// the state, in one transaction, if the saved state is still at version;
// otherwise it writes nothing and returns an error wrapping
// storyline.ErrConflict. An article already placed keeps its place.
// The transaction takes the write lock when it begins (BEGIN IMMEDIATE),
// so the version read in it cannot change before it commits.
func (s *Store) SaveClustering(ctx context.Context, version int64, changed []storyline.StatePart, placed []storyline.Assignment, merged []storyline.StoryMerge, moved []storyline.EventMove) (int64, error) {
	var full *sql.Stmt // the statement of placeRows placements
	if len(placed) >= placeRows {
		var err error
		if full, err = s.prepared(ctx, insertPlacements(placeRows)); err != nil {
			return 0, fmt.Errorf("save clustering: %w", err)
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("save clustering: %w", err)
	}
	defer tx.Rollback()
	var current int64
	err = tx.QueryRowContext(ctx, `SELECT version FROM clustering WHERE id = 1`).Scan(&current)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("save clustering: %w", err)
	}
	if current != version {
		return 0, fmt.Errorf("save clustering: read at version %d, saved since at version %d: %w", version, current, storyline.ErrConflict)
	}
	for _, m := range merged {
		if _, err := tx.ExecContext(ctx, `UPDATE assignments SET story_id = ? WHERE story_id = ?`, m.To, m.From); err != nil {
			return 0, fmt.Errorf("save clustering: merge story %s into %s: %w", m.From, m.To, err)
		}
	}
	for _, m := range moved {
		if _, err := tx.ExecContext(ctx, `UPDATE assignments SET story_id = ? WHERE event_id = ?`, m.Story, m.Event); err != nil {
			return 0, fmt.Errorf("save clustering: move event %s to story %s: %w", m.Event, m.Story, err)
		}
	}
	if full != nil {
		full = tx.StmtContext(ctx, full)
	}
	if err := place(ctx, tx, full, placed); err != nil {
		return 0, err
	}
	if err := writeParts(ctx, tx, changed); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO clustering (id, state, version, updated_at) VALUES (1, X'', ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
		version+1, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return 0, fmt.Errorf("save clustering state: %w", err)
	}
	if err := s.commit(tx); err != nil {
		return 0, fmt.Errorf("save clustering: %w", err)
	}
	return version + 1, nil
}

// placeRows is how many placements one statement of SaveClustering
// inserts (four parameters each: SQLite takes 32,766 at most).
const placeRows = 1000

// place records where the articles were placed, in order, one statement
// per placeRows of them, not one per article: a statement costs the
// driver a call, a binding and a reset. An article placed already keeps
// its place (INSERT OR IGNORE); one not stored is an error wrapping
// storyline.ErrNotFound. The statement cannot fail halfway (the key to
// articles is checked at commit, migration 13), so SQLite keeps no
// statement journal for it. full is the statement of placeRows placements
// in tx (nil when there are fewer).
func place(ctx context.Context, tx *sql.Tx, full *sql.Stmt, placed []storyline.Assignment) error {
	inserted, err := execChunks(ctx, tx, full, len(placed), placeRows, insertPlacements, func(args []any, i int) ([]any, error) {
		p := placed[i]
		return append(args, p.Article, p.Event, p.Story, p.CopyOf), nil
	})
	if err != nil {
		return fmt.Errorf("save clustering: %w", err)
	}
	if inserted == int64(len(placed)) {
		return nil
	}
	// some were placed already, or not stored: the first not stored, if any
	stored, err := tx.PrepareContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?)`)
	if err != nil {
		return fmt.Errorf("save clustering: %w", err)
	}
	defer stored.Close()
	for _, p := range placed {
		var ok bool
		if err := stored.QueryRowContext(ctx, p.Article).Scan(&ok); err != nil {
			return fmt.Errorf("save clustering: article %s: %w", p.Article, err)
		}
		if !ok {
			return fmt.Errorf("save clustering: article %s: %w", p.Article, storyline.ErrNotFound)
		}
	}
	return nil
}

// execChunks runs, in order, a statement per chunk of at most rows of n
// items: full (prepared in tx) for a whole chunk, one made by build for a
// shorter last chunk, with the parameters row appends for each item. It
// returns how many rows the statements changed.
func execChunks(ctx context.Context, tx *sql.Tx, full *sql.Stmt, n, rows int, build func(rows int) string, row func(args []any, i int) ([]any, error)) (int64, error) {
	var args []any
	var changed int64
	for start := 0; start < n; start += rows {
		end := min(start+rows, n)
		args = args[:0]
		for i := start; i < end; i++ {
			var err error
			if args, err = row(args, i); err != nil {
				return changed, err
			}
		}
		stmt := full
		if end-start < rows { // the last, or the only one
			var err error
			if stmt, err = tx.PrepareContext(ctx, build(end-start)); err != nil {
				return changed, err
			}
			defer stmt.Close()
		}
		res, err := stmt.ExecContext(ctx, args...)
		if err == nil {
			var k int64
			k, err = res.RowsAffected()
			changed += k
		}
		if err != nil {
			return changed, fmt.Errorf("items %d to %d: %w", start+1, end, err)
		}
	}
	return changed, nil
}

// insertPlacements is the statement that records n placements (article
// ID, event, story, copy of) in order, the first of an article's kept.
func insertPlacements(n int) string {
	var b strings.Builder
	// the numbered rows are read in order (CROSS JOIN: the VALUES first),
	// and ORDER BY says so
	b.WriteString(`INSERT OR IGNORE INTO assignments (article_seq, article_id, event_id, story_id, copy_of)
		SELECT a.seq, a.id, v.column3, v.column4, v.column5 FROM (VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, ?, ?, ?, ?)", i)
	}
	b.WriteString(`) v CROSS JOIN articles a ON a.id = v.column2 ORDER BY v.column1`)
	return b.String()
}

// writeParts writes the changed parts of the clustering state: nil Data
// deletes a part. A statement per part: a part is written in place by an
// upsert of one row, which needs no statement journal, where an upsert
// of many rows copies every page it changes into one first (measured:
// twice the CPU for a batch's 2,500 parts of 0.5 to 5 KiB).
func writeParts(ctx context.Context, tx *sql.Tx, changed []storyline.StatePart) error {
	if len(changed) == 0 {
		return nil
	}
	put, err := tx.PrepareContext(ctx, `INSERT INTO clustering_parts (key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data`)
	if err != nil {
		return fmt.Errorf("save clustering state: %w", err)
	}
	defer put.Close()
	del, err := tx.PrepareContext(ctx, `DELETE FROM clustering_parts WHERE key = ?`)
	if err != nil {
		return fmt.Errorf("save clustering state: %w", err)
	}
	defer del.Close()
	for _, p := range changed {
		if p.Data == nil {
			_, err = del.ExecContext(ctx, p.Key)
		} else {
			_, err = put.ExecContext(ctx, p.Key, p.Data)
		}
		if err != nil {
			return fmt.Errorf("save clustering state: part %s: %w", p.Key, err)
		}
	}
	return nil
}

// Assignments returns where every placed article went, in placement order.
func (s *Store) Assignments(ctx context.Context) ([]storyline.Assignment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT article_id, event_id, story_id, copy_of FROM assignments ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("assignments: %w", err)
	}
	defer rows.Close()
	var out []storyline.Assignment
	for rows.Next() {
		var a storyline.Assignment
		if err := rows.Scan(&a.Article, &a.Event, &a.Story, &a.CopyOf); err != nil {
			return nil, fmt.Errorf("assignments: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("assignments: %w", err)
	}
	return out, nil
}
