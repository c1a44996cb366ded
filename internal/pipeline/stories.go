package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/story"
)

// PlaceBatch is how many stored articles are placed in stories at a time
// by default: entities are resolved over each batch, and each batch's
// placements and the clustering's state are saved in one transaction.
const PlaceBatch = 2000

// storyOptions are the options a Placer clusters with (StoryOptions).
var storyOptions = story.Options{SplitStories: true}

// StoryOptions returns the options stored articles are placed in stories
// with. Stories are split at the end of a batch when their events fall
// in two parts that would not merge (story.Options.SplitStories): a
// young story that an event of another kind joined by the names they
// share lets go of that kind's events once it has grown, events of
// earlier batches included, whose articles the store moves
// (storyline.EventMove). Measured on BSNLP ingested in batches in random
// orders, it keeps two topics from ending in one story (docs/EVALUATION.md).
func StoryOptions() story.Options { return storyOptions }

// PlaceConflicts is how many times in a row PlaceStories finds that
// another process saved the clustering first (storyline.ErrConflict)
// before it gives up on a batch.
const PlaceConflicts = 8

// PlaceStories places the stored articles that no story holds yet in
// events and stories, batch after batch, continuing the clustering the
// store saved; articles placed before keep their event, and move only
// when their story merges into an older one or their event is split off
// into a story of its own (StoryOptions). It returns how
// many articles it placed. progress, when set, is called after each
// batch with the number placed so far.
//
// Several processes may place at once (workers): each save is made only
// if the clustering state is still the version the batch was placed
// against. When another process saved first, the batch is thrown away,
// the state and the unplaced articles are read again (the other process
// may have placed some or all of them) and the batch is placed again,
// after a short random pause; after PlaceConflicts conflicts in a row it
// returns an error wrapping storyline.ErrConflict. Nothing is lost then:
// the articles stay unplaced for the next call.
func PlaceStories(ctx context.Context, store storyline.Store, batch int, progress func(placed int)) (int, error) {
	return (&Placer{Batch: batch}).Place(ctx, store, progress)
}

// Placer places stored articles in stories as PlaceStories does, and keeps
// the clustering in memory from one call to the next: a process that
// places again and again (a worker, after each batch it stores) reads the
// saved state again only when another process saved since. While it
// places a batch, it resolves the entities of the next (the unplaced
// articles after it, when a whole batch of them waits, or the last ones
// when it places everything) on another goroutine; it uses them only if
// that batch is the one it places next, article for article, so the
// stories are those of batches resolved one at a time. Its zero value is
// ready to use; a Placer is for one store, used by one goroutine at a
// time.
type Placer struct {
	// Batch is how many articles are placed at a time (PlaceBatch when 0).
	Batch int
	// Yield makes Place leave the placing to another process that is
	// placing already, instead of competing with it. A process placing
	// reads the unplaced articles again after each save, so a save seen
	// after some articles were stored places them: when another process
	// saved since this Placer last placed, Place notes the version and
	// returns without placing; a later call (or one with nothing new,
	// which a worker makes when its queue is idle) that sees the version
	// moved on since does the same, and one that sees it unchanged for
	// YieldWait (longer after slow saves: see yieldTurn) places. A save
	// refused as a conflict returns at once, for the same reason. Workers
	// set it: one places while the others store.
	Yield bool
	// YieldWait is how long at least a yielding Placer waits for another
	// process's save before it places itself (DefaultYieldWait when 0).
	YieldWait time.Duration

	s    *story.Stream
	have int64 // the version s holds
	// ahead: the entities of the batch expected next, resolved on a
	// goroutine while the current one is placed
	ahead *resolving
	// waiting: a yielding Placer returned without placing, and waits for
	// a save after waitSince (the version then: waitVersion)
	waiting     bool
	waitVersion int64
	waitSince   time.Time
	// slowest: the longest wait for another process's save seen, decayed
	// (yieldTurn)
	slowest time.Duration
	// loads counts the reads of the whole saved state (Loads)
	loads int
}

// Loads returns how many times the Placer read the whole saved clustering:
// once at its first placement, and again each time another process saved
// since it last placed. With several workers, each read is a handover of
// the placing from one worker to another, whose cost grows with the archive.
func (p *Placer) Loads() int { return p.loads }

// DefaultYieldWait is how long at least a yielding Placer waits for
// another process's save: longer than one batch of placing takes, also
// one whose save rewrites the state's large parts at a million articles
// (2 s was not: see yieldTurn).
const DefaultYieldWait = 10 * time.Second

// Place places the stored articles no story holds yet (see PlaceStories)
// and returns how many it placed.
func (p *Placer) Place(ctx context.Context, store storyline.Store, progress func(placed int)) (int, error) {
	return p.place(ctx, store, progress, 0, nil)
}

// place is Place; with batches > 0, it places at most that many batches,
// and only whole ones: fewer unplaced articles than a batch are left for
// a later call, as Run does while more are being stored. storedAll, when
// set, tells whether the caller stored its last articles (Run finished
// storing): then fewer than a batch left unplaced are the last batch,
// whose entities are worth resolving ahead.
func (p *Placer) place(ctx context.Context, store storyline.Store, progress func(placed int), batches int, storedAll func() bool) (int, error) {
	batch := p.Batch
	if batch <= 0 {
		batch = PlaceBatch
	}
	placed, conflicts := 0, 0
	first := true
	for {
		if err := ctx.Err(); err != nil {
			return placed, err
		}
		have := int64(-1) // the version p.s holds; -1: none
		if p.s != nil {
			have = p.have
		}
		check := have < 0
		if first && p.Yield {
			place, leading, err := p.yieldTurn(ctx, store)
			if !place || err != nil {
				return placed, err
			}
			// taking the placing over: the state held, if any, is stale
			check = check || !leading
		}
		first = false
		if check {
			// nothing to place: do not read the whole state to find out
			v, err := store.ClusteringVersion(ctx)
			if err != nil {
				return placed, fmt.Errorf("stories: %w", err)
			}
			_, _, some, err := store.Clustering(ctx, v, 1)
			if err != nil {
				return placed, fmt.Errorf("stories: %w", err)
			}
			if len(some) == 0 {
				if v != have {
					p.s = nil // stale: not held as if this Placer were placing
				}
				return placed, nil
			}
		}
		// two batches: this one, and the next, whose entities are
		// resolved while this one is placed
		parts, version, articles, err := store.Clustering(ctx, have, 2*batch)
		if err != nil {
			return placed, fmt.Errorf("stories: %w", err)
		}
		if len(articles) == 0 {
			return placed, nil
		}
		articles, following := articles[:min(batch, len(articles))], articles[min(batch, len(articles)):]
		if version != have {
			p.s = nil
			s := story.NewStream(storyOptions, 0)
			if len(parts) > 0 {
				if err := s.Load(parts); err != nil {
					return placed, fmt.Errorf("stories: the saved clustering cannot be read (%w); it was left as it is", err)
				}
			}
			p.s, p.have = s, version
			p.loads++
		}
		if batches > 0 && len(articles) < batch {
			return placed, nil
		}
		res := p.resolved(articles)
		if batches > 0 && len(following) < batch {
			// more may have been stored while this batch's entities were
			// resolved (Run places as soon as a batch waits)
			if _, v, more, err := store.Clustering(ctx, version, 2*batch); err == nil && v == version && len(more) > len(articles) {
				following = more[len(articles):]
			}
		}
		if len(following) == batch || (len(following) > 0 && (batches == 0 || storedAll != nil && storedAll())) {
			// the next batch, if nothing changes meanwhile: a whole one, or
			// the last (a later call that places other articles throws
			// it away)
			p.ahead = resolveAhead(following)
		}
		as := p.s.Add(articles, res)
		merged, moved := p.s.Merges(), movesOf(p.s)
		changed, err := p.s.Changes()
		if err != nil {
			p.s = nil
			return placed, fmt.Errorf("stories: %w", err)
		}
		next, err := store.SaveClustering(ctx, version, changed, as, merged, moved)
		if err != nil {
			p.s = nil // placed against a state that is not the store's
		}
		if errors.Is(err, storyline.ErrConflict) {
			if p.Yield {
				p.waiting = false
				return placed, nil // the process that saved first goes on placing
			}
			conflicts++
			if conflicts >= PlaceConflicts {
				return placed, fmt.Errorf("stories: another process saved the clustering first %d times in a row; %d articles are left unplaced for the next run: %w", conflicts, len(articles), err)
			}
			if err := pause(ctx, conflicts); err != nil {
				return placed, err
			}
			continue
		}
		if err != nil {
			return placed, fmt.Errorf("stories: %w", err)
		}
		conflicts = 0
		p.have = next
		placed += len(as)
		if progress != nil {
			progress(placed)
		}
		if batches--; batches == 0 {
			return placed, nil
		}
	}
}

// movesOf returns the events of earlier batches a stream's last batch
// moved to another story (a story split), for the store to move their
// articles after the merges.
func movesOf(s *story.Stream) []storyline.EventMove {
	ms := s.Moves()
	if len(ms) == 0 {
		return nil
	}
	out := make([]storyline.EventMove, len(ms))
	for i, m := range ms {
		out[i] = storyline.EventMove{Event: m.Event, Story: m.Story}
	}
	return out
}

// resolve is entity.Resolve (tests count the calls).
var resolve = entity.Resolve

// resolving is the entity resolution of a batch of articles running on
// a goroutine of its own.
type resolving struct {
	articles []storyline.Article
	done     chan struct{}
	res      entity.Result
}

// resolveAhead starts resolving the entities of articles.
func resolveAhead(articles []storyline.Article) *resolving {
	r := &resolving{articles: articles, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.res = resolve(entity.Docs(articles))
	}()
	return r
}

// resolved returns the entities of the batch articles: those resolved
// ahead when the batch is the one expected (the same articles, as
// resolution sees them), or else resolved now.
func (p *Placer) resolved(articles []storyline.Article) entity.Result {
	r := p.ahead
	p.ahead = nil
	if r != nil && sameDocs(r.articles, articles) {
		<-r.done
		return r.res
	}
	return resolve(entity.Docs(articles))
}

// sameDocs tells whether entity resolution sees a and b as the same
// articles: the same IDs, publish dates and texts, in the same order.
func sameDocs(a, b []storyline.Article) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Text != b[i].Text || a[i].PublishedString() != b[i].PublishedString() {
			return false
		}
	}
	return true
}

// Waiting tells whether a yielding Placer returned without placing and
// has not seen the save that places what was stored before: a worker
// calls Place again when idle until it has.
func (p *Placer) Waiting() bool { return p.waiting }

// Leading tells whether a yielding Placer placed last, as far as it
// knows: it holds the state it saved and has not seen another process's
// save since. A worker lets it place when idle too, so that articles
// other workers stored are placed by the process that holds the state,
// not by one that must read it all first.
func (p *Placer) Leading() bool { return p.s != nil && !p.waiting }

// MaxYieldWait bounds how long a yielding Placer waits for another
// process's save, however slow the saves it saw (see yieldTurn).
const MaxYieldWait = time.Minute

// yieldTurn tells whether a yielding Placer places now, and whether it
// is the one that placed last (leading: the state it holds is the one
// saved). It places when it placed last, and when nobody saved for the
// wait since articles it must see placed were stored; otherwise another
// process is placing, which reads the unplaced articles again after each
// save: a save seen after this call's articles were stored places them,
// so the call only notes the version and returns.
//
// The wait is YieldWait, or three times the longest time this Placer
// waited between two saves of the process placing, if longer (up to
// MaxYieldWait; the longest time seen decays by a sixty-fourth at each
// save, so a slow save is forgotten after a few hundred quick ones, not
// before the next slow one: a save that rewrites the state's large parts
// comes back every few dozen batches). Taking the placing over means
// reading the whole saved state, which grows with the archive, and the
// process that was placing has to read it again when it takes it back:
// with a fixed wait, a process slowed down (by load, or by saves that
// grow with the archive) past the wait would hand the placing over, and
// back, again and again, each time at that cost.
func (p *Placer) yieldTurn(ctx context.Context, store storyline.Store) (place, leading bool, err error) {
	wait := p.turnWait()
	v, err := store.ClusteringVersion(ctx)
	if err != nil {
		return false, false, fmt.Errorf("stories: %w", err)
	}
	if p.s != nil && v == p.have {
		p.waiting = false // it placed last: it goes on
		return true, true, nil
	}
	now := time.Now()
	if !p.waiting || v != p.waitVersion {
		if p.waiting {
			p.sawSave(now.Sub(p.waitSince))
		}
		// a save since the articles stored before the last call: they
		// are placed; this call's wait for the next save
		p.waiting, p.waitVersion, p.waitSince = true, v, now
		return false, false, nil
	}
	// nobody saved since: wait for a save up to wait after the last call
	for time.Since(p.waitSince) < wait {
		t := time.NewTimer(min(wait/20+time.Millisecond, wait-time.Since(p.waitSince)))
		select {
		case <-ctx.Done():
			t.Stop()
			return false, false, ctx.Err()
		case <-t.C:
		}
		if v, err = store.ClusteringVersion(ctx); err != nil {
			return false, false, fmt.Errorf("stories: %w", err)
		}
		if v != p.waitVersion {
			p.sawSave(time.Since(p.waitSince))
			p.waitVersion, p.waitSince = v, time.Now()
			return false, false, nil
		}
	}
	p.waiting = false // nobody is placing: this one does
	return true, false, nil
}

// turnWait is how long a yielding Placer waits for another process's
// save before it places itself (see yieldTurn).
func (p *Placer) turnWait() time.Duration {
	wait := p.YieldWait
	if wait <= 0 {
		wait = DefaultYieldWait
	}
	return min(max(wait, 3*p.slowest), max(wait, MaxYieldWait))
}

// sawSave notes the time a yielding Placer waited for another process's
// save (see yieldTurn).
func (p *Placer) sawSave(waited time.Duration) {
	p.slowest = max(waited, p.slowest-p.slowest/64)
}

// conflictPause is the unit of the pause after a conflict (tests set 0).
var conflictPause = 10 * time.Millisecond

// pause waits a random time that grows with the number of conflicts in a
// row (up to about a second), so that processes that collided do not
// collide again at once.
func pause(ctx context.Context, conflicts int) error {
	if conflictPause <= 0 {
		return ctx.Err()
	}
	d := time.Duration(rand.Int64N(int64(conflictPause) << min(conflicts, 7)))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
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
