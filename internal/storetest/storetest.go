// Package storetest is the contract every storyline.Store implementation
// passes: the behaviour store.go documents, checked the same way on SQLite
// and PostgreSQL. An implementation's tests call Run with a function that
// opens a fresh, empty store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
)

// Run runs the contract suite. open must return a new, empty store for
// each call; Run closes it at the end of the subtest.
func Run(t *testing.T, open func(t *testing.T) storyline.Store) {
	tests := []struct {
		name string
		f    func(t *testing.T, s storyline.Store)
	}{
		{"SaveIsIdempotentAndKeepsOrder", testSaveIdempotentOrder},
		{"RoundTrip", testRoundTrip},
		{"ArticleNotFound", testNotFound},
		{"Copies", testCopies},
		{"FailedSaveStoresNothing", testFailedSave},
		{"ConcurrentSaves", testConcurrentSaves},
		{"Search", testSearch},
		{"SearchSyntaxIsWords", testSearchSyntax},
		{"SearchRankAndLimit", testSearchRankLimit},
		{"SearchRanksTheNewestPool", testSearchPool},
		{"Clustering", testClustering},
		{"ClusteringParts", testClusteringParts},
		{"ClusteringConflict", testClusteringConflict},
		{"ConcurrentClusteringSaves", testConcurrentClusteringSaves},
		{"ClusteringKeepsFirstPlace", testFirstPlace},
		{"ClusteringChainedMerges", testChainedMerges},
		{"ClusteringMoves", testMoves},
		{"ClusteringMoveThenMerge", testMoveThenMerge},
		{"ClusteringMovesRetried", testMovesRetried},
		{"FailedClusteringSavesNothing", testFailedClustering},
		{"EmptyStore", testEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.f(t, s)
		})
	}
}

var day = time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)

// Art is an article with every field set, for tests.
func Art(id, title, text string) storyline.Article {
	return storyline.Article{ID: id, Source: id + ".txt", URL: "https://coast.example/" + id, Title: title,
		Outlet: "Coast Times", Author: "Ann Reed", Text: text, Published: day, PublishedClock: true, Language: "en",
		Removed: []storyline.RemovedLine{{Line: "Subscribe now", Reason: "promotion"}}}
}

func save(t *testing.T, s storyline.Store, arts ...storyline.Article) []bool {
	t.Helper()
	created, err := s.SaveArticles(context.Background(), arts)
	if err != nil {
		t.Fatalf("SaveArticles: %v", err)
	}
	if len(created) != len(arts) {
		t.Fatalf("SaveArticles: %d flags for %d articles", len(created), len(arts))
	}
	return created
}

func ids(arts []storyline.Article) []string {
	out := []string{}
	for _, a := range arts {
		out = append(out, a.ID)
	}
	return out
}

func hitIDs(hits []storyline.SearchHit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func articles(t *testing.T, s storyline.Store) []string {
	t.Helper()
	all, err := s.Articles(context.Background())
	if err != nil {
		t.Fatalf("Articles: %v", err)
	}
	return ids(all)
}

func testSaveIdempotentOrder(t *testing.T, s storyline.Store) {
	a := Art("b1", "Harbour bridge reopens", "The harbour bridge reopened on Tuesday.\n\nEngineers replaced forty cables.")
	c := Art("a2", "Ferry strike ends", "The ferry strike ended after talks.")
	if got := save(t, s, a, c); !slices.Equal(got, []bool{true, true}) {
		t.Errorf("first save: created %v, want [true true]", got)
	}
	// c again (another source: a copy), then a new one, then the new one again in the same batch
	c2 := c
	c2.Source, c2.Title = "wire/a2.txt", "Ferry strike over"
	if got := save(t, s, c2, Art("c3", "Third", "A third story about the port."), Art("c3", "Third", "A third story about the port.")); !slices.Equal(got, []bool{false, true, false}) {
		t.Errorf("second save: created %v, want [false true false]", got)
	}
	if got := articles(t, s); !slices.Equal(got, []string{"b1", "a2", "c3"}) {
		t.Errorf("Articles order = %v, want first stored first: [b1 a2 c3]", got)
	}
	got, err := s.Article(context.Background(), "a2")
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "a2.txt" || got.Title != "Ferry strike ends" {
		t.Errorf("a copy replaced the stored article: source %q, title %q", got.Source, got.Title)
	}
	if got := save(t, s); len(got) != 0 {
		t.Errorf("empty batch: %v", got)
	}
}

func testRoundTrip(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	plus2 := time.FixedZone("", 2*3600)
	full := Art("full", "Harbour bridge reopens", "Café owners cheered — «enfin», said Zoë Kowalska.\n\nŁódź, 東京, and \"quotes\"; 'single' \\ back\\slash % _ [brackets].")
	full.Published = time.Date(2025, 3, 4, 11, 30, 0, 0, plus2) // kept as the instant, read back in UTC
	full.Removed = append(full.Removed, storyline.RemovedLine{Line: "Share: «Facebook» 'X'", Reason: "share buttons"})
	dateOnly := Art("date", "Date only", "Only the day is known.")
	dateOnly.Published = time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)
	dateOnly.PublishedClock = false
	bare := storyline.Article{ID: "bare", Source: "-", Text: "Nothing but text: no title, outlet, author, date or language."}
	save(t, s, full, dateOnly, bare)

	for _, want := range []storyline.Article{full, dateOnly, bare} {
		got, err := s.Article(ctx, want.ID)
		if err != nil {
			t.Fatalf("Article(%s): %v", want.ID, err)
		}
		checkSame(t, got, want)
	}
	all, err := s.Articles(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("Articles: %d, %v", len(all), err)
	}
	checkSame(t, all[0], full)
	if got := all[0].PublishedString(); got != "2025-03-04T09:30:00Z" {
		t.Errorf("published read back as %q, want it in UTC: 2025-03-04T09:30:00Z", got)
	}
	if got := all[1].PublishedString(); got != "2025-03-05" {
		t.Errorf("date-only published read back as %q, want 2025-03-05", got)
	}
	if !all[2].Published.IsZero() || all[2].PublishedString() != "" {
		t.Errorf("unknown published read back as %v", all[2].Published)
	}
}

func checkSame(t *testing.T, got, want storyline.Article) {
	t.Helper()
	if got.ID != want.ID || got.Source != want.Source || got.URL != want.URL || got.Outlet != want.Outlet ||
		got.Title != want.Title || got.Author != want.Author || got.Language != want.Language || got.Text != want.Text ||
		!got.Published.Equal(want.Published) || got.PublishedClock != want.PublishedClock ||
		(!got.Published.IsZero() && got.Published.Location() != time.UTC) {
		t.Errorf("round trip lost data:\n got %+v\nwant %+v", got, want)
	}
	if len(got.Removed) != len(want.Removed) {
		t.Errorf("%s: %d removed lines, want %d", want.ID, len(got.Removed), len(want.Removed))
		return
	}
	for i := range want.Removed {
		if got.Removed[i] != want.Removed[i] {
			t.Errorf("%s: removed line %d = %+v, want %+v", want.ID, i, got.Removed[i], want.Removed[i])
		}
	}
}

func testNotFound(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	if _, err := s.Article(ctx, "nope"); !errors.Is(err, storyline.ErrNotFound) {
		t.Errorf("missing article in an empty store: err = %v, want ErrNotFound", err)
	}
	save(t, s, Art("x", "T", "Some text."))
	if _, err := s.Article(ctx, "nope"); !errors.Is(err, storyline.ErrNotFound) {
		t.Errorf("missing article: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Article(ctx, "X"); !errors.Is(err, storyline.ErrNotFound) {
		t.Errorf("IDs are case-sensitive: Article(X) err = %v, want ErrNotFound", err)
	}
}

func testCopies(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	a := Art("x", "Bridge", "The bridge reopened on Tuesday after repairs.")
	b := a
	b.Source, b.URL, b.Outlet, b.Title = "wire/copy.txt", "https://wire.example/1", "Harbour Wire", "Bridge open"
	b.Published = time.Time{}
	c := a
	c.Source, c.Outlet = "third.txt", "Third Outlet"
	c.Published = time.Date(2025, 3, 6, 8, 0, 0, 0, time.FixedZone("", -5*3600))
	save(t, s, a, b)
	save(t, s, b) // the same source again: nothing new
	save(t, s, Art("y", "Other", "Another text."), c, a)
	cs, err := s.Copies(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	want := []storyline.Copy{
		{Article: "x", Source: "x.txt", URL: a.URL, Outlet: "Coast Times", Title: "Bridge", Published: "2025-03-04T09:30:00Z"},
		{Article: "x", Source: "wire/copy.txt", URL: b.URL, Outlet: "Harbour Wire", Title: "Bridge open", Published: ""},
		{Article: "x", Source: "third.txt", URL: a.URL, Outlet: "Third Outlet", Title: "Bridge", Published: "2025-03-06T13:00:00Z"},
	}
	if !slices.Equal(cs, want) {
		t.Errorf("copies =\n%+v\nwant (in ingestion order, each source once)\n%+v", cs, want)
	}
	if got := articles(t, s); !slices.Equal(got, []string{"x", "y"}) {
		t.Errorf("articles = %v, want [x y]", got)
	}
	if cs, err := s.Copies(ctx, "y"); err != nil || len(cs) != 1 || cs[0].Source != "y.txt" {
		t.Errorf("copies of an article never copied = %+v, %v; want itself", cs, err)
	}
	if cs, err := s.Copies(ctx, "nope"); err != nil || len(cs) != 0 {
		t.Errorf("copies of a missing article: %v %v; want none, no error", cs, err)
	}
}

// tripCtx is a context that cancels itself the n-th time anyone asks for
// its Done channel: it fails a call at whatever point the implementation
// looks at the context n times, before, during or after the writes.
type tripCtx struct {
	context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	n      int
}

func (c *tripCtx) Done() <-chan struct{} {
	c.mu.Lock()
	c.n--
	if c.n == 0 {
		c.cancel()
	}
	c.mu.Unlock()
	return c.Context.Done()
}

// testFailedSave fails one batch at every point the implementation looks
// at its context: the batch is then stored whole or not at all.
func testFailedSave(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("old", "Old", "An article stored before."))
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.SaveArticles(cctx, []storyline.Article{Art("x", "T", "text one"), Art("y", "U", "text two")}); err == nil {
		t.Fatal("a save with a cancelled context succeeded")
	}
	if got := articles(t, s); !slices.Equal(got, []string{"old"}) {
		t.Fatalf("a failed batch stored articles: %v", got)
	}
	failed := 0
	for n := 1; n <= 500; n++ {
		inner, cancel := context.WithCancel(ctx)
		tc := &tripCtx{Context: inner, cancel: cancel, n: n}
		old := Art("old", "Old", "An article stored before.")
		old.Source = fmt.Sprintf("copy-%d.txt", n)
		batch := []storyline.Article{
			Art(fmt.Sprintf("n%d-a", n), "A", "First of the batch."), old,
			Art(fmt.Sprintf("n%d-b", n), "B", "Second of the batch."), Art(fmt.Sprintf("n%d-c", n), "C", "Third of the batch."),
		}
		_, err := s.SaveArticles(tc, batch)
		cancel()
		all := articles(t, s)
		cs, cerr := s.Copies(ctx, "old")
		if cerr != nil {
			t.Fatal(cerr)
		}
		copied := slices.ContainsFunc(cs, func(c storyline.Copy) bool { return c.Source == old.Source })
		stored := 0
		for _, a := range batch {
			if a.ID != "old" && slices.Contains(all, a.ID) {
				stored++
			}
		}
		if err != nil {
			failed++
			if stored != 0 || copied {
				t.Fatalf("context cancelled at look %d: SaveArticles failed (%v) but stored %d of 3 articles (copy recorded: %v)", n, err, stored, copied)
			}
			continue
		}
		if stored != 3 || !copied {
			t.Fatalf("context cancelled at look %d: SaveArticles succeeded but stored %d of 3 articles (copy recorded: %v)", n, stored, copied)
		}
		t.Logf("the call succeeded with its context cancelled at look %d", n)
		break // the call no longer looks at its context n times
	}
	if failed == 0 {
		t.Error("no save failed with a context cancelled during the call")
	}
}

// testConcurrentSaves saves overlapping batches, in opposite orders, from
// several goroutines at once (several workers on one store): all succeed,
// and each article is created exactly once.
func testConcurrentSaves(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	var batch []storyline.Article
	for i := range 40 {
		batch = append(batch, Art(fmt.Sprintf("c%02d", i), "T", fmt.Sprintf("Text number %d.", i)))
	}
	const workers = 4
	created := make([][]bool, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		b := slices.Clone(batch)
		if w%2 == 1 {
			slices.Reverse(b)
		}
		for i := range b {
			b[i].Source = fmt.Sprintf("w%d/%s", w, b[i].ID)
		}
		wg.Go(func() {
			for round := 0; round < 5 && errs[w] == nil; round++ {
				var c []bool
				c, errs[w] = s.SaveArticles(ctx, b)
				if w%2 == 1 {
					slices.Reverse(c)
				}
				if round == 0 {
					created[w] = c
				}
			}
		})
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Fatalf("worker %d: %v", w, err)
		}
	}
	for i, a := range batch {
		n := 0
		for w := range workers {
			if created[w][i] {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s created %d times, want once", a.ID, n)
		}
		cs, err := s.Copies(ctx, a.ID)
		if err != nil || len(cs) != workers {
			t.Errorf("%s: %d copies (%v), want one per worker: %d", a.ID, len(cs), err, workers)
		}
	}
	if got := articles(t, s); len(got) != len(batch) {
		t.Errorf("%d articles stored, want %d", len(got), len(batch))
	}
}

func searchFixture(t *testing.T, s storyline.Store) {
	save(t, s,
		Art("p", "Peacekeeping force", "Any peacekeeping force must include troops from many countries."),
		Art("h", "Harbour bridge", "The harbour bridge reopened; no troops were involved."),
		Art("c", "Café reopens", "The café by the Łódź station reopened on Monday with a new menu."),
	)
}

func search(t *testing.T, s storyline.Store, q string) []string {
	t.Helper()
	hits, err := s.Search(context.Background(), q, 10)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return hitIDs(hits)
}

func testSearch(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	searchFixture(t, s)
	hits, err := s.Search(ctx, "peacekeeping", 10)
	if err != nil || len(hits) != 1 {
		t.Fatalf("search peacekeeping: %+v %v", hits, err)
	}
	h := hits[0]
	if h.ID != "p" || h.Title != "Peacekeeping force" || h.Outlet != "Coast Times" || h.Published != "2025-03-04" {
		t.Errorf("hit = %+v; want p, its title, outlet and publish day", h)
	}
	if !strings.Contains(strings.ToLower(h.Snippet), "[peacekeeping]") {
		t.Errorf("snippet %q does not mark the word found in [brackets]", h.Snippet)
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"troops", []string{"h", "p"}},
		{"TROOPS", []string{"h", "p"}},             // case folded
		{"troops harbour", []string{"h"}},          // every word must occur
		{"bridge troops", []string{"h"}},           // in any order, title or text
		{"troops whales", nil},                     // a word found nowhere
		{`"bridge reopened"`, []string{"h"}},       // a phrase
		{`"reopened bridge"`, nil},                 // a phrase keeps its order
		{`"harbour bridge" troops`, []string{"h"}}, // a phrase and a word
		{`"harbour bridge" "many countries"`, nil}, // two phrases, both required
		{"cafe", []string{"c"}},                    // diacritics folded
		{"Łódź", []string{"c"}},                    // and kept
		{"   ", nil},                               // blank
		{"", nil},                                  //
		{"peacekeeping,", []string{"p"}},           // punctuation around words
		{"(peacekeeping)", []string{"p"}},          //
		{`troops "`, []string{"h", "p"}},           // an unclosed quote
		{`"troops`, []string{"h", "p"}},            // a phrase left open runs to the end
	}
	for _, c := range cases {
		got := search(t, s, c.q)
		slices.Sort(got)
		if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("Search(%q) = %v, want %v", c.q, got, c.want)
		}
	}
}

// testSearchSyntax: a query is words and "phrases", never the search
// engine's own syntax: operators are words to find, and nothing a user
// types makes the search fail.
func testSearchSyntax(t *testing.T, s storyline.Store) {
	searchFixture(t, s)
	for _, q := range []string{
		`"`, `""`, `"""`, `AND OR NOT (`, `troops AND (`, `"unclosed`, `NEAR(a b)`, `col:value`, `title:troops`, `*`, `troop*`,
		`-troops`, `!troops`, `troops & bridge`, `troops | bridge`, `troops <-> bridge`, `troops:*`, `'troops'`,
		`'; DROP TABLE articles; --`, `\`, `\"`, `%`, `_`, `$1`, `?`, `@@`, `::tsquery`, "\x00", "\xff\xfe", "tab\there",
		`(((((`, `)))))`, `^troops`, `{troops}`, `troops~2`, `+troops`, `a OR b OR c`, `or`, `not`, `and`, `OR troops`,
	} {
		if _, err := s.Search(context.Background(), q, 10); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
	// operators are words: "or" must occur, "-" and "*" are not syntax
	cases := []struct {
		q    string
		want []string
	}{
		{"peacekeeping OR bridge", nil},
		{"bridge NOT troops", nil},
		{"-troops", []string{"h", "p"}},
		{"troops*", []string{"h", "p"}},
		{"title:troops", nil}, // no column filter: the word "title" does not occur
	}
	for _, c := range cases {
		got := search(t, s, c.q)
		slices.Sort(got)
		if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("Search(%q) = %v, want %v (operators taken as words)", c.q, got, c.want)
		}
	}
	if got := articles(t, s); len(got) != 3 {
		t.Errorf("%d articles after the searches, want 3", len(got))
	}
}

func testSearchRankLimit(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	var arts []storyline.Article
	for i := range 30 {
		arts = append(arts, Art(fmt.Sprintf("f%02d", i), fmt.Sprintf("Council meeting %d", i),
			fmt.Sprintf("The council met for the %dth time to discuss the budget and the harbour.", i)))
	}
	best := Art("best", "Ferry ferry ferry", "The ferry left. The ferry came back. A ferry strike ended; the ferry council met the ferry crews.")
	arts = append(arts, Art("weak", "Council notes", "A long note on many things: the weather, the road works, the school year, the library, and once a ferry."), best)
	save(t, s, arts...)
	got := search(t, s, "ferry")
	if !slices.Equal(got, []string{"best", "weak"}) {
		t.Errorf("Search(ferry) = %v, want best match first: [best weak]", got)
	}
	hits, err := s.Search(ctx, "council", 5)
	if err != nil || len(hits) != 5 {
		t.Errorf("Search(council, limit 5): %d hits, %v", len(hits), err)
	}
	hits, err = s.Search(ctx, "council", 0)
	if err != nil || len(hits) == 0 {
		t.Errorf("Search(council, limit 0): %d hits, %v; want a default limit", len(hits), err)
	}
}

// SearchPool is how many matches a store's Search ranks at most: when a
// query matches more articles, only the SearchPool newest stored are
// ranked, and the best of those are the hits (a common word costs the
// ranking of SearchPool articles, not of half the store). Both stores
// keep this rule.
const SearchPool = 2000

// testSearchPool: a query matching more than SearchPool articles finds the
// best among the SearchPool newest stored, not an older, better match; a
// query matching fewer ranks all its matches, the oldest too.
func testSearchPool(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	// stored first: the best "ferry" article of all, which also names the
	// harbourmaster
	arts := []storyline.Article{Art("old-best", "Ferry ferry ferry", "The ferry left. The ferry came back. The harbourmaster said the ferry crews met the ferry owners on the ferry.")}
	// then SearchPool articles that name the ferry once, the last but
	// one of which is a good match and names the harbourmaster too
	for i := range SearchPool {
		a := Art(fmt.Sprintf("n%04d", i), fmt.Sprintf("Council notes %d", i),
			fmt.Sprintf("Note %d on many things: the weather, the road works, the school year, the library, and once a ferry.", i))
		if i == SearchPool-2 {
			a = Art("new-good", "Ferry crews", "The ferry crews met the harbourmaster; the ferry runs again.")
		}
		arts = append(arts, a)
	}
	for i := 0; i < len(arts); i += 500 {
		save(t, s, arts[i:min(i+500, len(arts))]...)
	}
	hits, err := s.Search(ctx, "ferry", 50)
	if err != nil {
		t.Fatalf("Search(ferry): %v", err)
	}
	got := hitIDs(hits)
	if len(got) != 50 || got[0] != "new-good" {
		t.Errorf("Search(ferry) = %d hits starting %v; want 50, the best of the %d newest first: new-good", len(got), got[:min(3, len(got))], SearchPool)
	}
	if slices.Contains(got, "old-best") {
		t.Errorf("Search(ferry) found old-best, which is not among the %d newest of its %d matches", SearchPool, SearchPool+1)
	}
	// two words: three matches, all ranked
	got = search(t, s, "ferry harbourmaster")
	slices.Sort(got)
	if !slices.Equal(got, []string{"new-good", "old-best"}) {
		t.Errorf("Search(ferry harbourmaster) = %v, want new-good and old-best: a query with few matches ranks them all", got)
	}
}

func testClustering(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("a1", "One", "First text."), Art("a2", "Two", "Second text."), Art("a3", "Three", "Third text."))
	state, v, unplaced, err := s.Clustering(ctx, -1, 2)
	if err != nil || state != nil || v != 0 || !slices.Equal(ids(unplaced), []string{"a1", "a2"}) {
		t.Fatalf("fresh store: state %v version %d, unplaced %v, err %v; want no state, version 0 and [a1 a2]", state, v, ids(unplaced), err)
	}
	checkSame(t, unplaced[0], Art("a1", "One", "First text."))
	if _, _, all, err := s.Clustering(ctx, -1, 0); err != nil || !slices.Equal(ids(all), []string{"a1", "a2", "a3"}) {
		t.Errorf("limit 0: unplaced %v, %v; want every unplaced article", ids(all), err)
	}
	placed := []storyline.Assignment{{Article: "a2", Event: "e2", Story: "s2", CopyOf: "a1"}, {Article: "a1", Event: "e1", Story: "s1"}}
	bin := []byte{0, 1, 2, 0xff, 0xfe, 0, 'x'}
	if v, err := s.SaveClustering(ctx, 0, one(bin), placed, nil, nil); err != nil || v != 1 {
		t.Fatalf("first save: version %d, %v; want version 1", v, err)
	}
	state, v, unplaced, err = s.Clustering(ctx, -1, 10)
	if err != nil || !slices.Equal(whole(state), bin) || v != 1 || !slices.Equal(ids(unplaced), []string{"a3"}) {
		t.Fatalf("second batch: state %v version %d, unplaced %v, err %v; want the saved bytes, version 1 and [a3]", state, v, ids(unplaced), err)
	}
	// a new article stored after the first batch comes after a3
	save(t, s, Art("a4", "Four", "Fourth text."))
	v, err = s.SaveClustering(ctx, 1, one([]byte("state 2")), []storyline.Assignment{{Article: "a3", Event: "e3", Story: "s3"}}, []storyline.StoryMerge{{From: "s2", To: "s1"}}, nil)
	if err != nil || v != 2 {
		t.Fatalf("second save: version %d, %v; want version 2", v, err)
	}
	state, v, unplaced, err = s.Clustering(ctx, -1, 10)
	if err != nil || string(whole(state)) != "state 2" || v != 2 || !slices.Equal(ids(unplaced), []string{"a4"}) {
		t.Fatalf("third batch: state %q version %d, unplaced %v, err %v", state, v, ids(unplaced), err)
	}
	got, err := s.Assignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []storyline.Assignment{
		{Article: "a2", Event: "e2", Story: "s1", CopyOf: "a1"}, // moved by the merge
		{Article: "a1", Event: "e1", Story: "s1"},
		{Article: "a3", Event: "e3", Story: "s3"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("assignments (in placement order) =\n%+v\nwant\n%+v", got, want)
	}
	if n, placed, err := s.Counts(ctx); err != nil || n != 4 || placed != 3 {
		t.Errorf("Counts = %d articles, %d placed, %v; want 4 and 3", n, placed, err)
	}
	// an empty save only replaces the state
	if v, err := s.SaveClustering(ctx, 2, one([]byte("state 3")), nil, nil, nil); err != nil || v != 3 {
		t.Fatalf("empty save: version %d, %v", v, err)
	}
	if state, v, _, _ := s.Clustering(ctx, -1, 1); string(whole(state)) != "state 3" || v != 3 {
		t.Errorf("state = %q version %d, want state 3 at version 3", state, v)
	}
}

// testClusteringConflict: two processes read the clustering at one
// version and both save: the second save gets ErrConflict and writes
// nothing (no placement, no merge, the first one's state and version),
// from the first version (no state yet) as from a later one.
func testClusteringConflict(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("a1", "One", "First text."), Art("a2", "Two", "Second text."), Art("a3", "Three", "Third text."), Art("a4", "Four", "Fourth text."))
	check := func(step string, wantState string, wantVersion int64, wantPlaced []storyline.Assignment) {
		t.Helper()
		state, v, _, err := s.Clustering(ctx, -1, 10)
		if err != nil || string(whole(state)) != wantState || v != wantVersion {
			t.Errorf("%s: state %q version %d (%v); want %q at version %d", step, state, v, err, wantState, wantVersion)
		}
		if got, err := s.Assignments(ctx); err != nil || !slices.Equal(got, wantPlaced) {
			t.Errorf("%s: assignments %+v (%v); want %+v", step, got, err, wantPlaced)
		}
	}
	first := []storyline.Assignment{{Article: "a1", Event: "e1", Story: "s1"}, {Article: "a2", Event: "e2", Story: "s2"}}
	if v, err := s.SaveClustering(ctx, 0, one([]byte("A")), first, nil, nil); err != nil || v != 1 {
		t.Fatalf("first save from version 0: version %d, %v", v, err)
	}
	// the other process read version 0 too, and placed a1 and a3 otherwise
	other := []storyline.Assignment{{Article: "a3", Event: "x3", Story: "x"}, {Article: "a1", Event: "x1", Story: "x"}}
	_, err := s.SaveClustering(ctx, 0, one([]byte("B")), other, nil, nil)
	if !errors.Is(err, storyline.ErrConflict) {
		t.Fatalf("second save from version 0: err = %v, want ErrConflict", err)
	}
	check("after a conflict from version 0", "A", 1, first)

	// from a later version: the loser's merge and placements are not written either
	second := []storyline.Assignment{{Article: "a3", Event: "e3", Story: "s3"}}
	if v, err := s.SaveClustering(ctx, 1, one([]byte("A2")), second, nil, nil); err != nil || v != 2 {
		t.Fatalf("save from version 1: version %d, %v", v, err)
	}
	_, err = s.SaveClustering(ctx, 1, one([]byte("B2")), []storyline.Assignment{{Article: "a4", Event: "x4", Story: "s1"}}, []storyline.StoryMerge{{From: "s2", To: "s1"}}, nil)
	if !errors.Is(err, storyline.ErrConflict) {
		t.Fatalf("second save from version 1: err = %v, want ErrConflict", err)
	}
	check("after a conflict from version 1", "A2", 2, append(slices.Clone(first), second...))
	// a version that was never saved is a conflict too
	if _, err := s.SaveClustering(ctx, 7, one([]byte("C")), nil, nil, nil); !errors.Is(err, storyline.ErrConflict) {
		t.Errorf("save from a version never saved: err = %v, want ErrConflict", err)
	}
	check("after a save from a version never saved", "A2", 2, append(slices.Clone(first), second...))
}

// testConcurrentClusteringSaves: processes that read one version save at
// once; exactly one wins, every other gets ErrConflict, and the store
// holds the winner's state and placement alone.
func testConcurrentClusteringSaves(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("a1", "One", "First text."))
	for round, from := range []int64{0, 1} {
		const writers = 6
		errs := make([]error, writers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range writers {
			wg.Go(func() {
				<-start
				p := []storyline.Assignment{{Article: "a1", Event: fmt.Sprintf("e%d-%d", round, w), Story: fmt.Sprintf("s%d", w)}}
				_, errs[w] = s.SaveClustering(ctx, from, one([]byte(fmt.Sprint(w))), p, nil, nil)
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for w, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: writers %d and %d both saved from version %d", round, winner, w, from)
			case err == nil:
				winner = w
			case !errors.Is(err, storyline.ErrConflict):
				t.Errorf("round %d: writer %d: %v, want nil or ErrConflict", round, w, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no writer saved", round)
		}
		state, v, _, err := s.Clustering(ctx, -1, 1)
		if err != nil || string(whole(state)) != fmt.Sprint(winner) || v != from+1 {
			t.Errorf("round %d: state %q version %d (%v); want the winner's %d at version %d", round, state, v, err, winner, from+1)
		}
		if round == 0 {
			if got, err := s.Assignments(ctx); err != nil || len(got) != 1 || got[0].Story != fmt.Sprintf("s%d", winner) {
				t.Errorf("assignments %+v (%v); want a1 placed by the winner, writer %d", got, err, winner)
			}
		}
	}
}

func testFirstPlace(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("a1", "One", "First text."), Art("a2", "Two", "Second text."))
	first := storyline.Assignment{Article: "a1", Event: "e1", Story: "s1"}
	if _, err := s.SaveClustering(ctx, 0, one([]byte("1")), []storyline.Assignment{first}, nil, nil); err != nil {
		t.Fatal(err)
	}
	again := []storyline.Assignment{{Article: "a1", Event: "other", Story: "other", CopyOf: "a2"}, {Article: "a2", Event: "e2", Story: "s2"}}
	if _, err := s.SaveClustering(ctx, 1, one([]byte("2")), again, nil, nil); err != nil {
		t.Fatalf("placing a placed article again: %v; want it ignored", err)
	}
	got, err := s.Assignments(ctx)
	want := []storyline.Assignment{first, {Article: "a2", Event: "e2", Story: "s2"}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("assignments = %+v, %v; want the first place kept: %+v", got, err, want)
	}
}

func testChainedMerges(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("a1", "One", "First text."), Art("a2", "Two", "Second text."), Art("a3", "Three", "Third text."))
	placed := []storyline.Assignment{{Article: "a1", Event: "e1", Story: "s1"}, {Article: "a2", Event: "e2", Story: "s2"}, {Article: "a3", Event: "e3", Story: "s3"}}
	if _, err := s.SaveClustering(ctx, 0, one([]byte("1")), placed, nil, nil); err != nil {
		t.Fatal(err)
	}
	// s3 into s2, then s2 (now holding a3 too) into s1, in one call, in that order
	if _, err := s.SaveClustering(ctx, 1, one([]byte("2")), nil, []storyline.StoryMerge{{From: "s3", To: "s2"}, {From: "s2", To: "s1"}, {From: "unknown", To: "s1"}}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Assignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got {
		if a.Story != "s1" {
			t.Errorf("%s in story %s after the merges, want s1", a.Article, a.Story)
		}
	}
	if len(got) != 3 || got[2].Event != "e3" {
		t.Errorf("assignments = %+v; a merge changes the story only", got)
	}
}

// Unplaced returns the IDs of the articles s has not placed yet, in
// storage order.
func Unplaced(t *testing.T, s storyline.Store) []string {
	t.Helper()
	_, _, arts, err := s.Clustering(context.Background(), -1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	return ids
}

// PlacedAs checks that the store holds the assignments want, in
// placement order; step names the check in a failure.
func PlacedAs(t *testing.T, s storyline.Store, step string, want []storyline.Assignment) {
	t.Helper()
	got, err := s.Assignments(context.Background())
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: assignments =\n%+v\nwant\n%+v", step, got, want)
	}
}

// testMoves: an event moved to another story takes every article of it
// along, placed in any earlier batch, and no other; the moves of one
// save are applied after its merges, in order; a move of an event no
// article is in changes nothing; a later batch's articles of the event
// come with the story the save gives them.
func testMoves(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("a1", "One", "First text."), Art("a2", "Two", "Second text."), Art("a3", "Three", "Third text."),
		Art("a4", "Four", "Fourth text."), Art("a5", "Five", "Fifth text."), Art("a6", "Six", "Sixth text."))
	first := []storyline.Assignment{{Article: "a1", Event: "e1", Story: "s1"}, {Article: "a2", Event: "e2", Story: "s1"}, {Article: "a3", Event: "e3", Story: "s2"}}
	if _, err := s.SaveClustering(ctx, 0, one([]byte("1")), first, nil, nil); err != nil {
		t.Fatal(err)
	}
	second := []storyline.Assignment{{Article: "a4", Event: "e2", Story: "s1", CopyOf: "a2"}, {Article: "a5", Event: "e3", Story: "s2"}}
	if _, err := s.SaveClustering(ctx, 1, one([]byte("2")), second, nil, nil); err != nil {
		t.Fatal(err)
	}
	// the third batch splits e2 off s1 (its articles of two batches
	// go), places a6 in e2's new story, and moves e3 twice: the last
	// move counts
	v, err := s.SaveClustering(ctx, 2, one([]byte("3")), []storyline.Assignment{{Article: "a6", Event: "e2", Story: "s9"}}, nil,
		[]storyline.EventMove{{Event: "e2", Story: "s9"}, {Event: "e3", Story: "s8"}, {Event: "e3", Story: "s7"}, {Event: "unknown", Story: "s1"}})
	if err != nil || v != 3 {
		t.Fatalf("a save with moves: version %d, %v; want 3", v, err)
	}
	PlacedAs(t, s, "after the moves", []storyline.Assignment{
		{Article: "a1", Event: "e1", Story: "s1"},
		{Article: "a2", Event: "e2", Story: "s9"},
		{Article: "a3", Event: "e3", Story: "s7"},
		{Article: "a4", Event: "e2", Story: "s9", CopyOf: "a2"},
		{Article: "a5", Event: "e3", Story: "s7"},
		{Article: "a6", Event: "e2", Story: "s9"},
	})
	if state, v, unplaced, err := s.Clustering(ctx, -1, 10); err != nil || string(whole(state)) != "3" || v != 3 || len(unplaced) != 0 {
		t.Errorf("after the moves: state %q version %d, unplaced %v, %v; want state 3 at version 3, none unplaced", state, v, ids(unplaced), err)
	}
	if n, placed, err := s.Counts(ctx); err != nil || n != 6 || placed != 6 {
		t.Errorf("Counts = %d articles, %d placed, %v; want 6 and 6 (a move places nothing)", n, placed, err)
	}
	// the moves come after the merges: s7 merged into s1 takes e3 along,
	// and the move of e3 that follows takes it on to s7 again, while e1
	// goes to s7 by a move alone
	if _, err := s.SaveClustering(ctx, 3, one([]byte("4")), nil, []storyline.StoryMerge{{From: "s7", To: "s1"}},
		[]storyline.EventMove{{Event: "e3", Story: "s7"}, {Event: "e1", Story: "s7"}}); err != nil {
		t.Fatal(err)
	}
	PlacedAs(t, s, "after a merge and moves in one save", []storyline.Assignment{
		{Article: "a1", Event: "e1", Story: "s7"},
		{Article: "a2", Event: "e2", Story: "s9"},
		{Article: "a3", Event: "e3", Story: "s7"},
		{Article: "a4", Event: "e2", Story: "s9", CopyOf: "a2"},
		{Article: "a5", Event: "e3", Story: "s7"},
		{Article: "a6", Event: "e2", Story: "s9"},
	})
}

// testMoveThenMerge: the story an event moved to is merged into another
// by a later batch, which takes the moved event's articles along; a
// merge of the story it left does not.
func testMoveThenMerge(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("a1", "One", "First text."), Art("a2", "Two", "Second text."), Art("a3", "Three", "Third text."), Art("a4", "Four", "Fourth text."))
	first := []storyline.Assignment{{Article: "a1", Event: "e1", Story: "s1"}, {Article: "a2", Event: "e2", Story: "s1"}, {Article: "a3", Event: "e3", Story: "s3"}}
	if _, err := s.SaveClustering(ctx, 0, one([]byte("1")), first, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveClustering(ctx, 1, one([]byte("2")), nil, nil, []storyline.EventMove{{Event: "e2", Story: "s2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveClustering(ctx, 2, one([]byte("3")), []storyline.Assignment{{Article: "a4", Event: "e4", Story: "s3"}},
		[]storyline.StoryMerge{{From: "s2", To: "s3"}, {From: "s1", To: "s4"}}, nil); err != nil {
		t.Fatal(err)
	}
	PlacedAs(t, s, "after a move, then merges", []storyline.Assignment{
		{Article: "a1", Event: "e1", Story: "s4"},
		{Article: "a2", Event: "e2", Story: "s3"},
		{Article: "a3", Event: "e3", Story: "s3"},
		{Article: "a4", Event: "e4", Story: "s3"},
	})
}

// testMovesRetried: a save with moves refused as a conflict moves
// nothing; saved again from the right version it moves the events once,
// and the same save made again (a retry of a save that went through)
// leaves the same assignments.
func testMovesRetried(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("a1", "One", "First text."), Art("a2", "Two", "Second text."), Art("a3", "Three", "Third text."))
	first := []storyline.Assignment{{Article: "a1", Event: "e1", Story: "s1"}, {Article: "a2", Event: "e2", Story: "s1"}}
	if _, err := s.SaveClustering(ctx, 0, one([]byte("1")), first, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveClustering(ctx, 1, one([]byte("other")), nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	placed := []storyline.Assignment{{Article: "a3", Event: "e2", Story: "s2"}}
	moved := []storyline.EventMove{{Event: "e2", Story: "s2"}}
	merged := []storyline.StoryMerge{{From: "s1", To: "s0"}}
	if _, err := s.SaveClustering(ctx, 1, one([]byte("mine")), placed, merged, moved); !errors.Is(err, storyline.ErrConflict) {
		t.Fatalf("a save from an old version: %v, want ErrConflict", err)
	}
	PlacedAs(t, s, "after a conflict", first)
	want := []storyline.Assignment{{Article: "a1", Event: "e1", Story: "s0"}, {Article: "a2", Event: "e2", Story: "s2"}, {Article: "a3", Event: "e2", Story: "s2"}}
	for v := int64(2); v <= 3; v++ {
		if got, err := s.SaveClustering(ctx, v, one([]byte("mine")), placed, merged, moved); err != nil || got != v+1 {
			t.Fatalf("the save made from version %d: version %d, %v", v, got, err)
		}
		PlacedAs(t, s, fmt.Sprintf("after the save from version %d", v), want)
	}
}

// testFailedClustering: an unknown article cannot be placed, and the call
// that tried leaves nothing: no placement, no merge, no move, the old
// state and version.
func testFailedClustering(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	save(t, s, Art("a1", "One", "First text."), Art("a2", "Two", "Second text."), Art("a3", "Three", "Third text."))
	placed := []storyline.Assignment{{Article: "a1", Event: "e1", Story: "s1"}, {Article: "a2", Event: "e2", Story: "s2"}}
	if _, err := s.SaveClustering(ctx, 0, one([]byte("good")), placed, nil, nil); err != nil {
		t.Fatal(err)
	}
	bad := []storyline.Assignment{{Article: "a3", Event: "e3", Story: "s1"}, {Article: "nope", Event: "e", Story: "s"}}
	if _, err := s.SaveClustering(ctx, 1, one([]byte("bad")), bad, []storyline.StoryMerge{{From: "s2", To: "s1"}}, []storyline.EventMove{{Event: "e1", Story: "s9"}}); err == nil {
		t.Fatal("an assignment of an unknown article was saved")
	} else if errors.Is(err, storyline.ErrConflict) {
		t.Errorf("an unknown article is no conflict: %v", err)
	}
	state, v, unplaced, err := s.Clustering(ctx, -1, 10)
	if err != nil || string(whole(state)) != "good" || v != 1 || !slices.Equal(ids(unplaced), []string{"a3"}) {
		t.Errorf("after a failed save: state %q version %d, unplaced %v, %v; want the old state at version 1 and a3 unplaced", state, v, ids(unplaced), err)
	}
	if got, err := s.Assignments(ctx); err != nil || !slices.Equal(got, placed) {
		t.Errorf("after a failed save: assignments %+v, %v; want %+v (no merge, no move)", got, err, placed)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.SaveClustering(cctx, 1, one([]byte("cancelled")), []storyline.Assignment{{Article: "a3", Event: "e3", Story: "s3"}}, nil, nil); err == nil {
		t.Error("SaveClustering with a cancelled context succeeded")
	}
	if state, v, _, _ := s.Clustering(ctx, -1, 1); string(whole(state)) != "good" || v != 1 {
		t.Errorf("state after a cancelled save = %q version %d, want good at version 1", state, v)
	}
}

// one is a clustering state of one part.
func one(data []byte) []storyline.StatePart {
	return []storyline.StatePart{{Key: "state", Data: data}}
}

// whole returns the data of the part one saved, nil when the state has
// no parts, and a mark when it has others.
func whole(parts []storyline.StatePart) []byte {
	if len(parts) == 0 {
		return nil
	}
	if len(parts) != 1 || parts[0].Key != "state" {
		return []byte(fmt.Sprintf("%d parts", len(parts)))
	}
	return parts[0].Data
}

// testClusteringParts: a save writes the parts it is given and deletes
// those with nil Data, and leaves the others; the parts are read only
// when the caller does not hold the version already.
func testClusteringParts(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	read := func(step string, have, wantVersion int64, want map[string]string) {
		t.Helper()
		parts, v, _, err := s.Clustering(ctx, have, 1)
		if err != nil || v != wantVersion {
			t.Fatalf("%s: version %d, %v; want version %d", step, v, err, wantVersion)
		}
		got := map[string]string{}
		for _, p := range parts {
			if p.Data == nil {
				t.Errorf("%s: part %s read with nil data", step, p.Key)
			}
			if _, dup := got[p.Key]; dup {
				t.Errorf("%s: part %s read twice", step, p.Key)
			}
			got[p.Key] = string(p.Data)
		}
		if want == nil && parts != nil {
			t.Errorf("%s: parts read although the caller holds version %d", step, have)
		}
		if want != nil && !maps.Equal(got, want) {
			t.Errorf("%s: parts %v, want %v", step, got, want)
		}
	}
	bin := string([]byte{0, 1, 0xff, 0})
	parts := []storyline.StatePart{{Key: "meta", Data: []byte("m1")}, {Key: "e/0", Data: []byte(bin)}, {Key: "e/1", Data: []byte{}}, {Key: "df/0000000000", Data: []byte("df")}}
	if v, err := s.SaveClustering(ctx, 0, parts, nil, nil, nil); err != nil || v != 1 {
		t.Fatalf("first save: version %d, %v", v, err)
	}
	read("after the first save", 0, 1, map[string]string{"meta": "m1", "e/0": bin, "e/1": "", "df/0000000000": "df"})
	read("holding the version", 1, 1, nil)
	// change one, add one, delete one (and one that is not there); a
	// later change of a part in one save counts
	second := []storyline.StatePart{{Key: "meta", Data: []byte("m2")}, {Key: "e/2", Data: []byte("new")}, {Key: "e/0"}, {Key: "nothing"},
		{Key: "df/0000000001", Data: []byte("log")}, {Key: "df/0000000001", Data: []byte("log 2")}}
	if v, err := s.SaveClustering(ctx, 1, second, nil, nil, nil); err != nil || v != 2 {
		t.Fatalf("second save: version %d, %v", v, err)
	}
	want := map[string]string{"meta": "m2", "e/1": "", "e/2": "new", "df/0000000000": "df", "df/0000000001": "log 2"}
	read("after the second save", 1, 2, want)
	read("holding an older version", 0, 2, want)
	// a conflicting save changes no part
	if _, err := s.SaveClustering(ctx, 1, []storyline.StatePart{{Key: "meta"}, {Key: "e/9", Data: []byte("x")}}, nil, nil, nil); !errors.Is(err, storyline.ErrConflict) {
		t.Fatalf("a save from an old version: %v, want ErrConflict", err)
	}
	read("after a conflict", -1, 2, want)
	// a save of no parts moves the version on and keeps them
	if v, err := s.SaveClustering(ctx, 2, nil, nil, nil, nil); err != nil || v != 3 {
		t.Fatalf("a save of no parts: version %d, %v", v, err)
	}
	read("after a save of no parts", 2, 3, want)
	if v, err := s.ClusteringVersion(ctx); err != nil || v != 3 {
		t.Errorf("ClusteringVersion = %d, %v; want 3", v, err)
	}
}

func testEmpty(t *testing.T, s storyline.Store) {
	ctx := context.Background()
	if all, err := s.Articles(ctx); err != nil || len(all) != 0 {
		t.Errorf("Articles: %v %v", all, err)
	}
	if state, v, unplaced, err := s.Clustering(ctx, -1, 10); err != nil || state != nil || v != 0 || len(unplaced) != 0 {
		t.Errorf("Clustering: %v %d %v %v", state, v, unplaced, err)
	}
	if as, err := s.Assignments(ctx); err != nil || len(as) != 0 {
		t.Errorf("Assignments: %v %v", as, err)
	}
	if v, err := s.ClusteringVersion(ctx); err != nil || v != 0 {
		t.Errorf("ClusteringVersion: %d %v", v, err)
	}
	if n, placed, err := s.Counts(ctx); err != nil || n != 0 || placed != 0 {
		t.Errorf("Counts: %d articles, %d placed, %v", n, placed, err)
	}
	if hits, err := s.Search(ctx, "anything", 10); err != nil || len(hits) != 0 {
		t.Errorf("Search: %v %v", hits, err)
	}
}
