package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/claim"
	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// newStore opens an in-memory store holding the files of dir, ingested
// and placed in stories the way `storyline ingest` does.
func newStore(t *testing.T, paths ...string) storyline.Store {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sum, err := pipeline.Run(ctx, &ingest.Reader{}, paths, store, pipeline.Options{Workers: 1, Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("pipeline.Run: %v (%+v)", err, sum)
	}
	if _, err := pipeline.PlaceStories(ctx, store, 0, nil); err != nil {
		t.Fatal(err)
	}
	return store
}

func newServer(t *testing.T, store storyline.Store) *httptest.Server {
	t.Helper()
	s, err := New(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

// get fetches a path and returns the status, headers and body.
func get(t *testing.T, ts *httptest.Server, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func TestHealthz(t *testing.T) {
	ts := newServer(t, newStore(t, "testdata/fixture"))
	code, h, body := get(t, ts, "/healthz")
	if code != 200 || strings.TrimSpace(body) != "ok" {
		t.Fatalf("healthz: %d %q", code, body)
	}
	if h.Get("Content-Security-Policy") != CSP || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("security headers missing: %v", h)
	}
}

type storiesAnswer struct {
	Stories []struct {
		ID       string   `json:"id"`
		Title    *string  `json:"title"`
		Articles []string `json:"articles"`
		Outlets  []string `json:"outlets"`
		Start    *string  `json:"start"`
	} `json:"stories"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

func getJSON(t *testing.T, ts *httptest.Server, path string, want int, v any) {
	t.Helper()
	code, h, body := get(t, ts, path)
	if code != want {
		t.Fatalf("%s: status %d, want %d: %s", path, code, want, body)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("%s: %v: %s", path, err, body)
	}
}

// damStory returns the ID of the fixture's dam story and its articles.
func damStory(t *testing.T, ts *httptest.Server) (string, []string) {
	t.Helper()
	var st storiesAnswer
	getJSON(t, ts, "/api/stories", 200, &st)
	for _, s := range st.Stories {
		if s.Title != nil && strings.Contains(*s.Title, "Northgate Dam") {
			return s.ID, s.Articles
		}
	}
	t.Fatalf("no Northgate Dam story in %+v", st)
	return "", nil
}

func TestPages(t *testing.T) {
	ts := newServer(t, newStore(t, "testdata/fixture"))

	code, h, body := get(t, ts, "/")
	if code != 200 || !strings.Contains(body, "Northgate Dam") || !strings.Contains(body, "Harbour United") {
		t.Fatalf("/: %d %s", code, body)
	}
	if !strings.HasPrefix(h.Get("Content-Type"), "text/html") || h.Get("Content-Security-Policy") != CSP {
		t.Errorf("/: headers %v", h)
	}
	// ?q= keeps the stories whose articles match
	_, _, body = get(t, ts, "/?q=spillway")
	if tb := storiesTable(body); !strings.Contains(tb, "Northgate Dam") || strings.Contains(tb, "Harbour United") {
		t.Errorf("/?q=spillway: %s", body)
	}

	id, arts := damStory(t, ts)
	if len(arts) != 3 {
		t.Errorf("dam story holds %d articles, want 3", len(arts))
	}
	code, _, body = get(t, ts, "/stories/"+id)
	if code != 200 {
		t.Fatalf("story page: %d %s", code, body)
	}
	for _, want := range []string{"Northgate Dam", "<svg", "<circle class=\"dot first\"", "first report", "Anna Rook",
		"We will rebuild the dam stronger than before", "Valley Herald", "River Post", "Dale Times", "class=\"band0\""} {
		if !strings.Contains(body, want) {
			t.Errorf("story page lacks %q", want)
		}
	}
	// the first report is the Valley Herald's, the earliest
	if i := strings.Index(body, "first report</span>"); i < 0 || !strings.Contains(body[i:i+strings.Index(body[i:], "</li>")], "Valley Herald") {
		t.Errorf("first report not marked on the Valley Herald article")
	}

	// article page: clean text, removed lines behind a toggle, links with rel
	var herald, post string
	for _, a := range arts {
		var aj articleJSON
		getJSON(t, ts, "/api/articles/"+a, 200, &aj)
		switch deref(aj.Outlet) {
		case "Valley Herald":
			herald = a
		case "River Post":
			post = a
		}
	}
	code, _, body = get(t, ts, "/articles/"+herald)
	if code != 200 || !strings.Contains(textOf(body), "Water Minister Anna Rook said on Monday") {
		t.Fatalf("article page: %d %s", code, body)
	}
	if !strings.Contains(body, "<details class=\"removed\">") || !strings.Contains(body, "<td>Share post:</td>") {
		t.Errorf("article page lacks the removed lines: %s", body)
	}
	if strings.Contains(body[strings.Index(body, "<div class=\"text\">"):strings.Index(body, "<details")], "Share post:") {
		t.Error("a removed line shows in the clean text")
	}
	_, _, body = get(t, ts, "/articles/"+post)
	if !strings.Contains(body, `<a href="https://example.org/northgate-report?x=1&amp;y=2" rel="noopener noreferrer nofollow">`) {
		t.Errorf("the article's link is not rendered with rel=noopener noreferrer nofollow: %s", body)
	}

	code, _, body = get(t, ts, "/search?q=spillway")
	if code != 200 || !strings.Contains(body, "<mark>spillway</mark>") || !strings.Contains(body, "/articles/"+herald) {
		t.Errorf("search: %d %s", code, body)
	}
	code, _, _ = get(t, ts, "/search")
	if code != 200 {
		t.Errorf("empty search: %d", code)
	}

	for _, p := range []string{"/stories/nope", "/articles/nope", "/nothing/here", "/stories/%00%ff", "/articles/" + strings.Repeat("x", 3000)} {
		if code, _, body := get(t, ts, p); code != 404 || !strings.Contains(body, "404") {
			t.Errorf("%s: %d %s", p, code, body)
		}
	}
	if code, _, _ := get(t, ts, "/static/style.css"); code != 200 {
		t.Errorf("style.css: %d", code)
	}
}

func TestAPI(t *testing.T) {
	ts := newServer(t, newStore(t, "testdata/fixture"))
	id, arts := damStory(t, ts)

	var d struct {
		Story struct {
			ID      string   `json:"id"`
			Outlets []string `json:"outlets"`
		} `json:"story"`
		Events []struct {
			Title    string `json:"title"`
			Articles []struct {
				ID    string `json:"id"`
				First bool   `json:"first"`
			} `json:"articles"`
		} `json:"events"`
		Speakers []struct {
			Name       string `json:"name"`
			Statements []struct {
				Versions []struct {
					Text string `json:"text"`
				} `json:"versions"`
			} `json:"statements"`
		} `json:"who_said_what"`
		Disagreements []storyline.Disagreement `json:"disagreements"`
	}
	getJSON(t, ts, "/api/stories/"+id, 200, &d)
	if d.Story.ID != id || len(d.Events) == 0 || !d.Events[0].Articles[0].First || len(d.Story.Outlets) != 3 {
		t.Errorf("story: %+v", d)
	}
	rook := false
	for _, s := range d.Speakers {
		rook = rook || s.Name == "Anna Rook"
	}
	if !rook {
		t.Errorf("Anna Rook is no speaker of the story: %+v", d.Speakers)
	}
	if d.Disagreements == nil {
		t.Error("disagreements is null, want an array")
	}

	var a articleJSON
	getJSON(t, ts, "/api/articles/"+arts[0], 200, &a)
	if a.ID != arts[0] || a.Text == "" || a.Story == nil || *a.Story != id || a.Removed == nil || a.Copies == nil {
		t.Errorf("article: %+v", a)
	}

	var hits struct {
		Hits []storyline.SearchHit `json:"hits"`
	}
	getJSON(t, ts, "/api/search?q=evacuated", 200, &hits)
	if len(hits.Hits) != 2 {
		t.Errorf("search evacuated: %+v", hits)
	}
	getJSON(t, ts, "/api/search?q=zzzznothing", 200, &hits)
	if hits.Hits == nil || len(hits.Hits) != 0 {
		t.Errorf("search without hits: %+v", hits)
	}

	// errors are {"error": "..."} with the right status
	for _, c := range []struct {
		path string
		code int
	}{
		{"/api/stories/nope", 404},
		{"/api/articles/nope", 404},
		{"/api/nothing", 404},
		{"/api/search", 400},
		{"/api/search?q=" + strings.Repeat("a", MaxQuery+1), 400},
		{"/api/stories?q=" + strings.Repeat("a", MaxQuery+1), 400},
		{"/api/stories?limit=0", 400},
		{"/api/stories?limit=-1", 400},
		{"/api/stories?limit=ten", 400},
		{"/api/stories?limit=99999999999999999999999", 400},
		{"/api/stories?offset=-1", 400},
		{"/api/stories?offset=x", 400},
		{"/api/search?q=dam&limit=0", 400},
	} {
		var e map[string]string
		getJSON(t, ts, c.path, c.code, &e)
		if len(e) != 1 || e["error"] == "" {
			t.Errorf("%s: %v", c.path, e)
		}
	}
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		req, _ := http.NewRequest(m, ts.URL+"/api/stories", strings.NewReader(`{}`))
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 405 || !strings.Contains(string(b), `"error"`) || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %d %s", m, resp.StatusCode, b)
		}
	}
}

func TestPagination(t *testing.T) {
	ts := newServer(t, newStore(t, "testdata/fixture"))
	var all storiesAnswer
	getJSON(t, ts, "/api/stories", 200, &all)
	if all.Total < 2 || len(all.Stories) != all.Total || all.Limit != DefaultLimit || all.Offset != 0 {
		t.Fatalf("stories: %+v", all)
	}
	var p storiesAnswer
	getJSON(t, ts, "/api/stories?limit=1", 200, &p)
	if len(p.Stories) != 1 || p.Stories[0].ID != all.Stories[0].ID || p.Total != all.Total {
		t.Errorf("limit=1: %+v", p)
	}
	getJSON(t, ts, "/api/stories?limit=1&offset=1", 200, &p)
	if len(p.Stories) != 1 || p.Stories[0].ID != all.Stories[1].ID {
		t.Errorf("limit=1&offset=1: %+v", p)
	}
	getJSON(t, ts, "/api/stories?limit=100000", 200, &p)
	if p.Limit != MaxLimit || len(p.Stories) != all.Total {
		t.Errorf("limit=100000 is not cut to %d: %+v", MaxLimit, p)
	}
	getJSON(t, ts, "/api/stories?offset=1000000", 200, &p)
	if p.Stories == nil || len(p.Stories) != 0 || p.Total != all.Total {
		t.Errorf("offset past the end: %+v", p)
	}
	// the page's links
	_, _, body := get(t, ts, "/?limit=1")
	if !strings.Contains(body, `href="/?limit=1&amp;offset=1"`) {
		t.Errorf("no next link: %s", body)
	}
	if code, _, _ := get(t, ts, "/?limit=abc"); code != 400 {
		t.Errorf("/?limit=abc: %d", code)
	}
}

// storiesTable is the table of the stories page.
func storiesTable(page string) string {
	i := strings.Index(page, `<table class="stories">`)
	if i < 0 {
		return ""
	}
	return page[i : i+strings.Index(page[i:], "</table>")]
}

// textOf is the text a browser shows of a page: tags dropped, entities
// decoded.
func textOf(page string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		}
	}
}

// unsafeMarkup parses a page as a browser would and lists what could run
// script or load something: script, img, iframe, object and embed
// elements, event handler and style attributes, and javascript: URLs.
func unsafeMarkup(page string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "img", "iframe", "object", "embed", "base", "style":
			out = append(out, "element <"+tok.Data+">")
		}
		for _, a := range tok.Attr {
			v := strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(a.Key, "on") || a.Key == "style" || strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") {
				out = append(out, "attribute "+a.Key+"="+a.Val+" on <"+tok.Data+">")
			}
		}
	}
}

// hostile is an article whose every field tries to inject markup.
const hostile = `{"url": "javascript:alert(1)", "outlet": "<b onmouseover=alert(1)>Evil Outlet</b>", "title": "Dam report <script>alert(1)</script>", "published": "2025-04-09", "text": "The Northgate Dam spillway flood report <script>alert(1)</script> was published.\n\nSee <img src=x onerror=alert(1)> and <a href=\"javascript:alert(1)\">this link</a> or javascript:alert(1) for details about the dam.\n\nWater Minister Anna Rook said: \"<script>alert(2)</script> the dam will be rebuilt, and soon.\""}
`

func TestXSS(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hostile.jsonl"), []byte(hostile), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, newStore(t, "testdata/fixture", dir))
	var hits struct {
		Hits []storyline.SearchHit `json:"hits"`
	}
	getJSON(t, ts, "/api/search?q=onerror", 200, &hits)
	if len(hits.Hits) != 1 {
		t.Fatalf("the hostile article is not stored: %+v", hits)
	}
	id := hits.Hits[0].ID
	var a articleJSON
	getJSON(t, ts, "/api/articles/"+id, 200, &a)
	if !strings.Contains(a.Text, "<script>alert(1)</script>") {
		t.Fatalf("the stored text lost the markup, the test proves nothing: %q", a.Text)
	}
	pages := []string{"/", "/articles/" + id, "/search?q=onerror", "/search?q=%3Cscript%3E", "/?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E"}
	if a.Story != nil {
		pages = append(pages, "/stories/"+*a.Story)
	}
	var es struct {
		Entities []entitySummary `json:"entities"`
	}
	getJSON(t, ts, "/api/entities?q=Rook", 200, &es)
	for _, e := range es.Entities {
		pages = append(pages, "/people/"+e.ID)
	}
	for _, p := range pages {
		code, h, body := get(t, ts, p)
		if code != 200 {
			t.Errorf("%s: %d", p, code)
		}
		if h.Get("Content-Security-Policy") != CSP || !strings.Contains(CSP, "default-src 'none'") || strings.Contains(CSP, "unsafe-inline") {
			t.Errorf("%s: CSP %q", p, h.Get("Content-Security-Policy"))
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
		low := strings.ToLower(body)
		for _, bad := range []string{"<script", "<img", "href=\"javascript:", "<b ", " style="} {
			if strings.Contains(low, bad) {
				i := strings.Index(low, bad)
				t.Errorf("%s: unescaped %q: …%s…", p, bad, body[max(0, i-80):min(len(body), i+80)])
			}
		}
		for _, bad := range unsafeMarkup(body) {
			t.Errorf("%s: %s", p, bad)
		}
	}
	_, _, body := get(t, ts, "/articles/"+id)
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "javascript:alert(1)"} {
		if !strings.Contains(body, want) {
			t.Errorf("article page does not show %q as text", want)
		}
	}
	if strings.Contains(body, "Source: <a") {
		t.Error("a javascript: URL is rendered as a link")
	}
}

func TestCacheFollowsTheStore(t *testing.T) {
	store := newStore(t, "testdata/fixture")
	s, err := New(store, Options{Refresh: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := s.cache.current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.cache.refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("the analysis was rebuilt although the store did not change")
	}
	// a new article, placed as ingest places it: requests go on getting
	// the analysis they had until the new one is ready
	if _, err := pipeline.Run(ctx, &ingest.Reader{}, []string{"testdata/extra"}, store, pipeline.Options{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.PlaceStories(ctx, store, 0, nil); err != nil {
		t.Fatal(err)
	}
	stale, err := s.cache.current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stale != b {
		t.Error("a request waited for the new analysis instead of getting the one there was")
	}
	c, err := s.cache.refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c == b || len(c.articles) != len(b.articles)+1 {
		t.Errorf("the analysis did not follow the store: %d then %d articles", len(b.articles), len(c.articles))
	}
	if d, _ := s.cache.current(ctx); d != c {
		t.Error("current does not give the newest analysis")
	}
	// the footer and a header say which analysis a response reflects
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	_, h, body := get(t, ts, "/")
	if h.Get("X-Analysis-As-Of") == "" || !strings.Contains(body, "analysis as of "+c.builtAt.UTC().Format("2006-01-02")) {
		t.Errorf("no analysis time: header %q", h.Get("X-Analysis-As-Of"))
	}
}

// An analysis brought up to date article batch by article batch gives the
// statements, their grouping, the stories and disagreements of one built
// over all the articles at once; and comparing story by story finds what
// claim.Compare finds over all the articles.
func TestIncrementalAnalysis(t *testing.T) {
	seeds := corpustest.Seeds(t)
	ctx := context.Background()
	open := func() storyline.Store {
		st, err := sqlite.Open(ctx, ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	add := func(st storyline.Store, arts []storyline.Article) {
		if _, err := st.SaveArticles(ctx, arts); err != nil {
			t.Fatal(err)
		}
		if _, err := pipeline.PlaceStories(ctx, st, 0, nil); err != nil {
			t.Fatal(err)
		}
	}
	whole, steps := open(), open()
	add(whole, seeds)
	full, err := (&cache{store: whole, log: slog.New(slog.DiscardHandler)}).refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := &cache{store: steps, log: slog.New(slog.DiscardHandler)}
	// stories of more than two articles are compared after their
	// snapshot is out
	defer func(n int) { bigStory = n }(bigStory)
	bigStory = 2
	for _, part := range [][]storyline.Article{seeds[:2], seeds[2:4], seeds[4:]} {
		add(steps, part)
		if _, err := c.refresh(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c.settle()
	if c.an.deferred == 0 {
		t.Error("no story was compared after its snapshot: the test proves less")
	}
	inc, _ := c.current(ctx)
	if len(inc.articles) != len(seeds) || len(full.articles) != len(seeds) {
		t.Fatalf("%d and %d articles, want %d", len(inc.articles), len(full.articles), len(seeds))
	}
	said := func(sn *snapshot) []string {
		var out []string
		for _, st := range sn.statements {
			out = append(out, fmt.Sprintf("%s %s %s %s", st.ID, st.SpeakerName, deref(st.SpeakerEntity), deref(st.SameAs)))
		}
		return out
	}
	if a, b := said(inc), said(full); !slices.Equal(a, b) {
		t.Errorf("statements built in steps:\n%s\nat once:\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
	grouped := 0
	for _, st := range full.statements {
		if st.SameAs != nil {
			grouped++
		}
	}
	if grouped == 0 {
		t.Error("no statement grouped: the test proves little")
	}
	if !reflect.DeepEqual(inc.disagreements, full.disagreements) || !reflect.DeepEqual(inc.storyOf, full.storyOf) {
		t.Errorf("disagreements or stories differ: %v\n%v", inc.disagreements, full.disagreements)
	}
	// story by story = claim.Compare over all
	res := entity.Resolve(entity.Docs(full.articles))
	var stories []storyline.Story
	for _, t := range full.stories {
		stories = append(stories, t.Story)
	}
	want := claim.Compare(full.articles, res, claim.Find(full.articles, res), stories).Disagreements
	var got []storyline.Disagreement
	for _, t := range full.stories {
		got = append(got, full.disagreements[t.ID]...)
	}
	sortIDs := func(ds []storyline.Disagreement) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID)
		}
		slices.Sort(out)
		return out
	}
	if len(want) == 0 || !slices.Equal(sortIDs(got), sortIDs(want)) {
		t.Errorf("disagreements story by story %v, claim.Compare over all %v", sortIDs(got), sortIDs(want))
	}
}

// rook finds Anna Rook among the fixture's entities.
func rook(t *testing.T, ts *httptest.Server) string {
	t.Helper()
	var es struct {
		Entities []entitySummary `json:"entities"`
		Total    int             `json:"total"`
	}
	getJSON(t, ts, "/api/entities?q=Rook", 200, &es)
	if len(es.Entities) != 1 || es.Entities[0].Name != "Anna Rook" || es.Total != 1 {
		t.Fatalf("entities named Rook: %+v", es)
	}
	e := es.Entities[0]
	if e.Type != storyline.Person || e.Articles != 3 || e.Statements != 4 || strings.Join(e.Variants, "|") != "Anna Rook|Rook" {
		t.Errorf("Anna Rook: %+v", e)
	}
	return e.ID
}

func TestPeople(t *testing.T) {
	ts := newServer(t, newStore(t, "testdata/fixture"))
	id := rook(t, ts)

	code, _, body := get(t, ts, "/people/"+id)
	if code != 200 {
		t.Fatalf("person page: %d %s", code, body)
	}
	for _, want := range []string{"<h1>Anna Rook</h1>", "<li>Rook</li>", "<td>Water Minister</td>", "2025-04-07 – 2025-04-15",
		"Nobody downstream should fear the next storm", "the first crews would arrive in June", `href="/stories/story_`} {
		if !strings.Contains(body, want) {
			t.Errorf("person page lacks %q", want)
		}
	}
	// statements in date order: the Valley Herald's (7 April) before the Dale Times' (15 April)
	st := body[strings.Index(body, "<h2>Statements</h2>"):]
	if a, b := strings.Index(st, "2025-04-07"), strings.Index(st, "2025-04-15"); a < 0 || b < a {
		t.Errorf("statements not in date order: %d %d", a, b)
	}
	// one statement across two outlets is one item with both versions
	if i := strings.Index(st, "We will rebuild the dam stronger than before"); i < 0 || !strings.Contains(st[i:strings.Index(st[i:], "</li>")+i], "River Post") {
		t.Error("the two versions of Rook's promise are not side by side")
	}

	var d entityDetail
	getJSON(t, ts, "/api/entities/"+id, 200, &d)
	if d.Entity.ID != id || len(d.Roles) != 1 || deref(d.Roles[0].From) != "2025-04-07" || deref(d.Roles[0].To) != "2025-04-15" ||
		len(d.Statements) != 3 || len(d.Stories) != 1 || d.Entity.Evidence == nil {
		t.Errorf("entity: %+v", d)
	}

	var people struct {
		Entities []entitySummary `json:"entities"`
		Total    int             `json:"total"`
	}
	getJSON(t, ts, "/api/entities?type=person&limit=1", 200, &people)
	if len(people.Entities) != 1 || people.Total < 3 || people.Entities[0].Type != storyline.Person {
		t.Errorf("people, one a page: %+v", people)
	}
	getJSON(t, ts, "/api/entities?type=location", 200, &people)
	for _, e := range people.Entities {
		if e.Type != storyline.Location {
			t.Errorf("type=location gives %+v", e)
		}
	}

	var qs struct {
		Quotes []quoteJSON `json:"quotes"`
		Total  int         `json:"total"`
	}
	getJSON(t, ts, "/api/quotes?speaker="+id, 200, &qs)
	if qs.Total != 4 || len(qs.Quotes) != 4 || deref(qs.Quotes[0].SpeakerName) != "Anna Rook" || qs.Quotes[0].Story == nil {
		t.Errorf("Rook's quotes: %+v", qs)
	}
	getJSON(t, ts, "/api/quotes?speaker="+id+"&limit=1&offset=3", 200, &qs)
	if qs.Total != 4 || len(qs.Quotes) != 1 {
		t.Errorf("Rook's quotes, page 4: %+v", qs)
	}
	getJSON(t, ts, "/api/quotes?story="+*qs.Quotes[0].Story+"&article="+qs.Quotes[0].Article, 200, &qs)
	for _, q := range qs.Quotes {
		if q.Article != qs.Quotes[0].Article {
			t.Errorf("article filter gives %+v", q)
		}
	}
	var all struct {
		Total int `json:"total"`
	}
	getJSON(t, ts, "/api/quotes", 200, &all)
	if all.Total <= 4 {
		t.Errorf("all quotes: %d", all.Total)
	}

	for _, c := range []struct {
		path string
		code int
	}{
		{"/api/entities/nope", 404},
		{"/api/entities?type=animal", 400},
		{"/api/entities?limit=0", 400},
		{"/api/quotes?speaker=nope", 404},
		{"/api/quotes?story=nope", 404},
		{"/api/quotes?offset=-3", 400},
	} {
		var e map[string]string
		getJSON(t, ts, c.path, c.code, &e)
		if e["error"] == "" {
			t.Errorf("%s: %v", c.path, e)
		}
	}
	if code, _, _ := get(t, ts, "/people/nope"); code != 404 {
		t.Errorf("/people/nope: %d", code)
	}

	// story and article pages link to the people; names and statements
	// are marked in the article's text
	sid, arts := damStory(t, ts)
	_, _, body = get(t, ts, "/stories/"+sid)
	if !strings.Contains(body, `<h3><a href="/people/`+id+`">Anna Rook</a>`) || !strings.Contains(body, `<li><a href="/people/`+id+`">Anna Rook</a>`) {
		t.Errorf("the story page does not link to Anna Rook")
	}
	for _, a := range arts {
		_, _, body = get(t, ts, "/articles/"+a)
		if !strings.Contains(body, `<a class="name" href="/people/`+id+`">Anna Rook</a>`) {
			t.Errorf("article %s: Anna Rook is not marked in the text", a)
		}
		if !strings.Contains(body, `<span class="said" title="said by Anna Rook">`) {
			t.Errorf("article %s: no statement of Anna Rook is marked", a)
		}
	}
}

func TestStoryFilters(t *testing.T) {
	ts := newServer(t, newStore(t, "testdata/fixture"))
	dam, _ := damStory(t, ts)
	id := rook(t, ts)
	var all storiesAnswer
	getJSON(t, ts, "/api/stories", 200, &all)

	ids := func(path string) []string {
		t.Helper()
		var st storiesAnswer
		getJSON(t, ts, path, 200, &st)
		var out []string
		for _, s := range st.Stories {
			out = append(out, s.ID)
		}
		if st.Total != len(out) {
			t.Errorf("%s: total %d, %d stories", path, st.Total, len(out))
		}
		return out
	}
	only := func(path string, want ...string) {
		t.Helper()
		if got := ids(path); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
	only("/api/stories?person="+id, dam)
	only("/api/stories?person=Rook", dam)
	only("/api/stories?person=anna+rook&outlet=river+post", dam)
	only("/api/stories?outlet=Valley%20Herald", dam)
	only("/api/stories?outlet=Nobody%20Times")
	// the dam story runs from 7 to 15 April: a range that touches it keeps it
	only("/api/stories?from=2025-04-15&to=2025-04-30&person="+id, dam)
	only("/api/stories?to=2025-04-07&person="+id, dam)
	only("/api/stories?from=2025-04-16&person=" + id)
	only("/api/stories?to=2025-04-06&person=" + id)
	if got := ids("/api/stories?from=2000-01-01"); len(got) == 0 || len(got) > all.Total {
		t.Errorf("from 2000: %v", got)
	}
	var st struct {
		Filters map[string]any `json:"filters"`
	}
	getJSON(t, ts, "/api/stories?person=Rook&from=2025-04-01", 200, &st)
	if st.Filters["person"] != id || st.Filters["from"] != "2025-04-01" || st.Filters["to"] != nil {
		t.Errorf("filters echoed: %v", st.Filters)
	}
	for _, p := range []string{"/api/stories?from=yesterday", "/api/stories?to=2025-13-01", "/api/stories?from=2025-05-01&to=2025-04-01",
		"/api/stories?person=Nobody+Atall", "/api/stories?outlet=" + strings.Repeat("x", MaxQuery+1)} {
		var e map[string]string
		getJSON(t, ts, p, 400, &e)
		if e["error"] == "" {
			t.Errorf("%s: %v", p, e)
		}
	}

	// the page: choices with counts, the count of what is kept, links that keep the filter
	_, _, body := get(t, ts, "/")
	for _, want := range []string{`<option value="Valley Herald">Valley Herald (1)</option>`, `<option value="` + id + `">Anna Rook (1)</option>`,
		`<input type="date" name="from" value="">`} {
		if !strings.Contains(body, want) {
			t.Errorf("stories page lacks %q", want)
		}
	}
	_, _, body = get(t, ts, "/?person="+id+"&from=2025-04-01&outlet=dale+times&limit=1")
	for _, want := range []string{`<option value="` + id + `" selected>`, `<option value="Dale Times" selected>`, `value="2025-04-01"`,
		fmt.Sprintf("1 story of %d", all.Total), "from 2025-04-01", "carried by dale times", "naming Anna Rook", "Northgate Dam"} {
		if !strings.Contains(body, want) {
			t.Errorf("filtered stories page lacks %q", want)
		}
	}
	if tb := storiesTable(body); strings.Contains(tb, "Harbour United") || !strings.Contains(tb, "Northgate Dam") {
		t.Error("the filter keeps the football story")
	}
	if code, _, _ := get(t, ts, "/?from=nope"); code != 400 {
		t.Errorf("/?from=nope: %d", code)
	}
}

// A search asked again with the same analysis is answered from memory; a
// newer analysis asks the store again and finds the new articles.
func TestSearchCache(t *testing.T) {
	store := newStore(t, "testdata/fixture")
	s, err := New(store, Options{Refresh: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sn, err := s.cache.current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.search(ctx, sn, "dam", 10)
	if err != nil || len(a) == 0 {
		t.Fatalf("search dam: %v %v", a, err)
	}
	b, _ := s.search(ctx, sn, "dam", 10)
	if &a[0] != &b[0] {
		t.Error("the same search was not answered from memory")
	}
	if c, _ := s.search(ctx, sn, "dam", 1); len(c) != 1 {
		t.Errorf("a search with another limit got the kept answer: %d hits", len(c))
	}
	if hits, _ := s.search(ctx, sn, "waited", 10); len(hits) != 0 {
		t.Fatalf("the fixture already has waited: %v", hits)
	}
	if _, err := pipeline.Run(ctx, &ingest.Reader{}, []string{"testdata/extra"}, store, pipeline.Options{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.PlaceStories(ctx, store, 0, nil); err != nil {
		t.Fatal(err)
	}
	sn2, err := s.cache.refresh(ctx)
	if err != nil || sn2 == sn {
		t.Fatalf("no newer analysis: %v", err)
	}
	if hits, _ := s.search(ctx, sn2, "waited", 10); len(hits) != 1 {
		t.Errorf("the newer analysis's search does not find the new article: %v", hits)
	}
	for i := range maxCachedSearches + 5 {
		s.search(ctx, sn2, fmt.Sprintf("word%d", i), 10)
	}
	if n := s.searches.hits.len(); n != maxCachedSearches || len(s.searches.hits.order) != n {
		t.Errorf("%d searches kept, %d in order; at most %d", n, len(s.searches.hits.order), maxCachedSearches)
	}
}

// A story's detail is made once per analysis; the largest stories' ahead.
func TestDetailCache(t *testing.T) {
	store := newStore(t, "testdata/fixture")
	s, err := New(store, Options{Refresh: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sn, err := s.cache.current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.warm(ctx, sn)
	s.details.mu.Lock()
	_, made := s.details.byID.get(sn.stories[0].ID)
	s.details.mu.Unlock()
	if !made {
		t.Error("the largest story's detail was not made ahead")
	}
	a, err := s.detail(ctx, sn, 0)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.storyDetail(ctx, sn, sn.stories[0])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, want) {
		t.Error("the kept detail is not the story's detail")
	}
	if b, _ := s.detail(ctx, sn, 0); &a.Events[0] != &b.Events[0] {
		t.Error("the detail was made again for the same analysis")
	}
	// the page from the kept content is the page rendered whole
	id := sn.stories[0].ID
	whole := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/stories/"+id, nil)
	s.render(whole, req, 200, "story", map[string]any{"Title": want.Story.DisplayTitle(), "D": want, "People": sn.storyPeople(sn.stories[0])})
	for range 2 {
		got := httptest.NewRecorder()
		s.ServeHTTP(got, req)
		if got.Code != 200 || got.Body.String() != whole.Body.String() {
			t.Errorf("the story page from kept content differs from the page rendered whole (%d)", got.Code)
		}
	}
	// a newer analysis makes it again
	if _, err := pipeline.Run(ctx, &ingest.Reader{}, []string{"testdata/extra"}, store, pipeline.Options{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.PlaceStories(ctx, store, 0, nil); err != nil {
		t.Fatal(err)
	}
	sn2, err := s.cache.refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := s.detail(ctx, sn2, 0); len(c.Events) > 0 && len(a.Events) > 0 && &c.Events[0] == &a.Events[0] {
		t.Error("a newer analysis got the detail of the older one")
	}
}
