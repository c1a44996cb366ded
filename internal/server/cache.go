package server

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/claim"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/quote"
	"github.com/storyline-news/storyline/internal/story"
)

// snapshot is the analysis of the store at one state: read once, shared by
// every request until the store changes. It is never modified after it is
// built.
type snapshot struct {
	key       stateKey
	builtAt   time.Time
	articles  []storyline.Article
	byID      map[string]*storyline.Article
	stories   []story.Timeline // largest first, as the clustering gives them
	storyByID map[string]int   // index in stories
	storyOf   map[string]string
	// statements of every article, in the order quote.Find gives them.
	statements []quote.Statement
	// disagreements per story ID.
	disagreements map[string][]storyline.Disagreement

	// res is the entity resolution of articles, in the same order:
	// res.Mentions[artIdx[id]] are the linked mentions of article id.
	res    entity.Result
	artIdx map[string]int
	// entIdx maps the ID of every entity of a known kind (person,
	// organisation, place) to its index in res.Entities.
	entIdx map[string]int
	// named are the indexes of those entities in res.Entities, most
	// mentioned first.
	named []int
	// saidBy maps a speaker entity ID to the indexes of its statements;
	// inStory a story ID and inArticle an article ID to theirs.
	saidBy, inStory, inArticle map[string][]int
	// the choices of the stories page's filters, with their counts
	outletFacets, personFacets []facet
	// people maps a story ID to who its articles name, most first
	people map[string][]personRef
}

// stateKey tells whether the store changed: the number of placed articles
// and the last one placed. Articles are placed as they are ingested, and
// placements are never revised, so a new article changes the key.
type stateKey struct {
	placed int
	last   string
}

// cache holds the current snapshot and rebuilds it when the store's state
// key changes. The key is looked at most once per interval.
type cache struct {
	store    storyline.Store
	interval time.Duration
	placing  *sync.Mutex // held while placing articles in stories

	// articles and stories count those of the current snapshot, for the
	// metrics, which must not wait for a build.
	articles, stories atomic.Int64

	mu      sync.Mutex // held while checking and building
	snap    *snapshot
	checked time.Time
}

// current returns the snapshot of the store's current state, building it
// when the store changed since the last one.
func (c *cache) current(ctx context.Context) (*snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != nil && time.Since(c.checked) < c.interval {
		return c.snap, nil
	}
	// The build goes on when the client that asked goes away: the next
	// request would only have to start it again.
	ctx = context.WithoutCancel(ctx)
	key, err := c.key(ctx)
	if err != nil {
		return nil, err
	}
	c.checked = time.Now()
	if c.snap != nil && c.snap.key == key {
		return c.snap, nil
	}
	s, err := build(ctx, c.store, key, c.placing)
	if err != nil {
		return nil, err
	}
	c.snap = s
	c.articles.Store(int64(len(s.articles)))
	c.stories.Store(int64(len(s.stories)))
	c.checked = time.Now()
	return s, nil
}

func (c *cache) key(ctx context.Context) (stateKey, error) {
	as, err := c.store.Assignments(ctx)
	if err != nil {
		return stateKey{}, fmt.Errorf("reading the store: %w", err)
	}
	k := stateKey{placed: len(as)}
	if len(as) > 0 {
		k.last = as[len(as)-1].Article
	}
	return k, nil
}

// build reads the store and runs the analysis. key is read before the
// articles, so articles stored meanwhile make the next check rebuild.
func build(ctx context.Context, store storyline.Store, key stateKey, placing *sync.Mutex) (*snapshot, error) {
	articles, err := store.Articles(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the store: %w", err)
	}
	// articles stored but not placed yet are placed first (as
	// pipeline.Stories does), under the lock a POST holds
	if placing != nil {
		placing.Lock()
	}
	_, err = pipeline.PlaceStories(ctx, store, 0, nil)
	if placing != nil {
		placing.Unlock()
	}
	if err != nil {
		return nil, err
	}
	as, err := store.Assignments(ctx)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	ts := story.Timelines(as, articles)
	res := entity.Resolve(entity.Docs(articles))
	s := &snapshot{
		key:           key,
		builtAt:       time.Now(),
		articles:      articles,
		byID:          make(map[string]*storyline.Article, len(articles)),
		stories:       ts,
		storyByID:     make(map[string]int, len(ts)),
		storyOf:       map[string]string{},
		statements:    quote.Find(articles, res),
		disagreements: map[string][]storyline.Disagreement{},
		res:           res,
		artIdx:        make(map[string]int, len(articles)),
		entIdx:        map[string]int{},
		saidBy:        map[string][]int{},
		inStory:       map[string][]int{},
		inArticle:     map[string][]int{},
	}
	for i := range articles {
		s.byID[articles[i].ID] = &articles[i]
		s.artIdx[articles[i].ID] = i
	}
	for i, e := range res.Entities {
		if e.Type != entity.Other {
			s.entIdx[e.ID] = i
			s.named = append(s.named, i)
		}
	}
	for i, st := range s.statements {
		if st.SpeakerEntity != nil {
			s.saidBy[*st.SpeakerEntity] = append(s.saidBy[*st.SpeakerEntity], i)
		}
		s.inArticle[st.Article] = append(s.inArticle[st.Article], i)
	}
	stories := make([]storyline.Story, 0, len(ts))
	for i, t := range ts {
		s.storyByID[t.ID] = i
		for _, id := range t.Articles {
			s.storyOf[id] = t.ID
		}
		stories = append(stories, t.Story)
	}
	for i, st := range s.statements {
		if sid, ok := s.storyOf[st.Article]; ok {
			s.inStory[sid] = append(s.inStory[sid], i)
		}
	}
	s.outletFacets, s.personFacets = s.facets()
	s.people = make(map[string][]personRef, len(ts))
	for _, t := range ts {
		s.people[t.ID] = s.namedIn(t.Articles)
	}
	cmp := claim.Compare(articles, res, claim.Find(articles, res), stories)
	for _, d := range cmp.Disagreements {
		if d.Story != nil {
			s.disagreements[*d.Story] = append(s.disagreements[*d.Story], d)
		}
	}
	return s, nil
}

// storyArticles returns the articles of a story in publish order, undated
// last, ties in store order.
func (s *snapshot) storyArticles(t story.Timeline) []*storyline.Article {
	out := make([]*storyline.Article, 0, len(t.Articles))
	for _, id := range t.Articles {
		if a := s.byID[id]; a != nil {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, pj := out[i].Published, out[j].Published
		if pi.IsZero() != pj.IsZero() {
			return !pi.IsZero()
		}
		return pi.Before(pj)
	})
	return out
}
