package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/storyline-news/storyline"
)

// Search runs a full-text query. The query is taken as words, not as FTS5
// syntax: each word must occur (in any form FTS5's tokenizer folds to the
// same token); "quoted phrases" are kept as phrases.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]storyline.SearchHit, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 20
	}
	// the best matches first, by FTS5's rank (bm25), ties by storage
	// order; snippets only for those, as they cost the most
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.title, a.outlet, a.published, f.rowid, f.rank
		FROM (SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank, rowid LIMIT ?) f
		JOIN articles a ON a.seq = f.rowid ORDER BY f.rank, f.rowid`, match, limit)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	var out []storyline.SearchHit
	var seqs []any
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
	snips, err := s.db.QueryContext(ctx, `SELECT rowid, snippet(articles_fts, 1, '[', ']', '…', 16) FROM articles_fts
		WHERE articles_fts MATCH ? AND rowid IN (?`+strings.Repeat(", ?", len(seqs)-1)+`)`, append([]any{match}, seqs...)...)
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
		out[i].Snippet = bySeq[seqs[i].(int64)]
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
