package server

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"reflect"
	"runtime"
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

// snapshot is the analysis of the store at one state, shared by every
// request until a newer one replaces it. It is never modified after it is
// built.
type snapshot struct {
	key       stateKey
	builtAt   time.Time
	articles  []storyline.Article
	byID      map[string]*storyline.Article
	stories   []story.Timeline // largest first, as the clustering gives them
	storyByID map[string]int   // index in stories
	storyOf   map[string]string
	// statements of every article, in article order, each article's in
	// the order quote.Find gives them.
	statements []quote.Statement
	// disagreements per story ID.
	disagreements map[string][]storyline.Disagreement

	// res holds the entities of the articles' entity resolution, in the
	// order they were found (see entity.Incremental.Current), not by
	// mentions; links the mentions of the articles, in the same order:
	// links.Of(artIdx[id]) are the linked mentions of article id. res has
	// no Mentions: links makes them when asked.
	res    entity.Result
	links  entity.Links
	artIdx map[string]int
	// entIdx maps the ID of every entity of a known kind (person,
	// organisation, place) to its index in res.Entities.
	entIdx map[string]int
	// named are the indexes of those entities in res.Entities, most
	// mentioned first; rank gives every entity's place in that order.
	named []int
	rank  []int
	// saidBy maps a speaker entity ID to the indexes of its statements;
	// inStory a story ID and inArticle an article ID to theirs.
	saidBy, inStory, inArticle map[string][]int
	// the choices of the stories page's filters, with their counts
	outletFacets, personFacets []facet
	// people maps a story ID to who its articles name, most first
	people map[string][]personRef
}

// stateKey tells whether the store changed: the version of its story
// clustering, which every placement of new articles and every merge of
// stories moves on. Articles are placed as they are ingested, so a new
// article changes the key.
type stateKey struct {
	version int64
}

// cache holds the current snapshot. When the store changes, a newer
// snapshot is built in the background while requests go on getting the
// current one (stale while revalidate); only the very first build is
// waited for. The store is looked at most once per interval.
type cache struct {
	store    storyline.Store
	interval time.Duration
	placing  *sync.Mutex // held while placing articles in stories
	log      *slog.Logger

	// articles and stories count those of the current snapshot, for the
	// metrics, which must not wait for a build.
	articles, stories atomic.Int64

	mu       sync.Mutex // guards snap, checked and updating
	snap     *snapshot
	checked  time.Time
	updating bool // a background update runs

	build sync.Mutex // held by the one update that runs at a time
	an    *analyser  // the analysis kept across snapshots; under build
	// published, when set, is called with every snapshot that becomes
	// the current one
	published func(*snapshot)
	// bg tracks the builds and the work started in the background, for
	// the server's Shutdown; nil tracks nothing
	bg *background
}

// latest returns the current snapshot, nil before the first, without
// starting an update.
func (c *cache) latest() (*snapshot, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snap, c.updating
}

// publish makes s the current snapshot.
func (c *cache) publish(s *snapshot) {
	c.mu.Lock()
	c.snap = s
	c.mu.Unlock()
	c.articles.Store(int64(len(s.articles)))
	c.stories.Store(int64(len(s.stories)))
	if c.published != nil {
		c.published(s)
	}
}

// current returns the latest snapshot. When the interval has passed since
// the store was last looked at, it starts an update in the background and
// returns the snapshot it has; only when there is none yet does it wait
// for the first build.
func (c *cache) current(ctx context.Context) (*snapshot, error) {
	c.mu.Lock()
	s := c.snap
	if s == nil {
		c.mu.Unlock()
		return c.refresh(ctx)
	}
	if !c.updating && time.Since(c.checked) >= c.interval {
		c.checked = time.Now()
		c.updating = c.bg.start(func(ctx context.Context) {
			// errors are logged by refresh; the next check tries again
			c.refresh(ctx)
			c.mu.Lock()
			c.updating = false
			c.mu.Unlock()
		})
	}
	c.mu.Unlock()
	return s, nil
}

// status tells when the current snapshot was built (zero before the
// first) and whether a newer one is being built.
func (c *cache) status() (builtAt time.Time, updating bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != nil {
		builtAt = c.snap.builtAt
	}
	return builtAt, c.updating
}

// refresh brings the snapshot up to date with the store now and returns
// it, waiting for the update (and for one that runs already).
func (c *cache) refresh(ctx context.Context) (*snapshot, error) {
	if !c.bg.enter() {
		return nil, errShutDown
	}
	defer c.bg.leave()
	// The build goes on when the client that asked goes away (the next
	// request would only have to start it again), not after Shutdown.
	ctx, release := c.bg.detach(ctx)
	defer release()
	c.build.Lock()
	defer c.build.Unlock()
	key, err := c.key(ctx)
	if err != nil {
		c.log.Error("analysis: reading the store", "err", err)
		return nil, err
	}
	c.mu.Lock()
	c.checked = time.Now()
	old := c.snap
	c.mu.Unlock()
	if old != nil && old.key == key {
		return old, nil
	}
	if c.an == nil {
		c.an = newAnalyser(c.log)
	}
	s, err := c.an.update(ctx, c.store, key, c.placing)
	if err != nil {
		c.log.Error("analysis: update failed; the previous one is still served", "err", err)
		return nil, err
	}
	c.publish(s)
	if c.an.pendingFor == s && !c.bg.start(func(context.Context) { c.finish(s) }) {
		c.an.pending, c.an.pendingFor = nil, nil // shut down: nobody is left to ask
	}
	return s, nil
}

// settle waits until no comparison left for after an update is pending.
func (c *cache) settle() {
	for {
		c.build.Lock()
		pending := c.an != nil && c.an.pendingFor != nil
		c.build.Unlock()
		if !pending {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// finish compares the large stories the update that built s left for
// after, and replaces s with a copy that has their disagreements. When a
// newer update came first, it leaves them to it (that update compared
// them or left them in turn).
func (c *cache) finish(s *snapshot) {
	c.build.Lock()
	defer c.build.Unlock()
	an := c.an
	c.mu.Lock()
	cur := c.snap
	c.mu.Unlock()
	if cur != s || an.pendingFor != s {
		return
	}
	start := time.Now()
	pend := an.pending
	an.pending, an.pendingFor = nil, nil
	found := make([][]storyline.Disagreement, len(pend))
	parallel(len(pend), func(k int) {
		found[k] = an.compare(pend[k].t, s.res.Entities, s.links)
	})
	s2 := *s
	s2.disagreements = make(map[string][]storyline.Disagreement, len(s.disagreements))
	for id, ds := range s.disagreements {
		s2.disagreements[id] = ds
	}
	for k, p := range pend {
		an.disagree[p.t.ID] = found[k]
		an.storyHash[p.t.ID] = p.hash
		delete(s2.disagreements, p.t.ID)
		if len(found[k]) > 0 {
			s2.disagreements[p.t.ID] = found[k]
		}
	}
	c.publish(&s2)
	c.log.Info("analysis: large stories compared", "stories", len(pend), "seconds", time.Since(start).Seconds())
}

func (c *cache) key(ctx context.Context) (stateKey, error) {
	v, err := c.store.ClusteringVersion(ctx)
	if err != nil {
		return stateKey{}, fmt.Errorf("reading the store: %w", err)
	}
	return stateKey{version: v}, nil
}

// analyser keeps the analysis of the articles seen so far, so that an
// update analyses only what changed: the entities of new articles are
// merged into those found before (entity.Incremental); the statements
// and claims of an article are extracted again only when it is new or an
// entity it names changed name, type or ID; statements are grouped again
// only for the speakers of those articles; and the articles of a story
// are compared again only when the story gained articles or one of its
// articles was extracted again.
type analyser struct {
	log      *slog.Logger
	ents     *entity.Incremental
	articles []storyline.Article // in the order added to ents
	index    map[string]int      // article ID → index in articles
	// per article: its statements (SameAs unset), claims and the other
	// facts the comparison reads, as last extracted
	stmts  [][]quote.Statement
	claims [][]claim.Claim
	facts  []claim.Facts
	// the entities of the last snapshot, to tell which changed
	prevEnts []storyline.Entity
	// sameAs is the grouping of the last snapshot: statement ID → the ID
	// of the first statement of its group
	sameAs map[string]*string
	// per story: the disagreements of the last comparison and a hash of
	// the articles they were compared over
	disagree  map[string][]storyline.Disagreement
	storyHash map[string]uint64
	// pending are the large stories the update that built pendingFor
	// left to compare after it (see cache.finish)
	pending    []pendingStory
	pendingFor *snapshot
	deferred   int // stories left for after, in all
}

// pendingStory is a story to compare again, with the hash of its articles.
type pendingStory struct {
	t    story.Timeline
	hash uint64
}

// bigStory is the size (articles) past which an update compares a story
// again only after its snapshot is out: new articles show at once, the
// disagreements of a story of thousands of articles follow. (A variable
// for the tests.)
var bigStory = 200

func newAnalyser(log *slog.Logger) *analyser {
	return &analyser{log: log, ents: entity.NewIncremental(), index: map[string]int{},
		sameAs: map[string]*string{}, disagree: map[string][]storyline.Disagreement{}, storyHash: map[string]uint64{}}
}

// maxPointReads is how many new articles an update reads one by one;
// with more, it reads the whole store.
const maxPointReads = 2000

// update places the articles not placed yet, reads what is new in the
// store and returns the snapshot of its state. Everything is read from
// the store before the analysis kept changes, so that an error leaves it
// as it was.
func (an *analyser) update(ctx context.Context, store storyline.Store, key stateKey, placing *sync.Mutex) (*snapshot, error) {
	start := time.Now()
	// articles stored but not placed yet are placed first (as
	// pipeline.Stories does), under the lock a POST holds
	if placing != nil {
		placing.Lock()
	}
	_, err := pipeline.PlaceStories(ctx, store, 0, nil)
	if placing != nil {
		placing.Unlock()
	}
	if err != nil {
		return nil, err
	}
	// the key read after placing, before the assignments: a placement
	// in between makes the next check update again
	if v, err := store.ClusteringVersion(ctx); err == nil {
		key = stateKey{version: v}
	}
	as, err := store.Assignments(ctx)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	var fresh []storyline.Article
	var newIDs []string
	seen := map[string]bool{}
	for _, a := range as {
		if _, ok := an.index[a.Article]; !ok && !seen[a.Article] {
			seen[a.Article] = true
			newIDs = append(newIDs, a.Article)
		}
	}
	if len(an.articles) == 0 || len(newIDs) > maxPointReads {
		all, err := store.Articles(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the store: %w", err)
		}
		for _, a := range all {
			if _, ok := an.index[a.ID]; !ok {
				fresh = append(fresh, a)
			}
		}
	} else {
		for _, id := range newIDs {
			a, err := store.Article(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("reading article %s: %w", id, err)
			}
			fresh = append(fresh, a)
		}
	}
	first := len(an.articles) == 0
	if first {
		an.log.Info("analysis: first build, the server answers when it is done (resolving entities first, the longest step)", "articles", len(fresh))
	}
	s := an.analyse(fresh, as, key, first)
	an.log.Info("analysis: up to date", "articles", len(s.articles), "new", len(fresh), "stories", len(s.stories),
		"seconds", time.Since(start).Seconds())
	return s, nil
}

// analyse adds the new articles to the analysis and builds the snapshot.
func (an *analyser) analyse(fresh []storyline.Article, as []storyline.Assignment, key stateKey, logSteps bool) *snapshot {
	step := time.Now()
	lap := func(what string) {
		level := slog.LevelDebug
		if logSteps {
			level = slog.LevelInfo
		}
		an.log.Log(context.Background(), level, "analysis: "+what, "seconds", time.Since(step).Seconds())
		step = time.Now()
	}
	base := len(an.articles)
	for i, a := range fresh {
		an.index[a.ID] = base + i
	}
	an.articles = append(an.articles, fresh...)
	an.ents.Add(entity.Docs(fresh))
	ents, order, links := an.ents.Current()
	res := entity.Result{Entities: ents}
	lap("entities resolved")

	// the articles to extract again: new ones, and those naming an
	// entity that changed how statements and claims see it
	redo := make([]bool, len(an.articles))
	for i := base; i < len(an.articles); i++ {
		redo[i] = true
	}
	// (an entity found only now is named by new articles alone: the
	// links of earlier articles never change)
	for i, e := range res.Entities[:min(len(res.Entities), len(an.prevEnts))] {
		if p := an.prevEnts[i]; p.ID == e.ID && p.Name == e.Name && p.Type == e.Type {
			continue
		}
		for _, id := range e.Articles {
			if k, ok := an.index[id]; ok {
				redo[k] = true
			}
		}
	}
	an.prevEnts = res.Entities
	for len(an.stmts) < len(an.articles) {
		an.stmts = append(an.stmts, nil)
		an.claims = append(an.claims, nil)
		an.facts = append(an.facts, claim.Facts{})
	}
	var todo []int
	for i, r := range redo {
		if r {
			todo = append(todo, i)
		}
	}
	// statements whose speakers are grouped again: those of the articles
	// extracted again, before and after
	regroup := map[string]bool{}
	for _, i := range todo {
		for _, st := range an.stmts[i] {
			if st.SpeakerEntity != nil {
				regroup[*st.SpeakerEntity] = true
			}
		}
	}
	// moved marks the articles whose claims or facts came out otherwise
	// than before: their stories are compared again
	moved := make([]bool, len(an.articles))
	var done atomic.Int64
	parallel(len(todo), func(k int) {
		if n := done.Add(1); logSteps && n%10000 == 0 {
			an.log.Info("analysis: extracting statements and claims", "done", n, "of", len(todo))
		}
		i := todo[k]
		one := []storyline.Article{an.articles[i]}
		ms := links.Of(i)
		r := entity.Result{Entities: res.Entities, Mentions: [][]entity.Linked{ms}}
		an.stmts[i] = quote.Find(one, r)
		cs, fs := claim.Find(one, r), claim.FactsOf(one[0], ms, res.Entities)
		moved[i] = i >= base || !reflect.DeepEqual(cs, an.claims[i]) || !reflect.DeepEqual(fs, an.facts[i])
		an.claims[i], an.facts[i] = cs, fs
	})
	lap(fmt.Sprintf("statements and claims of %d articles extracted", len(todo)))

	s := &snapshot{
		key:           key,
		builtAt:       time.Now(),
		articles:      an.articles[:len(an.articles):len(an.articles)],
		byID:          make(map[string]*storyline.Article, len(an.articles)),
		storyOf:       map[string]string{},
		disagreements: map[string][]storyline.Disagreement{},
		res:           res,
		links:         links,
		artIdx:        make(map[string]int, len(an.articles)),
		entIdx:        map[string]int{},
		saidBy:        map[string][]int{},
		inStory:       map[string][]int{},
		inArticle:     map[string][]int{},
		rank:          make([]int, len(res.Entities)),
	}
	for i := range s.articles {
		s.byID[s.articles[i].ID] = &s.articles[i]
		s.artIdx[s.articles[i].ID] = i
	}
	for r, i := range order {
		s.rank[i] = r
		if e := res.Entities[i]; e.Type != entity.Other {
			s.entIdx[e.ID] = i
			s.named = append(s.named, i)
		}
	}

	// statements: each article's, grouped again for the speakers that
	// changed, the grouping of the last snapshot kept for the others
	n := 0
	for _, st := range an.stmts {
		n += len(st)
	}
	s.statements = make([]quote.Statement, 0, n)
	for i, sts := range an.stmts {
		for _, st := range sts {
			if redo[i] && st.SpeakerEntity != nil {
				regroup[*st.SpeakerEntity] = true
			}
			s.statements = append(s.statements, st)
		}
	}
	if base == 0 {
		quote.Group(s.statements)
	} else {
		bySpeaker := map[string][]int{}
		for i := range s.statements {
			st := &s.statements[i]
			st.SameAs = nil
			if st.SpeakerEntity == nil {
				continue
			}
			if regroup[*st.SpeakerEntity] {
				bySpeaker[*st.SpeakerEntity] = append(bySpeaker[*st.SpeakerEntity], i)
			} else {
				st.SameAs = an.sameAs[st.ID]
			}
		}
		for _, idx := range bySpeaker {
			sub := make([]quote.Statement, len(idx))
			for k, i := range idx {
				sub[k] = s.statements[i]
			}
			quote.Group(sub)
			for k, i := range idx {
				s.statements[i].SameAs = sub[k].SameAs
			}
		}
	}
	an.sameAs = make(map[string]*string, len(s.statements)/4)
	for i, st := range s.statements {
		if st.SameAs != nil {
			an.sameAs[st.ID] = st.SameAs
		}
		s.inArticle[st.Article] = append(s.inArticle[st.Article], i)
		if st.SpeakerEntity != nil {
			s.saidBy[*st.SpeakerEntity] = append(s.saidBy[*st.SpeakerEntity], i)
		}
	}
	lap(fmt.Sprintf("statements of %d speakers grouped", len(regroup)))

	ts := story.Timelines(as, s.articles)
	s.stories = ts
	s.storyByID = make(map[string]int, len(ts))
	for i, t := range ts {
		s.storyByID[t.ID] = i
		for _, id := range t.Articles {
			s.storyOf[id] = t.ID
		}
	}
	for i, st := range s.statements {
		if sid, ok := s.storyOf[st.Article]; ok {
			s.inStory[sid] = append(s.inStory[sid], i)
		}
	}
	lap("stories laid out")

	// disagreements: the stories whose articles changed are compared
	// again, each on its own: those that gained or lost articles, hold
	// an article whose claims or facts changed, or had disagreements
	// (which may name an entity whose name changed)
	var again []int
	an.pending, an.pendingFor = nil, nil
	deferred := map[int]bool{}
	hashes := make([]uint64, len(ts))
	for k, t := range ts {
		h := fnv.New64a()
		changed := false
		for _, id := range t.Articles {
			h.Write([]byte(id))
			h.Write([]byte{0})
			if i, ok := an.index[id]; ok && moved[i] {
				changed = true
			}
		}
		for _, ev := range t.Events {
			h.Write([]byte(ev.ID))
			h.Write([]byte{1})
		}
		hashes[k] = h.Sum64()
		if old, ok := an.storyHash[t.ID]; changed || !ok || old != hashes[k] || len(an.disagree[t.ID]) > 0 {
			if base > 0 && len(t.Articles) > bigStory {
				// compared after the snapshot is out (see cache.finish)
				deferred[k] = true
				an.pending = append(an.pending, pendingStory{t: t, hash: hashes[k]})
				an.deferred++
				continue
			}
			again = append(again, k)
		}
	}
	found := make([][]storyline.Disagreement, len(again))
	parallel(len(again), func(k int) {
		found[k] = an.compare(ts[again[k]], res.Entities, links)
	})
	live := make(map[string]bool, len(ts))
	for k, t := range ts {
		live[t.ID] = true
		if !deferred[k] {
			an.storyHash[t.ID] = hashes[k]
		}
	}
	for k, i := range again {
		an.disagree[ts[i].ID] = found[k]
	}
	for id := range an.disagree {
		if !live[id] {
			delete(an.disagree, id)
			delete(an.storyHash, id)
		}
	}
	for id, ds := range an.disagree {
		if len(ds) > 0 {
			s.disagreements[id] = ds
		}
	}
	lap(fmt.Sprintf("%d stories compared, %d large ones left for after", len(again), len(an.pending)))
	if len(an.pending) > 0 {
		an.pendingFor = s
	}

	s.outletFacets, s.personFacets = s.facets()
	s.people = make(map[string][]personRef, len(ts))
	for _, t := range ts {
		s.people[t.ID] = s.namedIn(t.Articles)
	}
	lap("facets and people counted")
	return s
}

// compare finds the disagreements of one story: claim.Compare over its
// articles alone, in the order they were added, with their facts read
// before.
func (an *analyser) compare(t story.Timeline, ents []storyline.Entity, links entity.Links) []storyline.Disagreement {
	idx := make([]int, 0, len(t.Articles))
	for _, id := range t.Articles {
		if i, ok := an.index[id]; ok {
			idx = append(idx, i)
		}
	}
	if len(idx) < 2 {
		return nil
	}
	sort.Ints(idx)
	arts := make([]storyline.Article, len(idx))
	sub := entity.Result{Entities: ents, Mentions: make([][]entity.Linked, len(idx))}
	facts := make([]claim.Facts, len(idx))
	var claims []claim.Claim
	for k, i := range idx {
		arts[k] = an.articles[i]
		sub.Mentions[k] = links.Of(i)
		facts[k] = an.facts[i]
		claims = append(claims, an.claims[i]...)
	}
	return claim.CompareFacts(arts, sub, facts, claims, []storyline.Story{t.Story}).Disagreements
}

// parallel runs f(0), …, f(n-1) on every CPU.
func parallel(n int, f func(int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= n {
					return
				}
				f(k)
			}
		}()
	}
	wg.Wait()
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
