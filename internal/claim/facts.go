package claim

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/text"
)

// Statuses of a role: what the title says about holding the office at
// the article's date.
const (
	StatusElect   = "elect"   // "President-elect", "incoming"
	StatusCurrent = "current" // "President", "acting President"
	StatusFormer  = "former"  // "former President", "the late"
)

// Role is a title one article gives a person: "former U.S. President"
// Donald Trump.
type Role struct {
	Article  int // index of the article
	Entity   int // index of the person in the resolution
	Written  string
	Office   string // the title without status and country: "president"
	Status   string
	Sentence string
}

// statusWords map words of a title to the status they give it; "" marks a
// word that takes the title out of the present ("then-President").
var statusWords = map[string]string{
	"former": StatusFormer, "ex": StatusFormer, "late": StatusFormer, "erstwhile": StatusFormer,
	"elect": StatusElect, "incoming": StatusElect, "designate": StatusElect,
	"acting": StatusCurrent, "interim": StatusCurrent, "outgoing": StatusCurrent, "sitting": StatusCurrent,
	"incumbent": StatusCurrent, "current": StatusCurrent, "then": "",
}

// roleOf reads a title: its office and status. ok is false for titles
// that say nothing of the present ("then-President") or name no office.
func roleOf(written string) (office, status string, ok bool) {
	status = StatusCurrent
	g := entity.Default()
	var words []string
	for _, w := range strings.FieldsFunc(written, func(r rune) bool { return r == ' ' || r == '-' || r == '–' }) {
		lw := strings.ToLower(strings.Trim(w, ".,'’"))
		if st, isStatus := statusWords[lw]; isStatus {
			if st == "" {
				return "", "", false
			}
			if st != StatusCurrent || status == StatusCurrent {
				status = st
			}
			continue
		}
		bare := strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if _, isPlace := g.Lookup(bare); isPlace && w != "" && w[0] >= 'A' && w[0] <= 'Z' {
			continue // "U.S.", "Ukraine's"
		}
		if _, isDemonym := g.Demonym(bare); isDemonym {
			continue // "Russian"
		}
		if lw == "the" || lw == "" {
			continue
		}
		words = append(words, lw)
	}
	if len(words) == 0 || len(words) > 5 {
		return "", "", false
	}
	switch words[len(words)-1] {
	case "and", "of", "for", "the", "to", "in", "on":
		return "", "", false // a title cut from a name ("Secretary of Health and")
	}
	return strings.Join(words, " "), status, true
}

// roles returns the titles the articles give people, one per article,
// person, office and status (the first sentence that gives it).
func roles(articles []storyline.Article, res entity.Result) []Role {
	var out []Role
	for i, a := range articles {
		if i >= len(res.Mentions) {
			break
		}
		seen := map[string]bool{}
		for _, m := range res.Mentions[i] {
			if m.Role == "" || m.Kind != entity.KindName || m.Entity < 0 || m.Entity >= len(res.Entities) ||
				res.Entities[m.Entity].Type != storyline.Person {
				continue
			}
			office, status, ok := roleOf(m.Role)
			if !ok {
				continue
			}
			key := strconv.Itoa(m.Entity) + "\x00" + office + "\x00" + status
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, Role{Article: i, Entity: m.Entity, Written: m.Role, Office: office, Status: status,
				Sentence: sentenceAt(a.Text, m.Start)})
		}
	}
	return out
}

// sentenceAt returns the sentence of text around byte offset at.
func sentenceAt(body string, at int) string {
	if at < 0 || at > len(body) {
		return ""
	}
	ps := strings.LastIndex(body[:at], "\n\n")
	if ps < 0 {
		ps = 0
	} else {
		ps += 2
	}
	pe := strings.Index(body[at:], "\n\n")
	if pe < 0 {
		pe = len(body)
	} else {
		pe += at
	}
	for _, s := range text.Sentences(body[ps:pe]) {
		if ps+s.End > at {
			return strings.TrimSpace(s.Text)
		}
	}
	return strings.TrimSpace(body[ps:pe])
}

// Duration is how long something has lasted by one article's account:
// "the war, which has now been ongoing for four years" (1,461 to 1,826
// days), "as the war enters its third year" (730 to 1,096 days).
type Duration struct {
	Article int
	Subject string // the canonical thing: "war", "siege", "strike"
	Written string // the words that say it: "ongoing for four years"
	// MinDays and MaxDays bound the time elapsed at the article's date.
	MinDays, MaxDays float64
	Sentence         string
}

// eventNouns are the things whose length articles state, by canonical
// name.
var eventNouns = map[string]string{
	"war": "war", "conflict": "war", "invasion": "war", "fighting": "war", "hostilities": "war",
	"siege": "siege", "occupation": "occupation", "blockade": "blockade", "strike": "strike", "strikes": "strike",
	"protest": "protests", "protests": "protests", "crisis": "crisis", "pandemic": "pandemic", "lockdown": "lockdown",
	"talks": "talks", "negotiations": "talks", "trial": "trial", "standoff": "standoff", "shutdown": "shutdown",
	"ceasefire": "ceasefire", "truce": "ceasefire", "drought": "drought", "outbreak": "outbreak", "manhunt": "manhunt",
}

// planned are the things whose length is often set ahead ("a 30-day
// ceasefire", "a 10-day strike"): "N-day" before them says nothing of the
// time elapsed.
var planned = map[string]bool{"ceasefire": true, "talks": true, "strike": true, "lockdown": true,
	"shutdown": true, "trial": true, "protests": true}

var unitDays = map[string]float64{"year": 365.25, "month": 30.44, "week": 7, "day": 1}

const numWord = `\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty`
const ordWord = `first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|twentieth|\d+(?:st|nd|rd|th)`

var (
	// "ongoing for four years", "has raged for more than two years"
	forRE = regexp.MustCompile(`(?i)\b(ongoing|raging|raged|lasted|lasting|gone on|going on|dragged on|dragging on|continued|continuing|running|waged|fought|underway|under way)\s+(?:now\s+)?for\s+(?:(more than|over|nearly|almost|about|some|around|at least)\s+)?(` + numWord + `)\s+(year|month|week|day)s?\b`)
	// "enters its third year", "now in its 10th day"
	ordRE = regexp.MustCompile(`(?i)\b(?:enters?|entered|entering|into|in|begins?|began|beginning|starts?|started|starting|marks?|marked|marking)\s+(?:its|their|the)\s+(` + ordWord + `)\s+(year|month|week|day)\b`)
	// "the four-year war", "a 10-day strike"
	adjRE = regexp.MustCompile(`(?i)\b(` + numWord + `)-(year|month|week|day)(?:-old|-long)?\s+(\p{L}+)`)
	// "three years into the war", "after two years of fighting"
	ofRE = regexp.MustCompile(`(?i)\b(?:(more than|over|nearly|almost|about|some|around|at least)\s+)?(` + numWord + `)\s+(year|month|week|day)s?\s+(?:of|into)\s+(?:the\s+|this\s+|a\s+)?(\p{L}+)`)
)

// count reads a number or ordinal word.
func count(s string) (float64, bool) {
	s = strings.ToLower(s)
	if v, ok := wordValue(s); ok {
		return v, true
	}
	if v, ok := ordinals[s]; ok {
		return v, true
	}
	s = strings.TrimRight(s, "stndrh")
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 || v > 1000 {
		return 0, false
	}
	return float64(v), true
}

// durations finds the durations an article states.
func durations(articles []storyline.Article) []Duration {
	var out []Duration
	for i, a := range articles {
		body := a.Text
		if len(body) > maxTextBytes {
			body = body[:maxTextBytes]
		}
		for _, para := range strings.Split(body, "\n\n") {
			for _, s := range text.Sentences(para) {
				out = append(out, sentenceDurations(i, s.Text)...)
			}
		}
	}
	return out
}

// sentenceDurations reads the durations of one sentence of article i.
func sentenceDurations(i int, s string) []Duration {
	low := strings.ToLower(s)
	if !strings.Contains(low, "year") && !strings.Contains(low, "month") && !strings.Contains(low, "week") && !strings.Contains(low, "day") {
		return nil // every form names its unit: most sentences need no regexp
	}
	var out []Duration
	add := func(subject, written string, lo, hi float64) {
		out = append(out, Duration{Article: i, Subject: subject, Written: written, MinDays: lo, MaxDays: hi, Sentence: strings.TrimSpace(s)})
	}
	for _, m := range forRE.FindAllStringSubmatchIndex(s, 10) {
		subject := nounBefore(s[:m[0]])
		n, ok := count(s[m[6]:m[7]])
		if subject == "" || !ok {
			continue
		}
		u := unitDays[strings.ToLower(s[m[8]:m[9]])]
		lo, hi := hedge(strings.ToLower(sub(s, m[4], m[5])), n, u)
		add(subject, s[m[0]:m[1]], lo, hi)
	}
	for _, m := range ordRE.FindAllStringSubmatchIndex(s, 10) {
		subject := nounBefore(s[:m[0]])
		n, ok := count(s[m[2]:m[3]])
		if subject == "" || !ok {
			continue
		}
		u := unitDays[strings.ToLower(s[m[4]:m[5]])]
		add(subject, s[m[0]:m[1]], (n-1)*u, n*u)
	}
	for _, m := range adjRE.FindAllStringSubmatchIndex(s, 10) {
		subject := eventNouns[strings.ToLower(s[m[6]:m[7]])]
		n, ok := count(s[m[2]:m[3]])
		if subject == "" || planned[subject] || !ok {
			continue // "a 30-day ceasefire" is a length agreed, not elapsed
		}
		u := unitDays[strings.ToLower(s[m[4]:m[5]])]
		add(subject, s[m[0]:m[1]], (n-0.5)*u, (n+1)*u)
	}
	for _, m := range ofRE.FindAllStringSubmatchIndex(s, 10) {
		subject := eventNouns[strings.ToLower(s[m[8]:m[9]])]
		n, ok := count(s[m[4]:m[5]])
		if subject == "" || !ok {
			continue
		}
		u := unitDays[strings.ToLower(s[m[6]:m[7]])]
		lo, hi := hedge(strings.ToLower(sub(s, m[2], m[3])), n, u)
		add(subject, s[m[0]:m[1]], lo, hi)
	}
	return out
}

func sub(s string, a, b int) string {
	if a < 0 {
		return ""
	}
	return s[a:b]
}

// hedge bounds "for N units" as qualified: "for four years" is 3¾ to 5
// years (people round), "more than four years" at least four, "nearly
// four years" three to four.
func hedge(q string, n, u float64) (lo, hi float64) {
	switch q {
	case "more than", "over", "at least":
		return n * u, (n + 3) * u
	case "nearly", "almost":
		return (n - 1) * u, n * u
	case "about", "some", "around":
		return (n - 0.5) * u, (n + 0.5) * u
	}
	return (n - 0.25) * u, (n + 1) * u
}

// nounBefore returns the canonical event noun nearest before the end of s
// ("the war, which has now been" → war), within 80 bytes.
func nounBefore(s string) string {
	if len(s) > 80 {
		s = s[len(s)-80:]
	}
	ws := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !(r >= 'a' && r <= 'z') })
	for k := len(ws) - 1; k >= 0; k-- {
		if c, ok := eventNouns[ws[k]]; ok {
			return c
		}
	}
	return ""
}
