package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// chromiumPath is Debian's chromium, or $STORYLINE_CHROMIUM. A test
// without it skips, and fails under CI=true (.ci/run installs it).
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("STORYLINE_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser test: no chromium at %s (%v); CI must install it (apt-get install chromium, see .ci/run)", p, err)
		}
		t.Skipf("browser test skipped: no chromium at %s (apt-get install chromium, or set STORYLINE_CHROMIUM)", p)
	}
	return p
}

// browser starts a headless chromium for the test and records the
// JavaScript dialogs any page opens (and dismisses them).
func browser(t *testing.T) (ctx context.Context, dialogs func() []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting chromium: %v", err)
	}
	var mu sync.Mutex
	var seen []string
	opening := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for e, err := range opening {
			if err != nil {
				return
			}
			mu.Lock()
			seen = append(seen, string(e.Type)+": "+e.Message)
			mu.Unlock()
			go chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// artifactDir is where screenshots go: $STORYLINE_TEST_ARTIFACTS when
// set (CI keeps it), else the test's artifact directory (kept with
// go test -artifacts).
func artifactDir(t *testing.T) string {
	if d := os.Getenv("STORYLINE_TEST_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.ArtifactDir()
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// The seed story in a real browser: the timeline is drawn, Zelenskyy's
// statement and a disagreement are on screen.
func TestBrowserSeedStory(t *testing.T) {
	chromiumPath(t)
	seeds := corpustest.Seeds(t)
	bg := context.Background()
	store, err := sqlite.Open(bg, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.SaveArticles(bg, seeds); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.PlaceStories(bg, store, 0, nil); err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, store)
	var st storiesAnswer
	getJSON(t, ts, "/api/stories?person=Zelenskyy", 200, &st)
	if len(st.Stories) == 0 {
		t.Fatal("no story names Zelenskyy")
	}
	id := st.Stories[0].ID

	ctx, dialogs := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/stories/"+id), chromedp.WaitVisible(chromedp.CSS("figure.timeline svg"))); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("figure.timeline svg circle.dot").length`); n < 2 {
		t.Errorf("the timeline has %d dots", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("figure.timeline svg circle.dot.first").length`); n != 1 {
		t.Errorf("the timeline marks %d first reports, want 1", n)
	}
	// the drawn SVG has a size: it is rendered, not only in the markup
	if w := eval[float64](t, ctx, `document.querySelector("figure.timeline svg").getBoundingClientRect().width`); w < 300 {
		t.Errorf("the timeline is %.0f px wide", w)
	}
	// innerText holds only what is rendered
	said := eval[string](t, ctx, `[...document.querySelectorAll(".speaker")].map(e => e.innerText).join("\n")`)
	if !strings.Contains(said, "Zelenskyy") || !strings.Contains(said, "peacekeeping") {
		t.Errorf("Zelenskyy's statement is not shown: %q", clip(said, 600))
	}
	dis := eval[string](t, ctx, `[...document.querySelectorAll(".disagreement")].map(e => e.innerText).join("\n")`)
	if !strings.Contains(dis, "Why:") {
		t.Errorf("no disagreement is shown: %q", clip(dis, 600))
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll(".disagreement")].filter(e => e.getBoundingClientRect().height > 0).length`); n == 0 {
		t.Error("the disagreements take no room on the page")
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 gives a PNG
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(artifactDir(t), "seed-story.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(shot))
	top, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the first screen: title and timeline
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifactDir(t), "seed-story-top.png"), top, 0o644); err != nil {
		t.Fatal(err)
	}

	// the people page of Zelenskyy, reached by the link on his name
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".speaker h3 a")), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	if body := eval[string](t, ctx, `document.body.innerText`); !strings.Contains(body, "Roles over time") || !strings.Contains(body, "Statements") {
		t.Errorf("the person page: %q", clip(body, 400))
	}
	if d := dialogs(); len(d) > 0 {
		t.Errorf("dialogs opened: %v", d)
	}
}

// hostileDoc tries every way to run script: inline script, event
// handlers, javascript: links, in the text, the title and the outlet.
const hostileDoc = `{"url": "javascript:window.__xss='url'", "outlet": "<img src=x onerror=\"window.__xss='outlet';alert('outlet')\">Evil Outlet",
 "title": "Dam report <script>window.__xss='title';document.title='pwned'</script>", "published": "2025-04-09",
 "text": "The Northgate Dam spillway report <script>window.__xss='script';document.title='pwned';alert('script')</script> was published.\n\nSee <img src=x onerror=\"window.__xss='img';alert('img')\"> and <a href=\"javascript:window.__xss='link';alert('link')\">this link</a> or javascript:alert('bare') for details about the dam, <svg onload=\"window.__xss='svg'\"></svg> <iframe src=\"javascript:alert('iframe')\"></iframe>.\n\nWater Minister Anna Rook said: \"<script>window.__xss='quote';alert('quote')</script> the dam will be rebuilt, and soon.\""}`

// An article made of script payloads, ingested through POST
// /api/articles and shown on every page, runs nothing in a real browser.
func TestBrowserXSS(t *testing.T) {
	chromiumPath(t)
	store := newStore(t, "testdata/fixture")
	s, err := New(store, Options{Token: testToken, Refresh: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	code, _, v := post(t, ts, "Bearer "+testToken, "application/json", []byte(hostileDoc), "")
	if code != 201 {
		t.Fatalf("POST the hostile article: %d %v", code, v)
	}
	id := v["articles"].([]any)[0].(map[string]any)["id"].(string)
	var a articleJSON
	getJSON(t, ts, "/api/articles/"+id, 200, &a)
	if !strings.Contains(a.Text, "<script>window.__xss") || a.Story == nil {
		t.Fatalf("the stored article lost its payload or its story, the test proves nothing: %+v", a)
	}
	pages := []string{"/articles/" + id, "/stories/" + *a.Story, "/", "/search?q=onerror", "/?q=script"}
	var es struct {
		Entities []entitySummary `json:"entities"`
	}
	getJSON(t, ts, "/api/entities?q=Rook", 200, &es)
	for _, e := range es.Entities {
		pages = append(pages, "/people/"+e.ID)
	}

	ctx, dialogs := browser(t)
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+p), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if x := eval[string](t, ctx, `typeof window.__xss === "undefined" ? "" : String(window.__xss)`); x != "" {
			t.Errorf("%s: a payload ran: window.__xss = %q", p, x)
		}
		// the title shows the payload as text; a payload that ran would have made it "pwned"
		if title := eval[string](t, ctx, `document.title`); title == "pwned" {
			t.Errorf("%s: document.title = %q", p, title)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("script, img, iframe, svg [onload], [onerror], a[href^='javascript:' i]").length`); n != 0 {
			t.Errorf("%s: %d script, img, iframe, handler or javascript: elements in the DOM", p, n)
		}
		// the payload is on the page, as text
		if p == "/articles/"+id {
			body := eval[string](t, ctx, `document.body.innerText`)
			for _, want := range []string{"<script>window.__xss='script'", `<img src=x onerror=`, "javascript:alert('bare')"} {
				if !strings.Contains(body, want) {
					t.Errorf("the article page does not show %q as text", want)
				}
			}
			// the text that looks like a link is not one; clicking it does nothing
			cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			err := chromedp.Do(cctx, chromedp.Click(chromedp.CSS("article .text p:nth-of-type(2)")))
			cancel()
			if err != nil {
				t.Errorf("clicking the text of the javascript: link: %v", err)
			}
			if x := eval[string](t, ctx, `typeof window.__xss === "undefined" ? "" : String(window.__xss)`); x != "" {
				t.Errorf("clicking ran a payload: %q", x)
			}
		}
	}
	time.Sleep(200 * time.Millisecond) // let a late dialog event arrive
	if d := dialogs(); len(d) > 0 {
		t.Errorf("JavaScript dialogs opened: %v", d)
	}
}

// The harness sees a payload that runs: on a page without the server's
// escaping and CSP, the same checks find window.__xss and the dialog, so
// TestBrowserXSS passing means something.
func TestBrowserDetectsScript(t *testing.T) {
	chromiumPath(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><title>x</title><script>window.__xss='script';alert('ran')</script><footer>end</footer>`)
	}))
	defer ts.Close()
	ctx, dialogs := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		t.Fatal(err)
	}
	if x := eval[string](t, ctx, `typeof window.__xss === "undefined" ? "" : String(window.__xss)`); x != "script" {
		t.Errorf("window.__xss = %q, want \"script\"", x)
	}
	for deadline := time.Now().Add(5 * time.Second); len(dialogs()) == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if d := dialogs(); len(d) != 1 || !strings.Contains(d[0], "ran") {
		t.Errorf("dialogs: %v", d)
	}
}
