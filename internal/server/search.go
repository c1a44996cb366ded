package server

import (
	"context"
	"sync"

	"github.com/storyline-news/storyline"
)

// maxCachedSearches bounds the searches whose answers are kept.
const maxCachedSearches = 256

// searchCache keeps the answers of the latest searches for as long as the
// analysis they were asked with is the current one: a common word ranks
// tens of thousands of articles in the store, and people page through,
// reload and share the same searches. A newer analysis (new articles)
// empties it.
type searchCache struct {
	mu   sync.Mutex
	snap *snapshot
	hits bounded[searchKey, []storyline.SearchHit]
}

type searchKey struct {
	q     string
	limit int
}

// search runs a full-text search of the store, or gives the answer kept
// for the same search with the same analysis. The hits returned are
// shared: callers must not modify them.
func (s *Server) search(ctx context.Context, sn *snapshot, q string, limit int) ([]storyline.SearchHit, error) {
	c := &s.searches
	k := searchKey{q, limit}
	c.mu.Lock()
	if c.snap != sn {
		c.snap, c.hits = sn, newBounded[searchKey, []storyline.SearchHit](maxCachedSearches)
	}
	hits, ok := c.hits.get(k)
	c.mu.Unlock()
	if ok {
		return hits, nil
	}
	hits, err := s.store.Search(ctx, q, limit)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != sn {
		return hits, nil
	}
	c.hits.put(k, hits)
	return hits, nil
}
