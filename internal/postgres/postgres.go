// Package postgres is the Store on PostgreSQL, for more than one analyst or
// more than one machine: jackc/pgx through a connection pool, plain SQL
// schema migrations, and full-text search on a generated tsvector column.
//
// Search uses a text search configuration of its own, storyline_search:
// PostgreSQL's `simple` one (no stemming and no stop words, so every
// language is searched alike) with the unaccent dictionary before it, so
// that "cafe" finds "café" as in the SQLite store. unaccent ships with
// PostgreSQL (contrib) and is a trusted extension: the database's owner may
// create it. The database must be UTF-8.
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/storyline-news/storyline"
)

// Store is a storyline.Store on a PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
}

var _ storyline.Store = (*Store)(nil)

// IsURL tells whether a --db value names a PostgreSQL database rather
// than a SQLite file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database at a postgres:// URL and migrates its
// schema to the current version.
func Open(ctx context.Context, dbURL string) (*Store, error) {
	name := redact(dbURL)
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("open %s: bad URL", name) // the parser's error may quote the password
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	return s, nil
}

// redact hides the password of a URL for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// migrations are applied in order; the schema version is their count. Never
// edit one that has shipped: add a new one.
var migrations = []string{
	`CREATE EXTENSION IF NOT EXISTS unaccent;
	CREATE TEXT SEARCH CONFIGURATION storyline_search (COPY = pg_catalog.simple);
	ALTER TEXT SEARCH CONFIGURATION storyline_search
		ALTER MAPPING FOR word, numword, hword, numhword, hword_part, hword_numpart WITH unaccent, simple;
	CREATE TABLE articles (
		seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		id text NOT NULL UNIQUE,
		source text NOT NULL,
		url text NOT NULL DEFAULT '',
		outlet text NOT NULL DEFAULT '',
		title text NOT NULL DEFAULT '',
		author text NOT NULL DEFAULT '',
		published timestamptz,
		published_clock boolean NOT NULL DEFAULT false,
		language text NOT NULL DEFAULT '',
		text text NOT NULL,
		removed jsonb NOT NULL DEFAULT '[]',
		ingested_at timestamptz NOT NULL DEFAULT now(),
		search tsvector GENERATED ALWAYS AS (
			setweight(to_tsvector('storyline_search', title), 'A') ||
			setweight(to_tsvector('storyline_search', text), 'B')) STORED
	);
	CREATE INDEX articles_published ON articles(published);
	CREATE INDEX articles_search ON articles USING gin(search);
	CREATE TABLE copies (
		seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		article_id text NOT NULL REFERENCES articles(id),
		source text NOT NULL,
		url text NOT NULL DEFAULT '',
		outlet text NOT NULL DEFAULT '',
		title text NOT NULL DEFAULT '',
		published timestamptz,
		ingested_at timestamptz NOT NULL DEFAULT now(),
		UNIQUE(article_id, source)
	);
	CREATE TABLE assignments (
		seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		article_id text NOT NULL UNIQUE REFERENCES articles(id),
		event_id text NOT NULL,
		story_id text NOT NULL,
		copy_of text NOT NULL DEFAULT ''
	);
	CREATE INDEX assignments_story ON assignments(story_id);
	CREATE TABLE clustering (
		id integer PRIMARY KEY CHECK (id = 1),
		state bytea NOT NULL,
		updated_at timestamptz NOT NULL
	);`,
	// 2: the clustering state's version, for optimistic concurrency
	// between processes placing articles at once (a state saved before
	// is version 1).
	`ALTER TABLE clustering ADD COLUMN version bigint NOT NULL DEFAULT 1;`,
	// 3: the clustering state kept as parts, one row each, so that a
	// batch rewrites only the parts it changed; a whole state saved before
	// becomes the part "stream", which the stream replaces by parts when
	// it next saves.
	`CREATE TABLE clustering_parts (
		key text PRIMARY KEY,
		data bytea NOT NULL
	);
	INSERT INTO clustering_parts (key, data) SELECT 'stream', state FROM clustering WHERE id = 1 AND length(state) > 0;
	UPDATE clustering SET state = ''::bytea;`,
	// 4: the articles not placed in stories yet, kept by triggers, so that
	// finding the next batch to place reads that batch: before, the query
	// walked every placed article to skip it, a cost per batch that grew
	// with the archive.
	`CREATE TABLE unplaced (
		seq bigint PRIMARY KEY,
		article_id text NOT NULL UNIQUE
	);
	INSERT INTO unplaced (seq, article_id)
		SELECT a.seq, a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM assignments s WHERE s.article_id = a.id);
	CREATE FUNCTION storyline_article_unplaced() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO unplaced (seq, article_id) VALUES (NEW.seq, NEW.id);
		RETURN NULL;
	END $$;
	CREATE TRIGGER articles_unplaced AFTER INSERT ON articles FOR EACH ROW EXECUTE FUNCTION storyline_article_unplaced();
	CREATE FUNCTION storyline_article_gone() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		DELETE FROM unplaced WHERE seq = OLD.seq;
		RETURN NULL;
	END $$;
	CREATE TRIGGER articles_unplaced_gone AFTER DELETE ON articles FOR EACH ROW EXECUTE FUNCTION storyline_article_gone();
	CREATE FUNCTION storyline_article_placed() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		DELETE FROM unplaced WHERE article_id = NEW.article_id;
		RETURN NULL;
	END $$;
	CREATE TRIGGER assignments_placed AFTER INSERT ON assignments FOR EACH ROW EXECUTE FUNCTION storyline_article_placed();`,
	// 5: storing an article writes two indexes fewer, as SQLite's
	// migration 9: the index on published, which no query reads, is
	// dropped, and unplaced keeps only seqs (placing finds an article's
	// seq through the articles' index on id, a read; dropping the column
	// drops its unique index).
	`DROP INDEX articles_published;
	ALTER TABLE unplaced DROP COLUMN article_id;
	CREATE OR REPLACE FUNCTION storyline_article_unplaced() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO unplaced (seq) VALUES (NEW.seq);
		RETURN NULL;
	END $$;
	CREATE OR REPLACE FUNCTION storyline_article_placed() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		DELETE FROM unplaced WHERE seq = (SELECT seq FROM articles WHERE id = NEW.article_id);
		RETURN NULL;
	END $$;`,
	// 6: an event's articles are found by the event, as SQLite's
	// migration 10, so that moving an event split off from its story
	// (SaveClustering's moves) reads its rows, not the whole table.
	`CREATE INDEX assignments_event ON assignments(event_id);`,
	// 7: storing costs the server less CPU, what is stored and read
	// unchanged (the values, the tsvectors, so the hits, ranks and
	// snippets):
	//  - the tsvector is kept out of line uncompressed: pglz tried to
	//    compress every article's tsvector and never could (it saved less
	//    than the quarter pglz asks for);
	//  - the text and the clustering state's parts are compressed with
	//    lz4 instead of pglz where the server has it (PostgreSQL 14 and
	//    later, built with lz4): no larger, for a fraction of the CPU. A
	//    server without lz4 keeps pglz for the text and stores the parts
	//    uncompressed (most of their bytes are incompressible: pglz's
	//    attempt was wasted). Values stored before keep their
	//    compression; both read alike;
	//  - the articles and their placements are written by one statement
	//    a batch (SaveArticles, SaveClustering), so the triggers that
	//    keep the list of unplaced articles run once a statement, over
	//    its rows (transition tables), not once a row.
	`ALTER TABLE articles ALTER COLUMN search SET STORAGE EXTERNAL;
	DO $$
	BEGIN
		EXECUTE 'ALTER TABLE articles ALTER COLUMN text SET COMPRESSION lz4';
		EXECUTE 'ALTER TABLE clustering_parts ALTER COLUMN data SET COMPRESSION lz4';
	EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
		ALTER TABLE clustering_parts ALTER COLUMN data SET STORAGE EXTERNAL;
	END $$;
	DROP TRIGGER articles_unplaced ON articles;
	DROP FUNCTION storyline_article_unplaced();
	CREATE FUNCTION storyline_articles_unplaced() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO unplaced (seq) SELECT seq FROM stored;
		RETURN NULL;
	END $$;
	CREATE TRIGGER articles_unplaced AFTER INSERT ON articles REFERENCING NEW TABLE AS stored
		FOR EACH STATEMENT EXECUTE FUNCTION storyline_articles_unplaced();
	DROP TRIGGER assignments_placed ON assignments;
	DROP FUNCTION storyline_article_placed();
	CREATE FUNCTION storyline_articles_placed() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		-- each article's seq found by its ID in the index: planned as a
		-- join, it was at times a scan of every article
		DELETE FROM unplaced WHERE seq = ANY (ARRAY(SELECT (SELECT a.seq FROM articles a WHERE a.id = p.article_id) FROM placed p));
		RETURN NULL;
	END $$;
	CREATE TRIGGER assignments_placed AFTER INSERT ON assignments REFERENCING NEW TABLE AS placed
		FOR EACH STATEMENT EXECUTE FUNCTION storyline_articles_placed();`,
}

// migrateLock is the advisory lock key that keeps two processes opening a
// new database at once from migrating it twice.
const migrateLock = 0x73746f72796c6e // "storyln"

func (s *Store) migrate(ctx context.Context) error {
	var enc string
	if err := s.pool.QueryRow(ctx, `SHOW server_encoding`).Scan(&enc); err != nil {
		return err
	}
	if enc != "UTF8" {
		return fmt.Errorf("the database's encoding is %s: storyline needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')", enc)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	var v int
	err = tx.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
	} else if err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this storyline (%d): upgrade storyline", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		if _, err := tx.Exec(ctx, migrations[i]); err != nil {
			if i == 0 && strings.Contains(err.Error(), "unaccent") {
				return fmt.Errorf("migration 1: %w (the unaccent extension, in PostgreSQL's contrib, must be available and the database's owner must connect)", err)
			}
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE schema_version SET version = $1`, i+1); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	return nil
}

// lockKeys are the advisory lock keys of a batch's article IDs, sorted and
// without repeats.
func lockKeys(articles []storyline.Article) []int64 {
	keys := make([]int64, 0, len(articles))
	for _, a := range articles {
		h := fnv.New64a()
		h.Write([]byte("storyline article\x00" + a.ID))
		keys = append(keys, int64(h.Sum64()))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// SaveArticles stores the articles in one transaction; an article whose ID
// is already stored is left as it is, and the new source recorded as a
// copy of it.
//
// Saves running at once (workers) lock the IDs of their batch first, in
// one order for all (advisory locks, released at commit), so two batches
// that share articles wait for each other instead of deadlocking on the
// unique index; the articles are then inserted in the batch's order.
//
// The batch is written by two statements whatever its size (the articles,
// then their copies), each taking the batch's columns as arrays: a
// statement per article cost the server its executor start and trigger
// set-up every time. Of articles with one ID in a batch, the first is
// stored (as before, when each was a statement of its own). An article
// already stored is skipped before its row is built: ON CONFLICT alone
// would compute its tsvector, the costliest part of a row, to throw it
// away (the batch's IDs are locked, so none can be stored in between;
// ON CONFLICT stays for the articles repeated within the batch).
func (s *Store) SaveArticles(ctx context.Context, articles []storyline.Article) ([]bool, error) {
	created := make([]bool, len(articles))
	if len(articles) == 0 {
		return created, nil
	}
	n := len(articles)
	var (
		ids, sources, urls, outlets, titles = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		authors, languages, texts, removed  = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		pubs                                = make([]*time.Time, n)
		clocks                              = make([]bool, n)
	)
	for i, a := range articles {
		r, err := json.Marshal(nonNil(a.Removed))
		if err != nil {
			return nil, fmt.Errorf("save article %s: %w", a.ID, err)
		}
		ids[i], sources[i], urls[i], outlets[i], titles[i] = a.ID, a.Source, a.URL, a.Outlet, a.Title
		authors[i], languages[i], texts[i], removed[i] = a.Author, a.Language, a.Text, string(r)
		pubs[i], clocks[i] = published(a), a.PublishedClock
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("save articles: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k`, lockKeys(articles)); err != nil {
		return nil, fmt.Errorf("save articles: %w", err)
	}
	rows, err := tx.Query(ctx, `INSERT INTO articles (id, source, url, outlet, title, author, published, published_clock, language, text, removed)
		SELECT id, source, url, outlet, title, author, published, published_clock, language, text, removed::jsonb
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::boolean[], $9::text[], $10::text[], $11::text[])
			WITH ORDINALITY AS b(id, source, url, outlet, title, author, published, published_clock, language, text, removed, i)
		WHERE NOT EXISTS (SELECT 1 FROM articles x WHERE x.id = b.id)
		ORDER BY i
		ON CONFLICT (id) DO NOTHING RETURNING id`,
		ids, sources, urls, outlets, titles, authors, pubs, clocks, languages, texts, removed)
	if err != nil {
		return nil, fmt.Errorf("save articles: %w", detailed(err))
	}
	stored, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("save articles: %w", detailed(err))
	}
	isNew := make(map[string]bool, len(stored))
	for _, id := range stored {
		isNew[id] = true
	}
	for i, id := range ids {
		created[i] = isNew[id]
		isNew[id] = false // a later article of the same ID is not the one stored
	}
	if _, err := tx.Exec(ctx, `INSERT INTO copies (article_id, source, url, outlet, title, published)
		SELECT id, source, url, outlet, title, published
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) WITH ORDINALITY AS b(id, source, url, outlet, title, published, i)
		ORDER BY i
		ON CONFLICT (article_id, source) DO NOTHING`,
		ids, sources, urls, outlets, titles, pubs); err != nil {
		return nil, fmt.Errorf("save articles: copies: %w", detailed(err))
	}
	// Once every row is written, the commit is not cancelled: a commit
	// cut off by a cancelled context may have happened or not, and the
	// caller could not tell which.
	if err := tx.Commit(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("save articles: %w", err)
	}
	return created, nil
}

// detailed adds PostgreSQL's detail of an error to its message: of a
// statement that writes a whole batch, it names the row at fault (the
// key of a violated constraint, the invalid bytes).
func detailed(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Detail != "" {
		return fmt.Errorf("%w (%s)", err, pgErr.Detail)
	}
	return err
}

func nonNil(r []storyline.RemovedLine) []storyline.RemovedLine {
	if r == nil {
		return []storyline.RemovedLine{}
	}
	return r
}

// published is the publish time to store: nil when unknown, else in whole
// seconds, as the SQLite store keeps it (RFC 3339), so that both stores
// give the same reports.
func published(a storyline.Article) *time.Time {
	if a.Published.IsZero() {
		return nil
	}
	t := a.Published.UTC().Truncate(time.Second)
	return &t
}

const articleCols = `a.id, a.source, a.url, a.outlet, a.title, a.author, a.published, a.published_clock, a.language, a.text, a.removed`

func scanArticle(row pgx.Row) (storyline.Article, error) {
	var a storyline.Article
	var pub *time.Time
	var removed []byte
	if err := row.Scan(&a.ID, &a.Source, &a.URL, &a.Outlet, &a.Title, &a.Author, &pub, &a.PublishedClock, &a.Language, &a.Text, &removed); err != nil {
		return a, err
	}
	if pub != nil {
		a.Published = pub.UTC()
	}
	if err := json.Unmarshal(removed, &a.Removed); err != nil {
		return a, fmt.Errorf("article %s: bad removed lines: %w", a.ID, err)
	}
	return a, nil
}

func scanArticles(rows pgx.Rows) ([]storyline.Article, error) {
	defer rows.Close()
	var out []storyline.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Articles returns all articles in the order they were first stored.
func (s *Store) Articles(ctx context.Context) ([]storyline.Article, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols+` FROM articles a ORDER BY a.seq`)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	out, err := scanArticles(rows)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, nil
}

// Article returns one article by ID.
func (s *Store) Article(ctx context.Context, id string) (storyline.Article, error) {
	a, err := scanArticle(s.pool.QueryRow(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
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
	rows, err := s.pool.Query(ctx, `SELECT source, url, outlet, title, published FROM copies WHERE article_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("copies of %s: %w", id, err)
	}
	defer rows.Close()
	var out []storyline.Copy
	for rows.Next() {
		c := storyline.Copy{Article: id}
		var pub *time.Time
		if err := rows.Scan(&c.Source, &c.URL, &c.Outlet, &c.Title, &pub); err != nil {
			return nil, fmt.Errorf("copies of %s: %w", id, err)
		}
		if pub != nil {
			c.Published = pub.UTC().Format(time.RFC3339)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("copies of %s: %w", id, err)
	}
	return out, nil
}

// Search runs a full-text query. The query is taken as words, not as
// PostgreSQL's tsquery syntax: each word must occur (folded as the index
// folds it: lower case, without diacritics); "quoted phrases" are kept as
// phrases. The tsquery is built by plainto_tsquery and phraseto_tsquery,
// which read no operators, with the user's text passed as parameters.
//
// Rank is the negated ts_rank (title words weigh more than text words):
// lower is better, as with SQLite's bm25. As in the SQLite store, only the
// 2,000 newest stored matches are ranked when a query matches more (see
// sqlite.SearchPool): a common word then costs the ranking of 2,000
// articles, not of half the store, and both stores find the same
// articles.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]storyline.SearchHit, error) {
	const pool = 2000 // sqlite.SearchPool
	words, phrases := splitQuery(query)
	if words == "" && len(phrases) == 0 {
		return nil, nil
	}
	if limit <= 0 {
		limit = 20
	}
	args := []any{words, limit, pool}
	tsq := `plainto_tsquery('storyline_search', $1)`
	for _, p := range phrases {
		args = append(args, p)
		tsq += fmt.Sprintf(` && phraseto_tsquery('storyline_search', $%d)`, len(args))
	}
	rows, err := s.pool.Query(ctx, `WITH q AS (SELECT `+tsq+` AS q),
		newest AS (SELECT a.seq FROM articles a, q WHERE a.search @@ q.q ORDER BY a.seq DESC LIMIT $3),
		top AS (SELECT a.seq, a.id, a.title, a.outlet, a.published, a.text, ts_rank(a.search, q.q) AS rank
			FROM newest JOIN articles a USING (seq), q ORDER BY rank DESC, a.seq LIMIT $2)
		SELECT top.id, top.title, top.outlet, top.published,
			ts_headline('storyline_search', top.text, q.q, 'StartSel=[, StopSel=], MaxWords=16, MinWords=6, MaxFragments=2, FragmentDelimiter=" … "'),
			-top.rank
		FROM top, q ORDER BY top.rank DESC, top.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	defer rows.Close()
	var out []storyline.SearchHit
	for rows.Next() {
		var h storyline.SearchHit
		var pub *time.Time
		var rank float32
		if err := rows.Scan(&h.ID, &h.Title, &h.Outlet, &pub, &h.Snippet, &rank); err != nil {
			return nil, fmt.Errorf("search %q: %w", query, err)
		}
		if pub != nil {
			h.Published = pub.UTC().Format("2006-01-02")
		}
		h.Snippet = strings.Join(strings.Fields(h.Snippet), " ") // one line, as FTS5's snippet of a paragraph
		h.Rank = float64(rank)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	return out, nil
}

// splitQuery splits a user's query into its words outside quotes and its
// quoted phrases (a quote left open runs to the end). Text that PostgreSQL
// cannot take (a NUL, invalid UTF-8) becomes spaces.
func splitQuery(q string) (words string, phrases []string) {
	q = strings.ReplaceAll(strings.ToValidUTF8(q, " "), "\x00", " ")
	var ws []string
	for i, part := range strings.Split(q, `"`) {
		part = strings.Join(strings.Fields(part), " ")
		if part == "" || !strings.ContainsFunc(part, isWordRune) {
			continue
		}
		if i%2 == 1 {
			phrases = append(phrases, part)
		} else {
			ws = append(ws, part)
		}
	}
	return strings.Join(ws, " "), phrases
}

func isWordRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f
}

// Clustering returns the clustering state's version, its parts when the
// version is not have, and up to limit stored articles not placed yet,
// in the order they were stored, all read from one snapshot.
func (s *Store) Clustering(ctx context.Context, have int64, limit int) ([]storyline.StatePart, int64, []storyline.Article, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("clustering: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var version int64
	err = tx.QueryRow(ctx, `SELECT version FROM clustering WHERE id = 1`).Scan(&version)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, nil, fmt.Errorf("clustering state: %w", err)
	}
	var parts []storyline.StatePart
	if version != have {
		rows, err := tx.Query(ctx, `SELECT key, data FROM clustering_parts`)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("clustering state: %w", err)
		}
		var p storyline.StatePart
		_, err = pgx.ForEachRow(rows, []any{&p.Key, &p.Data}, func() error {
			if p.Data == nil {
				p.Data = []byte{}
			}
			parts = append(parts, p)
			p = storyline.StatePart{}
			return nil
		})
		if err != nil {
			return nil, 0, nil, fmt.Errorf("clustering state: %w", err)
		}
	}
	var lim *int // NULL: no limit
	if limit > 0 {
		lim = &limit
	}
	// the seqs first, then their articles: joined directly, the planner
	// walks the articles in order when most are unplaced, past every one
	// placed already (684 ms for 200 at 969,251 stored, 219,200 placed;
	// 2 ms this way)
	rows, err := tx.Query(ctx, `SELECT `+articleCols+` FROM (SELECT seq FROM unplaced ORDER BY seq LIMIT $1) u
		JOIN articles a ON a.seq = u.seq ORDER BY u.seq`, lim)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("unplaced articles: %w", err)
	}
	out, err := scanArticles(rows)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("unplaced articles: %w", err)
	}
	return parts, version, out, nil
}

// ClusteringVersion returns the clustering state's version (0 when none).
func (s *Store) ClusteringVersion(ctx context.Context) (int64, error) {
	var version int64
	err := s.pool.QueryRow(ctx, `SELECT version FROM clustering WHERE id = 1`).Scan(&version)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("clustering version: %w", err)
	}
	return version, nil
}

// Counts returns how many articles are stored and how many are placed
// in stories, in one query.
func (s *Store) Counts(ctx context.Context) (articles, placed int, err error) {
	err = s.pool.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM assignments)`).Scan(&articles, &placed)
	if err != nil {
		return 0, 0, fmt.Errorf("counting articles: %w", err)
	}
	return articles, placed, nil
}

// SaveClustering records the merged stories (in order), then the moved
// events (in order), then the placed articles, then the changed parts of
// the state, in one transaction, if the saved state is still at version; otherwise it writes nothing and returns an error
// wrapping storyline.ErrConflict. An article already placed keeps its
// place; an article that is not stored fails the call.
//
// The version check is the transaction's first statement and locks the
// state's row (an UPDATE … WHERE version = $v, or the first INSERT): a
// second save from the same version waits for the first to commit, then
// finds the version changed (READ COMMITTED re-reads the row it waited
// for) and fails before writing anything.
func (s *Store) SaveClustering(ctx context.Context, version int64, changed []storyline.StatePart, placed []storyline.Assignment, merged []storyline.StoryMerge, moved []storyline.EventMove) (int64, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("save clustering: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var tag pgconn.CommandTag
	if version == 0 {
		tag, err = tx.Exec(ctx, `INSERT INTO clustering (id, state, version, updated_at) VALUES (1, ''::bytea, 1, now())
			ON CONFLICT (id) DO NOTHING`)
	} else {
		tag, err = tx.Exec(ctx, `UPDATE clustering SET version = version + 1, updated_at = now()
			WHERE id = 1 AND version = $1`, version)
	}
	if err != nil {
		return 0, fmt.Errorf("save clustering state: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return 0, fmt.Errorf("save clustering: read at version %d, saved since by another: %w", version, storyline.ErrConflict)
	}
	if len(merged)+len(moved) > 0 {
		if err := sendMoves(ctx, tx, merged, moved); err != nil {
			return 0, err
		}
	}
	if len(placed) > 0 {
		if err := writePlaced(ctx, tx, placed); err != nil {
			return 0, err
		}
	}
	if err := writeParts(ctx, tx, changed); err != nil {
		return 0, err
	}
	if err := tx.Commit(context.WithoutCancel(ctx)); err != nil {
		return 0, fmt.Errorf("save clustering: %w", err)
	}
	return version + 1, nil
}

// writeParts writes the changed parts of the clustering state, two
// statements whatever their number: nil Data deletes a part, and of two
// changes of one part the later counts.
func writeParts(ctx context.Context, tx pgx.Tx, changed []storyline.StatePart) error {
	last := make(map[string]int, len(changed))
	for i, p := range changed {
		last[p.Key] = i
	}
	var delKeys, putKeys []string
	var putData [][]byte
	for i, p := range changed {
		switch {
		case last[p.Key] != i:
		case p.Data == nil:
			delKeys = append(delKeys, p.Key)
		default:
			putKeys, putData = append(putKeys, p.Key), append(putData, p.Data)
		}
	}
	if len(delKeys) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM clustering_parts WHERE key = ANY($1)`, delKeys); err != nil {
			return fmt.Errorf("save clustering state: %w", err)
		}
	}
	if len(putKeys) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO clustering_parts (key, data) SELECT * FROM unnest($1::text[], $2::bytea[])
			ON CONFLICT (key) DO UPDATE SET data = excluded.data`, putKeys, putData); err != nil {
			return fmt.Errorf("save clustering state: %w", err)
		}
	}
	return nil
}

// sendMoves runs the merges, then the moves of SaveClustering, in order:
// a statement each (their order matters: a later merge or move may undo
// part of an earlier one), sent together.
func sendMoves(ctx context.Context, tx pgx.Tx, merged []storyline.StoryMerge, moved []storyline.EventMove) error {
	b := &pgx.Batch{}
	for _, m := range merged {
		b.Queue(`UPDATE assignments SET story_id = $1 WHERE story_id = $2`, m.To, m.From)
	}
	for _, m := range moved {
		b.Queue(`UPDATE assignments SET story_id = $1 WHERE event_id = $2`, m.Story, m.Event)
	}
	br := tx.SendBatch(ctx, b)
	for _, m := range merged {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return fmt.Errorf("save clustering: merge story %s into %s: %w", m.From, m.To, err)
		}
	}
	for _, m := range moved {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return fmt.Errorf("save clustering: move event %s to story %s: %w", m.Event, m.Story, err)
		}
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("save clustering: %w", err)
	}
	return nil
}

// writePlaced records the placed articles, one statement for all, in
// their order; an article already placed keeps its place (and of two
// placements of one article in the list, the first counts).
func writePlaced(ctx context.Context, tx pgx.Tx, placed []storyline.Assignment) error {
	n := len(placed)
	articles, events, stories, copyOf := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, p := range placed {
		articles[i], events[i], stories[i], copyOf[i] = p.Article, p.Event, p.Story, p.CopyOf
	}
	if _, err := tx.Exec(ctx, `INSERT INTO assignments (article_id, event_id, story_id, copy_of)
		SELECT article_id, event_id, story_id, copy_of
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS p(article_id, event_id, story_id, copy_of, i)
		ORDER BY i
		ON CONFLICT (article_id) DO NOTHING`, articles, events, stories, copyOf); err != nil {
		return fmt.Errorf("save clustering: placing %d articles: %w", n, detailed(err))
	}
	return nil
}

// Assignments returns where every placed article went, in placement order.
func (s *Store) Assignments(ctx context.Context) ([]storyline.Assignment, error) {
	rows, err := s.pool.Query(ctx, `SELECT article_id, event_id, story_id, copy_of FROM assignments ORDER BY seq`)
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
