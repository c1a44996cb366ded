package storyline

import (
	"context"
	"errors"
)

// Store persists articles and their analysis. Implementations: internal/sqlite
// (one analyst, the default). Every write of one batch is one transaction,
// and saving an article that is already stored keeps the stored one and
// records the new source as a copy of it.
type Store interface {
	// SaveArticles stores the articles in one transaction and reports, per
	// article, whether it was new (false: an article with that ID was
	// already stored).
	SaveArticles(ctx context.Context, articles []Article) (created []bool, err error)
	// Articles returns every stored article in the order they were first stored.
	Articles(ctx context.Context) ([]Article, error)
	// Article returns one article by ID, or ErrNotFound.
	Article(ctx context.Context, id string) (Article, error)
	// Copies returns every source that carried an article's text (the same
	// normalised content), the first included, in ingestion order.
	Copies(ctx context.Context, id string) ([]Copy, error)
	// Clustering returns the version of the story clustering's saved
	// state (0 when nothing was saved yet; each save adds one) with the
	// state's parts, and up to limit stored articles it has not placed
	// yet, in the order they were stored, all read from one snapshot. The
	// parts are read only when the version is not have (the version the
	// caller holds already): when it is, parts is nil.
	Clustering(ctx context.Context, have int64, limit int) (parts []StatePart, version int64, unplaced []Article, err error)
	// ClusteringVersion returns the version of the clustering's saved
	// state (0 when nothing was saved yet) and reads nothing else.
	ClusteringVersion(ctx context.Context) (int64, error)
	// Counts returns how many articles are stored and how many of them
	// are placed in stories, without reading them.
	Counts(ctx context.Context) (articles, placed int, err error)
	// SaveClustering records, in one transaction, the stories merged
	// into others (in order: every article of From moves to To), then
	// the events moved to another story (in order, after the merges:
	// every article of Event moves to Story), then where the batch's
	// articles were placed (their stories final already), and the parts
	// of the clustering's state that changed (a part with nil Data is
	// deleted; parts not given stay as they are), provided the saved
	// state is still at version (the one Clustering returned): it
	// returns the new version (version+1). When another save came first
	// it writes nothing and returns an error wrapping ErrConflict; the
	// caller reads the state again and places its articles against it.
	SaveClustering(ctx context.Context, version int64, changed []StatePart, placed []Assignment, merged []StoryMerge, moved []EventMove) (newVersion int64, err error)
	// Assignments returns where every placed article went, in the order
	// they were placed.
	Assignments(ctx context.Context) ([]Assignment, error)
	// Search runs a full-text query over titles and texts, best matches first.
	Search(ctx context.Context, query string, limit int) ([]SearchHit, error)
	// Close releases the store.
	Close() error
}

// StatePart is one part of the story clustering's saved state, kept by
// the store as one row under its key, so that a batch rewrites only the
// parts it changed (see docs/ARCHITECTURE.md): an event, a story, a slice
// of the document frequencies. In SaveClustering, nil Data deletes it.
type StatePart struct {
	Key  string
	Data []byte
}

// Copy is one source that carried an article's text: the article itself,
// or a copy ingested from another file, feed or outlet.
type Copy struct {
	Article   string `json:"article"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Outlet    string `json:"outlet"`
	Title     string `json:"title"`
	Published string `json:"published"` // RFC 3339 in UTC, "" when unknown
}

// Assignment places an article in an event and a story, as the story
// clustering decided when the article came. Articles that come later join
// the events and stories already made; an article never changes event,
// and changes story only when its story is merged into an older one
// (see StoryMerge) or its event is split off into another story (see
// EventMove).
type Assignment struct {
	Article string `json:"article"`
	Event   string `json:"event"`
	Story   string `json:"story"`
	// CopyOf is the earlier article this one near-duplicates (a
	// syndicated or re-scraped copy), "" when it is no copy.
	CopyOf string `json:"copy_of,omitempty"`
}

// StoryMerge records that a story turned out to be part of an older one:
// the articles of From belong to To from now on.
type StoryMerge struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// EventMove records that an event placed in an earlier batch left its
// story when the story was split (two parts that would not merge): the
// articles of Event belong to Story from now on.
type EventMove struct {
	Event string `json:"event"`
	Story string `json:"story"`
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

// ErrConflict is returned by SaveClustering when the saved clustering
// state is no longer at the version the caller read: another process
// saved first, and nothing of this save was written.
var ErrConflict = errors.New("the clustering state changed since it was read")
