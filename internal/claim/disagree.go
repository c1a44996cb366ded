package claim

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/text"
)

// Comparison is what Compare finds in the stories: the disagreements,
// and the differences the articles' dates explain (updates, not flagged).
type Comparison struct {
	Disagreements []storyline.Disagreement
	Updates       []storyline.Disagreement
}

// maxSides bounds the statements shown for one point.
const maxSides = 6

// day is the resolution of publish dates.
const day = 24 * time.Hour

// Compare compares the facts the articles of each story state — people's
// titles, how long things have lasted, quantities about one subject — and
// returns the points on which articles of one story disagree, each with a
// sentence of every side, and the differences their publish dates explain.
// res is the entity resolution of the articles, claims their claims (from
// Find) and stories the stories they were clustered into.
func Compare(articles []storyline.Article, res entity.Result, claims []Claim, stories []storyline.Story) Comparison {
	return compare(articles, res, roles(articles, res), durations(articles), claims, stories)
}

// compare is Compare with the articles' titles and durations read.
func compare(articles []storyline.Article, res entity.Result, rs []Role, ds []Duration, claims []Claim, stories []storyline.Story) Comparison {
	c := comparer{articles: articles, res: res, storyOf: map[string]string{}, index: map[string]int{}}
	for i, a := range articles {
		c.index[a.ID] = i
	}
	c.eventOf = map[string]string{}
	for _, st := range stories {
		for _, id := range st.Articles {
			c.storyOf[id] = st.ID
			c.eventOf[id] = st.ID
		}
		for _, ev := range st.Events {
			for _, id := range ev.Articles {
				c.eventOf[id] = st.ID + "/" + ev.ID
			}
		}
	}
	c.compareRoles(rs)
	c.compareDurations(ds)
	c.compareQuantities(claims)
	for _, list := range []*[]storyline.Disagreement{&c.out.Disagreements, &c.out.Updates} {
		sort.SliceStable(*list, func(i, j int) bool {
			a, b := (*list)[i], (*list)[j]
			if *a.Story != *b.Story {
				return *a.Story < *b.Story
			}
			if a.Kind != b.Kind {
				return kindOrder[a.Kind] < kindOrder[b.Kind]
			}
			return a.ID < b.ID
		})
	}
	if c.out.Disagreements == nil {
		c.out.Disagreements = []storyline.Disagreement{}
	}
	if c.out.Updates == nil {
		c.out.Updates = []storyline.Disagreement{}
	}
	return c.out
}

var kindOrder = map[string]int{storyline.DisagreeRole: 0, storyline.DisagreeDuration: 1, storyline.DisagreeQuantity: 2}

type comparer struct {
	articles []storyline.Article
	res      entity.Result
	storyOf  map[string]string
	eventOf  map[string]string // article → event (its story when the story lists no events)
	index    map[string]int
	out      Comparison
}

// side is one article's statement on a point.
type side struct {
	article  int
	says     string
	sentence string
}

func (c *comparer) date(i int) time.Time {
	return c.articles[i].Published.Truncate(day)
}

// label names an article for people: its outlet (or ID) and date.
func (c *comparer) label(i int) string {
	a := c.articles[i]
	name := c.name(i)
	if d := dateOf(a); d != "" {
		return name + " (" + d + ")"
	}
	return name + " (no publish date)"
}

// name names an article by its outlet, or its ID when the outlet is
// unknown.
func (c *comparer) name(i int) string {
	a := c.articles[i]
	if a.Outlet != "" {
		return a.Outlet
	}
	return "article " + a.ID[:min(16, len(a.ID))]
}

func dateOf(a storyline.Article) string {
	if a.Published.IsZero() {
		return ""
	}
	return a.Published.Format("2006-01-02")
}

// emit records a point: a disagreement, or an update when update is true.
func (c *comparer) emit(kind, about, key string, ent *string, sides []side, why string, update bool) {
	sort.SliceStable(sides, func(i, j int) bool { return sides[i].article < sides[j].article })
	if len(sides) > maxSides {
		sides = sides[:maxSides]
	}
	story := c.storyOf[c.articles[sides[0].article].ID]
	d := storyline.Disagreement{About: about, Entity: ent, Kind: kind, Story: &story, Why: why}
	ids := []string{kind, story, key}
	for _, s := range sides {
		a := c.articles[s.article]
		st := storyline.DisagreementStatement{Article: a.ID, Text: s.sentence, Says: s.says}
		if a.Outlet != "" {
			o := a.Outlet
			st.Outlet = &o
		}
		if p := dateOf(a); p != "" {
			st.Published = &p
		}
		d.Statements = append(d.Statements, st)
		ids = append(ids, a.ID)
	}
	prefix := "d_"
	if update {
		prefix = "u_"
	}
	d.ID = prefix + text.Hash(ids...)[:12]
	if update {
		c.out.Updates = append(c.out.Updates, d)
	} else {
		c.out.Disagreements = append(c.out.Disagreements, d)
	}
}

// groupKey is a story and what its articles are compared on.
func (c *comparer) groupKey(article int, what string) (string, bool) {
	st, ok := c.storyOf[c.articles[article].ID]
	return st + "\x00" + what, ok
}

// --- roles ---

// compareRoles flags a person whose title says, in one article, that they
// hold an office and, in another of the same story, that they held it
// ("President" and "former President"), unless the articles' dates put a
// change of office between them.
func (c *comparer) compareRoles(rs []Role) {
	groups := map[string][]Role{}
	var order []string
	for _, r := range rs {
		key, ok := c.groupKey(r.Article, fmt.Sprintf("%d\x00%s", r.Entity, r.Office))
		if !ok {
			continue
		}
		if _, seen := groups[key]; !seen {
			order = append(order, key)
		}
		groups[key] = append(groups[key], r)
	}
	for _, key := range order {
		g := groups[key]
		// one status per article; an article that gives both is left out
		status := map[int]string{}
		first := map[int]Role{}
		for _, r := range g {
			if s, ok := status[r.Article]; ok && s != r.Status {
				status[r.Article] = "mixed"
				continue
			}
			if _, ok := status[r.Article]; !ok {
				status[r.Article] = r.Status
				first[r.Article] = r
			}
		}
		var arts []int
		for a, s := range status {
			if s != "mixed" {
				arts = append(arts, a)
			}
		}
		sort.Ints(arts)
		var bad, good [][2]int
		for x := 0; x < len(arts); x++ {
			for y := x + 1; y < len(arts); y++ {
				i, j := arts[x], arts[y]
				if status[i] == status[j] || c.date(i).IsZero() && c.date(j).IsZero() {
					continue // two undated titles: no date to hold either to
				}
				if c.roleChangeExplained(i, j, status, arts) {
					good = append(good, [2]int{i, j})
				} else {
					bad = append(bad, [2]int{i, j})
				}
			}
		}
		if len(bad) == 0 && len(good) == 0 {
			continue
		}
		e := c.res.Entities[g[0].Entity]
		id := e.ID
		office := g[0].Office
		pairs := bad
		update := len(bad) == 0
		if update {
			pairs = good
		}
		var sides []side
		in := map[int]bool{}
		for _, p := range pairs {
			for _, a := range p {
				if !in[a] {
					in[a] = true
					sides = append(sides, side{article: a, says: first[a].Written + " " + e.Name, sentence: first[a].Sentence})
				}
			}
		}
		about := fmt.Sprintf("%s's title: %s", e.Name, statusList(sides, status, office))
		c.emit(storyline.DisagreeRole, about, id+"\x00"+office, &id, sides, c.roleWhy(e.Name, office, sides, status, update), update)
	}
}

func withStatus(office, status string) string {
	switch status {
	case StatusFormer:
		return "former " + office
	case StatusElect:
		return office + "-elect"
	}
	return office
}

// statusList names the statuses the sides give: "president or former
// president".
func statusList(sides []side, status map[int]string, office string) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range sides {
		st := status[s.article]
		if !seen[st] {
			seen[st] = true
			out = append(out, st)
		}
	}
	sort.Slice(out, func(i, j int) bool { return statusRank[out[i]] < statusRank[out[j]] })
	for i, st := range out {
		out[i] = withStatus(office, st)
	}
	return strings.Join(out, " or ")
}

var statusRank = map[string]int{StatusElect: 0, StatusCurrent: 1, StatusFormer: 2}

// roleChangeExplained tells whether two articles' statuses for one office
// can both be right because the office changed hands between their dates:
// both dated, on different days, the change one that happens (elect →
// current → former, or a return to office), and no article dated after
// the later one going back to the earlier status, nor one dated before the
// earlier one already at the later status.
func (c *comparer) roleChangeExplained(i, j int, status map[int]string, arts []int) bool {
	di, dj := c.date(i), c.date(j)
	if di.IsZero() || dj.IsZero() || di.Equal(dj) {
		return false
	}
	early, late := i, j
	if dj.Before(di) {
		early, late = j, i
	}
	se, sl := status[early], status[late]
	if statusRank[sl] < statusRank[se] && !(se == StatusFormer && sl == StatusCurrent) {
		return false // current → elect, former → elect
	}
	for _, k := range arts {
		dk := c.date(k)
		if dk.IsZero() {
			continue
		}
		if status[k] == se && dk.After(c.date(late)) || status[k] == sl && dk.Before(c.date(early)) {
			return false
		}
	}
	return true
}

func (c *comparer) roleWhy(name, office string, sides []side, status map[int]string, update bool) string {
	byStatus := map[string][]string{}
	var undated []string
	for _, s := range sides {
		st := status[s.article]
		byStatus[st] = append(byStatus[st], fmt.Sprintf("%s “%s”", c.label(s.article), strings.TrimSpace(s.says)))
		if c.articles[s.article].Published.IsZero() {
			undated = append(undated, c.label(s.article))
		}
	}
	var parts []string
	for _, st := range []string{StatusElect, StatusCurrent, StatusFormer} {
		if len(byStatus[st]) > 0 {
			parts = append(parts, fmt.Sprintf("as %s: %s", withStatus(office, st), strings.Join(byStatus[st], "; ")))
		}
	}
	if update {
		return fmt.Sprintf("Update, not a contradiction: the articles give %s different titles (%s), and their publish dates leave room for the office to have changed hands between them.",
			name, strings.Join(parts, " — "))
	}
	why := fmt.Sprintf("The articles of one story give %s titles that cannot both hold at once (%s)", name, strings.Join(parts, " — "))
	if len(undated) > 0 {
		why += fmt.Sprintf("; %s no publish date, so time cannot explain the difference", haveOrHas(undated))
	} else {
		why += "; their publish dates do not put a change of office between them"
	}
	return why + "."
}

func haveOrHas(labels []string) string {
	names := make([]string, len(labels))
	for i, l := range labels {
		names[i] = strings.TrimSuffix(l, " (no publish date)")
	}
	if len(names) == 1 {
		return names[0] + " has"
	}
	return strings.Join(names, ", ") + " have"
}

// --- durations ---

// toleranceDays is how far apart two accounts of when something started
// may be and still agree, at most (a tenth of the shorter length below).
const toleranceDays = 20

// compareDurations flags accounts of how long one thing (the war, the
// siege) has lasted that cannot both be true at the articles' dates: the
// start each implies, or the length itself when a date is missing.
func (c *comparer) compareDurations(ds []Duration) {
	groups := map[string][]Duration{}
	var order []string
	for _, d := range ds {
		key, ok := c.groupKey(d.Article, d.Subject)
		if !ok {
			continue
		}
		if _, seen := groups[key]; !seen {
			order = append(order, key)
		}
		groups[key] = append(groups[key], d)
	}
	for _, key := range order {
		g := groups[key]
		var bad, good [][2]Duration
		for x := 0; x < len(g); x++ {
			for y := x + 1; y < len(g); y++ {
				a, b := g[x], g[y]
				if a.Article == b.Article {
					continue
				}
				tol := math.Min(toleranceDays, math.Max(1, 0.1*math.Min(a.MaxDays, b.MaxDays)))
				sameLength := overlap(a.MinDays, a.MaxDays, b.MinDays, b.MaxDays, tol)
				da, db := c.date(a.Article), c.date(b.Article)
				if da.IsZero() && db.IsZero() {
					continue // a length grows with time: without any date, nothing to compare
				}
				if da.IsZero() || db.IsZero() {
					if !sameLength {
						bad = append(bad, [2]Duration{a, b})
					}
					continue
				}
				sa0, sa1 := startRange(da, a)
				sb0, sb1 := startRange(db, b)
				if overlap(sa0, sa1, sb0, sb1, tol) {
					if !sameLength {
						good = append(good, [2]Duration{a, b})
					}
					continue
				}
				bad = append(bad, [2]Duration{a, b})
			}
		}
		pairs, update := bad, false
		if len(bad) == 0 {
			if len(good) == 0 {
				continue
			}
			pairs, update = good, true
		}
		var sides []side
		in := map[int]bool{}
		for _, p := range pairs {
			for _, d := range p {
				if !in[d.Article] {
					in[d.Article] = true
					sides = append(sides, side{article: d.Article, says: d.Written, sentence: d.Sentence})
				}
			}
		}
		subject := g[0].Subject
		about := fmt.Sprintf("how long the %s has lasted", subject)
		c.emit(storyline.DisagreeDuration, about, subject, nil, sides, c.durationWhy(subject, pairs[0], update), update)
	}
}

// startRange is when a duration implies its thing started, in days
// since the epoch.
func startRange(d time.Time, x Duration) (float64, float64) {
	days := float64(d.Unix()) / 86400
	return days - x.MaxDays, days - x.MinDays
}

func overlap(a0, a1, b0, b1, tol float64) bool {
	return a0 <= b1+tol && b0 <= a1+tol
}

func (c *comparer) durationWhy(subject string, p [2]Duration, update bool) string {
	a, b := p[0], p[1]
	da, db := c.date(a.Article), c.date(b.Article)
	say := func(d Duration) string {
		return fmt.Sprintf("%s says “%s” (%s)", c.label(d.Article), d.Written, spanWords(d.MinDays, d.MaxDays))
	}
	if update {
		return fmt.Sprintf("Update, not a contradiction: %s and %s; the %s between their publish dates accounts for the difference, both put the start of the %s at the same time.",
			say(a), say(b), gapWords(math.Abs(db.Sub(da).Hours()/24)), subject)
	}
	if da.IsZero() || db.IsZero() {
		shorter, longer := a, b
		if a.MinDays > b.MaxDays {
			shorter, longer = b, a
		}
		gap := longer.MinDays - shorter.MaxDays
		return fmt.Sprintf("%s, but %s; without a publish date on both, time cannot explain it (it would only if %s was written at least %s before %s).",
			say(a), say(b), c.name(shorter.Article), gapWords(gap), c.name(longer.Article))
	}
	sa0, sa1 := startRange(da, a)
	sb0, sb1 := startRange(db, b)
	return fmt.Sprintf("%s, but %s: at their publish dates one puts the start of the %s %s, the other %s, %s apart; time does not explain it.",
		say(a), say(b), subject, epochRange(sa0, sa1), epochRange(sb0, sb1), gapWords(math.Max(sa0-sb1, sb0-sa1)))
}

func spanWords(lo, hi float64) string {
	return fmt.Sprintf("%s to %s", gapWords(math.Max(lo, 0)), gapWords(hi))
}

// gapWords writes a number of days for people: "3 days", "5 months",
// "1.5 years".
func gapWords(days float64) string {
	switch {
	case days < 60:
		return fmt.Sprintf("%.0f days", days)
	case days < 730:
		return fmt.Sprintf("%.0f months", days/30.44)
	}
	return fmt.Sprintf("%.1f years", days/365.25)
}

func epochRange(a, b float64) string {
	f := func(d float64) string { return time.Unix(int64(d*86400), 0).UTC().Format("2006-01") }
	return "between " + f(a) + " and " + f(b)
}

// --- quantities ---

// cumulative words mark counts that only grow over time (the dead, the
// arrested): a later article with a smaller count contradicts an earlier.
var cumulative = map[string]bool{"killed": true, "dead": true, "deaths": true, "died": true, "death": true,
	"injured": true, "wounded": true, "casualties": true, "lost": true, "losses": true, "arrested": true,
	"detained": true, "evacuated": true, "displaced": true, "fled": true, "victims": true}

// compareQuantities flags numbers about one subject (the same unit and
// the same head noun, said in the same terms) that cannot both be true:
// incompatible values, bounds taken into account ("at least 200,000"),
// from articles of one story. Two different speakers giving different
// figures are two opinions, not a disagreement between outlets; numbers
// reported on different days are updates, unless a count that only grows
// (the dead) went down.
func (c *comparer) compareQuantities(cs []Claim) {
	// a sentence with three numbers or more is a line of figures (a
	// score sheet, a list); "another 20,000" adds to a number, not restates it
	perSentence := map[string]int{}
	for _, cl := range cs {
		perSentence[cl.Article+"\x00"+cl.Text]++
	}
	groups := map[string][]int{}
	var order []string
	for k, cl := range cs {
		if perSentence[cl.Article+"\x00"+cl.Text] >= 3 || cl.Qualifier != nil && qualifierClass[strings.ToLower(*cl.Qualifier)] == "add" ||
			isWindow(cl) {
			continue
		}
		unit, _ := measure(cl)
		if cl.Subject == nil && !moneyUnits[unit] {
			continue // a bare number or share: nothing to compare it on
		}
		if _, ok := c.index[cl.Article]; !ok {
			continue
		}
		subject := ""
		if cl.Subject != nil {
			subject = head(*cl.Subject)
		}
		// one event: numbers of different happenings of a story differ
		ev, ok := c.eventOf[cl.Article]
		if !ok {
			continue
		}
		key := ev + "\x00" + unit + "\x00" + subject
		if _, seen := groups[key]; !seen {
			order = append(order, key)
		}
		groups[key] = append(groups[key], k)
	}
	ctx := map[int]map[string]bool{}
	ents := map[int]map[int]bool{}
	sents := map[int]map[string]bool{}
	gov := map[int]map[string]bool{}
	for _, key := range order {
		g := groups[key]
		if len(g) > 200 {
			g = g[:200]
		}
		byArticle := map[string][]Claim{}
		for _, k := range g {
			byArticle[cs[k].Article] = append(byArticle[cs[k].Article], cs[k])
			gov[k] = governing(cs[k])
			ctx[k] = contextWords(cs[k])
			ents[k] = c.sentenceEntities(cs[k])
			sents[k] = sentenceWords(cs[k].Text)
		}
		var bad, good [][2]int
		sim := map[[2]int]float64{}
		for x := 0; x < len(g); x++ {
			for y := x + 1; y < len(g); y++ {
				a, b := cs[g[x]], cs[g[y]]
				if a.Article == b.Article || a.Text == b.Text {
					continue
				}
				if a.SpeakerEntity != nil && b.SpeakerEntity != nil && *a.SpeakerEntity != *b.SpeakerEntity {
					continue // two people's figures
				}
				if !shareAny(ctx[g[x]], ctx[g[y]]) || !entitiesAgree(ents[g[x]], ents[g[y]]) || !modifiersAgree(a, b) {
					continue
				}
				if !shareAny(gov[g[x]], gov[g[y]]) {
					continue // "posting 20 points" and "needed nine points": two things
				}
				if hasValue(byArticle[b.Article], a) || hasValue(byArticle[a.Article], b) {
					continue // each article also gives the other's figure: two figures, both agreed
				}
				sm := similarity(sents[g[x]], sents[g[y]])
				if sm < minSimilarity {
					continue
				}
				sim[[2]int{g[x], g[y]}] = sm
				a0, a1 := bounds(a)
				b0, b1 := bounds(b)
				if a0 <= b1 && b0 <= a1 {
					continue
				}
				ia, ib := c.index[a.Article], c.index[b.Article]
				da, db := c.date(ia), c.date(ib)
				if u, _ := measure(a); u == "time" && da.IsZero() && db.IsZero() {
					continue // "four days of riots", "five days": a length, and no date to hold it to
				}
				if da.IsZero() || db.IsZero() || da.Equal(db) {
					bad = append(bad, [2]int{g[x], g[y]})
					continue
				}
				early, late := a, b
				if db.Before(da) {
					early, late = b, a
				}
				if isCumulative(early) && isCumulative(late) && late.Value < early.Value {
					bad = append(bad, [2]int{g[x], g[y]})
					continue
				}
				good = append(good, [2]int{g[x], g[y]})
			}
		}
		pairs, update := bad, false
		if len(bad) == 0 {
			if len(good) == 0 {
				continue
			}
			pairs, update = good, true
		}
		// the two sentences most alike are the flag's sides; the others
		// are counted
		best := pairs[0]
		for _, p := range pairs[1:] {
			if sim[p] > sim[best] {
				best = p
			}
		}
		others := map[string]bool{}
		for _, p := range pairs {
			for _, k := range p {
				if a := cs[k].Article; a != cs[best[0]].Article && a != cs[best[1]].Article {
					others[a] = true
				}
			}
		}
		var sides []side
		for _, k := range best {
			sides = append(sides, side{article: c.index[cs[k].Article], says: quantityWords(cs[k].Claim), sentence: cs[k].Text})
		}
		pairs = [][2]int{best}
		first := cs[best[0]]
		var about string
		switch {
		case first.Subject == nil:
			about = "an amount in " + *first.Unit
		case first.Unit != nil:
			about = fmt.Sprintf("%s of %s", *first.Unit, *first.Subject)
		default:
			about = "how many " + *first.Subject
		}
		if terms := sharedTerms(first, cs[pairs[0][1]]); terms != "" {
			about += " (" + terms + ")"
		}
		var ent *string
		if first.SpeakerEntity != nil {
			ent = first.SpeakerEntity
		}
		why := c.quantityWhy(cs[best[0]], cs[best[1]], update)
		if len(others) > 0 {
			why += fmt.Sprintf(" %d more articles of the event give other values.", len(others))
		}
		c.emit(storyline.DisagreeQuantity, about, key, ent, sides, why, update)
	}
}

// moneyUnits are the currencies: an amount is compared without a subject
// when its sentence says what it is in the same terms ("cost").
var moneyUnits = map[string]bool{"USD": true, "EUR": true, "GBP": true, "JPY": true, "UAH": true, "RUB": true, "CNY": true}

// measure returns a claim's unit for comparison and its value in it:
// lengths of time in days ("three months" and "90 days" compare).
func measure(c Claim) (string, float64) {
	if c.Unit == nil {
		return "", c.Value
	}
	if d, ok := unitDays[*c.Unit]; ok {
		return "time", c.Value * d
	}
	return *c.Unit, c.Value
}

// head is the head noun of a subject, for grouping: its last word, in the
// singular.
func head(subject string) string {
	ws := strings.Fields(strings.ToLower(subject))
	if len(ws) == 0 {
		return ""
	}
	w := ws[len(ws)-1]
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ss"):
		return w
	case strings.HasSuffix(w, "s") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}

// bounds are the values a claim allows, its qualifier and rounding taken
// into account.
func bounds(c Claim) (float64, float64) {
	_, v := measure(c)
	q := ""
	if c.Qualifier != nil {
		q = strings.ToLower(*c.Qualifier)
	}
	switch qualifierClass[q] {
	case "min":
		return v, math.Inf(1)
	case "max":
		return 0, v
	case "below":
		return v * 0.85, v
	case "near":
		return v * 0.85, v * 1.15
	}
	return v * 0.97, v * 1.03
}

// shareAny tells whether two claims about one subject are said in the
// same terms: a content word near the number in common besides the
// subject ("killed", "needed"), so that the soldiers needed and the
// soldiers lost are not compared.
func shareAny(a, b map[string]bool) bool {
	for w := range b {
		if a[w] {
			return true
		}
	}
	return false
}

// qualifierWords are the words of the qualifiers ("more", "least").
var qualifierWords = map[string]bool{}

func init() {
	for _, q := range qualifiers {
		for _, w := range strings.Fields(q) {
			qualifierWords[w] = true
		}
	}
}

// windowWords before a number make it a window, not an amount: "their
// first two drives", "the last 10 games", "the next 100 days".
var windowWords = map[string]bool{"first": true, "last": true, "next": true, "past": true, "previous": true,
	"final": true, "top": true, "opening": true, "initial": true}

// isWindow tells whether a claim's number is a window ("the first five
// drives") rather than an amount, which is not compared.
func isWindow(c Claim) bool {
	at := strings.Index(c.Text, c.Number)
	if at <= 0 {
		return false
	}
	ws := strings.Fields(strings.ToLower(c.Text[:at]))
	return len(ws) > 0 && windowWords[strings.Trim(ws[len(ws)-1], ",;:")]
}

// hasValue tells whether one of claims gives a value compatible with c's.
func hasValue(claims []Claim, c Claim) bool {
	c0, c1 := bounds(c)
	for _, o := range claims {
		o0, o1 := bounds(o)
		if o0 <= c1 && c0 <= o1 {
			return true
		}
	}
	return false
}

// auxiliaries are skipped after a counted noun before its verb ("12
// people were injured").
var auxiliaries = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "been": true,
	"being": true, "has": true, "have": true, "had": true, "will": true, "would": true, "could": true,
	"should": true, "may": true, "might": true, "can": true, "also": true, "reportedly": true, "allegedly": true}

// governing returns the words that say what a number is of: the content
// word nearest before it within its clause ("rushed for 226 yards",
// "killed 22 people") and the verb right after what it counts ("12 people
// were injured"), in a rough stem.
func governing(c Claim) map[string]bool {
	out := map[string]bool{}
	toks := tokenize(c.Text)
	at := strings.Index(c.Text, c.Number)
	if at < 0 {
		return out
	}
	first, last := -1, -1
	for k, t := range toks {
		if t.start >= at && first < 0 {
			first = k
		}
		if t.start < at+len(c.Number) {
			last = k
		}
	}
	if first < 0 {
		return out
	}
	for k := first - 1; k >= 0 && k >= first-6; k-- {
		t := toks[k]
		if !isWord(t.text) {
			break // the clause ends at a mark
		}
		if stops[t.lower] || qualifierWords[t.lower] || determiners[t.lower] {
			continue
		}
		out[roughStem(t.lower)] = true
		break
	}
	k := last + 1
	if c.Subject != nil {
		k += len(strings.Fields(*c.Subject))
		if k < len(toks) && toks[k-len(strings.Fields(*c.Subject))].lower == "of" {
			k++
		}
	}
	for ; k < len(toks) && auxiliaries[toks[k].lower]; k++ {
	}
	if k < len(toks) && isWord(toks[k].text) && !stops[toks[k].lower] {
		out[roughStem(toks[k].lower)] = true
	}
	return out
}

// minSimilarity is the share of the shorter sentence's content words two
// sentences must have in common for their numbers to be compared: two
// reports of one fact are written alike.
const minSimilarity = 0.25

// sentenceWords are the content words of a sentence, folded, in a rough
// stem.
func sentenceWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, t := range tokenize(s) {
		if !isWord(t.text) || len(t.lower) < 3 || stops[t.lower] {
			continue
		}
		if _, num := wordValue(t.lower); num {
			continue
		}
		out[roughStem(t.lower)] = true
	}
	return out
}

// similarity is the share of the smaller set's words found in the other.
func similarity(a, b map[string]bool) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// othering words make a count of something else than another count of
// the same noun: "the other 100 workers", "an additional 162 animals".
var othering = map[string]bool{"other": true, "others": true, "additional": true, "more": true, "extra": true,
	"remaining": true, "further": true, "new": true, "another": true}

// modifiersAgree tells whether two subjects with one head noun can name
// the same thing: neither is "other" or "more" of it, and when both have
// words before the head, they share one ("AK-47 rifles" and "other
// rifles" are not compared; "rifles" and "AK-47 rifles" are).
func modifiersAgree(a, b Claim) bool {
	ma, mb := modifiers(a), modifiers(b)
	for _, m := range [][]string{ma, mb} {
		for _, w := range m {
			if othering[w] {
				return false
			}
		}
	}
	for _, c := range []Claim{a, b} {
		// "the other 100 workers": the word before the number
		at := strings.Index(c.Text, c.Number)
		if at > 0 {
			ws := strings.Fields(strings.ToLower(c.Text[:at]))
			if len(ws) > 0 && othering[ws[len(ws)-1]] {
				return false
			}
		}
	}
	if len(ma) == 0 || len(mb) == 0 {
		return true
	}
	for _, x := range ma {
		for _, y := range mb {
			if x == y {
				return true
			}
		}
	}
	return false
}

// modifiers are the words of a claim's subject before its head noun.
func modifiers(c Claim) []string {
	if c.Subject == nil {
		return nil
	}
	ws := strings.Fields(strings.ToLower(*c.Subject))
	if len(ws) < 2 {
		return nil
	}
	return ws[:len(ws)-1]
}

// entitiesAgree tells whether two sentences can be about the same thing
// by the people, organisations and places they name: when both name some,
// they name one in common (Bush's 404 yards and Hansbrough's 20 points
// are not compared).
func entitiesAgree(a, b map[int]bool) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for e := range a {
		if b[e] {
			return true
		}
	}
	return false
}

// sentenceEntities returns the entities named in a claim's sentence.
func (c *comparer) sentenceEntities(cl Claim) map[int]bool {
	out := map[int]bool{}
	i, ok := c.index[cl.Article]
	if !ok || i >= len(c.res.Mentions) {
		return out
	}
	body := c.articles[i].Text
	at := strings.Index(body, cl.Text)
	if at < 0 {
		return out
	}
	for _, m := range c.res.Mentions[i] {
		if m.Start >= at && m.End <= at+len(cl.Text) && m.Entity >= 0 && m.Entity < len(c.res.Entities) &&
			c.res.Entities[m.Entity].Type != entity.Other {
			out[m.Entity] = true
		}
	}
	return out
}

// sharedTerms lists the words two claims share near their numbers, in
// the first claim's order.
func sharedTerms(a, b Claim) string {
	wa, wb := contextWords(a), contextWords(b)
	var out []string
	seen := map[string]bool{}
	for _, t := range tokenize(a.Text) {
		st := roughStem(t.lower)
		if wa[st] && wb[st] && !seen[st] && t.text == t.lower && len(out) < 3 {
			seen[st] = true
			out = append(out, t.text)
		}
	}
	return strings.Join(out, ", ")
}

// contextWords are the lower-case content words of a claim's sentence
// within eight words of the number, subject words left out, in a rough
// stem (plural and past endings cut).
func contextWords(c Claim) map[string]bool {
	toks := tokenize(c.Text)
	at := strings.Index(c.Text, c.Number)
	subj := map[string]bool{}
	if c.Subject != nil {
		for _, w := range strings.Fields(strings.ToLower(*c.Subject)) {
			subj[w] = true
		}
	}
	num := 0
	for k, t := range toks {
		if t.start >= at {
			num = k
			break
		}
	}
	out := map[string]bool{}
	for k, t := range toks {
		if at >= 0 && (k < num-8 || k > num+8) {
			continue
		}
		if !isWord(t.text) || t.text != t.lower || len(t.lower) < 4 || stops[t.lower] || subj[t.lower] || qualifierWords[t.lower] {
			continue
		}
		if _, num := wordValue(t.lower); num || units[t.lower] != "" || scales[t.lower] > 0 || t.lower[0] >= '0' && t.lower[0] <= '9' {
			continue
		}
		out[roughStem(t.lower)] = true
	}
	return out
}

func roughStem(w string) string {
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func isCumulative(c Claim) bool {
	for _, w := range strings.Fields(strings.ToLower(c.Text)) {
		if cumulative[strings.Trim(w, ".,;:!?\"“”'’")] {
			return true
		}
	}
	return false
}

// quantityWords writes a claim's quantity: "at least 200,000
// international soldiers".
func quantityWords(c storyline.Claim) string {
	var parts []string
	if c.Qualifier != nil {
		parts = append(parts, strings.ToLower(*c.Qualifier))
	}
	parts = append(parts, c.Number)
	if c.Subject != nil && !strings.Contains(c.Number, *c.Subject) {
		if c.Unit != nil && !strings.HasSuffix(c.Number, "%") && !strings.Contains(c.Number, "-") {
			parts = append(parts, "of")
		}
		parts = append(parts, *c.Subject)
	}
	return strings.Join(parts, " ")
}

func (c *comparer) quantityWhy(a, b Claim, update bool) string {
	ia, ib := c.index[a.Article], c.index[b.Article]
	say := func(i int, x Claim) string {
		who := ""
		if x.Claimant != nil && (x.SpeakerEntity != nil || x.Quoted) {
			who = ", from " + *x.Claimant
		}
		return fmt.Sprintf("%s gives %s%s", c.label(i), quantityWords(x.Claim), who)
	}
	if update {
		return fmt.Sprintf("Update, not a contradiction: %s; %s; the figures were published on different days, so the later one may be a newer figure.", say(ia, a), say(ib, b))
	}
	why := fmt.Sprintf("%s, but %s: the values are incompatible", say(ia, a), say(ib, b))
	da, db := c.date(ia), c.date(ib)
	switch {
	case da.IsZero() || db.IsZero():
		why += ", and without a publish date on both, time cannot explain it"
	case da.Equal(db):
		why += ", on the same day"
	default:
		why += ", and this count only grows, yet the later article gives less"
	}
	return why + "."
}
