package quote

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/text"
)

// speechVerbs are the verbs of speech that introduce or close a
// statement, as base forms; cueVerbs holds all their forms. Verbs of
// belief and finding ("believes", "shows") and of labelling ("called",
// "described") are left out: storyline reports what people said; so is
// "state", whose forms are mostly the noun.
var speechVerbs = strings.Fields(`add stress note warn tweet post emphasise emphasize explain argue insist claim
announce ask reply urge declare acknowledge admit suggest predict confirm deny recall conclude respond comment
remark reiterate vow pledge promise threaten complain demand maintain observe mention reveal caution counter
concede boast joke lament quip shout testify assure disclose allege assert contend repeat answer
agree recount report retort scoff snap charge muse marvel predict acknowledge
yell exclaim brag elaborate interject proclaim tout`)

// cueVerbs are every form of the speech verbs, and the irregular ones.
var cueVerbs = func() []string {
	out := strings.Fields(`said says say saying told tells tell telling wrote writes write writing written
stated spoke speaks speaking`)
	seen := map[string]bool{}
	for _, v := range speechVerbs {
		stem := strings.TrimSuffix(v, "e")
		forms := []string{v, v + "s", stem + "ed", stem + "ing"}
		switch {
		case strings.HasSuffix(v, "y") && !strings.HasSuffix(v, "ay") && !strings.HasSuffix(v, "ey"):
			forms = []string{v, v[:len(v)-1] + "ies", v[:len(v)-1] + "ied", v + "ing"}
		case strings.HasSuffix(v, "sh") || strings.HasSuffix(v, "ss"):
			forms = []string{v, v + "es", v + "ed", v + "ing"}
		case v == "quip" || v == "snap" || v == "brag":
			forms = []string{v, v + "s", v + v[len(v)-1:] + "ed", v + v[len(v)-1:] + "ing"}
		}
		for _, f := range forms {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}()

// cueSet holds the cue verbs, lower-cased, for lookups word by word.
var cueSet = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range cueVerbs {
		m[v] = true
	}
	return m
}()

// cuePhrases are cues of two words: the first word, then the second.
var cuePhrases = map[string]string{"according": "to", "pointed": "out", "made": "clear"}

// cues finds the cues of s, as byte ranges, in order. It reads s word by
// word (a regular expression over ~300 verbs cost half of the stage).
func cues(s string) [][2]int {
	var out [][2]int
	i := 0
	for i < len(s) {
		for i < len(s) && !isWordByte(s[i]) {
			i++
		}
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		if j == i {
			break
		}
		// a word of ASCII letters, not part of a longer word
		if (i == 0 || !isLetterRune(s, i, true)) && (j == len(s) || !isLetterRune(s, j, false)) {
			w := strings.ToLower(s[i:j])
			if second, ok := cuePhrases[w]; ok {
				k := j
				for k < len(s) && s[k] == ' ' {
					k++
				}
				if k > j && strings.HasPrefix(strings.ToLower(s[k:]), second) && (k+len(second) == len(s) || !isWordByte(s[k+len(second)])) {
					out = append(out, [2]int{i, k + len(second)})
					i = k + len(second)
					continue
				}
			}
			if cueSet[w] && !nounUse(s, i, j) {
				out = append(out, [2]int{i, j})
			}
		}
		i = j
	}
	return out
}

// nounUse tells whether the cue word s[i:j] is used as a noun or a name:
// after a determiner ("the remarks"; a possessive is kept: "Clark’s claim
// that …" reports what Clark said),
// in a compound ("counter-attack"), or capitalised inside a sentence ("the
// Washington Post").
func nounUse(s string, i, j int) bool {
	if (j < len(s) && s[j] == '-') || (i > 0 && s[i-1] == '-') {
		return true
	}
	before := strings.TrimRight(s[:i], " ")
	if before == "" {
		return false
	}
	if c := s[i]; c >= 'A' && c <= 'Z' {
		r, _ := utf8.DecodeLastRuneInString(before)
		if (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ',') && !titleCase(s) {
			return true
		}
	}
	prev := strings.ToLower(lastWord(before))
	return determiners[prev] && strings.HasSuffix(before, prev)
}

// titleCase tells whether most longer words of s are capitalised, as in
// a headline ("Obama Says The Museum Tells Our Story").
func titleCase(s string) bool {
	n, up := 0, 0
	for _, w := range strings.Fields(s) {
		if len(w) < 4 {
			continue
		}
		n++
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			up++
		}
	}
	return n > 0 && 10*up >= 7*n
}

// determiners stand before a noun, never before a verb.
var determiners = map[string]bool{"the": true, "a": true, "an": true, "his": true, "her": true, "their": true,
	"its": true, "our": true, "my": true, "your": true, "this": true, "these": true, "those": true}

func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isLetterRune tells whether a letter touches the ASCII word at byte i of
// s: the rune before i (before) or at i (after).
func isLetterRune(s string, i int, before bool) bool {
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(s[:i])
	} else {
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
}

// firstCue returns the first cue of s, or nil.
func firstCue(s string) []int {
	if c := cues(s); len(c) > 0 {
		return []int{c[0][0], c[0][1]}
	}
	return nil
}

// hasCue tells whether s holds a cue.
func hasCue(s string) bool { return len(cues(s)) > 0 }

// tellCues name their listener after them, never their speaker.
var tellCues = map[string]bool{"told": true, "tell": true, "tells": true, "telling": true, "asked": true, "asks": true, "urged": true, "urges": true}

// pronouns that can be speakers, resolved to the most recent person.
var personPronouns = map[string]bool{"he": true, "she": true}

// plural or first-person pronouns: kept as the speaker's words, resolved
// only to an organisation mentioned just before ("they").
var otherPronouns = map[string]bool{"they": true, "we": true, "i": true, "it": true}

// between are the words that may stand between a speaker and its cue:
// "Zelenskyy also said", "Putin has repeatedly said".
var between = map[string]bool{"also": true, "has": true, "had": true, "have": true, "later": true, "then": true,
	"previously": true, "earlier": true, "again": true, "repeatedly": true, "further": true, "once": true,
	"reportedly": true, "would": true, "will": true, "himself": true, "herself": true, "recently": true,
	"publicly": true, "separately": true, "privately": true, "explicitly": true, "in": true, "a": true, "statement": true,
	"on": true, "monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true, "last": true, "week": true, "yesterday": true, "today": true, "tonight": true, "this": true}

// auxiliaries stand between a speaker and a cue in -ing: "Reyes is telling
// voters", "she was saying".
var auxiliaries = map[string]bool{"is": true, "was": true, "are": true, "were": true, "been": true, "be": true,
	"still": true, "now": true, "not": true}

// anonymousHeads are the nouns of sources that stay anonymous.
var anonymousHeads = map[string]bool{"official": true, "officials": true, "source": true, "sources": true,
	"diplomat": true, "diplomats": true, "spokesman": true, "spokeswoman": true, "spokesperson": true,
	"aide": true, "aides": true, "adviser": true, "advisers": true, "advisor": true, "person": true, "people": true,
	"analyst": true, "analysts": true, "expert": true, "experts": true, "observer": true, "observers": true,
	"critic": true, "critics": true, "witness": true, "witnesses": true, "resident": true, "residents": true,
	"lawmaker": true, "lawmakers": true, "member": true, "members": true, "officer": true, "officers": true,
	"engineer": true, "engineers": true, "worker": true, "workers": true, "scientist": true, "scientists": true,
	"doctor": true, "doctors": true, "lawyer": true, "lawyers": true, "researcher": true, "researchers": true,
	"economist": true, "economists": true, "investigator": true, "investigators": true, "prosecutor": true,
	"prosecutors": true, "insider": true, "insiders": true, "executive": true, "executives": true,
	"representative": true, "representatives": true, "negotiator": true, "negotiators": true, "envoy": true,
	"minister": true, "ministers": true, "politician": true, "politicians": true, "activist": true, "activists": true}

type sentence struct{ start, end int }

type analysis struct {
	// prevEntity is the speaker's entity of the last quote found, at
	// byte prevAt (its cue), -1 when none.
	prevEntity, prevAt int
	text               string
	ents               []storyline.Entity
	ms                 []entity.Linked
	sents              []sentence
	spans              []span
	stateNames         map[int]bool // entity → its name is or ends in a US state
	// skipFrom, skipTo hold the content of the statement whose pronoun is
	// being resolved, whose mentions are no antecedents; -1 when none.
	skipFrom, skipTo int
}

func newAnalysis(body string, ms []entity.Linked, ents []storyline.Entity) *analysis {
	a := &analysis{text: body, ms: append([]entity.Linked(nil), ms...), ents: ents, prevEntity: -1, skipFrom: -1, skipTo: -1}
	sort.SliceStable(a.ms, func(i, j int) bool { return a.ms[i].Start < a.ms[j].Start })
	off := 0
	for _, p := range strings.Split(body, "\n\n") {
		for _, s := range text.Sentences(p) {
			a.sents = append(a.sents, sentence{off + s.Start, off + s.End})
		}
		off += len(p) + 2
	}
	a.spans = quoteSpans(body)
	return a
}

// inQuote tells whether byte i is inside a quoted span.
func (a *analysis) inQuote(i int) int {
	k := sort.Search(len(a.spans), func(k int) bool { return a.spans[k].end > i })
	if k < len(a.spans) && a.spans[k].start <= i {
		return k
	}
	return -1
}

// paraBounds returns the paragraph around byte i.
func (a *analysis) paraBounds(i int) (int, int) {
	s := strings.LastIndex(a.text[:i], "\n\n")
	if s < 0 {
		s = 0
	} else {
		s += 2
	}
	e := strings.Index(a.text[i:], "\n\n")
	if e < 0 {
		e = len(a.text)
	} else {
		e += i
	}
	return s, e
}

func (a *analysis) run() []Quote {
	var out []Quote
	var last *Quote // the last attributed direct quote, for continuations
	var orphans []Quote
	for k, s := range a.spans {
		content := inner(a.text, s)
		if words(content) == 0 || a.partial(s) {
			continue // a scare quote, a title or a partial quote: part of reported speech at most
		}
		q := Quote{Start: s.start, End: s.end, Text: content, Kind: Direct, CueStart: -1, CueEnd: -1, SpeakerAt: -1, Entity: -1}
		if words(content) < 4 {
			// a short quote counts only with its attribution right after it:
			// “That's terrible,” she said.
			if strings.ContainsAny(a.text[max(s.start, s.end-3):s.end], ",?!") && a.attributeAfter(&q, s) {
				out = append(out, q)
				last = &out[len(out)-1]
			}
			continue
		}
		if !a.attributeAfter(&q, s) && !a.attributeBefore(&q, s) {
			if last != nil && a.continues(last, s, k) {
				q.Cue, q.Speaker, q.SpeakerAt, q.Entity, q.Anonymous = last.Cue, last.Speaker, -1, last.Entity, last.Anonymous
				q.cont = true
			} else if !a.attributeSentenceBefore(&q, s) {
				// no speaker anywhere near: placed after reported speech at most
				orphans = append(orphans, q)
				continue
			}
		}
		// "“…,” Zelenskyy told Bloomberg. “…”": the second part, attributed
		// through the same cue in the same paragraph, goes on the first
		if last != nil && q.CueStart >= 0 && q.CueStart == last.CueStart && q.Start >= last.End && q.Start-last.End < 200 &&
			!strings.Contains(a.text[last.End:q.Start], "\n\n") {
			if last.Parts == nil {
				last.Parts = [][2]int{{last.Start, last.End}}
			}
			if q.Parts != nil {
				last.Parts = append(last.Parts, q.Parts...)
			} else {
				last.Parts = append(last.Parts, [2]int{q.Start, q.End})
			}
			last.End = q.End
			last.Text = strings.TrimRight(last.Text, ", ") + " … " + q.Text
			continue
		}
		out = append(out, q)
		last = &out[len(out)-1]
		if q.Entity >= 0 {
			a.prevEntity, a.prevAt = q.Entity, max(q.CueStart, q.End)
		}
	}
	direct := out
	for _, q := range append(a.reported(), a.posts()...) {
		if !overlapsAny(q, direct) {
			out = append(out, q)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	out = a.afterReported(out, orphans)
	a.inOrder(out)
	return out
}

// afterReported gives a quote that opens its paragraph, with no speaker of
// its own, the speaker of reported speech ending the paragraph before:
// "Reyes said the bridge was “safe again.”" then "“Trucks can cross.”" in
// the next paragraph goes on with Reyes' words. out is in document order.
func (a *analysis) afterReported(out, orphans []Quote) []Quote {
	if len(orphans) == 0 {
		return out
	}
	added := false
	for _, o := range orphans {
		k := sort.Search(len(out), func(k int) bool { return out[k].Start >= o.Start })
		if k == 0 {
			continue
		}
		if endsWithComma(a.text[o.Start:o.End]) {
			continue // “…,” and the attribution further on, which was not read
		}
		prev := out[k-1]
		if prev.Kind == Direct || prev.End > o.Start || (prev.SpeakerAt < 0 && prev.Entity < 0) {
			continue
		}
		gap := a.text[prev.End:o.Start]
		pstart, _ := a.paraBounds(o.Start)
		if strings.Count(gap, "\n\n") != 1 || strings.TrimLeft(a.text[pstart:o.Start], " \t-—–") != "" || words(gap) > 6 {
			continue
		}
		o.Cue, o.Speaker, o.SpeakerAt, o.Entity, o.Anonymous = prev.Cue, prev.Speaker, -1, prev.Entity, prev.Anonymous
		o.cont = true
		out = append(out, o)
		added = true
	}
	if added {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	}
	return out
}

// partial tells whether a quoted span stands inside a sentence of the
// writer's: a word of the sentence right before it that is no cue verb
// ("the goal “should not be …”", "a “coalition of the willing”").
func (a *analysis) partial(s span) bool {
	lead := strings.TrimRight(a.text[:s.start], " \t")
	r, _ := utf8.DecodeLastRuneInString(lead)
	if lead == "" || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return false
	}
	w := strings.ToLower(lastWord(lead))
	return !hasCue(w) || w == "that"
}

// attributeAfter reads "“…,” Zelenskyy said" and "“…,” said the
// Ukrainian leader" after a quote.
func (a *analysis) attributeAfter(q *Quote, s span) bool {
	_, pend := a.paraBounds(max(s.start, s.end-1))
	end := max(s.end, min(pend, s.end+300))
	rest := a.text[s.end:end]
	if stop := strings.IndexAny(rest, "“\"«„"); stop >= 0 {
		rest = rest[:stop]
	}
	loc := firstCue(rest)
	if loc == nil {
		return false
	}
	before := rest[:loc[0]]
	if sentenceBreak(before) {
		return false
	}
	limit := 8
	if strings.Count(before, ",") >= 2 {
		limit = 40 // "“…,” Trump, the GOP front-runner nationally and in Iowa, said"
	}
	if words(before) > limit || strings.ContainsAny(strings.TrimRight(before, " ,"), "!?;") {
		return false
	}
	cs, ce := s.end+loc[0], s.end+loc[1]
	if !a.speakerNear(q, cs, ce, s.end, end) {
		return false
	}
	q.Cue, q.CueStart, q.CueEnd = a.text[cs:ce], cs, ce
	a.goesOnBeforeSpeaker(q, s)
	return true
}

// goesOnBeforeSpeaker takes in the words between a quote and its
// attribution when the quote ends mid-sentence and they finish it:
// "“We want to wait until we meet them” before any talks, he said." The
// statement is then mixed.
func (a *analysis) goesOnBeforeSpeaker(q *Quote, s span) {
	to := q.CueStart
	if q.SpeakerAt >= 0 && q.SpeakerAt < to {
		to = q.SpeakerAt
	}
	if to <= s.end || strings.ContainsAny(lastRune(strings.TrimSpace(inner(a.text, s))), ",.?!;:…-—") {
		return
	}
	gap := strings.TrimRight(a.text[s.end:to], " ")
	if !strings.HasPrefix(gap, " ") || !strings.HasSuffix(gap, ",") {
		return
	}
	body := strings.TrimSpace(strings.TrimSuffix(gap, ","))
	r, _ := utf8.DecodeRuneInString(body)
	if body == "" || !unicode.IsLower(r) || strings.ContainsAny(body, "“”\"«»„,;:—()\n") || strings.Contains(body, "''") || sentenceBreak(body) {
		return
	}
	q.End = s.end + strings.Index(a.text[s.end:to], body) + len(body)
	q.Text = strings.Join(strings.Fields(q.Text+" "+body), " ")
	q.Kind = Mixed
}

// lastRune returns the last rune of s as a string, "" for none.
func lastRune(s string) string {
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}

// sentenceBreak tells whether a sentence ends inside s, a full stop at its
// very end aside: "Mr. Pawlenty" holds none, "It was. Then he" one.
func sentenceBreak(s string) bool {
	t := strings.TrimSuffix(strings.TrimSpace(s), ".")
	if !strings.ContainsAny(t, ".!?") {
		return false
	}
	return strings.ContainsAny(t, "!?") || len(text.Sentences(t)) > 1
}

// attributeBefore reads "Zelenskyy said: “…”", "He told Bloomberg, “…”"
// and "said Zelenskyy: “…”" before a quote in its paragraph.
func (a *analysis) attributeBefore(q *Quote, s span) bool {
	pstart, _ := a.paraBounds(s.start)
	from := max(pstart, s.start-200)
	lead := a.text[from:s.start]
	// only the last clause before the quote counts
	if i := strings.LastIndexAny(lead, ".!?”\""); i >= 0 {
		lead, from = lead[i+1:], from+i+1
	}
	trimmed := strings.TrimRight(lead, " \t:,—–-")
	if len(trimmed) == len(lead) && !strings.HasSuffix(strings.TrimRight(lead, " "), "that") {
		return false // the quote must follow a colon, a comma, a dash or "that"
	}
	if !a.lastCueSpeaker(q, from, s.start) {
		return false
	}
	ce := q.CueEnd
	// "Reyes said that if the vote passes, “…”": the clause between the
	// cue and the quote is part of the statement, which is mixed
	mid := a.text[ce:s.start]
	body := strings.TrimLeft(mid, " ,:")
	body = strings.TrimPrefix(body, "that ")
	if !tellCues[strings.ToLower(q.Cue)] && words(body) >= 2 && !strings.ContainsAny(body, ":") {
		q.Start = s.start - len(body)
		q.Text = strings.Join(strings.Fields(a.text[q.Start:q.End]), " ")
		q.Kind = Mixed
	} else if q.SpeakerAt > pstart && q.SpeakerAt < q.CueStart && strings.TrimSpace(mid) == "," {
		a.leadBeforeSpeaker(q, s)
	}
	a.tailAfter(q, s)
	return true
}

// tailAfter takes in the rest of the sentence after the closing mark of
// a quote attributed before it: "Tanzer said the club “is a perfect
// example of adapting” to the new economics of golf." The statement is
// then mixed. Another quote, a cue or a dash after the mark keep it out.
func (a *analysis) tailAfter(q *Quote, s span) {
	k := sort.Search(len(a.sents), func(k int) bool { return a.sents[k].end > s.end })
	if k == len(a.sents) || a.sents[k].start > s.end {
		return
	}
	rest := a.text[s.end:a.sents[k].end]
	if strings.Contains(rest, "\n") || strings.HasSuffix(strings.TrimSpace(inner(a.text, s)), ",") {
		// a comma inside the closing mark ends the statement: "…
		// “wrapped up by Cleveland,” referring to the convention"
		return
	}
	t := strings.TrimRight(strings.TrimSpace(rest), ".")
	if words(t) < 2 || strings.ContainsAny(t, "“”\"«»—–;:()?!") || strings.Contains(t, "''") || strings.HasPrefix(t, "-") || hasCue(t) {
		return
	}
	if fw := strings.ToLower(firstWord(t)); personPronouns[fw] || otherPronouns[fw] {
		return
	}
	q.End = s.end + strings.Index(rest, t) + len(t)
	if n := len(q.Parts); n > 0 {
		q.Parts[n-1][1] = q.End
		q.Text += " " + strings.Join(strings.Fields(t), " ")
	} else {
		q.Text = strings.Join(strings.Fields(a.text[q.Start:q.End]), " ")
	}
	q.Kind = Mixed
}

// leadBeforeSpeaker reads "Judging them by the polls, Reyes said, “is
// like …”" and "The bridge, the mayor said, “will open in May”": the words
// before the speaker open the statement, which is mixed. They must be a
// clause of their own (four words or more) or the quote must go on
// mid-sentence (a lower-case first word).
func (a *analysis) leadBeforeSpeaker(q *Quote, s span) {
	from := a.sentenceStart(q.SpeakerAt)
	lead := a.text[from:q.SpeakerAt]
	if i := strings.LastIndexAny(lead, "”\"“"); i >= 0 {
		from += i + 1
		lead = a.text[from:q.SpeakerAt]
	}
	head := strings.TrimRight(lead, " ")
	// a title before the name: "…, Ms. Tanzer said"
	if f := strings.Fields(head); len(f) > 1 && isTitleAbbrev(f[len(f)-1]) {
		head = strings.TrimRight(head[:strings.LastIndex(head, f[len(f)-1])], " ")
	}
	body := strings.TrimLeft(head, " ")
	if !strings.HasSuffix(head, ",") || body == "" || hasCue(body) || strings.Contains(body, "\n") {
		return
	}
	r, _ := utf8.DecodeRuneInString(inner(a.text, s))
	fw := strings.ToLower(firstWord(body))
	if !(words(body) >= 4 || unicode.IsLower(r)) || leadIn[fw] || notContent[fw] {
		return
	}
	q.Start = from + len(head) - len(body)
	q.Parts = [][2]int{{q.Start, q.Start + len(strings.TrimRight(body, " ,"))}, {s.start, q.End}}
	q.Text = strings.Join(strings.Fields(strings.TrimRight(body, " ,")), " ") + " … " + strings.Join(strings.Fields(a.text[s.start:q.End]), " ")
	q.Kind = Mixed
}

// isTitleAbbrev tells whether w is a short capitalised abbreviation
// ending in a full stop: "Mr.", "Ms.", "Sen.", "Gov.".
func isTitleAbbrev(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return len(w) >= 3 && len(w) <= 5 && strings.HasSuffix(w, ".") && unicode.IsUpper(r) && !strings.Contains(w[:len(w)-1], ".")
}

// attributeSentenceBefore gives a quote that stands alone the speaker of
// the sentence just before it in its paragraph, when that sentence has a
// cue and a speaker: "Zelenskyy was blunt. “…”" does not count, "Zelenskyy
// told Bloomberg in Davos. “…”" does.
func (a *analysis) attributeSentenceBefore(q *Quote, s span) bool {
	pstart, _ := a.paraBounds(s.start)
	if s.start-pstart < 2 {
		return false
	}
	return a.lastCueSpeaker(q, pstart, s.start)
}

// lastCueSpeaker attributes q through the last cue in text[from:to] and
// the speaker next to it, when there is one.
func (a *analysis) lastCueSpeaker(q *Quote, from, to int) bool {
	locs := cues(a.text[from:to])
	if locs == nil {
		return false
	}
	loc := locs[len(locs)-1]
	if n := len(locs); n > 1 && possessive(strings.TrimRight(a.text[from:from+loc[0]], " ")) &&
		a.sentenceStart(from+locs[n-2][0]) == a.sentenceStart(from+loc[0]) {
		// a cue noun after a possessive inside the statement of a verb
		// before it: "Ryan told CNN that Ginsburg’s comments “show bias”",
		// "Fallon responded, calling Trump’s charge “pathetic”"
		prev, saved := locs[n-2], *q
		if cs, ce := from+prev[0], from+prev[1]; a.speakerNear(q, cs, ce, from, to) {
			q.Cue, q.CueStart, q.CueEnd = a.text[cs:ce], cs, ce
			return true
		}
		*q = saved
	}
	cs, ce := from+loc[0], from+loc[1]
	if !a.speakerNear(q, cs, ce, from, to) {
		return false
	}
	q.Cue, q.CueStart, q.CueEnd = a.text[cs:ce], cs, ce
	return true
}

// continues tells whether quote span k continues the speech of the last
// attributed quote: it opens its paragraph (or follows the last quote in
// the same paragraph) and nothing names another speaker in between.
func (a *analysis) continues(last *Quote, s span, k int) bool {
	if k == 0 {
		return false
	}
	gap := a.text[last.End:s.start]
	if len(gap) > 400 || hasCue(gap) {
		return false
	}
	for _, m := range a.ms {
		if m.Start >= last.End && m.Start < s.start && a.typeOf(m) == entity.Person {
			return false
		}
	}
	pstart, _ := a.paraBounds(s.start)
	lead := strings.TrimSpace(a.text[pstart:s.start])
	return strings.Trim(lead, "-—– ") == "" || strings.Count(gap, "\n\n") == 0
}

// speakerNear finds the speaker of a cue at text[cs:ce]: a name, a
// pronoun or a noun phrase right before the cue ("Zelenskyy also said",
// "a senior official said") or right after it ("said Zelenskyy"), within
// [lo, hi).
func (a *analysis) speakerNear(q *Quote, cs, ce, lo, hi int) bool {
	cue := strings.ToLower(a.text[cs:ce])
	if cue == "according to" {
		return a.speakerAfter(q, ce, hi)
	}
	if strings.HasSuffix(cue, "ing") && strings.HasSuffix(strings.TrimRight(a.text[max(0, cs-3):cs], " "), ",") {
		// "Sanders compared himself to Clinton, saying …": the subject speaks
		if a.participleSubject(q, sentence{a.sentenceStart(cs), ce}, cs, ce) {
			return true
		}
	}
	if tellCues[cue] {
		return a.speakerBefore(q, cs, lo) // "told Reuters": the listener follows
	}
	if endsWithComma(a.text[lo:cs]) && a.closingSpeakerAfter(q, ce, hi) {
		// "…” in the 2008 primary, said Paul Beck.": the name after the
		// cue, not the phrase before the comma
		return true
	}
	return a.speakerBefore(q, cs, lo) || a.speakerAfter(q, ce, hi)
}

// closingSpeakerAfter takes the speaker right after a cue when the
// attribution ends with it (", said Reyes." or ", said Reyes, the mayor"),
// not when the words after the cue open its content ("said he would").
func (a *analysis) closingSpeakerAfter(q *Quote, ce, hi int) bool {
	t := strings.TrimLeft(a.text[ce:hi], " ")
	if t == "" || strings.ContainsRune(".,;:!?”\"", rune(t[0])) {
		return false
	}
	if w := strings.ToLower(firstWord(t)); notVerbs[w] || notContent[w] {
		return false // "said of Trump", "said on Twitter"
	}
	r := *q
	if !a.speakerAfter(&r, ce, hi) || r.SpeakerAt < 0 || r.SpeakerAt >= hi {
		r = *q
		if !a.describedAfter(&r, ce, hi) {
			return false
		}
	}
	end := r.SpeakerAt + len(r.Speaker)
	if end > hi || a.text[r.SpeakerAt:end] != r.Speaker {
		// the speaker is folded from the text; find its end again
		end = r.SpeakerAt + len(firstWord(a.text[r.SpeakerAt:hi]))
		for _, m := range a.ms {
			if m.Start == r.SpeakerAt {
				end = m.End
				break
			}
		}
	}
	if end > hi {
		return false
	}
	next := strings.TrimLeft(a.text[end:hi], " ")
	if next != "" && !strings.ContainsRune(".,;:!?(”\"", rune(next[0])) && !strings.HasPrefix(next, "—") && !strings.HasPrefix(next, "–") &&
		!strings.HasPrefix(next, "who ") {
		return false
	}
	*q = r
	return true
}

// describedAfter reads a speaker after a cue that a description opens:
// "said election lawyer Joe Birkenstock", "said the bureau’s director,
// James B. Comey" (a person named within a few words), or "said one
// former executive who asked not to be named" (an anonymous source, up
// to a relative clause).
func (a *analysis) describedAfter(q *Quote, ce, hi int) bool {
	at := ce + len(a.text[ce:hi]) - len(strings.TrimLeft(a.text[ce:hi], " "))
	k := sort.Search(len(a.ms), func(k int) bool { return a.ms[k].Start >= at })
	if k < len(a.ms) && a.ms[k].Start < hi && a.ms[k].Entity >= 0 && a.typeOf(a.ms[k]) == entity.Person {
		m := a.ms[k]
		gap := strings.TrimSuffix(strings.TrimRight(a.text[at:m.Start], " "), ",")
		if words(gap) <= 5 && !strings.ContainsAny(gap, ",;:.“”\"()") {
			a.setSpeaker(q, m.Start, m.End, m.Entity)
			return true
		}
	}
	phrase := a.text[at:hi]
	if i := strings.IndexAny(phrase, ",.;:”\""); i >= 0 {
		phrase = phrase[:i]
	}
	fs := strings.Fields(phrase)
	for i, f := range fs {
		if lf := strings.ToLower(f); lf == "who" || lf == "that" || lf == "which" {
			fs = fs[:i]
			break
		}
	}
	if len(fs) < 2 || len(fs) > 7 {
		return false
	}
	first := strings.ToLower(fs[0])
	head := strings.ToLower(fs[len(fs)-1])
	if !(first == "a" || first == "an" || first == "one" || first == "the" || first == "another") || !(anonymousHeads[head] || roleHeads[head]) {
		return false
	}
	q.Speaker, q.SpeakerAt, q.Entity = strings.Join(fs, " "), at, -1
	q.Anonymous = first != "the" && anonymousHeads[head]
	if first == "the" && roleHeads[head] {
		a.refer(q, anyPerson, at)
	}
	return true
}

// speakerBefore looks left of the cue. A time found there ("Trump at the
// time said", "the department two weeks ago said") is no speaker: the
// subject of the clause is, when there is one.
func (a *analysis) speakerBefore(q *Quote, cs, lo int) bool {
	saved := *q
	if !a.speakerLeft(q, cs, lo) {
		return false
	}
	if !timePhrase(q.Speaker) {
		return true
	}
	found := *q
	*q = saved
	if from := max(lo, a.sentenceStart(cs)); a.clauseSubject(q, from, cs) || (a.openingPhrase(q, from, cs) && !timePhrase(q.Speaker)) {
		return true
	}
	*q = found
	return true
}

// timePhrase tells whether a phrase ends in a word of time: "Tuesday",
// "the time", "two weeks ago", "last September".
func timePhrase(s string) bool {
	return timeWords[strings.ToLower(lastWord(s))]
}

var timeWords = wordSet(`monday tuesday wednesday thursday friday saturday sunday january february march april
june july august september october november december time ago week weeks month months year years morning
afternoon evening night today yesterday tonight weekend`)

// speakerLeft looks left of the cue for speakerBefore.
func (a *analysis) speakerLeft(q *Quote, cs, lo int) bool {
	// words between a name and its cue: "Zelenskyy also said"
	left := a.text[lo:cs]
	if strings.EqualFold(lastWord(left), "and") && (a.inQuote(lo) < 0 || !strings.ContainsAny(left, "“\"")) {
		// "Wilson praised Rubio and said …": the subject of the first verb
		if a.clauseSubject(q, a.sentenceStart(cs), cs) {
			return true
		}
	}
	toks := strings.Fields(left)
	n := 0
	progressive := strings.HasSuffix(strings.ToLower(firstWord(a.text[cs:min(len(a.text), cs+20)])), "ing")
	for n < len(toks) && n < 4 {
		w := strings.ToLower(strings.Trim(toks[len(toks)-1-n], ","))
		if !between[w] && !(progressive && auxiliaries[w]) {
			break
		}
		n++
	}
	// the end of the speaker phrase
	end := len(left)
	for k := 0; k < n; k++ {
		end = strings.LastIndex(left[:end], toks[len(toks)-1-k])
	}
	raw := strings.TrimRight(left[:end], " ") // before "also", "is" …
	end = len(strings.TrimRight(left[:end], " ,"))
	if end <= 0 {
		return false
	}
	// a party label or an apposition between the name and the cue:
	// "Lisa Madigan (D) asserted", "Kevin McCarthy, R-Calif., said",
	// "Trump, the GOP front-runner, said"
	if strings.HasSuffix(left[:end], ")") {
		if i := strings.LastIndex(left[:end], "("); i > 0 && end-i < 40 {
			end = len(strings.TrimRight(left[:i], " ,"))
		}
	} else if t := strings.TrimRight(left, " "); strings.HasSuffix(t, "--") || strings.HasSuffix(t, "—") {
		// "John McCain -- who lost in 2008 -- said"
		inner := strings.TrimRight(strings.TrimRight(t, "-—"), " ")
		if i := strings.LastIndexAny(inner, "-—"); i > 0 && len(inner)-i < 250 {
			head := strings.TrimRight(strings.TrimRight(inner[:i], "-—"), " ")
			if k := a.mentionEndingAt(lo + len(head)); k >= 0 {
				end = len(head)
			}
		}
	} else if strings.HasSuffix(raw, ",") || strings.HasSuffix(strings.TrimRight(left, " "), ",") {
		found := false
		if i := strings.LastIndex(left[:end], ","); i > 0 && end-i < 250 && !strings.ContainsAny(left[i:end], "“”\"") {
			// not a place: "Ann Cole, 67, of Almera, Pa., said"
			if k := a.mentionEndingAt(lo + len(strings.TrimRight(left[:i], " "))); k >= 0 && !a.insidePhrase(a.ms[k]) && a.typeOf(a.ms[k]) != entity.Location {
				end = len(strings.TrimRight(left[:i], " "))
				found = true
			}
		}
		if !found {
			if e, ok := a.appositionSubject(left[:end], lo); ok {
				end = e
			}
		}
	}
	at := lo + end
	// a mention ending there
	for i := len(a.ms) - 1; i >= 0; i-- {
		m := a.ms[i]
		if m.End > at {
			continue
		}
		if m.End < at-1 {
			break
		}
		if a.typeOf(m) == entity.Location && m.Kind != entity.KindRole && a.afterPreposition(m) {
			return false // "in Kyiv said" is no speaker
		}
		a.setSpeaker(q, m.Start, m.End, m.Entity)
		a.widenRole(q, m)
		return true
	}
	// a pronoun
	w := lastWord(left[:end])
	lw := strings.ToLower(w)
	if personPronouns[lw] || otherPronouns[lw] {
		q.Speaker, q.SpeakerAt = w, at-len(w)
		a.refer(q, lw, at-len(w))
		return true
	}
	// a noun phrase: "a senior European official", "the ministry"
	if a.nounPhrase(q, left[:end], lo) {
		return true
	}
	// capitalised words the entity stage left alone: "Bozell adds"
	return a.capitalised(q, left[:end], lo)
}

// appositionSubject walks back over the comma-separated phrases of left
// ("Reyes, meanwhile, who has no support,", "Paul Hart, a fellow at the
// Centre for Ports, which works on trade,") to a person who opens the
// sentence or clause, possibly with a place ("Ann Cole of Almera"); it
// returns the end of that name in left.
func (a *analysis) appositionSubject(left string, lo int) (int, bool) {
	end := len(left)
	for n := 0; n < 4; n++ {
		i := strings.LastIndex(left[:end], ",")
		if i <= 0 || len(left)-i > 300 || strings.ContainsAny(left[i:], "“”\"") {
			return 0, false
		}
		head := strings.TrimRight(left[:i], " ")
		at := lo + len(head)
		if k := a.mentionEndingAt(at); k >= 0 && (a.isSubject(a.ms[k]) || (n == 0 && !a.insidePhrase(a.ms[k]))) {
			return len(head), true
		}
		// "Ann Cole of Almera,": the person before the place
		if strings.HasSuffix(lastWords(head, 2), "of "+lastWord(head)) || strings.Contains(lastWords(head, 3), " of ") {
			if j := strings.LastIndex(head, " of "); j > 0 && len(head)-j < 40 {
				if k := a.mentionEndingAt(lo + j); k >= 0 && a.isSubject(a.ms[k]) {
					return j, true
				}
			}
		}
		end = i
	}
	return 0, false
}

// insidePhrase tells whether a mention stands inside a noun or
// prepositional phrase ("a fellow at the Centre for Ports", "of Almera"),
// where it names no speaker.
func (a *analysis) insidePhrase(m entity.Linked) bool {
	w := strings.ToLower(lastWord(a.text[max(0, m.Start-20):m.Start]))
	return notVerbs[w] || determiners[w]
}

// lastWords returns the last n words of s, space-joined.
func lastWords(s string, n int) string {
	if n <= 0 {
		return ""
	}
	// only the end of s is split: s may be all the text before a point
	words, inWord := 0, false
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsSpace(r) {
			inWord = true
		} else if inWord {
			inWord = false
			if words++; words == n {
				return strings.Join(strings.Fields(s[i:]), " ")
			}
		}
		i -= size
	}
	return strings.Join(strings.Fields(s), " ")
}

// capitalised takes the one to three capitalised words ending left as the
// speaker: a name the entity stage did not keep ("Bozell", "Viguerie").
func (a *analysis) capitalised(q *Quote, left string, lo int) bool {
	fs := strings.Fields(left)
	n := 0
	for n < len(fs) && n < 3 {
		w := strings.TrimFunc(fs[len(fs)-1-n], func(r rune) bool { return !unicode.IsLetter(r) && r != '.' && r != '-' })
		r, _ := utf8.DecodeRuneInString(w)
		if w == "" || !unicode.IsUpper(r) || strings.ContainsAny(fs[len(fs)-1-n], ",;:“”\"") {
			break
		}
		n++
	}
	if n == 0 {
		return false
	}
	name := strings.Join(fs[len(fs)-n:], " ")
	if sentenceWords[strings.ToLower(name)] {
		return false
	}
	q.Speaker = strings.TrimRight(name, ".,")
	q.SpeakerAt = lo + strings.LastIndex(left, fs[len(fs)-n])
	q.Entity = -1
	return true
}

// sentenceWords are capitalised words that start sentences and name no one.
var sentenceWords = map[string]bool{"it": true, "this": true, "that": true, "there": true, "but": true, "and": true,
	"so": true, "yet": true, "then": true, "now": true, "here": true, "one": true, "i": true}

// speakerAfter looks right of the cue: "said Zelenskyy", "according to a
// Western diplomat".
func (a *analysis) speakerAfter(q *Quote, ce, hi int) bool {
	rest := a.text[ce:hi]
	skip := len(rest) - len(strings.TrimLeft(rest, " ,"))
	at := ce + skip
	for _, m := range a.ms {
		if m.Start < at {
			continue
		}
		// "said Vice President Joe Biden": titles may come first; "said of
		// Trump", "said on Fox" name no speaker
		if m.Start >= hi || (m.Start > at+4 && !titlesOnly(a.text[at:m.Start])) ||
			(m.Start > at && notVerbs[strings.ToLower(firstWord(a.text[at:m.Start]))]) {
			break
		}
		if a.typeOf(m) == entity.Location && m.Kind != entity.KindRole && a.afterPreposition(m) {
			return false
		}
		a.setSpeaker(q, m.Start, m.End, m.Entity)
		a.widenRole(q, m)
		return true
	}
	w := firstWord(a.text[at:hi])
	lw := strings.ToLower(w)
	if personPronouns[lw] {
		q.Speaker, q.SpeakerAt = w, at
		a.refer(q, lw, at)
		return true
	}
	// "according to a senior official"
	phrase := a.text[at:hi]
	if i := strings.IndexAny(phrase, ",.;:”\""); i >= 0 {
		phrase = phrase[:i]
	}
	fs := strings.Fields(phrase)
	if len(fs) == 0 || len(fs) > 7 {
		return false
	}
	first := strings.ToLower(fs[0])
	if first != "a" && first != "an" && first != "the" && first != "one" && first != "two" && first != "several" {
		return false
	}
	for _, f := range fs {
		if anonymousHeads[strings.ToLower(strings.Trim(f, ",."))] {
			q.Speaker, q.SpeakerAt, q.Anonymous = strings.Join(fs, " "), at, first != "the"
			return true
		}
	}
	return false
}

// sourcePhrase takes the phrase after "according to" as the source when
// it names no person: "according to a review of the transcripts",
// "according to Nielsen". It runs to the next comma or the sentence end.
func (a *analysis) sourcePhrase(q *Quote, ce, hi int) bool {
	rest := a.text[ce:hi]
	t := strings.TrimLeft(rest, " ")
	if i := strings.IndexAny(t, ",;:”\"("); i >= 0 {
		t = t[:i]
	}
	t = strings.TrimRight(strings.TrimSpace(t), ".")
	fs := strings.Fields(t)
	if len(fs) == 0 || len(fs) > 12 {
		return false
	}
	first := strings.ToLower(fs[0])
	r, _ := utf8.DecodeRuneInString(fs[0])
	if !unicode.IsUpper(r) && !determiners[first] && first != "one" && first != "two" && first != "several" && first != "some" &&
		first != "multiple" && first != "people" {
		return false
	}
	if personPronouns[first] || otherPronouns[first] || sentenceWords[first] {
		return false
	}
	if first == "the" && !sourceDocs[strings.ToLower(fs[len(fs)-1])] && !sourceDocs[strings.ToLower(fs[min(len(fs)-1, 2)])] {
		return false
	}
	q.Speaker, q.SpeakerAt, q.Entity = t, ce+len(rest)-len(strings.TrimLeft(rest, " ")), -1
	q.Anonymous = first == "a" || first == "an" || first == "one" || first == "two" || first == "several" || first == "some" || first == "multiple"
	return true
}

// sourceDocs are the written sources "according to the …" names: "the
// poll", "the report by …".
var sourceDocs = map[string]bool{"poll": true, "polls": true, "survey": true, "report": true, "reports": true,
	"study": true, "review": true, "analysis": true, "data": true, "records": true, "figures": true, "estimates": true,
	"estimate": true, "statement": true, "transcript": true, "letter": true, "documents": true, "website": true,
	"complaint": true, "lawsuit": true, "filing": true, "filings": true, "indictment": true, "memo": true,
	"census": true, "count": true, "tally": true, "results": true, "post": true, "book": true, "article": true}

// nounPhrase takes a short noun phrase ending at the end of left as the
// speaker: "a senior European official", "the ministry", "officials".
func (a *analysis) nounPhrase(q *Quote, left string, lo int) bool {
	clause := left
	if i := strings.LastIndexAny(clause, ",;:()“”\""); i >= 0 {
		clause = clause[i+1:]
	}
	fs := strings.Fields(clause)
	if len(fs) == 0 {
		return false
	}
	if len(fs) > 6 {
		fs = fs[len(fs)-6:]
	}
	// from the last determiner
	start := -1
	for i, f := range fs {
		switch strings.ToLower(f) {
		case "a", "an", "the", "one", "two", "several", "some", "many", "this":
			start = i
		}
	}
	head := strings.ToLower(strings.Trim(fs[len(fs)-1], ".,"))
	if start < 0 {
		if !anonymousHeads[head] {
			return false
		}
		start = len(fs) - 1
	}
	if len(fs)-start > 5 || notContent[head] || sentenceWords[head] {
		return false
	}
	phrase := strings.Join(fs[start:], " ")
	q.Speaker = phrase
	q.SpeakerAt = lo + strings.LastIndex(left, fs[start])
	if i := strings.LastIndex(left, phrase); i >= 0 {
		q.SpeakerAt = lo + i // not a letter of a later word: "a" in "official"
	}
	det := strings.ToLower(fs[start])
	q.Anonymous = det != "the" && det != "this" && anonymousHeads[head]
	if det == "the" && roleHeads[head] {
		// "the mayor said": the person the role refers back to
		a.refer(q, anyPerson, q.SpeakerAt)
	}
	return true
}

// widenRole keeps a role noun's whole phrase as the speaker: "the
// Ukrainian leader", not "leader".
func (a *analysis) widenRole(q *Quote, m entity.Linked) {
	if m.Kind != entity.KindRole {
		return
	}
	q.Speaker = a.text[m.Start:m.End]
	if q.Entity < 0 {
		// a role noun the entity stage could not place ("the mayor" after
		// "Port Almera's mayor, Ines Varga"): the person it refers back to,
		// as for a pronoun of either gender
		a.refer(q, anyPerson, m.Start)
	}
}

// roleHeads are the nouns of an office that "the …" uses for someone the
// article has named: "the mayor", "the senator".
var roleHeads = map[string]bool{"mayor": true, "president": true, "minister": true, "leader": true, "senator": true,
	"governor": true, "chancellor": true, "secretary": true, "candidate": true, "congressman": true,
	"congresswoman": true, "ambassador": true, "premier": true, "chairman": true, "chairwoman": true,
	"commissioner": true, "judge": true, "general": true, "frontrunner": true, "front-runner": true, "nominee": true}

// anyPerson is the pseudo-pronoun of a role noun: a person of any gender.
const anyPerson = "\x00person"

func (a *analysis) setSpeaker(q *Quote, s, e, ent int) {
	q.Speaker, q.SpeakerAt, q.Entity = strings.Join(strings.Fields(a.text[s:e]), " "), s, ent
}

// refer gives q the entity a pronoun or role noun of its speaker refers
// to, and keeps the pronoun for the pass in document order (inOrder).
func (a *analysis) refer(q *Quote, p string, at int) {
	q.Entity = a.resolvePronoun(p, at)
	q.pron, q.pronAt = p, at
}

// inOrder resolves the pronouns of the speakers again, going through the
// quotes in document order: a pronoun refers to the speaker of the quote
// before it, direct or reported, unless a subject came in between. A
// continuation takes the speaker of the quote it continues.
//
// A speaker named but not linked to an entity ("“…,” said Harvey") is
// kept too: a "he" or "she" after it, with no subject in between, refers
// to that name (Refers).
func (a *analysis) inOrder(qs []Quote) {
	a.prevEntity, a.prevAt = -1, -1
	prevName, prevNameAt := "", -1
	for i := range qs {
		q := &qs[i]
		switch {
		case q.pron != "":
			// the statement's own words name no antecedent of its
			// speaker: "Trump is no conservative, he said" is not Trump's
			a.skipFrom, a.skipTo = -1, -1
			if q.Start < q.pronAt && q.Kind != Direct {
				a.skipFrom, a.skipTo = q.Start, min(q.End, q.pronAt)
			}
			q.Entity = a.resolvePronoun(q.pron, q.pronAt)
			if personPronouns[q.pron] && prevName != "" && prevNameAt > a.prevAt && prevNameAt < q.pronAt &&
				q.pronAt-prevNameAt < 1000 && fits(q.pron, prevName) && !a.subjectBetween(prevNameAt, q.pronAt) {
				q.Entity, q.Refers = -1, prevName
			}
			a.skipFrom, a.skipTo = -1, -1
		case q.cont && i > 0:
			q.Entity, q.Refers = qs[i-1].Entity, qs[i-1].Refers
		}
		at := max(q.CueStart, q.End)
		switch {
		case a.isPerson(q.Entity):
			a.prevEntity, a.prevAt = q.Entity, at
		case q.Refers != "":
			prevNameAt = at
		case (q.Entity < 0 || a.untyped(q.Entity)) && q.pron == "" && !q.Anonymous && namedSpeaker(q.Speaker):
			// a name the entity stage gave no type ("de Blasio" as
			// "Blasio") is kept as a name
			prevName, prevNameAt = q.Speaker, at
		}
	}
}

// untyped tells whether entity e is a name of no known kind.
func (a *analysis) untyped(e int) bool {
	if e < 0 || e >= len(a.ents) {
		return false
	}
	t := a.ents[e].Type
	return t != entity.Person && t != entity.Organization && t != entity.Location
}

// namedSpeaker tells whether a speaker as written is a name: capitalised
// words, no determiner or pronoun first ("Harvey", "Mr. Coleman").
func namedSpeaker(s string) bool {
	w := firstWord(s)
	r, _ := utf8.DecodeRuneInString(w)
	lw := strings.ToLower(w)
	return unicode.IsUpper(r) && !determiners[lw] && !sentenceWords[lw] && !personPronouns[lw] && !otherPronouns[lw] && !leadIn[lw]
}

// subjectBetween tells whether a person mention outside quotes stands as
// a subject in text[from:to].
func (a *analysis) subjectBetween(from, to int) bool {
	k := sort.Search(len(a.ms), func(k int) bool { return a.ms[k].Start >= from })
	for ; k < len(a.ms) && a.ms[k].Start < to; k++ {
		m := a.ms[k]
		if m.Start >= a.skipFrom && m.Start < a.skipTo {
			continue
		}
		if m.Entity >= 0 && a.typeOf(m) == entity.Person && a.inQuote(m.Start) < 0 && a.isSubject(m) {
			return true
		}
	}
	return false
}

// resolvePronoun links "he" and "she" to a person mentioned before at,
// outside quotes: the nearest one that stands as a subject (the next word
// is a verb, not "to", "and", a comma …), else the nearest one; "they",
// "we", "it" to the nearest organisation in the last 300 bytes. -1 when
// there is none.
func (a *analysis) resolvePronoun(p string, at int) int {
	nearest := -1
	// the speaker of the last quote, when no subject came after it: “…,” he said
	prev := -1
	person := personPronouns[p] || p == anyPerson
	if a.prevEntity >= 0 && a.prevAt < at && at-a.prevAt < 1500 && person && a.isPerson(a.prevEntity) &&
		fits(p, a.ents[a.prevEntity].Name) {
		prev = a.prevEntity
	}
	for i := len(a.ms) - 1; i >= 0; i-- {
		m := a.ms[i]
		if m.Start >= at || m.Entity < 0 || a.inQuote(m.Start) >= 0 || (m.Start >= a.skipFrom && m.Start < a.skipTo) {
			continue
		}
		if prev >= 0 && m.End <= a.prevAt {
			return prev
		}
		if at-m.End > 1500 {
			break
		}
		typ := a.typeOf(m)
		if !person {
			if typ == entity.Organization && at-m.End < 300 {
				return m.Entity
			}
			continue
		}
		if typ != entity.Person || (m.Entity < len(a.ents) && !fits(p, a.ents[m.Entity].Name)) {
			continue
		}
		if a.isSubject(m) {
			return m.Entity
		}
		if nearest < 0 {
			nearest = m.Entity
		}
	}
	if prev >= 0 {
		return prev
	}
	return nearest
}

// notVerbs are words after a name that show it is no subject.
var notVerbs = map[string]bool{"to": true, "and": true, "or": true, "of": true, "in": true, "on": true, "at": true,
	"for": true, "with": true, "from": true, "by": true, "as": true, "about": true, "after": true, "before": true,
	"than": true, "but": true, "into": true, "over": true, "against": true}

// isSubject tells whether a mention looks like the subject of its clause:
// it opens the sentence or a clause after an introductory phrase ("In an
// interview, Khan said …"), titles and determiners aside ("Ohio Gov. John
// Kasich, a Republican, predicted …"), and is no possessive; or it follows
// a cue ("said Reyes").
func (a *analysis) isSubject(m entity.Linked) bool {
	rest := a.text[m.End:min(len(a.text), m.End+3)]
	if strings.HasPrefix(rest, "’") || strings.HasPrefix(rest, "'") {
		return false // "Trump’s support": a possessive, no subject
	}
	if hasCue(lastWord(a.text[max(0, m.Start-20):m.Start])) {
		// "…, said Reyes." names the speaker; "Reyes said Marsh had …"
		// makes Marsh the subject of the content only
		next, _ := utf8.DecodeRuneInString(strings.TrimLeft(a.text[m.End:min(len(a.text), m.End+40)], " "))
		if next == utf8.RuneError || strings.ContainsRune(".,;:!?\n", next) {
			return true
		}
	}
	if a.endsWithCue(m.End) {
		return true // an inverted attribution: "…, the ablest candidate Reyes argues."
	}
	ss := a.sentenceStart(m.Start)
	lead := a.text[ss:m.Start]
	cut := false
	if i := strings.LastIndexAny(lead, ",;:—"); i >= 0 {
		lead, cut = lead[i+1:], true
	}
	if next, _ := utf8.DecodeRuneInString(strings.TrimLeft(a.text[m.End:min(len(a.text), m.End+10)], " ")); cut && (next == '.' || next == ';') {
		return false // the last item of a list, "…, Rubio and Ted Cruz."
	}
	if cut && listItem(a.text[m.End:min(len(a.text), m.End+8)]) {
		return false // an item of a list: "…, Senator Jane Roe, and Senator Tom Reyes"
	}
	described := 0
	for _, w := range strings.Fields(lead) {
		if strings.Trim(w, "'\"”’") == "" {
			continue // the closing mark of a quote: "''…,'' Ann Cole, 67, said"
		}
		r, _ := utf8.DecodeRuneInString(w)
		lw := strings.ToLower(strings.Trim(w, ".,"))
		if unicode.IsUpper(r) || leadWords[lw] {
			continue
		}
		if describing(lw) && described < 3 {
			described++ // "Tennis great Billie Jean King", "his cousin James York"
			continue
		}
		return false
	}
	if described > 0 {
		// a description makes a subject only before its verb: not
		// "criticized police officer Jane Roe for …"
		next := strings.ToLower(firstWord(a.text[m.End:min(len(a.text), m.End+30)]))
		if next == "" || notVerbs[next] || strings.HasPrefix(strings.TrimLeft(a.text[m.End:min(len(a.text), m.End+5)], " "), ".") {
			return false
		}
	}
	return true
}

// listItem tells whether the words after a name go on with a list: ",
// and", " or" …
func listItem(after string) bool {
	after = strings.TrimLeft(strings.TrimPrefix(after, ","), " ")
	return strings.HasPrefix(after, "and ") || strings.HasPrefix(after, "or ")
}

// describing tells whether a lower-case word before a name may be part of
// a description of the person ("tennis great", "his cousin", "campaign
// spokesperson"): no function word, verb form, adverb or cue.
func describing(w string) bool {
	if w == "" || notDescribing[w] || notVerbs[w] || hasCue(w) || personPronouns[w] || otherPronouns[w] {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return !strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "ing") && !strings.HasSuffix(w, "ly")
}

// notDescribing are lower-case words that are no part of a description
// before a name: conjunctions, relatives, auxiliaries.
var notDescribing = map[string]bool{"that": true, "who": true, "which": true, "when": true, "if": true, "because": true,
	"whether": true, "while": true, "although": true, "since": true, "like": true, "unlike": true, "is": true, "was": true,
	"are": true, "were": true, "be": true, "been": true, "has": true, "have": true, "had": true, "will": true, "would": true,
	"can": true, "could": true, "should": true, "may": true, "might": true, "must": true, "do": true, "does": true,
	"did": true, "not": true, "where": true, "how": true, "why": true, "what": true, "even": true, "only": true,
	"just": true, "than": true, "until": true, "unless": true, "once": true, "where's": true, "let": true, "until.": true,
	"both": true, "neither": true, "either": true, "nor": true, "yet": true, "all": true, "including": true, "among": true,
	"between": true, "during": true, "under": true, "via": true, "per": true, "through": true, "without": true}

// endsWithCue tells whether the text at i is a cue word that ends its
// clause: " argues.", " said,".
func (a *analysis) endsWithCue(i int) bool {
	rest := a.text[i:min(len(a.text), i+40)]
	if !strings.HasPrefix(rest, " ") {
		return false
	}
	rest = rest[1:]
	end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	if end <= 0 {
		return false
	}
	w := rest[:end]
	if !hasCue(w) || w != strings.ToLower(w) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(rest[end:])
	return next == utf8.RuneError || strings.ContainsRune(".,;!?", next)
}

// leadWords may stand before a subject's name: "the former president".
var leadWords = map[string]bool{"the": true, "former": true, "then": true, "ex": true, "late": true, "and": true,
	"but": true, "so": true, "also": true, "meanwhile": true, "deputy": true, "acting": true, "senior": true}

// sentenceStart returns the start of the sentence holding byte i.
func (a *analysis) sentenceStart(i int) int {
	k := sort.Search(len(a.sents), func(k int) bool { return a.sents[k].end > i })
	if k < len(a.sents) && a.sents[k].start <= i {
		return a.sents[k].start
	}
	s, _ := a.paraBounds(i)
	return s
}

// typeOf is the type of a mention's entity, or the mention's own type.
// A name that is or ends in a US state is a place (see stateName).
func (a *analysis) typeOf(m entity.Linked) string {
	t := m.Type
	if m.Entity >= 0 && m.Entity < len(a.ents) && a.ents[m.Entity].Type != "" {
		t = a.ents[m.Entity].Type
	}
	if (t == entity.Person && a.statePerson(m.Entity)) || (t != entity.Location && t != entity.Organization && isState(m.Name)) {
		return entity.Location
	}
	return t
}

// isState tells whether name is a US state, "Pa." included.
func isState(name string) bool {
	return len(name) < 16 && !strings.Contains(name, " ") && usStates[strings.ToLower(strings.TrimRight(name, "."))]
}

// isPerson tells whether entity e is a person, a name ending in a US state
// aside.
func (a *analysis) isPerson(e int) bool {
	return e >= 0 && e < len(a.ents) && a.ents[e].Type == entity.Person && !a.statePerson(e)
}

// statePerson tells whether entity e's name is or ends in a US state
// ("Why Florida"), remembered per entity.
func (a *analysis) statePerson(e int) bool {
	if e < 0 || e >= len(a.ents) {
		return false
	}
	v, ok := a.stateNames[e]
	if !ok {
		v = stateName(a.ents[e].Name)
		if a.stateNames == nil {
			a.stateNames = map[int]bool{}
		}
		a.stateNames[e] = v
	}
	return v
}

func lastWord(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if i := strings.LastIndexFunc(s, unicode.IsSpace); i >= 0 {
		_, n := utf8.DecodeRuneInString(s[i:])
		s = s[i+n:]
	}
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

func firstWord(s string) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		s = s[:i]
	}
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// reported finds reported speech in the sentences outside direct quotes:
// "S said (that) …", "according to S, …", "…, S said", "S said: …".
func (a *analysis) reported() []Quote {
	var out []Quote
	dashed := map[int]bool{}
	for _, p := range a.paragraphs() {
		if a.inQuote(p[0]) >= 0 {
			continue
		}
		if q, ok := a.dashCue(p); ok {
			out = append(out, q)
			dashed[p[0]] = true
		}
	}
	for _, s := range a.sents {
		if pstart, _ := a.paraBounds(s.start); dashed[pstart] {
			continue
		}
		if k := a.inQuote(s.start); k >= 0 && a.spans[k].end >= s.end {
			continue // the sentence is inside a direct quote
		}
		sent := a.text[s.start:s.end]
		for _, loc := range cues(sent) {
			cs, ce := s.start+loc[0], s.start+loc[1]
			if a.inQuote(cs) >= 0 {
				continue
			}
			if q, ok := a.reportedAt(s, cs, ce); ok {
				qs := a.coordinated(s, q)
				if q := &qs[0]; q.Start > q.CueEnd && strings.TrimSpace(a.text[q.CueEnd:q.Start]) == "," {
					a.parentheticalLead(q, s)
				}
				out = append(out, qs...)
				break
			}
		}
	}
	return out
}

// coordinated splits reported speech at a second cue coordinated with
// the first, which opens a statement of its own: "Reyes said the deck was
// safe, adding that …", "Reyes says he’d wait and tells the crowd he …".
// It returns q, cut there, and the statements after it.
func (a *analysis) coordinated(s sentence, q Quote) []Quote {
	out := []Quote{q}
	for n := 0; n < 3; n++ {
		last := &out[len(out)-1]
		if last.Start < 0 || last.End <= last.Start || last.End > s.end {
			break
		}
		var next Quote
		found := false
		for _, loc := range cues(a.text[last.Start:last.End]) {
			cs, ce := last.Start+loc[0], last.Start+loc[1]
			if cs == last.Start || a.inQuote(cs) >= 0 {
				continue
			}
			lead := strings.TrimRight(a.text[last.Start:cs], " ")
			cue := strings.ToLower(a.text[cs:ce])
			lw := strings.ToLower(lastWord(lead))
			ok := (strings.HasSuffix(lead, ",") && strings.HasSuffix(cue, "ing")) ||
				((lw == "and" || lw == "but") && !strings.HasSuffix(cue, "ing") && strings.HasSuffix(lead, lw))
			if !ok || words(lead) < 3 {
				continue
			}
			r, rok := a.reportedAt(s, cs, ce)
			if !rok || r.Start < ce {
				continue
			}
			cut := last.Start + len(lead)
			if lw == "and" || lw == "but" {
				cut -= len(lw)
			}
			body := strings.TrimRight(a.text[last.Start:cut], " ,")
			if words(body) < 3 {
				continue
			}
			last.End = last.Start + len(body)
			last.Text = strings.Join(strings.Fields(body), " ")
			last.Kind = Indirect
			if strings.ContainsAny(body, "“”\"«»„") || strings.Contains(body, "''") {
				last.Kind = Mixed
			}
			next, found = r, true
			break
		}
		if !found {
			break
		}
		out = append(out, next)
	}
	return out
}

// reportedAt reads one cue of a sentence as reported speech.
func (a *analysis) reportedAt(s sentence, cs, ce int) (Quote, bool) {
	q := Quote{CueStart: cs, CueEnd: ce, Cue: a.text[cs:ce], SpeakerAt: -1, Entity: -1, Kind: Indirect}
	cue := strings.ToLower(q.Cue)
	after := a.text[ce:s.end]
	before := a.text[s.start:cs]
	var cStart, cEnd int
	switch {
	case cue == "according to":
		// "According to S, content." or "Content, according to S."
		if !a.speakerAfter(&q, ce, s.end) && !a.sourcePhrase(&q, ce, s.end) {
			return q, false
		}
		if strings.TrimSpace(before) == "" {
			i := strings.Index(after, ",")
			if i < 0 {
				return q, false
			}
			cStart, cEnd = ce+i+1, s.end
		} else {
			cStart, cEnd = s.start, s.start+len(strings.TrimRight(before, " ,"))
		}
	default:
		// "S said (on Wednesday) that content", "S said: content"
		thatAt := thatAfter(after)
		colon := strings.HasPrefix(strings.TrimLeft(after, " "), ":")
		if askCues[cue] {
			thatAt = questionAfter(after) // "asked whether …", "asked him why …"
		} else if thatAt >= 0 && bareCues[cue] && clauseOpeners[strings.ToLower(firstWord(after))] {
			// "said he had a hard time imagining that …": the content starts
			// right after the cue, the "that" is inside it
			thatAt = -1
		}
		// "…, saying (that) …": the subject of the sentence speaks, not the
		// words before the comma
		participle := strings.HasSuffix(cue, "ing") && strings.HasSuffix(strings.TrimRight(before, " "), ",")
		closing := !participle && thatAt < 0 && !colon && endsWithComma(before) && words(before) >= 4 && a.closingSpeakerAfter(&q, ce, s.end)
		switch {
		case closing:
			// "Content, said election lawyer Joe Birkenstock."
			lead := strings.TrimRight(before, " ")
			cStart, cEnd = s.start, s.start+len(lead)
			if strings.HasSuffix(lead, ",") {
				cEnd--
			}
		case thatAt >= 0 || colon:
			if participle && a.participleSubject(&q, s, cs, ce) {
				// found
			} else if !a.speakerBefore(&q, cs, s.start) && !a.participleSubject(&q, s, cs, ce) {
				return q, false
			}
			if colon {
				cStart = ce + strings.Index(after, ":") + 1
			} else {
				cStart = ce + thatAt
			}
			cEnd = s.end
		case bareCues[cue] && bareStart(after) >= 0 && a.speakerBefore(&q, cs, s.start):
			// "Zelenskyy said discussions are ongoing …"
			cStart, cEnd = ce+bareStart(after), s.end
		case promiseCues[cue] && strings.HasPrefix(after, " to ") &&
			words(after) >= 4 && (a.participleSubject(&q, s, cs, ce) || a.speakerBefore(&q, cs, s.start)):
			// "Cruz pledged to oppose it “today, tomorrow, forever.”"
			cStart, cEnd = ce+1, s.end
		case tellCues[cue] && !askCues[cue] && afterListener(after) >= 0 && (a.participleSubject(&q, s, cs, ce) || a.speakerBefore(&q, cs, s.start)):
			// "Reyes told the crowd in Almera he would …": the listener,
			// then the content from its subject on
			cStart, cEnd = ce+afterListener(after), s.end
		case participle && bareParticiple(cue) && bareStart(after) >= 0 && a.participleSubject(&q, s, cs, ce):
			// "Reyes thanked the crews, saying the bridge was safe"
			cStart, cEnd = ce+bareStart(after), s.end
		case words(before) >= 5 && a.speakerBefore(&q, cs, s.start) && q.SpeakerAt > s.start &&
			endsWithComma(a.text[s.start:q.SpeakerAt]):
			// "The plan would fail, Biden said." and "It is a “false
			// choice,” she said." (the comma inside the marks: keep them)
			lead := strings.TrimRight(a.text[s.start:q.SpeakerAt], " ")
			cStart, cEnd = s.start, s.start+len(lead)
			if strings.HasSuffix(lead, ",") {
				cEnd--
			}
		case endsWithComma(before) && words(before) >= 4:
			// "Content, S said (on Wednesday)." or "Content, said S."
			if !a.closingSpeakerAfter(&q, ce, s.end) && !a.speakerBefore(&q, cs, s.start) && !a.speakerAfter(&q, ce, s.end) {
				return q, false
			}
			lead := strings.TrimRight(before, " ")
			cStart = s.start
			cEnd = s.start + len(lead) - 1
			if !strings.HasSuffix(lead, ",") {
				cEnd = s.start + len(lead) // the comma inside the marks: keep them
			}
			// the speaker stands between the comma and the cue
			if q.SpeakerAt > cStart && q.SpeakerAt < cEnd {
				cEnd = strings.LastIndex(a.text[s.start:q.SpeakerAt], ",") + s.start
			}
			if cEnd <= cStart {
				return q, false
			}
		default:
			return q, false
		}
	}
	if cEnd == s.end {
		cEnd = a.commaQuoteEnd(cStart, cEnd)
		cEnd = a.quoteGoesOn(cStart, cEnd)
	}
	content := strings.TrimSpace(a.text[cStart:cEnd])
	content = strings.TrimRight(content, ".")
	if words(content) < 3 {
		return q, false
	}
	q.Start = cStart + (len(a.text[cStart:cEnd]) - len(strings.TrimLeft(a.text[cStart:cEnd], " ")))
	q.End = q.Start + len(content)
	q.Text = strings.Join(strings.Fields(content), " ")
	if strings.ContainsAny(content, "“”\"«»„") || strings.Contains(content, "''") {
		q.Kind = Mixed
	}
	return q, true
}

// parentheticalLead reads an attribution set off by commas in the middle
// of its statement: in "The golf industry, she said, is “doing better”"
// the words before the speaker open the statement, which then has two
// parts. A discourse word alone ("However, she said, …") is no part of it.
func (a *analysis) parentheticalLead(q *Quote, s sentence) {
	if q.SpeakerAt <= s.start || q.SpeakerAt >= q.CueStart {
		return
	}
	lead := strings.TrimRight(a.text[s.start:q.SpeakerAt], " ")
	if !strings.HasSuffix(lead, ",") {
		return
	}
	body := strings.TrimLeft(strings.TrimSuffix(lead, ","), " ")
	if body == "" || hasCue(body) || strings.ContainsAny(body, "\n,;:“”\"«»„") || strings.Contains(body, "''") {
		return
	}
	if fw := strings.ToLower(firstWord(body)); words(body) == 1 && (discourse(fw) || leadIn[fw] || notContent[fw]) {
		return
	}
	start := s.start + len(a.text[s.start:q.SpeakerAt]) - len(strings.TrimLeft(a.text[s.start:q.SpeakerAt], " "))
	q.Parts = [][2]int{{start, start + len(body)}, {q.Start, q.End}}
	q.Text = strings.Join(strings.Fields(body), " ") + " … " + q.Text
	q.Start = start
}

// discourse tells whether a word alone before a comma only links its
// sentence to the text before: "However", "Still", "Ultimately".
func discourse(w string) bool {
	return discourseWords[w] || strings.HasSuffix(w, "ly")
}

var discourseWords = wordSet(`however but and yet still so now then thus instead indeed also again moreover
furthermore besides nonetheless nevertheless meanwhile otherwise anyway rather first second third finally
today yesterday tonight overall separately similarly likewise further additionally regardless`)

// commaQuoteEnd ends reported content text[from:to] at a quote inside it
// whose closing mark follows a comma, when the words after it are the
// writer's: "said things “should be wrapped up by Cleveland,” referring to
// the convention".
func (a *analysis) commaQuoteEnd(from, to int) int {
	for k, sp := range a.spans {
		if sp.start < from {
			continue
		}
		if sp.end >= to {
			break
		}
		if !strings.HasSuffix(strings.TrimSpace(inner(a.text, a.spans[k])), ",") {
			continue
		}
		rest := strings.TrimRight(strings.TrimSpace(a.text[sp.end:to]), ".")
		if words(rest) < 2 || strings.ContainsAny(rest, "“”\"«»") || strings.Contains(rest, "''") {
			continue
		}
		if fw := strings.ToLower(firstWord(rest)); strings.HasSuffix(fw, "ing") || writerClause[fw] {
			return sp.end
		}
	}
	return to
}

// writerClause are the words that open a clause of the writer's after a
// quote: "“…,” although he supports …".
var writerClause = wordSet(`although though while whereas despite before after like unlike prompting`)

// quoteGoesOn extends reported content text[from:to] that opens a quote
// and ends inside it to the quote's end: "Reyes added that it was “the
// best day. We waited a long time.”" is one statement.
func (a *analysis) quoteGoesOn(from, to int) int {
	k := a.inQuote(max(from, to-1))
	if k < 0 || a.spans[k].start < from || a.spans[k].end <= to {
		return to
	}
	return a.spans[k].end
}

// promiseCues take an infinitive as their content: "vowed to …",
// "promises to …".
var promiseCues = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields("vow vows vowed vowing promise promises promised promising pledge pledges pledged pledging threaten threatens threatened threatening") {
		m[f] = true
	}
	return m
}()

// afterListener finds where the content starts after a telling cue and
// its listener, without "that": the first subject pronoun, possessive or
// "the" after the listener's first word ("told reporters he …", "told the
// crowd the bridge …", "told me his …"), within eight words; -1 when none.
func afterListener(after string) int {
	off := 0
	for n := 0; n < 9; n++ {
		rest := after[off:]
		t := strings.TrimLeft(rest, " ")
		if t == "" {
			return -1
		}
		start := off + len(rest) - len(t)
		end := strings.IndexAny(t, " ")
		if end < 0 {
			return -1
		}
		w := t[:end]
		if strings.ContainsAny(w, ".,;:!?“”\"()") {
			return -1
		}
		switch strings.ToLower(w) {
		case "he", "she", "they", "we", "i", "it", "his", "her", "their", "the":
			if n > 0 && words(t) >= 4 {
				return start
			}
		}
		off = start + end
	}
	return -1
}

// thatAfter finds "that" within the first words after a cue ("said on
// Wednesday that", "told Bloomberg in Davos that") and returns the offset
// just after it, or -1.
func thatAfter(after string) int {
	fs := 0
	quoted := false
	for i := 0; i < len(after) && fs < 14; {
		for i < len(after) && after[i] == ' ' {
			i++
		}
		j := i
		for j < len(after) && after[j] != ' ' {
			j++
		}
		w := after[i:j]
		if w == "that" && !quoted {
			return j
		}
		// a "that" inside a quote is the quote's ("“a form of intimidation
		// that …”"); a quoted title is passed over ("told “Morning Joe” that")
		if strings.HasPrefix(w, "“") || strings.HasPrefix(w, "\"") || strings.HasPrefix(w, "''") || strings.HasPrefix(w, "«") {
			quoted = true
		}
		if strings.HasSuffix(strings.TrimRight(w, ".,;:!?"), "”") || strings.HasSuffix(strings.TrimRight(w, ".,;:!?"), "\"") ||
			strings.HasSuffix(strings.TrimRight(w, ".,;:!?"), "''") || strings.HasSuffix(strings.TrimRight(w, ".,;:!?"), "»") {
			quoted = false
		}
		if strings.ContainsAny(w, ".;:!?") {
			return -1
		}
		fs++
		i = j
	}
	return -1
}

// bareCues may take their content without "that": "He said talks went
// well", "She argued the plan would fail". Telling and asking verbs are
// not among them: their object follows ("told reporters", "asked him").
var bareCues = func() map[string]bool {
	m := map[string]bool{"said": true, "says": true, "say": true, "wrote": true, "writes": true, "write": true}
	for _, f := range cueVerbs {
		if !tellCues[f] && !strings.HasSuffix(f, "ing") {
			m[f] = true
		}
	}
	return m
}()

// bareParticiple tells whether a participle cue may take its content
// without "that": "saying the bridge was safe", not "telling reporters".
func bareParticiple(cue string) bool {
	stem := strings.TrimSuffix(cue, "ing")
	return !tellCues[cue] && (bareCues[stem] || bareCues[stem+"e"])
}

// notContent are words after a cue that show its content does not start
// there: prepositions and objects ("said in an interview", "said it").
var notContent = map[string]bool{"in": true, "on": true, "at": true, "to": true, "for": true, "with": true,
	"from": true, "during": true, "after": true, "before": true, "by": true, "of": true, "about": true,
	"as": true, "so": true, "nothing": true, "yes": true, "no": true, "last": true,
	"earlier": true, "later": true, "recently": true, "previously": true, "and": true, "but": true, "or": true}

// clauseOpeners are words that open the content clause right after a cue:
// subject pronouns and determiners ("said he would", "said the plan").
var clauseOpeners = map[string]bool{"he": true, "she": true, "they": true, "we": true, "i": true, "it": true,
	"you": true, "there": true, "his": true, "her": true, "their": true, "its": true, "our": true, "my": true,
	"the": true, "a": true, "an": true, "these": true, "those": true}

// bareStart returns the offset in after where content starts right after
// a cue, or -1: the next word must open a clause (a lower-case word that
// is no preposition, or a capitalised one).
func bareStart(after string) int {
	t := strings.TrimLeft(after, " ")
	if strings.HasPrefix(t, ",") && words(t) >= 5 {
		t = strings.TrimLeft(t[1:], " ") // "Eric Trump said, those donations paid …"
	}
	if t == "" || strings.HasPrefix(t, ",") || strings.HasPrefix(t, ".") {
		return -1
	}
	w := firstWord(t)
	if w == "" || notContent[strings.ToLower(w)] || words(t) < 3 {
		return -1
	}
	if lw := strings.ToLower(w); (lw == "it" || lw == "this" || lw == "that") && strings.ContainsAny(t[len(w):min(len(t), len(w)+2)], ".,;:") {
		return -1 // "said it.", "said this:"
	}
	return len(after) - len(t)
}

// paragraphs returns the byte ranges of the paragraphs of the text.
func (a *analysis) paragraphs() [][2]int {
	var out [][2]int
	off := 0
	for _, p := range strings.Split(a.text, "\n\n") {
		out = append(out, [2]int{off, off + len(p)})
		off += len(p) + 2
	}
	return out
}

// posts finds embedded posts, whose signature line follows their text:
// "— Name (@handle) March 15, 2025"; the paragraph before is the post,
// a direct quote of the name (or the handle's owner).
func (a *analysis) posts() []Quote {
	var out []Quote
	ps := a.paragraphs()
	for k := 1; k < len(ps); k++ {
		line := a.text[ps[k][0]:ps[k][1]]
		t := strings.TrimLeft(line, " ")
		if !(strings.HasPrefix(t, "—") || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "–")) || !strings.Contains(t, "(@") || words(t) > 16 {
			continue
		}
		prev := ps[k-1]
		content := strings.Join(strings.Fields(a.text[prev[0]:prev[1]]), " ")
		if words(content) < 4 || a.inQuote(prev[0]) >= 0 {
			continue
		}
		q := Quote{Start: prev[0], End: prev[1], Text: content, Kind: Direct, Cue: "posted", CueStart: -1, CueEnd: -1, SpeakerAt: -1, Entity: -1}
		for _, m := range a.ms {
			if m.Start >= ps[k][0] && m.End <= ps[k][1] && m.Entity >= 0 && a.typeOf(m) == entity.Person {
				a.setSpeaker(&q, m.Start, m.End, m.Entity)
				break
			}
		}
		if q.SpeakerAt < 0 {
			continue
		}
		out = append(out, q)
	}
	return out
}

// dashCue reads a paragraph that ends in a dash attribution: "… without
// the United States - Zelenskiy said on Wednesday at the forum."
func (a *analysis) dashCue(p [2]int) (Quote, bool) {
	para := a.text[p[0]:p[1]]
	best := -1
	for _, d := range []string{" - ", " – ", " — "} {
		if i := strings.LastIndex(para, d); i > best {
			best = i
		}
	}
	if best <= 0 {
		return Quote{}, false
	}
	_, dsize := utf8.DecodeRuneInString(strings.TrimLeft(para[best:], " "))
	tailAt := p[0] + best + 1 + dsize + 1
	if tailAt >= p[1] {
		return Quote{}, false
	}
	tail := a.text[tailAt:p[1]]
	if words(tail) > 14 || strings.ContainsAny(strings.TrimRight(tail, "."), ".!?\"“”") {
		return Quote{}, false
	}
	loc := firstCue(tail)
	if loc == nil {
		return Quote{}, false
	}
	content := strings.TrimSpace(para[:best])
	if words(content) < 4 {
		return Quote{}, false
	}
	q := Quote{Start: p[0], End: p[0] + len(content), Text: strings.Join(strings.Fields(content), " "), Kind: Direct,
		CueStart: tailAt + loc[0], CueEnd: tailAt + loc[1], SpeakerAt: -1, Entity: -1}
	q.Cue = a.text[q.CueStart:q.CueEnd]
	if !a.speakerNear(&q, q.CueStart, q.CueEnd, tailAt, p[1]) {
		return Quote{}, false
	}
	return q, true
}

// overlapsAny tells whether q covers half or more of one of the quotes, or
// they of it: the same words found twice.
func overlapsAny(q Quote, qs []Quote) bool {
	for _, d := range qs {
		lo, hi := max(q.Start, d.Start), min(q.End, d.End)
		if hi-lo > 0 && (2*(hi-lo) >= q.End-q.Start || 2*(hi-lo) >= d.End-d.Start) {
			return true
		}
	}
	return false
}

// clauseSubject takes as speaker the first mention in text[from:to] that
// opens the sentence or a clause.
func (a *analysis) clauseSubject(q *Quote, from, to int) bool {
	for _, m := range a.ms {
		if m.Start < from || m.Start >= to {
			continue
		}
		if m.Entity >= 0 && a.typeOf(m) != entity.Location && !timePhrase(m.Name) && a.isSubject(m) {
			a.setSpeaker(q, m.Start, m.End, m.Entity)
			a.widenRole(q, m)
			return true
		}
	}
	return false
}

// participleSubject gives a participle cue after a comma ("…, warning
// that …", "…, saying: …") the subject of its sentence: the first mention
// that opens it, or a pronoun or noun phrase that does.
func (a *analysis) participleSubject(q *Quote, s sentence, cs, ce int) bool {
	cue := strings.ToLower(a.text[cs:ce])
	if !strings.HasSuffix(cue, "ing") || !strings.HasSuffix(strings.TrimRight(a.text[s.start:cs], " "), ",") {
		return false
	}
	// "“…,” Reyes said, adding, “…”": the speaker of the cue before
	prev := strings.TrimRight(strings.TrimRight(a.text[s.start:cs], " "), ",")
	{
		from := a.sentenceStart(max(0, cs-1))
		if i := strings.LastIndexAny(prev, ".!?”\"\n"); i >= 0 {
			from = max(from, s.start+i+1)
		}
		if locs := cues(a.text[from : s.start+len(prev)]); len(locs) > 0 {
			l := locs[len(locs)-1]
			if from+l[1] == s.start+len(prev) && !tellCues[strings.ToLower(a.text[from+l[0]:from+l[1]])] {
				r := *q
				if a.speakerBefore(&r, from+l[0], from) {
					*q = r
					return true
				}
			}
		}
	}
	if a.clauseSubject(q, s.start, cs) {
		return true
	}
	w := firstWord(a.text[s.start:cs])
	if lw := strings.ToLower(w); personPronouns[lw] {
		q.Speaker, q.SpeakerAt = w, s.start
		a.refer(q, lw, s.start)
		return true
	}
	return a.openingPhrase(q, s.start, cs)
}

// openingPhrase takes the noun phrase that opens text[from:to] as the
// speaker, when the entity stage found no one there: capitalised words
// ("Band member Flea" gives "Band"; "Harvey"), or a determiner and the
// words up to the verb ("The billionaire businessman began …").
func (a *analysis) openingPhrase(q *Quote, from, to int) bool {
	fs := strings.Fields(a.text[from:to])
	if len(fs) < 2 {
		return false
	}
	first := fs[0]
	lf := strings.ToLower(first)
	at := from + strings.Index(a.text[from:to], first)
	if a.inQuote(at) >= 0 || sentenceWords[lf] || strings.ContainsAny(first, "'’“”\"") {
		return false // "I", "It’s", a possessive, a quote
	}
	for _, m := range a.ms {
		if m.Start >= at && m.Start < at+len(first) {
			return false // a mention the subject search passed over: a place, a possessive
		}
	}
	n := 0
	switch {
	case lf == "the" || lf == "a" || lf == "an":
		n = 1
		for n < len(fs) && n < 5 {
			w := strings.ToLower(fs[n])
			if strings.ContainsAny(w, ",;:") {
				n++
				break
			}
			if cueSet[w] || strings.HasSuffix(w, "ed") || phraseEnds[w] {
				break
			}
			n++
		}
		if n < 2 || n >= len(fs) {
			return false
		}
	default:
		for n < len(fs) && n < 4 {
			w := strings.Trim(fs[n], ",")
			r, _ := utf8.DecodeRuneInString(w)
			if !unicode.IsUpper(r) || sentenceWords[strings.ToLower(w)] || notVerbs[strings.ToLower(w)] || leadIn[strings.ToLower(w)] {
				break
			}
			n++
			if strings.HasSuffix(fs[n-1], ",") {
				break
			}
		}
		if n == 0 {
			return false
		}
	}
	phrase := strings.TrimRight(strings.Join(fs[:n], " "), ",")
	q.Speaker, q.SpeakerAt, q.Entity = phrase, at, -1
	if head := strings.ToLower(strings.Trim(fs[n-1], ",")); lf == "the" && roleHeads[head] {
		a.refer(q, anyPerson, q.SpeakerAt)
	}
	return true
}

// phraseEnds are verbs that end a subject noun phrase.
var phraseEnds = map[string]bool{"is": true, "was": true, "are": true, "were": true, "has": true, "have": true,
	"had": true, "will": true, "would": true, "did": true, "does": true, "also": true, "then": true, "began": true,
	"took": true, "made": true, "went": true, "came": true, "gave": true, "got": true, "held": true, "met": true,
	"ran": true, "won": true, "lost": true, "led": true, "sought": true, "left": true, "can": true, "could": true}

// leadIn are capitalised words that open a sentence but no subject.
var leadIn = map[string]bool{"in": true, "on": true, "at": true, "after": true, "before": true, "during": true,
	"when": true, "while": true, "as": true, "since": true, "if": true, "for": true, "with": true, "speaking": true,
	"asked": true, "still": true, "however": true, "meanwhile": true, "later": true, "earlier": true, "last": true}

// mentionEndingAt returns the index of a mention ending at byte at (or
// one byte before), or -1.
func (a *analysis) mentionEndingAt(at int) int {
	for i := len(a.ms) - 1; i >= 0; i-- {
		m := a.ms[i]
		if m.End > at {
			continue
		}
		if m.End < at-1 {
			return -1
		}
		if a.typeOf(m) == entity.Person || m.Kind == entity.KindRole {
			return i
		}
		return -1
	}
	return -1
}

// titlesOnly tells whether a stretch between a cue and a name holds only
// a title: capitalised words and their abbreviations, "former", "the"
// ("Vice President", "former Secretary of State", "Sen.").
func titlesOnly(gap string) bool {
	fs := strings.Fields(gap)
	if len(fs) == 0 || len(fs) > 6 || strings.ContainsAny(gap, ",;:“”\"") {
		return false
	}
	for _, f := range fs {
		r, _ := utf8.DecodeRuneInString(f)
		if !unicode.IsUpper(r) && !leadWords[strings.ToLower(f)] && f != "of" {
			return false
		}
	}
	return true
}

// endsWithComma tells whether text ends in a comma, also one inside
// closing quote marks (",”", ",\"", ",”").
func endsWithComma(text string) bool {
	t := strings.TrimRight(text, " ")
	t = strings.TrimSuffix(t, "''")
	t = strings.TrimRight(t, "”\"’")
	return strings.HasSuffix(t, ",")
}

// afterPreposition tells whether a place stands in a prepositional phrase
// ("officials in Kyiv said"), where it cannot be the speaker; a place alone
// can ("Moscow warned", "Ukraine said").
func (a *analysis) afterPreposition(m entity.Linked) bool {
	return notVerbs[strings.ToLower(lastWord(a.text[max(0, m.Start-20):m.Start]))]
}

// askCues take a question as their content: "asked whether …".
var askCues = map[string]bool{"asked": true, "asks": true, "ask": true, "asking": true, "wondered": true, "wonders": true}

// questionAfter finds a question word within the first words after a cue
// ("asked reporters whether", "asked why") and returns the offset where the
// question starts, or -1.
func questionAfter(after string) int {
	off := 0
	for n := 0; n < 5; n++ {
		rest := after[off:]
		t := strings.TrimLeft(rest, " ")
		if t == "" {
			return -1
		}
		start := off + len(rest) - len(t)
		w := strings.ToLower(firstWord(t))
		switch w {
		case "whether", "if", "how", "why", "what", "when", "where", "who":
			return start
		}
		if strings.ContainsAny(t[:min(len(t), len(w)+1)], ".;:!?,") {
			return -1
		}
		end := strings.IndexByte(t, ' ')
		if end < 0 {
			return -1
		}
		off = start + end
	}
	return -1
}

// possessive tells whether s ends with a possessive name: "Clark’s",
// "Reyes'".
func possessive(s string) bool {
	for _, suf := range []string{"’s", "'s", "s’", "s'"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}
