package quote

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/text"
)

// Statement is a quote of the report with what the CLI shows around it.
type Statement struct {
	storyline.Quote
	Kind      string
	Published time.Time // the article's publish date; zero when unknown
	Outlet    string
	Source    string // the article's source
	// SpeakerName is the canonical name of the speaker's entity, "" when
	// unknown or anonymous.
	SpeakerName string
}

// Find extracts the quotes of every article and groups the quotes of one
// statement: the same speaker, overlapping content (in any outlet, in any
// translation that keeps the key words) and dates at most two weeks
// apart. IDs are stable: the same articles give the same IDs. res is the
// entity resolution of the same articles, in the same order.
func Find(articles []storyline.Article, res entity.Result) []Statement {
	var out []Statement
	for i, a := range articles {
		if i >= len(res.Mentions) {
			break
		}
		qs := Extract(a.Text, res.Mentions[i], res.Entities)
		if h, ok := headline(a.Title, res.Mentions[i], res.Entities); ok {
			qs = append([]Quote{h}, qs...)
		}
		for _, q := range qs {
			s := Statement{Kind: q.Kind, Published: a.Published, Outlet: a.Outlet, Source: a.Source}
			s.ID = "q_" + text.Hash("quote", a.ID, q.Text)[:12]
			s.Article = a.ID
			s.Text = strings.TrimRight(q.Text, ", ")
			s.Direct = q.Kind == Direct
			if q.Speaker != "" {
				sp := q.Speaker
				s.Speaker = &sp
			}
			if q.Cue != "" {
				cue := q.Cue
				s.Cue = &cue
			}
			if q.Entity >= 0 && q.Entity < len(res.Entities) {
				e := res.Entities[q.Entity]
				s.SpeakerName = e.Name
				if e.Type != entity.Other {
					id := e.ID
					s.SpeakerEntity = &id
				}
			}
			out = append(out, s)
		}
	}
	dedupe(&out)
	group(out)
	return out
}

// headlineRE reads a headline statement: "Zelenskyy Says US Troops Must
// Be Part of Any Peacekeeping Force".
var headlineRE = regexp.MustCompile(`^(\p{Lu}[\p{L}\p{M}'’.\- ]{1,60}?) (Says|Said|Warns|Tells|Urges|Insists|Claims|Vows|Stresses|Admits|Denies|Pledges|Promises|Threatens|Demands|Calls for)(?: That)? (.{10,})$`)

// headline returns the statement a headline makes, when it names its
// speaker ("Zelenskyy Says …") and the speaker is a person or
// organisation the article mentions (among its linked mentions).
func headline(title string, mentions []entity.Linked, ents []storyline.Entity) (Quote, bool) {
	m := headlineRE.FindStringSubmatch(strings.TrimSpace(title))
	if m == nil {
		return Quote{}, false
	}
	var own []storyline.Entity
	index := map[string]int{}
	for _, mn := range mentions {
		if mn.Entity < 0 || mn.Entity >= len(ents) {
			continue
		}
		e := ents[mn.Entity]
		if _, ok := index[e.ID]; !ok && (e.Type == entity.Person || e.Type == entity.Organization) {
			index[e.ID] = mn.Entity
			own = append(own, e)
		}
	}
	who := strings.TrimSpace(m[1])
	found := entity.Find(own, who)
	if len(found) == 0 {
		return Quote{}, false
	}
	return Quote{Text: m[3], Kind: Indirect, Cue: strings.ToLower(m[2]), CueStart: -1, CueEnd: -1,
		Speaker: who, SpeakerAt: -1, Entity: index[found[0].ID]}, true
}

// dedupe drops a second quote of the same article with the same ID (one
// sentence found as direct and as reported speech).
func dedupe(qs *[]Statement) {
	seen := map[string]bool{}
	kept := (*qs)[:0]
	for _, q := range *qs {
		if seen[q.ID] {
			continue
		}
		seen[q.ID] = true
		kept = append(kept, q)
	}
	*qs = kept
}

// group sets SameAs on the quotes of one statement to the ID of the
// earliest of them (by publish date, then input order).
func group(qs []Statement) {
	parent := make([]int, len(qs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	bySpeaker := map[string][]int{}
	for i, q := range qs {
		if q.SpeakerEntity != nil {
			bySpeaker[*q.SpeakerEntity] = append(bySpeaker[*q.SpeakerEntity], i)
		}
	}
	keys := make([][]string, len(qs))
	for i, q := range qs {
		keys[i] = contentWords(q.Text)
	}
	for _, idx := range bySpeaker {
		if len(idx) > maxGroupScan {
			idx = idx[:maxGroupScan]
		}
		for x := 0; x < len(idx); x++ {
			for y := x + 1; y < len(idx); y++ {
				i, j := idx[x], idx[y]
				if withinTwoWeeks(qs[i].Published, qs[j].Published) && similar(keys[i], keys[j]) {
					parent[find(i)] = find(j)
				}
			}
		}
	}
	members := map[int][]int{}
	for i := range qs {
		r := find(i)
		members[r] = append(members[r], i)
	}
	for _, m := range members {
		if len(m) < 2 {
			continue
		}
		sort.SliceStable(m, func(a, b int) bool {
			pa, pb := qs[m[a]].Published, qs[m[b]].Published
			if pa.IsZero() != pb.IsZero() {
				return !pa.IsZero()
			}
			if !pa.Equal(pb) {
				return pa.Before(pb)
			}
			return m[a] < m[b]
		})
		first := qs[m[0]].ID
		for _, i := range m {
			id := first
			qs[i].SameAs = &id
		}
	}
}

// maxGroupScan bounds the quotes of one speaker compared pairwise.
const maxGroupScan = 3000

// withinTwoWeeks tells whether two publish dates are at most two weeks
// apart (or one is unknown).
func withinTwoWeeks(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return true
	}
	d := a.Sub(b)
	return d < 15*24*time.Hour && d > -15*24*time.Hour
}

// stopwords are left out of the content words of a quote.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and for that this with from are was were will would could should can not
have has had but all any its it's our your their they them his her him she you who what when where which while
there here than then been being into about also just only even more most some such very one two first
does did doing don't can't won't isn't aren't it’s don’t can’t won’t isn’t there’s that’s we’re i’m`) {
		stopwords[w] = true
	}
}

// contentWords are the distinct words of a quote that carry its content,
// lower-cased, with a plural or possessive s dropped, sorted.
func contentWords(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' }) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
		if len(w) < 3 || stopwords[w] {
			continue
		}
		if len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// similar tells whether two quotes share enough content words to be one
// statement: four or more, and half of the shorter one's. (Three would
// let a short quote such as "not without the United States" join every
// statement that names the United States.)
func similar(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	// a and b are sorted (contentWords): count the words they share
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n >= 4 && 2*n >= min(len(a), len(b))
}
