package storyline

import (
	"context"
	"errors"
)

// Store persists articles and their analysis. Implementations: internal/sqlite
// (one analyst, the default). Every write of one batch is one transaction,
// and saving an article that is already stored is a no-op.
type Store interface {
	// SaveArticles stores the articles in one transaction and reports, per
	// article, whether it was new (false: an article with that ID was
	// already stored).
	SaveArticles(ctx context.Context, articles []Article) (created []bool, err error)
	// Articles returns every stored article in the order they were first stored.
	Articles(ctx context.Context) ([]Article, error)
	// Article returns one article by ID, or ErrNotFound.
	Article(ctx context.Context, id string) (Article, error)
	// Search runs a full-text query over titles and texts, best matches first.
	Search(ctx context.Context, query string, limit int) ([]SearchHit, error)
	// Close releases the store.
	Close() error
}

// SearchHit is one article found by a full-text search.
type SearchHit struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Outlet    string  `json:"outlet"`
	Published string  `json:"published"`
	Snippet   string  `json:"snippet"`
	Rank      float64 `json:"rank"`
}

// ErrNotFound is returned when a requested item is not stored.
var ErrNotFound = errors.New("not found")
