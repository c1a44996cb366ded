package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/storyline-news/storyline"
)

// SearchPool is how many matches a search ranks at most: when a query
// matches more articles than this, only the SearchPool newest stored (the
// latest ingested) are ranked by relevance, and the best of those are the
// hits. A common word matches half of a large store, and ranking every
// match by bm25 costs time in proportion (85 ms for one word at 100,000
// articles); the newest matches are the cheap ones to find, as FTS5 keeps
// each word's matches in storage order, and for a news analyst the
// latest coverage of a common word is the useful part of it. A query
// matching fewer articles ranks them all, as before. The PostgreSQL store
// keeps the same rule.
const SearchPool = 2000

// Search runs a full-text query. The query is taken as words, not as FTS5
// syntax: each word must occur (in any form FTS5's tokenizer folds to the
// same token); "quoted phrases" are kept as phrases. Hits are the best
// matches by FTS5's rank (bm25) among the SearchPool newest matches.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]storyline.SearchHit, error) {
	return s.search(ctx, query, limit, SearchPool)
}

// search is Search ranking the pool newest matches.
func (s *Store) search(ctx context.Context, query string, limit, pool int) ([]storyline.SearchHit, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 20
	}
	// the pool newest matches (FTS5 reads them from the end of each
	// word's list, in storage order, and stops there), ranked there by
	// FTS5's rank (bm25, computed for those rows only); the best first,
	// ties by storage order; snippets only for those, as they cost the
	// most
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.title, a.outlet, a.published, f.rowid, f.rank
		FROM (SELECT rowid, rank FROM (SELECT rowid, rank FROM articles_fts
				WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?)
			ORDER BY rank, rowid LIMIT ?) f
		JOIN articles a ON a.seq = f.rowid ORDER BY f.rank, f.rowid`, match, pool, limit)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	var out []storyline.SearchHit
	var seqs []int64
	for rows.Next() {
		var h storyline.SearchHit
		var seq int64
		if err := rows.Scan(&h.ID, &h.Title, &h.Outlet, &h.Published, &seq, &h.Rank); err != nil {
			rows.Close()
			return nil, fmt.Errorf("search %q: %w", query, err)
		}
		if len(h.Published) >= 10 {
			h.Published = h.Published[:10]
		}
		out = append(out, h)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	// the snippets in one pass over the matches between the first and
	// the last hit in storage order, made only for the hits (+rowid: a
	// filter, not a look-up of each hit, which would set up the query
	// again for every one)
	lo, hi := seqs[0], seqs[0]
	for _, q := range seqs {
		lo, hi = min(lo, q), max(hi, q)
	}
	snips, err := s.db.QueryContext(ctx, `SELECT rowid, snippet(articles_fts, 1, '[', ']', '…', 16) FROM articles_fts
		WHERE articles_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))`,
		match, lo, hi, jsonInts(seqs))
	if err != nil {
		return nil, fmt.Errorf("search %q: snippets: %w", query, err)
	}
	defer snips.Close()
	bySeq := map[int64]string{}
	for snips.Next() {
		var seq int64
		var snip string
		if err := snips.Scan(&seq, &snip); err != nil {
			return nil, fmt.Errorf("search %q: snippets: %w", query, err)
		}
		bySeq[seq] = snip
	}
	if err := snips.Err(); err != nil {
		return nil, fmt.Errorf("search %q: snippets: %w", query, err)
	}
	for i := range out {
		out[i].Snippet = bySeq[seqs[i]]
	}
	return out, nil
}

// ftsQuery turns user words into a safe FTS5 query: every term quoted (so
// no FTS5 operator or syntax error can come from user input), all required.
func ftsQuery(q string) string {
	q = strings.ReplaceAll(q, "\x00", " ") // FTS5 reads a NUL as the end of the query
	var terms []string
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 { // inside quotes: a phrase
			if p := strings.Join(strings.Fields(part), " "); p != "" {
				terms = append(terms, `"`+p+`"`)
			}
			continue
		}
		for _, w := range strings.Fields(part) {
			w = strings.Trim(w, "*^():{}+-'")
			if w != "" {
				terms = append(terms, `"`+w+`"`)
			}
		}
	}
	return strings.Join(terms, " ")
}

// jsonInts writes numbers as a JSON array.
func jsonInts(ns []int64) string {
	b := []byte{'['}
	for i, n := range ns {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, n, 10)
	}
	return string(append(b, ']'))
}
