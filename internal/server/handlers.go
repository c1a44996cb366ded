package server

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/storyline-news/storyline"
)

var funcs = template.FuncMap{
	"deref":   deref,
	"plural":  plural,
	"linkify": linkify,
	"marks":   marks,
	"short": func(id string) string {
		if len(id) > 12 {
			return id[:12]
		}
		return id
	},
	"inc":    func(i int) int { return i + 1 },
	"join":   strings.Join,
	"eqfold": strings.EqualFold,
}

// render executes a page into a buffer first, so that a template error
// gives a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data map[string]any) {
	if at, updating := s.cache.status(); !at.IsZero() {
		data["AsOf"], data["Updating"] = at.UTC().Format("2006-01-02 15:04:05 UTC"), updating
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout.html", data); err != nil {
		s.log.Error("rendering page", "page", name, "err", err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", map[string]any{"Title": http.StatusText(status), "Status": status, "Message": msg})
}

func (s *Server) failPage(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.status(r, err)
	s.errorPage(w, r, status, msg)
}

// storyList reads the stories list's query and gives the page of it asked.
func (s *Server) storyList(r *http.Request) (sn *snapshot, f storyFilter, list []storySummary, total, limit, offset int, err error) {
	limit, offset, err = page(r.URL.Query())
	if err != nil {
		return
	}
	if sn, err = s.cache.current(r.Context()); err != nil {
		return
	}
	if f, err = sn.parseFilter(r.URL.Query()); err != nil {
		return
	}
	ts, err := s.storiesMatching(r.Context(), sn, f.Q)
	if err != nil {
		return
	}
	ts = sn.apply(f, ts)
	total = len(ts)
	ts = ts[min(offset, total):min(offset+limit, total)]
	list = make([]storySummary, 0, len(ts))
	for _, t := range ts {
		list = append(list, sn.summary(t))
	}
	return
}

func (s *Server) storiesPage(w http.ResponseWriter, r *http.Request) {
	sn, f, list, total, limit, offset, err := s.storyList(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	people := sn.personFacets
	if f.Person != nil {
		in := false
		for _, p := range people {
			in = in || p.Value == *f.Person
		}
		if !in {
			people = append([]facet{{Value: *f.Person, Label: f.PersonName}}, people...)
		}
	}
	data := map[string]any{"Title": "Stories", "Q": f.Q, "F": f, "Filtered": f.Q != "" || f.active(), "Stories": list, "Total": total,
		"All": len(sn.stories), "Articles": len(sn.articles), "Offset": offset, "Limit": limit,
		"Outlets": sn.outletFacets, "People": people}
	if offset > 0 {
		data["Prev"] = pageLink(f, max(offset-limit, 0), limit)
	}
	if offset+limit < total {
		data["Next"] = pageLink(f, offset+limit, limit)
	}
	s.render(w, r, http.StatusOK, "stories", data)
}

func pageLink(f storyFilter, offset, limit int) string {
	v := f.values()
	v.Set("offset", fmt.Sprint(offset))
	v.Set("limit", fmt.Sprint(limit))
	return "/?" + v.Encode()
}

func (s *Server) storyPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	sn, err := s.cache.current(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	i, ok := sn.storyByID[id]
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "No story with this ID.")
		return
	}
	title, body, err := s.storyBody(r.Context(), sn, i)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "body", map[string]any{"Title": title, "Body": body})
}

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a, err := s.store.Article(r.Context(), id)
	if err != nil {
		if isNotFound(err) {
			s.errorPage(w, r, http.StatusNotFound, "No article with this ID.")
			return
		}
		s.failPage(w, r, err)
		return
	}
	sn, err := s.cache.current(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	copies, err := s.store.Copies(r.Context(), id)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	data := map[string]any{"Title": a.Title, "A": a, "Paragraphs": sn.highlight(&a), "URL": safeURL(a.URL), "Published": a.PublishedString(),
		"Named": sn.namedIn([]string{id})}
	if len(copies) > 1 {
		data["Copies"] = copies[1:]
	}
	if sid, ok := sn.storyOf[id]; ok {
		data["Story"] = sn.summary(sn.stories[sn.storyByID[sid]])
	}
	var said []versionView
	for _, i := range sn.inArticle[id] {
		if st := sn.statements[i]; st.Article == id {
			who := st.SpeakerName
			if who == "" {
				who = deref(st.Speaker)
			}
			said = append(said, versionView{Quote: st.ID, Article: id, Text: st.Text, Cue: st.Cue, Speaker: nullable(who), Kind: st.Kind})
		}
	}
	data["Said"] = said
	if a.Title == "" {
		data["Title"] = "Article " + a.ID
	}
	s.render(w, r, http.StatusOK, "article", data)
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q, err := query(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	data := map[string]any{"Title": "Search", "Q": q}
	if q != "" {
		sn, err := s.cache.current(r.Context())
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		hits, err := s.search(r.Context(), sn, q, searchPageLimit)
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		type hitView struct {
			storyline.SearchHit
			Snippet []segment
		}
		views := make([]hitView, 0, len(hits))
		for _, h := range hits {
			views = append(views, hitView{SearchHit: h, Snippet: marks(h.Snippet)})
		}
		data["Hits"] = views
		data["Title"] = "Search: " + q
	}
	s.render(w, r, http.StatusOK, "search", data)
}

// API

func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.status(r, err)
	writeError(w, status, msg)
}

func (s *Server) apiStories(w http.ResponseWriter, r *http.Request) {
	_, f, list, total, limit, offset, err := s.storyList(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"stories": list, "total": total, "limit": limit, "offset": offset, "filters": f})
}

func (s *Server) apiStory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	sn, err := s.cache.current(r.Context())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	i, ok := sn.storyByID[id]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no story %q", clip(id, 80)))
		return
	}
	d, err := s.detail(r.Context(), sn, i)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a, err := s.store.Article(r.Context(), id)
	if err != nil {
		if isNotFound(err) {
			writeError(w, http.StatusNotFound, fmt.Sprintf("no article %q", clip(id, 80)))
			return
		}
		s.apiFail(w, r, err)
		return
	}
	copies, err := s.store.Copies(r.Context(), id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	sn, err := s.cache.current(r.Context())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toArticleJSON(a, sn.storyOf[id], copies))
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	q, err := query(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if q == "" {
		writeError(w, http.StatusBadRequest, "q is missing: /api/search?q=words")
		return
	}
	limit, offset, err := page(r.URL.Query())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	sn, err := s.cache.current(r.Context())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	hits, err := s.search(r.Context(), sn, q, min(offset+limit, searchLimit*5))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	hits = hits[min(offset, len(hits)):]
	if hits == nil {
		hits = []storyline.SearchHit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": hits, "limit": limit, "offset": offset})
}

func isNotFound(err error) bool { return errors.Is(err, storyline.ErrNotFound) }
