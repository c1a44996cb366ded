package server

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract"
	"github.com/storyline-news/storyline/internal/pipeline"
)

// Bounds on POST /api/articles.
const (
	// MaxBody is the largest request body accepted, in bytes.
	MaxBody = 4 << 20
	// MaxPostArticles is the most articles one request may carry.
	MaxPostArticles = 100
	// postSource is the source recorded for articles posted to the API.
	postSource = "POST /api/articles"
)

// postArticle is one article of a POST /api/articles JSON body: the keys
// of a line of a JSONL file that `storyline ingest` reads.
type postArticle struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
	Published string `json:"published"`
	Outlet    string `json:"outlet"`
	Author    string `json:"author"`
}

// postResult is what became of one posted article.
type postResult struct {
	Index   int     `json:"index"`
	ID      *string `json:"id"`
	Created bool    `json:"created"`
	Title   *string `json:"title,omitempty"`
	Page    *string `json:"page,omitempty"`
	Error   *string `json:"error,omitempty"`
}

// authorized tells whether the request carries the token, as
// "Authorization: Bearer TOKEN". Both sides are hashed first, so that
// the comparison takes the same time whatever the token's length.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	return subtle.ConstantTimeCompare(got[:], s.token[:]) == 1
}

func (s *Server) apiPostArticles(w http.ResponseWriter, r *http.Request) {
	if !s.ingest {
		writeError(w, http.StatusForbidden, "ingesting is off: start storyline serve with --token (or STORYLINE_TOKEN) to accept POST /api/articles")
		return
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="storyline"`)
		writeError(w, http.StatusUnauthorized, "a valid token is needed: Authorization: Bearer TOKEN")
		return
	}
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil && ct != "" {
		writeError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q cannot be read: send application/json or text/html", clip(ct, 80)))
		return
	}
	if mt != "application/json" && mt != "text/html" && mt != "application/xhtml+xml" {
		writeError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q: send application/json (an article object or an array of them) or text/html (a page)", clip(ct, 80)))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", MaxBody))
			return
		}
		writeError(w, http.StatusBadRequest, "the body could not be read: "+err.Error())
		return
	}
	if len(bytes.TrimSpace(body)) == 0 {
		writeError(w, http.StatusBadRequest, "the body is empty")
		return
	}
	var docs []storyline.RawDoc
	if mt == "application/json" {
		docs, err = jsonDocs(body)
	} else {
		docs, err = htmlDoc(r, body)
	}
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	results, created, stored := s.ingestDocs(w, r, docs)
	if stored == nil {
		return // the store failed; answered
	}
	if created > 0 {
		// the poster reads what it wrote: the analysis is brought up to
		// date (for the new articles only) before the answer
		if _, err := s.cache.refresh(r.Context()); err != nil {
			s.log.Error("analysis after POST /api/articles", "err", err)
		}
	}
	status := http.StatusOK
	switch {
	case created > 0:
		status = http.StatusCreated
	case len(stored) == 0:
		status = http.StatusUnprocessableEntity
	}
	answer := map[string]any{"articles": results, "created": created}
	if len(stored) == 0 {
		answer["error"] = "no article could be extracted"
	}
	writeJSON(w, status, answer)
}

// ingestDocs extracts the documents as `storyline ingest` does, stores the
// articles in one transaction and places them in stories. stored is nil
// when the store failed (the error is answered).
func (s *Server) ingestDocs(w http.ResponseWriter, r *http.Request, docs []storyline.RawDoc) (results []postResult, created int, stored []storyline.Article) {
	now := time.Now().UTC()
	results = make([]postResult, len(docs))
	var idx []int
	stored = []storyline.Article{}
	for i, d := range docs {
		results[i].Index = i
		a, err := extract.Article(d, now)
		if err != nil {
			msg := err.Error()
			results[i].Error = &msg
			continue
		}
		stored = append(stored, a)
		idx = append(idx, i)
	}
	if len(stored) == 0 {
		return results, 0, stored
	}
	s.placing.Lock()
	defer s.placing.Unlock()
	flags, err := s.store.SaveArticles(r.Context(), stored)
	if err != nil {
		s.apiFail(w, r, err)
		return nil, 0, nil
	}
	if _, err := pipeline.PlaceStories(r.Context(), s.store, 0, nil); err != nil {
		s.apiFail(w, r, err)
		return nil, 0, nil
	}
	for k, a := range stored {
		res := &results[idx[k]]
		id, page := a.ID, "/articles/"+a.ID
		res.ID, res.Page, res.Title = &id, &page, nullable(a.Title)
		if k < len(flags) && flags[k] {
			res.Created = true
			created++
		}
	}
	s.log.Info("ingested through the API", "documents", len(docs), "created", created)
	return results, created, stored
}

// jsonDocs reads a JSON body: one article object or an array of them.
// Unknown keys are refused, so that a misspelt key is not silently lost.
func jsonDocs(body []byte) ([]storyline.RawDoc, error) {
	t := bytes.TrimSpace(body)
	var arts []postArticle
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.DisallowUnknownFields()
	var err error
	if t[0] == '[' {
		err = dec.Decode(&arts)
	} else {
		var a postArticle
		err = dec.Decode(&a)
		arts = []postArticle{a}
	}
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value: send one object or one array")
	}
	if err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, badRequest{fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, err)}
		case errors.As(err, &te):
			return nil, badRequest{fmt.Sprintf("invalid JSON: %q must be a %s, not a JSON %s", te.Field, te.Type, te.Value)}
		}
		return nil, badRequest{"invalid JSON: " + err.Error() + ` (want {"url","title","text" or "html","published","outlet","author"} or an array of such objects)`}
	}
	if len(arts) == 0 {
		return nil, badRequest{"the array holds no article"}
	}
	if len(arts) > MaxPostArticles {
		return nil, badRequest{fmt.Sprintf("%d articles in one request; at most %d", len(arts), MaxPostArticles)}
	}
	docs := make([]storyline.RawDoc, 0, len(arts))
	for i, a := range arts {
		src := postSource
		if len(arts) > 1 || t[0] == '[' {
			src += "#" + strconv.Itoa(i)
		}
		d := storyline.RawDoc{Source: src, URL: a.URL, Title: a.Title, Outlet: a.Outlet, Author: a.Author, Published: a.Published}
		switch {
		case a.HTML != "":
			d.Kind, d.Body = storyline.KindHTML, []byte(a.HTML)
		case a.Text != "":
			d.Kind, d.Body = storyline.KindText, []byte(a.Text)
		default:
			return nil, badRequest{fmt.Sprintf(`article %d has neither "text" nor "html"`, i)}
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// htmlDoc reads an HTML page body; ?url=, ?title=, ?outlet=, ?author= and
// ?published= give what the page may not say.
func htmlDoc(r *http.Request, body []byte) ([]storyline.RawDoc, error) {
	v := r.URL.Query()
	d := storyline.RawDoc{Source: postSource, Kind: storyline.KindHTML, Body: body,
		URL: v.Get("url"), Title: v.Get("title"), Outlet: v.Get("outlet"), Author: v.Get("author"), Published: v.Get("published")}
	return []storyline.RawDoc{d}, nil
}
