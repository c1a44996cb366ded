// Package server is storyline's web UI and JSON API: the stories, their
// timelines, who said what and where outlets disagree, the clean articles,
// and full-text search, over a storyline.Store.
//
// It is read-only unless given a token: then POST /api/articles ingests
// articles through the same extraction as `storyline ingest`. Pages are html/template with embedded assets (no CDN,
// no script needed to read them) under a strict Content-Security-Policy;
// article content is hostile and always escaped, never rendered as HTML.
// The analysis (entities, quotes, stories, disagreements) is kept in
// memory and brought up to date in the background as the store grows,
// analysing only what changed; meanwhile requests get the previous one,
// whose time the X-Analysis-As-Of header and the pages' footer give.
package server

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/storyline-news/storyline"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Bounds on what a request may ask.
const (
	// MaxQuery is the longest search query accepted, in bytes.
	MaxQuery = 500
	// DefaultLimit is the page size of lists when ?limit= is not given.
	DefaultLimit = 50
	// MaxLimit is the largest page size a list gives.
	MaxLimit = 500
	// maxOffset bounds ?offset=.
	maxOffset = 1_000_000_000
	// searchLimit is how many articles a search looks at to find the
	// stories that match words.
	searchLimit = 200
	// searchPageLimit is how many articles the search page lists.
	searchPageLimit = 50
)

// CSP is the Content-Security-Policy of every response: only the server's
// own stylesheet and images, no script at all, no inline style.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Options tune a Server. The zero value is ready to use.
type Options struct {
	// Refresh is how often at most the store is asked whether it changed;
	// 0 means one second.
	Refresh time.Duration
	// Log receives request errors; nil discards them.
	Log *slog.Logger
	// Token, when set, turns on POST /api/articles for requests that
	// carry it (Authorization: Bearer TOKEN); without it the server is
	// read-only and refuses POST /api/articles with 403.
	Token string
}

// Server serves the UI and the API of one store. Create it with New.
type Server struct {
	store storyline.Store
	cache *cache
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux

	ingest bool     // POST /api/articles is on
	token  [32]byte // SHA-256 of the token
	// placing is held while articles are stored or placed in stories, so
	// that a POST and the analysis never place the same articles twice.
	placing sync.Mutex
	metrics *metrics
	api     []string // the patterns of the API's routes
	// searches keeps recent search answers (see searchCache), details
	// the details of stories (see detailCache)
	searches searchCache
	details  detailCache
	// bg is the work that outlives requests, which Shutdown stops
	bg *background
}

// New returns a Server over the store. The store is only read, except that
// articles stored but not placed in stories yet are placed (as `storyline
// stories` does).
func New(store storyline.Store, opt Options) (*Server, error) {
	if opt.Refresh <= 0 {
		opt.Refresh = time.Second
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: store, log: opt.Log, pages: map[string]*template.Template{}, bg: newBackground()}
	s.cache = &cache{store: store, interval: opt.Refresh, placing: &s.placing, log: opt.Log, bg: s.bg}
	// every snapshot that comes out has its largest stories' details
	// made ahead
	s.cache.published = func(sn *snapshot) {
		s.bg.start(func(ctx context.Context) { s.warm(ctx, sn) })
	}
	if opt.Token != "" {
		s.ingest, s.token = true, sha256.Sum256([]byte(opt.Token))
	}
	// body is a page whose content was rendered before (see storyBody)
	for _, name := range []string{"stories", "story", "article", "person", "search", "error", "body"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("server: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	s.metrics = newMetrics(s)
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	m := http.NewServeMux()
	api := func(pattern string, h http.HandlerFunc) {
		s.api = append(s.api, pattern)
		m.HandleFunc(pattern, h)
	}
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /healthz", s.healthz)
	m.Handle("GET /metrics", s.metrics.handler())
	api("GET /api/openapi.json", serveOpenAPI)
	m.HandleFunc("GET /{$}", s.storiesPage)
	m.HandleFunc("GET /stories/{id}", s.storyPage)
	m.HandleFunc("GET /articles/{id}", s.articlePage)
	m.HandleFunc("GET /people/{id}", s.personPage)
	m.HandleFunc("GET /search", s.searchPage)
	api("GET /api/stories", s.apiStories)
	api("GET /api/stories/{id}", s.apiStory)
	api("GET /api/articles/{id}", s.apiArticle)
	api("POST /api/articles", s.apiPostArticles)
	api("GET /api/search", s.apiSearch)
	api("GET /api/entities", s.apiEntities)
	api("GET /api/entities/{id}", s.apiEntity)
	api("GET /api/quotes", s.apiQuotes)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API route: "+r.URL.Path)
	})
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "No page here.")
	})
	s.mux = m
	return s, nil
}

// apiRoutes lists the patterns of the JSON API's routes.
func apiRoutes(s *Server) []string { return s.api }

// Warm builds the analysis of the store's current state ahead of the
// first request.
func (s *Server) Warm(ctx context.Context) error {
	_, err := s.cache.current(ctx)
	return err
}

// Shutdown stops the server's background work, so that the store can be
// closed after it: no more analysis or story detail starts, the store
// calls of those under way are cancelled, and Shutdown waits for them to
// end, or for ctx to be done (then it returns an error wrapping ctx's).
// A build of the analysis that has read the store finishes its
// computation before it ends. Requests answered after Shutdown that need
// an analysis not built yet fail. Call it after the HTTP server stopped
// (http.Server.Shutdown), before closing the store.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.bg.stop(ctx)
}

// ServeHTTP answers a request: security headers on every response, GET and
// HEAD only, a panic answered with 500 rather than a dropped connection.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w := &statusWriter{ResponseWriter: rw}
	defer func() {
		code := w.code
		if code == 0 {
			code = http.StatusOK
		}
		s.metrics.observe(r.Pattern, r.Method, code, time.Since(start))
	}()
	h := w.Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	// the analysis a response reflects: a newer one may be under way
	// (see cache.current)
	if at, updating := s.cache.status(); !at.IsZero() {
		h.Set("X-Analysis-As-Of", at.UTC().Format(time.RFC3339))
		if updating {
			h.Set("X-Analysis-Updating", "true")
		}
	}
	isAPI := strings.HasPrefix(r.URL.Path, "/api/")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving request", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			if isAPI {
				writeError(w, http.StatusInternalServerError, "internal error")
			} else {
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}
	}()
	if r.Method == http.MethodPost && r.URL.Path == "/api/articles" {
		s.mux.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		if isAPI {
			writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed: the API is read-only")
		} else {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
		return
	}
	if r.ContentLength != 0 || len(r.URL.RawQuery) > 4*MaxQuery {
		if isAPI {
			writeError(w, http.StatusBadRequest, "request too large: no body, and a query string of at most 2000 bytes")
		} else {
			http.Error(w, "request too large", http.StatusBadRequest)
		}
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

// badRequest marks a request the client must change.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

// query reads ?q=, bounded.
func query(r *http.Request) (string, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > MaxQuery {
		return "", badRequest{fmt.Sprintf("q is %d bytes long; at most %d", len(q), MaxQuery)}
	}
	return q, nil
}

// page reads ?limit= and ?offset=: limit defaults to DefaultLimit and is
// cut to MaxLimit; both must be whole numbers, limit at least 1.
func page(v url.Values) (limit, offset int, err error) {
	limit, offset = DefaultLimit, 0
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, 0, badRequest{fmt.Sprintf("limit %q: want a whole number from 1 to %d", clip(s, 40), MaxLimit)}
		}
		limit = min(n, MaxLimit)
	}
	if s := v.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxOffset {
			return 0, 0, badRequest{fmt.Sprintf("offset %q: want a whole number from 0", clip(s, 40))}
		}
		offset = n
	}
	return limit, offset, nil
}

// status maps an error to an HTTP status and a message for the client.
func (s *Server) status(r *http.Request, err error) (int, string) {
	var br badRequest
	switch {
	case errors.As(err, &br):
		return http.StatusBadRequest, br.msg
	case errors.Is(err, storyline.ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "the request was cancelled"
	}
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	return http.StatusInternalServerError, "internal error reading the store"
}

// writeJSON writes v as JSON with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error encoding the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// writeError writes {"error": msg} with the status.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
