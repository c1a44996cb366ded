package pipeline

import (
	"context"
	"fmt"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/story"
)

// PlaceBatch is how many stored articles are placed in stories at a time
// by default: entities are resolved over each batch, and each batch's
// placements and the clustering's state are saved in one transaction.
const PlaceBatch = 2000

// PlaceStories places the stored articles that no story holds yet in
// events and stories, batch after batch, continuing the clustering the
// store saved; articles placed before keep their event, and move only
// when their story merges into an older one. It returns how
// many articles it placed. progress, when set, is called after each
// batch with the number placed so far.
func PlaceStories(ctx context.Context, store storyline.Store, batch int, progress func(placed int)) (int, error) {
	if batch <= 0 {
		batch = PlaceBatch
	}
	var s *story.Stream
	placed := 0
	for {
		if err := ctx.Err(); err != nil {
			return placed, err
		}
		state, articles, err := store.Clustering(ctx, batch)
		if err != nil {
			return placed, fmt.Errorf("stories: %w", err)
		}
		if len(articles) == 0 {
			return placed, nil
		}
		if s == nil {
			s = story.NewStream(story.Options{}, 0)
			if state != nil {
				if err := s.UnmarshalBinary(state); err != nil {
					return placed, fmt.Errorf("stories: the saved clustering cannot be read (%w); it was left as it is", err)
				}
			}
		}
		res := entity.Resolve(entity.Docs(articles))
		as := s.Add(articles, res)
		b, err := s.MarshalBinary()
		if err != nil {
			return placed, fmt.Errorf("stories: %w", err)
		}
		if err := store.SaveClustering(ctx, b, as, s.Merges()); err != nil {
			return placed, fmt.Errorf("stories: %w", err)
		}
		placed += len(as)
		if progress != nil {
			progress(placed)
		}
	}
}

// Stories returns the stories of the given stored articles as the store's
// clustering placed them, after placing the articles not placed yet.
func Stories(ctx context.Context, store storyline.Store, articles []storyline.Article) ([]story.Timeline, error) {
	if _, err := PlaceStories(ctx, store, 0, nil); err != nil {
		return nil, err
	}
	as, err := store.Assignments(ctx)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	return story.Timelines(as, articles), nil
}
