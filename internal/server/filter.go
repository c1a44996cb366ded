package server

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/story"
)

// storyFilter narrows the stories list: by words in their articles (Q),
// by date (the story's dated articles reach into From..To, both days
// included), by outlet (one of the story's outlets, any case) and by
// person (an article of the story names the entity).
type storyFilter struct {
	Q      string  `json:"q"`
	From   *string `json:"from"`
	To     *string `json:"to"`
	Outlet *string `json:"outlet"`
	// Person is the entity's ID; PersonName its name, for the page.
	Person     *string `json:"person"`
	PersonName string  `json:"-"`

	from, to time.Time // to is the end of its day
}

// active tells whether anything but Q narrows the list.
func (f storyFilter) active() bool {
	return f.From != nil || f.To != nil || f.Outlet != nil || f.Person != nil
}

// values writes the filter as a query string's values.
func (f storyFilter) values() url.Values {
	v := url.Values{}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	for k, p := range map[string]*string{"from": f.From, "to": f.To, "outlet": f.Outlet, "person": f.Person} {
		if p != nil {
			v.Set(k, *p)
		}
	}
	return v
}

// parseFilter reads ?q=, ?from=, ?to=, ?outlet= and ?person=. person is an
// entity ID or a name (any variant; the most mentioned entity of that
// name is taken).
func (sn *snapshot) parseFilter(v url.Values) (storyFilter, error) {
	var f storyFilter
	f.Q = strings.TrimSpace(v.Get("q"))
	if len(f.Q) > MaxQuery {
		return f, badRequest{fmt.Sprintf("q is %d bytes long; at most %d", len(f.Q), MaxQuery)}
	}
	for _, k := range []string{"from", "to"} {
		s := strings.TrimSpace(v.Get(k))
		if s == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return f, badRequest{fmt.Sprintf("%s %q: want a date as YYYY-MM-DD", k, clip(s, 40))}
		}
		if k == "from" {
			f.From, f.from = &s, t
		} else {
			f.To, f.to = &s, t.AddDate(0, 0, 1).Add(-time.Nanosecond)
		}
	}
	if f.From != nil && f.To != nil && f.to.Before(f.from) {
		return f, badRequest{fmt.Sprintf("from %s is after to %s", *f.From, *f.To)}
	}
	if s := strings.TrimSpace(v.Get("outlet")); s != "" {
		if len(s) > MaxQuery {
			return f, badRequest{fmt.Sprintf("outlet is %d bytes long; at most %d", len(s), MaxQuery)}
		}
		f.Outlet = &s
	}
	if s := strings.TrimSpace(v.Get("person")); s != "" {
		if len(s) > MaxQuery {
			return f, badRequest{fmt.Sprintf("person is %d bytes long; at most %d", len(s), MaxQuery)}
		}
		e, ok := sn.entity(s)
		if !ok {
			named := make([]storyline.Entity, 0, len(sn.named))
			for _, i := range sn.named {
				named = append(named, sn.res.Entities[i])
			}
			found := entity.Find(named, s)
			if len(found) == 0 {
				return f, badRequest{fmt.Sprintf("person %q: no person, organisation or place of that ID or name", clip(s, 80))}
			}
			e = found[0]
		}
		id := e.ID
		f.Person, f.PersonName = &id, e.Name
	}
	return f, nil
}

// apply keeps the stories that pass the filter's date, outlet and person
// conditions, in their order.
func (sn *snapshot) apply(f storyFilter, ts []story.Timeline) []story.Timeline {
	if !f.active() {
		return ts
	}
	var withPerson map[string]bool
	if f.Person != nil {
		withPerson = map[string]bool{}
		e, _ := sn.entity(*f.Person)
		for _, id := range e.Articles {
			if sid, ok := sn.storyOf[id]; ok {
				withPerson[sid] = true
			}
		}
	}
	out := []story.Timeline{}
	for _, t := range ts {
		if withPerson != nil && !withPerson[t.ID] {
			continue
		}
		if f.From != nil && (t.Span[1].IsZero() || t.Span[1].Before(f.from)) {
			continue
		}
		if f.To != nil && (t.Span[0].IsZero() || t.Span[0].After(f.to)) {
			continue
		}
		if f.Outlet != nil {
			ok := false
			for _, o := range t.Outlets {
				if strings.EqualFold(o, *f.Outlet) {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// facet is one choice of a filter with the number of stories it keeps.
type facet struct {
	Value   string `json:"value"`
	Label   string `json:"label"`
	Stories int    `json:"stories"`
}

// Bounds on the choices the stories page offers.
const (
	maxOutletFacets = 100
	maxPersonFacets = 40
	// personFacetPool is how many of the most mentioned people are
	// counted for the person choices.
	personFacetPool = 400
)

// facets counts the stories of every outlet and of the most mentioned
// people, most stories first: the choices of the stories page's filters.
func (sn *snapshot) facets() (outlets, people []facet) {
	oc := map[string]int{}
	for _, t := range sn.stories {
		for _, o := range t.Outlets {
			oc[o]++
		}
	}
	for o, n := range oc {
		outlets = append(outlets, facet{Value: o, Label: o, Stories: n})
	}
	sortFacets(outlets)
	outlets = outlets[:min(len(outlets), maxOutletFacets)]

	pool := 0
	for _, i := range sn.named {
		e := sn.res.Entities[i]
		if e.Type != storyline.Person {
			continue
		}
		if pool++; pool > personFacetPool {
			break
		}
		seen := map[string]bool{}
		for _, id := range e.Articles {
			if sid, ok := sn.storyOf[id]; ok {
				seen[sid] = true
			}
		}
		if len(seen) > 0 {
			people = append(people, facet{Value: e.ID, Label: e.Name, Stories: len(seen)})
		}
	}
	sortFacets(people)
	people = people[:min(len(people), maxPersonFacets)]
	return outlets, people
}

func sortFacets(fs []facet) {
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Stories != fs[j].Stories {
			return fs[i].Stories > fs[j].Stories
		}
		return fs[i].Label < fs[j].Label
	})
}
