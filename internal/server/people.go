package server

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/quote"
	"github.com/storyline-news/storyline/internal/story"
)

// entitySummary is one entity of a list: without its article IDs, roles
// and evidence, which /api/entities/{id} gives.
type entitySummary struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Type       string   `json:"type"`
	Variants   []string `json:"variants"`
	Mentions   int      `json:"mentions"`
	Articles   int      `json:"article_count"`
	Statements int      `json:"statement_count"`
}

func (sn *snapshot) entitySummary(e storyline.Entity) entitySummary {
	v := e.Variants
	if v == nil {
		v = []string{}
	}
	return entitySummary{ID: e.ID, Name: e.Name, Type: e.Type, Variants: v, Mentions: e.Mentions,
		Articles: len(e.Articles), Statements: len(sn.saidBy[e.ID])}
}

// roleSpan is one role an entity was given, from the first article that
// gave it to the last.
type roleSpan struct {
	Role string `json:"role"`
	// From and To are the first and last publish dates of the articles
	// that gave the role; null when none of them is dated.
	From     *string  `json:"from"`
	To       *string  `json:"to"`
	Articles []string `json:"articles"`
	Undated  int      `json:"undated"`
}

// Span writes the role's dates for people.
func (r roleSpan) Span() string {
	switch {
	case r.From == nil:
		return "undated"
	case *r.From == *r.To:
		return *r.From
	}
	return *r.From + " – " + *r.To
}

// rolesOverTime groups the roles an entity was given (the same role in
// other capitals is one), earliest first, undated last.
func rolesOverTime(roles []storyline.EntityRole) []roleSpan {
	var out []roleSpan
	at := map[string]int{}
	for _, r := range roles {
		key := strings.ToLower(strings.Join(strings.Fields(r.Role), " "))
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, roleSpan{Role: r.Role, Articles: []string{}})
		}
		rs := &out[i]
		if len(rs.Articles) == 0 || rs.Articles[len(rs.Articles)-1] != r.Article {
			rs.Articles = append(rs.Articles, r.Article)
		}
		if r.Date == nil || *r.Date == "" {
			rs.Undated++
			continue
		}
		d := shortDate(*r.Date)
		if rs.From == nil || d < *rs.From {
			rs.From = &d
		}
		if rs.To == nil || d > *rs.To {
			d2 := d
			rs.To = &d2
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		fi, fj := out[i].From, out[j].From
		if (fi == nil) != (fj == nil) {
			return fj == nil
		}
		return fi != nil && *fi < *fj
	})
	if out == nil {
		out = []roleSpan{}
	}
	return out
}

// storyRef is a story an entity appears in.
type storyRef struct {
	ID       string  `json:"id"`
	Title    *string `json:"title"`
	Articles int     `json:"articles"` // the story's articles that mention the entity
}

// DisplayTitle is the title, or "(untitled)".
func (s storyRef) DisplayTitle() string {
	if s.Title == nil || *s.Title == "" {
		return "(untitled)"
	}
	return *s.Title
}

// maxEntityStories bounds the stories listed on a person's page.
const maxEntityStories = 50

// entityDetail is one entity in full, for the page and the API.
type entityDetail struct {
	Entity storyline.Entity `json:"entity"`
	Roles  []roleSpan       `json:"roles_over_time"`
	// Statements are what the entity said, one statement once with every
	// outlet's version, in date order (undated last).
	Statements []statementView `json:"statements"`
	Stories    []storyRef      `json:"stories"`
}

func (sn *snapshot) entityDetail(e storyline.Entity) entityDetail {
	d := entityDetail{Entity: e, Roles: rolesOverTime(e.Roles), Statements: []statementView{}, Stories: []storyRef{}}
	for _, f := range []*[]string{&d.Entity.Variants, &d.Entity.Articles, &d.Entity.Evidence} {
		if *f == nil {
			*f = []string{}
		}
	}
	if d.Entity.Roles == nil {
		d.Entity.Roles = []storyline.EntityRole{}
	}
	var stmts []quote.Statement
	for _, i := range sn.saidBy[e.ID] {
		stmts = append(stmts, sn.statements[i])
	}
	d.Statements = groupStatements(stmts)
	count := map[string]int{}
	var order []string
	for _, id := range e.Articles {
		sid, ok := sn.storyOf[id]
		if !ok {
			continue
		}
		if count[sid] == 0 {
			order = append(order, sid)
		}
		count[sid]++
	}
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	for _, sid := range order[:min(len(order), maxEntityStories)] {
		t := sn.stories[sn.storyByID[sid]]
		d.Stories = append(d.Stories, storyRef{ID: sid, Title: t.Title, Articles: count[sid]})
	}
	return d
}

// groupStatements puts the versions of one statement together, each
// group's versions and the groups in date order, undated last.
func groupStatements(stmts []quote.Statement) []statementView {
	sort.SliceStable(stmts, func(i, j int) bool { return earlier(stmts[i], stmts[j]) })
	var out []statementView
	at := map[string]int{}
	for _, st := range stmts {
		key := st.ID
		if st.SameAs != nil {
			key = *st.SameAs
		}
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, statementView{ID: key})
		}
		sv := &out[i]
		sv.Direct = sv.Direct || st.Direct
		sv.Versions = append(sv.Versions, versionOf(st))
	}
	if out == nil {
		out = []statementView{}
	}
	return out
}

func earlier(a, b quote.Statement) bool {
	if a.Published.IsZero() != b.Published.IsZero() {
		return !a.Published.IsZero()
	}
	return a.Published.Before(b.Published)
}

// entity returns the entity of a known kind with this ID.
func (sn *snapshot) entity(id string) (storyline.Entity, bool) {
	i, ok := sn.entIdx[id]
	if !ok {
		return storyline.Entity{}, false
	}
	return sn.res.Entities[i], true
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request) {
	sn, err := s.cache.current(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	e, ok := sn.entity(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "No person, organisation or place with this ID.")
		return
	}
	d := sn.entityDetail(e)
	s.render(w, r, http.StatusOK, "person", map[string]any{"Title": e.Name, "D": d, "Articles": sn.articleRefs(e.Articles, maxEntityArticles)})
}

// maxEntityArticles bounds the articles listed on a person's page.
const maxEntityArticles = 100

// articleRef is an article in a list of links.
type articleRef struct {
	ID        string
	Title     string
	Outlet    string
	Published string
}

func (sn *snapshot) articleRefs(ids []string, limit int) []articleRef {
	var out []articleRef
	for _, id := range ids {
		a := sn.byID[id]
		if a == nil {
			continue
		}
		out = append(out, articleRef{ID: id, Title: a.Title, Outlet: a.Outlet, Published: a.PublishedString()})
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, pj := out[i].Published, out[j].Published
		if (pi == "") != (pj == "") {
			return pj == ""
		}
		return pi < pj
	})
	return out[:min(len(out), limit)]
}

// entitiesMatching lists the entities of a known kind, most mentioned
// first: of one type when typ is set, named so (any variant) when q is.
func (sn *snapshot) entitiesMatching(typ, q string) ([]storyline.Entity, error) {
	switch typ {
	case "", storyline.Person, storyline.Organization, storyline.Location:
	default:
		return nil, badRequest{fmt.Sprintf("type %q: want person, organization or location", clip(typ, 40))}
	}
	var out []storyline.Entity
	if q != "" {
		named := make([]storyline.Entity, 0, len(sn.named))
		for _, i := range sn.named {
			named = append(named, sn.res.Entities[i])
		}
		for _, e := range entity.Find(named, q) {
			if typ == "" || e.Type == typ {
				out = append(out, e)
			}
		}
		return out, nil
	}
	for _, i := range sn.named {
		if e := sn.res.Entities[i]; typ == "" || e.Type == typ {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *Server) apiEntities(w http.ResponseWriter, r *http.Request) {
	q, err := query(r)
	if err != nil {
		s.apiFail(w, r, err)
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
	es, err := sn.entitiesMatching(r.URL.Query().Get("type"), q)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	total := len(es)
	es = es[min(offset, total):min(offset+limit, total)]
	list := make([]entitySummary, 0, len(es))
	for _, e := range es {
		list = append(list, sn.entitySummary(e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"entities": list, "total": total, "limit": limit, "offset": offset})
}

func (s *Server) apiEntity(w http.ResponseWriter, r *http.Request) {
	sn, err := s.cache.current(r.Context())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	id := r.PathValue("id")
	e, ok := sn.entity(id)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no entity %q", clip(id, 80)))
		return
	}
	writeJSON(w, http.StatusOK, sn.entityDetail(e))
}

// quoteJSON is a quote as the API gives it: the report's quote, with its
// kind, the canonical name of its speaker and its article's outlet and date.
type quoteJSON struct {
	storyline.Quote
	Kind        string  `json:"kind"`
	SpeakerName *string `json:"speaker_name"`
	Outlet      *string `json:"outlet"`
	Published   *string `json:"published"`
	Story       *string `json:"story"`
}

func (s *Server) apiQuotes(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	limit, offset, err := page(v)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	speaker, storyID, article := v.Get("speaker"), v.Get("story"), v.Get("article")
	for _, p := range []string{speaker, storyID, article} {
		if len(p) > MaxQuery {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("an ID of %d bytes; at most %d", len(p), MaxQuery))
			return
		}
	}
	sn, err := s.cache.current(r.Context())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if storyID != "" {
		if _, ok := sn.storyByID[storyID]; !ok {
			writeError(w, http.StatusNotFound, fmt.Sprintf("no story %q", clip(storyID, 80)))
			return
		}
	}
	if speaker != "" {
		if _, ok := sn.entIdx[speaker]; !ok {
			writeError(w, http.StatusNotFound, fmt.Sprintf("no entity %q", clip(speaker, 80)))
			return
		}
	}
	var idx []int
	switch {
	case article != "":
		idx = sn.inArticle[article]
	case storyID != "":
		idx = sn.inStory[storyID]
	case speaker != "":
		idx = sn.saidBy[speaker]
	default:
		idx = make([]int, len(sn.statements))
		for i := range idx {
			idx[i] = i
		}
	}
	kept := []int{}
	for _, i := range idx {
		st := &sn.statements[i]
		if (article == "" || st.Article == article) && (storyID == "" || sn.storyOf[st.Article] == storyID) &&
			(speaker == "" || (st.SpeakerEntity != nil && *st.SpeakerEntity == speaker)) {
			kept = append(kept, i)
		}
	}
	total := len(kept)
	kept = kept[min(offset, total):min(offset+limit, total)]
	list := make([]quoteJSON, 0, len(kept))
	for _, i := range kept {
		st := sn.statements[i]
		list = append(list, quoteJSON{Quote: st.Quote, Kind: st.Kind, SpeakerName: nullable(st.SpeakerName),
			Outlet: nullable(st.Outlet), Published: nullable(dayOrEmpty(st.Published)), Story: nullable(sn.storyOf[st.Article])})
	}
	writeJSON(w, http.StatusOK, map[string]any{"quotes": list, "total": total, "limit": limit, "offset": offset})
}

// personRef is an entity named in a story or an article, with how many of
// its articles name it.
type personRef struct {
	ID       string
	Name     string
	Type     string
	Articles int
}

// maxNamed bounds the people listed on a story or article page.
const maxNamed = 24

// namedIn lists the entities of a known kind the articles mention, by the
// number of articles that name them, then by mentions.
func (sn *snapshot) namedIn(ids []string) []personRef {
	count := map[int]int{}
	last := map[int]int{} // the last article (1 + its position in ids) that counted an entity
	for k, id := range ids {
		i, ok := sn.artIdx[id]
		if !ok || i >= sn.links.Len() {
			continue
		}
		for _, e32 := range sn.links.Entities(i) {
			e := int(e32)
			if e < 0 || last[e] == k+1 || sn.res.Entities[e].Type == entity.Other {
				continue
			}
			last[e] = k + 1
			count[e]++
		}
	}
	keys := make([]int, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if count[keys[a]] != count[keys[b]] {
			return count[keys[a]] > count[keys[b]]
		}
		return sn.rank[keys[a]] < sn.rank[keys[b]] // most mentioned first
	})
	out := make([]personRef, 0, min(len(keys), maxNamed))
	for _, k := range keys[:min(len(keys), maxNamed)] {
		e := sn.res.Entities[k]
		out = append(out, personRef{ID: e.ID, Name: e.Name, Type: e.Type, Articles: count[k]})
	}
	return out
}

// storyPeople lists who a story's articles name (computed with the
// snapshot: a story of thousands of articles has a million mentions).
func (sn *snapshot) storyPeople(t story.Timeline) []personRef { return sn.people[t.ID] }

// highlight cuts an article's paragraphs into segments: http(s) links,
// names of known people, organisations and places (linked to their page),
// and the stretches that are statements (marked, with the speaker). The
// segments carry plain text; the template escapes it, so nothing of the
// article is ever rendered as markup.
func (sn *snapshot) highlight(a *storyline.Article) [][]segment {
	text := a.Text
	n := len(text)
	if n == 0 {
		return nil
	}
	said := make([]int32, n) // 1 + index into quotes, 0 outside any
	ent := make([]int32, n)  // 1 + index into res.Entities, 0 outside any name
	var quotes []quote.Quote
	if i, ok := sn.artIdx[a.ID]; ok && i < sn.links.Len() {
		ms := sn.links.Of(i)
		for _, m := range ms {
			if m.Entity < 0 || m.Entity >= len(sn.res.Entities) || sn.res.Entities[m.Entity].Type == entity.Other {
				continue
			}
			for k := max(m.Start, 0); k < min(m.End, n); k++ {
				ent[k] = int32(m.Entity) + 1
			}
		}
		quotes = quote.Extract(text, ms, sn.res.Entities)
		for qi, q := range quotes {
			for k := max(q.Start, 0); k < min(q.End, n); k++ {
				if said[k] == 0 {
					said[k] = int32(qi) + 1
				}
			}
			// the cue and the speaker between two parts of a quote are
			// not what was said
			if q.CueStart >= 0 && q.CueEnd > q.CueStart {
				clear(said[max(q.CueStart, 0):min(q.CueEnd, n)])
			}
			if q.SpeakerAt >= 0 && q.Speaker != "" {
				clear(said[q.SpeakerAt:min(q.SpeakerAt+len(q.Speaker), n)])
			}
		}
	}
	saidBy := func(qi int32) string {
		if qi == 0 {
			return ""
		}
		q := quotes[qi-1]
		who := q.Speaker
		if q.Entity >= 0 && q.Entity < len(sn.res.Entities) {
			who = sn.res.Entities[q.Entity].Name
		}
		if who == "" {
			return "a statement; speaker unknown"
		}
		return "said by " + who
	}
	var out [][]segment
	for start := 0; start <= n; {
		end := strings.Index(text[start:], "\n\n")
		if end < 0 {
			end = n
		} else {
			end += start
		}
		var segs []segment
		off := start
		for _, l := range linkify(text[start:end]) {
			if l.URL != "" {
				segs = append(segs, segment{Text: l.Text, URL: l.URL, Said: said[off] != 0, SaidBy: saidBy(said[off])})
				off += len(l.Text)
				continue
			}
			// cut plain text where the name or the statement changes
			lo := off
			for k := off; k <= off+len(l.Text); k++ {
				if k < off+len(l.Text) && (k == lo || (said[k] == said[lo] && ent[k] == ent[lo])) {
					continue
				}
				if k > lo {
					sg := segment{Text: text[lo:k], Said: said[lo] != 0, SaidBy: saidBy(said[lo])}
					if e := ent[lo]; e != 0 {
						sg.Entity = sn.res.Entities[e-1].ID
					}
					segs = append(segs, sg)
				}
				lo = k
			}
			off += len(l.Text)
		}
		out = append(out, segs)
		if end == n {
			break
		}
		start = end + 2
	}
	return out
}
