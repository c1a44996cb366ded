package entity

import (
	"encoding/binary"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/storyline-news/storyline/internal/text"
)

// Mention kinds.
const (
	KindName   = "name"   // a name as written: "Vladimir Putin", "Putin's"
	KindHandle = "handle" // a social-media handle: "@ZelenskyyUa"
	KindRole   = "role"   // a role noun standing for a person: "the Ukrainian leader"
)

// Mention is one name found in an article's text.
type Mention struct {
	Start, End int    // byte offsets of Name in the text
	Name       string // the name as written, without title or possessive
	Role       string // the title or role written before it, if any: "Russian President"
	Type       string // Person, Organization, Location, or "" when unknown
	Kind       string
	Gaz        *GazEntry // the gazetteer entry, when the name is a known place or organisation
	// Weak marks a word capitalised only because it starts a sentence:
	// it counts only as the surname of a person named elsewhere.
	Weak bool
	// Country is the country a role noun or role names ("the Ukrainian
	// leader" → country:UA), for linking role nouns to people.
	Country string
}

type token struct {
	start, end int // byte offsets in the text
	s          string
	cap        bool      // starts with an upper-case letter (or is a digit-letter code such as G7)
	acronym    bool      // all upper case, two letters or more
	poss       bool      // was followed by 's
	first      bool      // first word of its sentence
	handle     bool      // the name part of a handle: "ZelenskyyUa" in "@ZelenskyyUa"
	lower      string    // s in lower case
	cls        wordClass // the word lists lower is in (classOf)
	word       int32     // the number of s among the article's words (detectCtx.words)
}

// isGiven is isGivenName(t.s), remembered for the article's word.
func (c *detectCtx) isGiven(t *token) bool {
	w := &c.words[t.word]
	if w.given == 0 {
		w.given = 2
		if c.names.get(t.s).isGivenName() {
			w.given = 1
		}
	}
	return w.given == 1
}

// connectors may stand inside a capitalised name: "Secretary of State",
// "Leonardo da Vinci", "Bank of England".
var connectors = wordSet(`of the for and de da di van von der den del la le al bin ibn du y`)

// Detect finds the mentions of people, organisations and places in a
// clean article text. It uses no model: capitalised spans, titles, the
// gazetteer, cue words around the span, and the document itself (a word
// that starts a sentence counts as a name only if the document also
// capitalises it elsewhere, or the gazetteer knows it).
func Detect(body string) []Mention { return DetectWith(body, nil) }

// DetectWith is Detect with the casing of words across the batch of
// articles (see CountCasing): a sentence's first word that the batch
// writes in lower case elsewhere is no part of a name ("Хотя Трамп",
// "Teraz Tusk"), even when this article uses it only once; and a word the
// batch writes mostly in lower case does not start or end a name, which
// matters in scraped text that lost its full stops ("… след Брекзит
// Групата на …").
func DetectWith(body string, casing Casing) []Mention {
	d, _ := detectors.Get().(*detector)
	if d == nil {
		d = newDetector()
	}
	var ct *casingTable
	if casing != nil {
		ct = &casingTable{m: casing}
	}
	out := d.detect(body, ct)
	detectors.Put(d)
	return out
}

// detector is what detection of one article needs besides the text: the
// article's words and tokens, its word table (detectCtx) and the mentions
// found so far. A
// detector is used by one goroutine at a time and serves article after
// article, its buffers and maps reused; it is cleared after each article
// so that it keeps no text.
type detector struct {
	detectCtx
	spans []text.Span // the words of the article
	toks  []token     // the tokens of every sentence, in order
	low   []byte      // the article in lower case (asciiLowered)
	sents []int       // the end in toks of each sentence not shouting
	out   []Mention   // the mentions found so far
}

// detectors are detectors for DetectWith.
var detectors sync.Pool

// maxTokenBuf bounds the words, tokens and mentions a detector keeps room
// for between articles; a longer article's buffers are dropped after it.
const maxTokenBuf = 1 << 16

func newDetector() *detector {
	return &detector{detectCtx: detectCtx{names: newWordForms()}}
}

// detect is DetectWith on the detector's buffers.
func (d *detector) detect(body string, casing *casingTable) []Mention {
	out := slices.Clone(d.detectArticle(body, casing))
	d.wipe()
	return out
}

// detectArticle is detect keeping the facts of the article's names and
// words (names) for its local entities: the caller resets them. The
// mentions are the detector's buffer, valid until its next article (nil
// for none).
func (d *detector) detectArticle(body string, casing *casingTable) []Mention {
	d.casing, d.g = casing, Default()
	defer d.reset()
	lowBody := d.asciiLowered(body)
	d.spans = text.AppendWords(d.spans[:0], body)
	words := d.spans
	off := 0
	// the paragraphs, as strings.Split(body, "\n\n") gives them
	for rest, more := body, true; more; {
		var para string
		para, rest, more = strings.Cut(rest, "\n\n")
		for _, sp := range text.Sentences(para) {
			// the words of the sentence: those of the body within it (a
			// sentence starts and ends next to white space, which no word
			// crosses)
			start, end := off+sp.Start, off+sp.End
			for len(words) > 0 && words[0].Start < start {
				words = words[1:]
			}
			n := 0
			for n < len(words) && words[n].End <= end {
				n++
			}
			from := len(d.toks)
			d.toks = d.appendTokens(d.toks, body, lowBody, words[:n])
			words = words[n:]
			toks := d.toks[from:]
			if shouting(toks) {
				clear(toks) // dropped: reset would not see them
				d.toks = d.toks[:from]
				continue
			}
			for k := range toks {
				t := &toks[k]
				w := &d.words[t.word]
				if t.cap && !t.first {
					w.midCap = true
				}
				if !t.cap {
					w.lowerSeen = true
				}
				if k > 0 && t.cap && toks[k-1].cap && t.cls&clsCalendar != 0 {
					w.tail = true // "Theresa May": May names her elsewhere too
				}
			}
			d.sents = append(d.sents, len(d.toks))
		}
		off += len(para) + 2
	}
	if casing != nil {
		for k := range d.toks {
			t := &d.toks[k]
			if !t.first || d.words[t.word].firstDone {
				continue // the same word, the same answer
			}
			d.words[t.word].firstDone = true
			if w := t.lower; casing.get(w)[0] > 0 {
				d.markLowerSeen(w)
			}
		}
	}
	from := 0
	for _, to := range d.sents {
		// three indexes: no append to one sentence's tokens can
		// overwrite the next
		d.out = detectSentence(body, d.toks[from:to:to], &d.detectCtx, d.out)
		from = to
	}
	d.out = handles(body, d.out)
	if len(d.out) == 0 {
		return nil
	}
	return d.out
}

// reset readies the detector for the next article: its buffers are
// emptied, not cleared, for the next article overwrites what it uses of
// them (clearing pointers costs write barriers while the GC runs); wipe
// clears them. Buffers that grew past maxTokenBuf are dropped.
func (d *detector) reset() {
	d.spans, d.toks, d.sents, d.out, d.low = d.spans[:0], d.toks[:0], d.sents[:0], d.out[:0], d.low[:0]
	if cap(d.toks) > maxTokenBuf {
		d.spans, d.toks = nil, nil
	}
	if cap(d.out) > maxTokenBuf {
		d.out = nil
	}
	if cap(d.low) > 16*maxTokenBuf {
		d.low = nil
	}
	d.ids.truncate()
	d.words = d.words[:0]
	if cap(d.words) > maxTokenBuf/4 {
		d.words = nil
	}
	d.casing, d.g = nil, nil
}

// wipe clears the detector's buffers up to their capacity, so that it
// keeps nothing of the articles it read: done before it is put away.
func (d *detector) wipe() {
	d.reset()
	clear(d.spans[:cap(d.spans)])
	clear(d.toks[:cap(d.toks)])
	clear(d.out[:cap(d.out)])
	clear(d.low[:cap(d.low)])
	clear(d.words[:cap(d.words)])
	d.ids.reset()
	d.names.reset()
}

// asciiLowered is asciiLowered(body) written in the detector's buffer
// (d.low), which serves article after article: the lower case of words is
// read while their article is detected only (no mention, local entity or
// fact keeps it: facts copy their names), and wipe clears the buffer.
func (d *detector) asciiLowered(body string) string {
	low := asciiLowerInto(d.low[:0], body)
	if len(low) == 0 {
		return body // no capital
	}
	d.low = low
	return unsafe.String(unsafe.SliceData(low), len(low))
}

// asciiLowered is body with its ASCII capitals lower-cased, offsets
// unchanged: the lower case of plain-ASCII tokens as slices of one string.
func asciiLowered(body string) string {
	low := asciiLowerInto(nil, body)
	if len(low) == 0 {
		return body
	}
	return unsafe.String(unsafe.SliceData(low), len(low)) // low is not written again
}

// asciiLowerInto appends body with its ASCII capitals lower-cased to dst,
// empty, and returns it; it returns dst empty when body has no capital.
func asciiLowerInto(dst []byte, body string) []byte {
	i := 0
	for i+8 <= len(body) && asciiUpper8(binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(body[i:]), 8))) == 0 {
		i += 8
	}
	for i < len(body) && !('A' <= body[i] && body[i] <= 'Z') {
		i++
	}
	if i == len(body) {
		return dst[:0]
	}
	low := append(dst[:0], body...)
	// eight bytes at a time, then the rest
	for ; i+8 <= len(low); i += 8 {
		x := binary.LittleEndian.Uint64(low[i:])
		binary.LittleEndian.PutUint64(low[i:], x|asciiUpper8(x)>>2)
	}
	for ; i < len(low); i++ {
		if c := low[i]; 'A' <= c && c <= 'Z' {
			low[i] = c + 'a' - 'A'
		}
	}
	return low
}

// asciiUpper8 has the high bit of each of the eight bytes of x that is an
// ASCII capital, A to Z, set, and every other bit clear: x|asciiUpper8(x)>>2
// lower-cases them (0x80>>2 is the bit that tells 'a' from 'A').
func asciiUpper8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	low7 := x &^ highs              // each byte below 0x80: no carry into the next
	geA := low7 + (0x80-'A')*ones   // high bit set where the byte is 'A' or more
	gtZ := low7 + (0x80-'Z'-1)*ones // high bit set where the byte is past 'Z'
	return geA &^ gtZ &^ x & highs  // and below 0x80 to begin with
}

// appendTokens appends the tokens of one sentence, given its words (spans
// of body), to toks; lowBody is asciiLowered(body). It numbers their words
// (detectCtx.words).
func (c *detectCtx) appendTokens(toks []token, body, lowBody string, words []text.Span) []token {
	toks = slices.Grow(toks, len(words))
	for i, w := range words {
		t := token{start: w.Start, end: w.End, s: w.Text, first: i == 0}
		if n := possessive(t.s); n > 0 {
			t.s = t.s[:len(t.s)-n]
			t.end -= n
			t.poss = true
		}
		// a quote or bracket right before the word starts a new sentence too
		if i > 0 {
			if gap := body[toks[len(toks)-1].end:t.start]; gap != " " && strings.ContainsAny(gap, `"“«„:(`) && !strings.ContainsAny(gap, "'’") {
				t.first = t.first || strings.ContainsAny(gap, `"“«„`)
			}
		}
		t.handle = t.start > 0 && body[t.start-1] == '@'
		h := wordHash(t.s)
		id, ok := c.ids.find(t.s, h)
		if !ok {
			// the first time the article writes the word so
			w := wordInfo{}
			r, _ := utf8.DecodeRuneInString(t.s)
			w.cap = unicode.IsUpper(r) || (unicode.IsDigit(r) && strings.IndexFunc(t.s, unicode.IsUpper) >= 0 && len(t.s) <= 4)
			w.acronym = isAcronymToken(t.s)
			if t.end-t.start == len(t.s) && text.IsASCII(t.s) && body[t.start:t.end] == t.s {
				w.lower = lowBody[t.start:t.end] // strings.ToLower(t.s), not copied
			} else {
				w.lower = strings.ToLower(t.s)
			}
			w.cls = classOf(t.s, w.lower)
			id = c.ids.add(t.s, h)
			c.words = append(c.words, w)
		}
		wi := &c.words[id]
		t.word, t.lower, t.cls, t.cap, t.acronym = id, wi.lower, wi.cls, wi.cap, wi.acronym
		toks = append(toks, t)
	}
	return toks
}

// possessive returns the length of the possessive ending of a word ('s,
// ’s, ' or ’ after a word of one character or more), or 0.
func possessive(s string) int {
	if s == "" {
		return 0
	}
	switch s[len(s)-1] {
	case 's', '\'', "’"[2]:
	default:
		return 0 // no ending below ends so
	}
	for _, suf := range []string{"'s", "’s", "'", "’"} {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			return len(suf)
		}
	}
	return 0
}

// isAcronymToken tells whether a token is written all in upper case with
// two letters or more, full stops aside ("US", "U.S.", "G7"): at least
// two characters besides full stops, none that upper-casing changes (and
// no invalid UTF-8, which it would), and a letter.
func isAcronymToken(s string) bool {
	n, letter := 0, false
	for i, r := range s {
		if r == utf8.RuneError {
			if _, w := utf8.DecodeRuneInString(s[i:]); w == 1 {
				return false
			}
		}
		if r != '.' {
			n++
		}
		if unicode.ToUpper(r) != r {
			return false
		}
		letter = letter || unicode.IsLetter(r)
	}
	return n >= 2 && letter
}

// shouting tells whether a sentence is written in capitals throughout,
// where capitals say nothing about names.
func shouting(toks []token) bool {
	if len(toks) < 4 {
		return false
	}
	n := 0
	for _, t := range toks {
		if t.acronym {
			n++
		}
	}
	return n*10 >= len(toks)*7
}

// detectCtx is what detection knows of the article and the batch.
type detectCtx struct {
	// ids numbers the article's distinct words (token.s) and words says
	// what is known of each, so that a token costs one lookup
	ids    wordIndex
	words  []wordInfo
	casing *casingTable // nil for none
	g      *Gazetteer
	// names holds the facts of the article's names and words looked up
	// (see lookup); the article's local entities use them too
	names *wordForms
}

// lookup is c.g.Lookup, with the facts of the name remembered for the
// article: a name or word the article looks up again costs a lookup in a
// small map rather than in the shared memo, which is large and cold in
// the CPU's caches.
func (c *detectCtx) lookup(name string) (*GazEntry, bool) {
	e := c.g.entryOf(c.names.get(name))
	return e, e != nil
}

// lookupRun is lookup(name) for the name of the tokens toks: their words
// joined by single spaces (joinWords) when joined, else the text from the
// first to the last. A name of several words one of which has no spelling
// in the gazetteer's keys (mayBeKnown) is no entry, known without the
// facts of the name, which is often new.
func (c *detectCtx) lookupRun(body string, toks []token, name string, joined bool) (*GazEntry, bool) {
	if len(toks) > 1 && !c.mayBeKnown(body, toks, joined) {
		return nil, false
	}
	return c.lookup(name)
}

// mayBeKnown tells whether the name of the tokens toks (as lookupRun
// gives it) may have an entry in the gazetteer: false when the words of a
// token (a leading "the" aside, which Lookup drops) have a word with no
// spelling among the words of its keys. The words of a name as its keys
// spell them (keyWordsOf) are those of its tokens in turn when the tokens
// are joined by spaces, or stand in the text with white space between
// them; for other text it answers true.
func (c *detectCtx) mayBeKnown(body string, toks []token, joined bool) bool {
	if !joined {
		for q := range toks {
			t := &toks[q]
			if body[t.start:t.end] != t.s || (q > 0 && !spaceBetween(body[toks[q-1].end:t.start])) {
				return true
			}
		}
	}
	k := 0
	for k < len(toks)-1 && (toks[k].s == "the" || toks[k].s == "The") {
		k++
	}
	for ; k < len(toks); k++ {
		if !c.gazWords(&toks[k]) {
			return false
		}
	}
	return true
}

// spaceBetween tells whether the text between two words is white space
// and full stops with some white space: it splits words as keyWordsOf
// does and adds none.
func spaceBetween(gap string) bool {
	space := false
	for _, r := range gap {
		switch {
		case r == '.':
		case unicode.IsSpace(r):
			space = true
		default:
			return false
		}
	}
	return space
}

// gazWords is the word's facts' gazWords, remembered for the article's
// word.
func (c *detectCtx) gazWords(t *token) bool {
	w := &c.words[t.word]
	if w.gazWords == 0 {
		w.gazWords = 2
		if c.names.get(t.s).gazWords(c.g) {
			w.gazWords = 1
		}
	}
	return w.gazWords == 1
}

// wordInfo is what detection knows of one word of the article, as written
// (token.s).
type wordInfo struct {
	lower string    // in lower case
	cls   wordClass // classOf the word
	given int8      // isGivenName of the word once asked: 1 yes, 2 no, 0 not asked yet
	// gazWords is gazWords of the word once asked (as given)
	gazWords int8
	// demonym is the gazetteer's Demonym entry of the word, nil for
	// none, once demonymDone
	demonym     *GazEntry
	demonymDone bool
	// common is casing.common(lower) once asked (as given); firstDone:
	// the batch's casing was read for the word as a sentence's first
	common    int8
	firstDone bool
	// cap and acronym are token.cap and token.acronym for the word
	cap, acronym bool
	// midCap: the article writes it capitalised other than first in a
	// sentence; lowerSeen: in lower case (or, for a sentence's first
	// word, the batch does); tail: as a calendar word after a capitalised
	// word ("Theresa May")
	midCap, lowerSeen, tail bool
}

// lowerSeen tells whether the article writes w in lower case (a word
// starting with a small letter, as written), or w is a sentence's first
// word that the batch writes so.
func (c *detectCtx) lowerSeen(w string) bool {
	id, ok := c.ids.find(w, wordHash(w))
	return ok && c.words[id].lowerSeen
}

// markLowerSeen records that w counts as written in lower case.
func (c *detectCtx) markLowerSeen(w string) {
	h := wordHash(w)
	id, ok := c.ids.find(w, h)
	if !ok {
		// no token of the article is w: only the mark matters
		id = c.ids.add(w, h)
		c.words = append(c.words, wordInfo{})
	}
	c.words[id].lowerSeen = true
}

// detectSentence appends the mentions of one sentence to out.
func detectSentence(body string, toks []token, c *detectCtx, out []Mention) []Mention {
	out = roleNouns(body, toks, c, out)
	for i := 0; i < len(toks); {
		if !toks[i].cap || toks[i].handle || toks[i].cls&clsNotName != 0 {
			i++
			continue
		}
		// grow a run of capitalised words joined by spaces and connectors
		j := i + 1
		for j < len(toks) && !toks[j-1].poss && adjacent(body, &toks[j-1], &toks[j]) {
			if toks[j].handle || toks[j].cls&(clsNotName|clsWeekday) != 0 {
				break // "MSNBC Monday", "the United States Tuesday": a weekday ends a name
			}
			// "… in the U.S. That is …": an initialism ended the sentence
			if strings.HasSuffix(toks[j-1].s, ".") && toks[j].cap && toks[j].cls&clsStarter != 0 {
				toks[j].first = true
				break
			}
			if toks[j].cap {
				j++
				continue
			}
			if toks[j].cls&clsConnector != 0 {
				k := j
				for k < len(toks) && toks[k].cls&clsConnector != 0 && adjacent(body, &toks[k-1], &toks[k]) {
					k++
				}
				if k < len(toks) && toks[k].cap && adjacent(body, &toks[k-1], &toks[k]) && !toks[k-1].poss && connectsFrom(toks, i, j) &&
					(toks[j].cls&clsAnd == 0 || (orgAhead(toks, i, k) && !knownSides(body, toks, i, j, k, c)) || roleAhead(toks, i, j)) {
					j = k + 1
					continue
				}
			}
			break
		}
		if j-i == 1 && c.words[toks[i].word].tail {
			out = append(out, Mention{Start: toks[i].start, End: toks[i].end, Name: toks[i].s, Kind: KindName})
		} else {
			out = analyseRun(body, toks, i, j, c, out)
		}
		i = j
	}
	return out
}

// andWords join two names into one only inside the name of an
// organisation: "Ministry of Trade and Industry", not "Putin and Trump".
var andWords = wordSet(`and und et y i и і та a`)

// roleAhead tells whether the run toks[i:j] is inside a role "of" or
// "for" something, where "and" joins: "Secretary of State for Europe and
// Eurasia".
func roleAhead(toks []token, i, j int) bool {
	for k := i + 1; k < j; k++ {
		if w := toks[k].lower; (w == "for" || w == "of") && titlePrefix(&toks[i], []string{toks[i].s}) > 0 {
			return true
		}
	}
	return false
}

// connectsFrom tells whether the run toks[i:j] may go on over a connector:
// when it is one word ("Leonardo da Vinci") or ends in a word of an
// organisation, title or place ("Bank of England", "Secretary of State",
// "Gulf of Mexico"); not after a full name ("Ines Varga of Port Almera").
func connectsFrom(toks []token, i, j int) bool {
	if j-i == 1 || toks[j-1].cls&(clsOrg|clsPlace) != 0 {
		return true
	}
	if toks[i].cls&clsTitleFirst != 0 {
		words := make([]string, j-i)
		for k := range words {
			words[k] = toks[i+k].s
		}
		if titles.prefix(words) == j-i {
			return true
		}
	}
	return roleAhead(toks, i, j)
}

// knownSides tells whether the capitalised run before "and" (toks[i:j])
// or after it (from toks[k]) is a known name by itself: "Britain and the
// European Union" are two.
func knownSides(body string, toks []token, i, j, k int, c *detectCtx) bool {
	if _, ok := c.lookupRun(body, toks[i:j], joinWords(body, toks[i:j]), true); ok {
		return true
	}
	end := k + 1
	for end < len(toks) && toks[end].cap {
		end++
	}
	_, ok := c.lookupRun(body, toks[k:end], joinWords(body, toks[k:end]), true)
	return ok
}

// orgAhead tells whether the capitalised run from toks[i] on, continuing
// at toks[k], names an organisation: its first or last word is an
// organisation word.
func orgAhead(toks []token, i, k int) bool {
	if toks[i].cls&clsOrg != 0 {
		return true
	}
	for k+1 < len(toks) && toks[k+1].cap {
		k++
	}
	return toks[k].cls&clsOrg != 0
}

// joinWords is the words of the tokens joined by single spaces: a slice of
// the text, without a copy, when they stand there so.
func joinWords(body string, toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	for k := range toks {
		t := &toks[k]
		if body[t.start:t.end] != t.s || (k > 0 && (t.start != toks[k-1].end+1 || body[t.start-1] != ' ')) {
			w := make([]string, len(toks))
			for k := range toks {
				w[k] = toks[k].s
			}
			return strings.Join(w, " ")
		}
	}
	return body[toks[0].start:toks[len(toks)-1].end]
}

func adjacent(body string, a, b *token) bool {
	gap := body[a.end:b.start]
	if gap == " " {
		return true // most words stand so
	}
	if strings.Contains(gap, "\n") {
		return false
	}
	g := strings.TrimSpace(gap)
	// a middle initial: "Michael J. Petrilli"; a title abbreviation: "Ms.
	// Acosta", "Sen. Tim Scott"
	return g == "" || (g == "." && a.cap && (utf8.RuneCountInString(a.s) == 1 || a.cls&clsTitleAbbrev != 0))
}

// partyLabels are party and camp labels written before a person's name
// ("Republican Christine Todd Whitman") or after it in apposition
// ("Chuck Grassley, Republican of Iowa").
var partyLabels = wordSet(`republican democrat democratic gop independent libertarian conservative liberal
socialist tory labour`)

// groupNouns end the names of groups of people, which are no persons:
// "Vermont Democrats", "American Muslims", "Senate Republicans".
var groupNouns = wordSet(`democrats republicans conservatives liberals progressives libertarians independents
socialists tories muslims christians catholics protestants evangelicals jews mormons americans latinos hispanics
states voters supporters delegates`)

// partyThings follow a party label in the names of its bodies and events:
// "Republican National Convention", "Democratic Primary Debate".
var partyThings = wordSet(`national convention conference caucus primary primaries debate debates platform
establishment leadership nominee nomination candidate candidates governors senators lawmakers`)

// partyLabel tells whether the run toks[k:j] is a party label before a
// person's name of two or three words that are all names: no word the
// article or the batch writes in lower case ("Republican National
// Convention" is no person).
func (c *detectCtx) partyLabel(toks []token, k, j int) bool {
	if j-k < 3 || j-k > 4 || toks[k].cls&clsParty == 0 {
		return false
	}
	words := make([]string, 0, j-k-1)
	for q := k + 1; q < j; q++ {
		t := &toks[q]
		w := t.lower
		if !t.cap || t.acronym || c.lowerSeen(w) || (c.casing != nil && c.common(t)) ||
			t.cls&(clsOrg|clsPlace|clsPlaceHead|clsGroup|clsParty|clsPartyThing) != 0 || titlePrefix(t, []string{t.s}) > 0 {
			return false
		}
		if _, ok := c.lookup(t.s); ok {
			return false
		}
		words = append(words, t.s)
	}
	return allNameLike(words)
}

// titleAbbrevs are titles written abbreviated with a full stop, which
// ends no name: "Mr. Scott", "Sen. Tim Scott", "Lt. Gen. Keith Kellogg".
var titleAbbrevs = wordSet(`mr mrs ms dr sen rep gov gen lt maj brig adm col capt sgt prof rev`)

// analyseRun turns a run of capitalised words toks[i:j] into mentions:
// sentence starters dropped, titles split off into roles, places and
// organisations from the gazetteer, the rest typed by cues. It appends
// them to out.
func analyseRun(body string, toks []token, i, j int, c *detectCtx, out []Mention) []Mention {
	g := c.g
	// drop sentence starters: "The", "In", "Meanwhile" …
	for i < j && toks[i].first && toks[i].cls&clsStarter != 0 && !(i+1 < j && honorific(toks[i].s)) {
		i++
		for i < j && !toks[i].cap {
			i++
		}
	}
	// a sentence's first word that the text also writes in lower case:
	// "Według Donalda Trumpa", "Podle Trumpa"
	if i < j-1 && toks[i].first && c.lowerSeen(toks[i].lower) && !c.isGiven(&toks[i]) {
		i++
	}
	// connectors cannot end or start a name
	for i < j && !toks[i].cap {
		i++
	}
	if i >= j {
		return out
	}
	words := make([]string, j-i)
	for k := range words {
		words[k] = toks[i+k].s
	}
	// the whole run is a known place or organisation
	run := joinWords(body, toks[i:j])
	if e, ok := c.lookupRun(body, toks[i:j], run, true); ok {
		return append(out, gazMention(body, toks[i], toks[j-1], e))
	}
	// words the batch writes mostly in lower case neither start nor end a
	// name, unless they are titles or name an organisation or place
	if ni, nj := c.trimCommon(toks, i, j); ni != i || nj != j {
		return analyseRun(body, toks, ni, nj, c, out)
	}
	// a first name after words that are no first names and no title starts
	// a name of its own: "Brexitu Michel Barnier", "Брекзит Найджъл Фарадж"
	for p := i + 1; p < j-1; p++ {
		if toks[p].cap && toks[p-1].cap && c.isGiven(&toks[p]) && !c.isGiven(&toks[p-1]) && !hasTitle(toks[i:p], words[:p-i]) {
			out = analyseRun(body, toks, i, p, c, out)
			return analyseRun(body, toks, p, j, c, out)
		}
	}
	// a nationality alone is no name: "European", "Russian", "Ukrainians";
	// nor a compound adjective: "U.S.-supplied", "U.S.-Russia"
	if j-i == 1 && notAName(&toks[i], c) {
		return out
	}
	// leading places and demonyms before a title belong to the role:
	// "UK Foreign Secretary David Lammy", "Russian President Vladimir Putin".
	roleStart := i
	country := ""
	k := i
	for k < j {
		if k+1 >= j || toks[k+1].cls&clsTitleFirst == 0 {
			break // neither test below can hold
		}
		if e, ok := c.demonym(&toks[k]); ok && k+1 < j && titlePrefix(&toks[k+1], words[k+1-i:]) > 0 {
			country = e.ID
			k++
			continue
		}
		if e, ok := c.lookup(toks[k].s); ok && k+1 < j && titlePrefix(&toks[k+1], words[k+1-i:]) > 0 {
			out = append(out, gazMention(body, toks[k], toks[k], e))
			if e.Type == Location && strings.HasPrefix(e.ID, "country:") {
				country = e.ID
			}
			k++
			continue
		}
		break
	}
	n := 0
	if k < j {
		n = titlePrefix(&toks[k], words[k-i:])
	}
	if n == 0 && c.partyLabel(toks, k, j) {
		n = 1 // "Republican Christine Todd Whitman": the label is her role
	}
	if n == 0 {
		// a title after other capitalised words: "Harbour Minister Elena
		// Marsh", "Bank of England Governor Andrew Bailey"
		for p := k + 1; p < j-1; p++ {
			if m := titlePrefix(&toks[p], words[p-i:]); m > 0 && j-(p+m) >= 1 && j-(p+m) <= 3 && toks[p].cls&clsConnector == 0 {
				n = p + m - k
				break
			}
		}
	}
	titled := n > 0
	if titled {
		k += n
		// "Secretary of State for Europe and Eurasia Matthew Bryza": the
		// role goes on over "for/of X" up to the last two words.
		for k < j-2 && toks[k].cls&clsConnector != 0 {
			k++
			for k < j-2 && (toks[k].cap || toks[k].cls&clsConnector != 0) {
				if e, ok := c.lookup(toks[k].s); ok {
					out = append(out, gazMention(body, toks[k], toks[k], e))
				}
				k++
			}
		}
		// titles can stack: "President-elect", "Deputy Prime Minister"
		for k < j {
			m := titlePrefix(&toks[k], words[k-i:])
			if m == 0 {
				break
			}
			k += m
		}
	}
	if k >= j {
		return out // a title alone: "the President"
	}
	m := Mention{Start: toks[k].start, End: toks[j-1].end, Kind: KindName}
	m.Name = body[m.Start:m.End]
	if !titled {
		// a title in lower case before the run: "president Vladimir Putin",
		// "former prime minister Tony Blair", "premier Tony Blair"
		if s, n := lowerTitle(body, toks, i, c); n > 0 && j-k >= 2 {
			titled = true
			roleStart = s
			if country == "" {
				country = roleCountryWith(toks[s].s, g, c.lookup)
			}
		}
	}
	if titled {
		rs := roleStart
		// lower-case modifiers before the run: "former", "deputy", "retired"
		for rs > 0 && toks[rs-1].cls&clsRoleModifier != 0 && adjacent(body, &toks[rs-1], &toks[rs]) {
			rs--
		}
		if k == i { // the title stood before the run
			m.Role = fieldsJoined(body[toks[rs].start:toks[i-1].end])
		} else {
			m.Role = fieldsJoined(body[toks[rs].start:toks[k-1].end])
		}
		m.Type = Person
		m.Country = country
		if country == "" {
			m.Country = roleCountryWith(m.Role, g, c.lookup)
		}
	}
	nameWords := words[k-i:]
	if m.Name == run {
		// looked up above: no entry
	} else if e, ok := c.lookupRun(body, toks[k:j], m.Name, false); ok {
		return append(out, gazMention(body, toks[k], toks[j-1], e))
	}
	if m.Type == "" {
		m.Type = typeByCues(body, toks, k, j, nameWords, c)
	}
	if m.Type == "drop" {
		// a capitalised word that starts a sentence and is capitalised
		// nowhere else: a name only if it names someone named elsewhere
		m.Type, m.Weak = "", true
	}
	return append(out, m)
}

// typeByCues types a name by its words and the words around it; "drop"
// means it is no name at all (a capitalised sentence starter).
func typeByCues(body string, toks []token, k, j int, words []string, c *detectCtx) string {
	// words are the strings of toks[k:j]
	last, first := toks[j-1].cls, toks[k].cls
	switch {
	case last&clsOrg != 0 || (len(words) > 1 && first&clsOrg != 0 && toks[k+1].cls&clsConnector != 0):
		return Organization
	case last&clsGroup != 0 || (len(words) > 1 && first&clsParty != 0 && toks[k+1].cls&clsConnector != 0):
		// "Vermont Democrats", "American Muslims", "Gulf States"; a party
		// label in apposition, "Republican of Iowa": a group, no person
		return Organization
	case (last&clsPlace != 0 || first&clsPlaceHead != 0) && len(words) >= 2:
		return Location
	case len(words) == 1 && toks[k].first && !c.words[toks[k].word].midCap && !toks[k].acronym:
		return "drop"
	case first&clsGiven != 0 && len(words) >= 2 && len(words) <= 4:
		return Person
	case toks[k].acronym && len(words) == 1:
		return Organization
	}
	if k > 0 && toks[k-1].cls&clsLocationCue != 0 && len(words) <= 2 && first&clsGiven == 0 {
		return Location
	}
	if j < len(toks) && toks[j].cls&clsPersonCue != 0 && len(words) >= 2 && len(words) <= 3 {
		return Person
	}
	if len(words) >= 2 && len(words) <= 3 && allNameLikeToks(toks[k:j]) {
		return Person
	}
	return ""
}

// allNameLikeToks is allNameLike for the words of tokens.
func allNameLikeToks(toks []token) bool {
	for k := range toks {
		w := toks[k].s
		if toks[k].cls&clsConnector != 0 {
			continue
		}
		if k > 0 && k < len(toks)-1 && isInitial(w) {
			continue // a middle initial: "Edward D. Kleinbard"
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) || upperInvariant(w) {
			return false
		}
	}
	return true
}

func allNameLike(words []string) bool {
	for k, w := range words {
		if connectors[strings.ToLower(w)] {
			continue
		}
		if k > 0 && k < len(words)-1 && isInitial(w) {
			continue // a middle initial: "Edward D. Kleinbard"
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) || upperInvariant(w) {
			return false
		}
	}
	return true
}

// isInitial tells whether a word is one capital letter, with or without a
// full stop: "D.", "J".
func isInitial(w string) bool {
	w = strings.TrimSuffix(w, ".")
	r, n := utf8.DecodeRuneInString(w)
	return n == len(w) && n > 0 && unicode.IsUpper(r)
}

func gazMention(body string, from, to token, e *GazEntry) Mention {
	return Mention{Start: from.start, End: to.end, Name: body[from.start:to.end], Type: e.Type, Kind: KindName, Gaz: e}
}

// roleCountry finds the country a role names: "Russian President" → RU,
// "U.S. President" → US.
func roleCountry(role string, g *Gazetteer) string { return roleCountryWith(role, g, g.Lookup) }

// roleCountryWith is roleCountry with g.Lookup done by lookup.
func roleCountryWith(role string, g *Gazetteer, lookup func(string) (*GazEntry, bool)) string {
	var buf [64]byte
	for w := range strings.FieldsSeq(role) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if e, ok := g.Demonym(w); ok {
			return e.ID
		}
		if e, ok := lookup(w); ok && strings.HasPrefix(e.ID, "country:") {
			return e.ID
		}
		if id, ok := seats[string(text.AppendLower(buf[:0], w))]; ok {
			return id
		}
	}
	return ""
}

// handles appends the social-media handles of body to out: "@ZelenskyyUa".
func handles(body string, out []Mention) []Mention {
	for i := 0; i < len(body); i++ {
		k := strings.IndexByte(body[i:], '@')
		if k < 0 {
			break
		}
		if i += k; i > 0 && isWordByte(body[i-1]) {
			continue
		}
		j := i + 1
		for j < len(body) && (isWordByte(body[j])) {
			j++
		}
		if j-i >= 3 {
			out = append(out, Mention{Start: i, End: j, Name: body[i:j], Kind: KindHandle})
		}
		i = j
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// demonym is c.g.Demonym(t.s), remembered for the article's word.
func (c *detectCtx) demonym(t *token) (*GazEntry, bool) {
	w := &c.words[t.word]
	if !w.demonymDone {
		w.demonymDone = true
		w.demonym, _ = c.g.Demonym(t.s)
	}
	return w.demonym, w.demonym != nil
}

// notAName tells whether a capitalised word alone (the token t) names
// nothing: a nationality, a month or weekday, a compound adjective.
func notAName(t *token, c *detectCtx) bool {
	g := c.g
	w := t.s
	if t.cls&(clsNationality|clsCalendar) != 0 {
		return true
	}
	if _, ok := c.demonym(t); ok {
		return true
	}
	if _, ok := g.Demonym(strings.TrimSuffix(w, "s")); ok && strings.HasSuffix(w, "s") {
		return true
	}
	if strings.IndexByte(w, '-') < 0 {
		return false // no compound (the split below would give w alone)
	}
	if parts := strings.Split(w, "-"); len(parts) > 1 {
		for _, p := range parts {
			r, _ := utf8.DecodeRuneInString(p)
			if p == "" || !unicode.IsUpper(r) {
				return true
			}
			if _, ok := c.lookup(p); !ok {
				if _, ok := g.Demonym(p); !ok {
					return false
				}
			}
		}
		return true
	}
	return false
}

// lowerTitle finds a title written in lower case right before toks[i]:
// "president", "prime minister", "Russian president", "former foreign
// minister". It returns the index where the role starts and the number of
// title words, or 0.
func lowerTitle(body string, toks []token, i int, c *detectCtx) (start, n int) {
	for n = min(titles.longest, i); n > 0; n-- {
		if toks[i-n].cls&clsTitleFirst == 0 {
			continue // titles.prefix is 0
		}
		words := make([]string, n)
		ok := true
		for k := 0; k < n; k++ {
			t := &toks[i-n+k]
			words[k] = t.s
			if t.cap || !adjacent(body, t, &toks[i-n+k+1]) {
				ok = false
			}
		}
		if ok && titles.prefix(words) == n && toks[i-n].cls&clsFamily == 0 {
			break
		}
	}
	if n == 0 {
		return 0, 0
	}
	start = i - n
	// a nationality, country or seat before it: "Russian president",
	// "U.S. secretary of state", "Kremlin leader"
	if start > 0 && toks[start-1].cap && adjacent(body, &toks[start-1], &toks[start]) {
		if roleCountryWith(toks[start-1].s, c.g, c.lookup) != "" {
			start--
		}
	}
	for start > 0 && toks[start-1].cls&clsRoleModifier != 0 && adjacent(body, &toks[start-1], &toks[start]) {
		start--
	}
	return start, n
}

// familyWords are titles in capitals ("Father Brown") but kinship in lower
// case ("his sister Ivana"), which is no role.
var familyWords = wordSet(`father sister brother mother son daughter wife husband`)

// offices are the lower-case nouns of a role noun standing for a person:
// "the Ukrainian leader", "Russia's president", "Kremlin chief".
var offices = phraseSet(`leader; president; prime minister; premier; chancellor; foreign minister; defence minister;
defense minister; head of state; foreign secretary; chief; strongman; ambassador; envoy; spokesman; spokeswoman;
spokesperson; king; queen; monarch; pontiff; dictator; autocrat; secretary of state; secretary-general`)

// seats stand for a country's government in role nouns: "Kremlin leader".
var seats = map[string]string{"kremlin": "country:RU", "white house": "country:US", "downing street": "country:GB", "élysée": "country:FR", "elysee": "country:FR"}

// roleNouns finds role nouns standing for a person: a nationality, a
// country's possessive or a seat of government, then an office in lower
// case, and no name after it ("the Ukrainian leader", "Russia's president",
// "Kremlin leader"; not "Russian President Vladimir Putin").
// They are appended to out.
func roleNouns(body string, toks []token, c *detectCtx, out []Mention) []Mention {
	for i := 0; i+1 < len(toks); i++ {
		t := &toks[i]
		if !t.cap {
			continue
		}
		country := ""
		if e, ok := c.demonym(t); ok && !t.poss {
			country = e.ID
		} else if e, ok := possessiveCountry(t, c); ok {
			country = e.ID
		} else if id, ok := seats[t.lower]; ok {
			country = id
		}
		if country == "" || !adjacent(body, t, &toks[i+1]) {
			continue
		}
		if toks[i+1].cap || toks[i+1].cls&clsOfficeFirst == 0 {
			continue // offices.prefix is 0
		}
		words := make([]string, 0, offices.longest)
		for k := i + 1; k < len(toks) && k <= i+offices.longest && !toks[k].cap; k++ {
			words = append(words, toks[k].s)
		}
		n := offices.prefix(words)
		if n == 0 {
			continue
		}
		end := i + n
		if end+1 < len(toks) && toks[end+1].cap && adjacent(body, &toks[end], &toks[end+1]) {
			continue // a title before a name
		}
		start := t.start
		if i > 0 && strings.EqualFold(toks[i-1].s, "the") && adjacent(body, &toks[i-1], t) {
			start = toks[i-1].start
		}
		out = append(out, Mention{Start: start, End: toks[end].end, Name: body[start:toks[end].end],
			Role: fieldsJoined(body[t.start:toks[end].end]), Type: Person, Kind: KindRole, Country: country})
		i = end
	}
	return out
}

// possessiveCountry returns the country a possessive names ("Russia's").
func possessiveCountry(t *token, c *detectCtx) (*GazEntry, bool) {
	if !t.poss {
		return nil, false
	}
	e, ok := c.lookup(t.s)
	return e, ok && strings.HasPrefix(e.ID, "country:")
}

// hasTitle tells whether a title starts at any of the words.
// words are the strings of toks.
func hasTitle(toks []token, words []string) bool {
	for q := range words {
		if titlePrefix(&toks[q], words[q:]) > 0 {
			return true
		}
	}
	return false
}

// Casing counts, per word (lower-cased), how often a batch of texts
// writes it in lower case and how often capitalised.
type Casing map[string][2]int

// CountCasing counts the casing of the words of the texts. Large batches
// are counted in parts on every CPU and the counts added up.
func CountCasing(texts ...string) Casing { return countCasing(texts).casing(nil) }

// countCasing counts as CountCasing does, into one counter.
func countCasing(texts []string) *casingCounter {
	parts := min(runtime.GOMAXPROCS(0), len(texts)/64)
	if parts <= 1 {
		c := &casingCounter{}
		c.count(texts)
		return c
	}
	counts := make([]*casingCounter, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			part := texts[p*len(texts)/parts : (p+1)*len(texts)/parts]
			c := &casingCounter{}
			c.count(part)
			counts[p] = c
		})
	}
	wg.Wait()
	out := counts[0]
	for _, c := range counts[1:] {
		out.add(c)
	}
	return out
}

// casingTable is the casing counts detection reads: a Casing, or the
// counter of Resolve's batch, read without making a Casing of it.
type casingTable struct {
	m Casing
	c *casingCounter
}

// get returns the counts of a word in lower case.
func (t *casingTable) get(w string) [2]int {
	if t.c != nil {
		return t.c.get(w)
	}
	return t.m[w]
}

// common tells whether the batch writes a word mostly in lower case: three
// times or more, and four times as often as capitalised.
func (t *casingTable) common(w string) bool {
	n := t.get(strings.ToLower(w))
	return n[0] >= 3 && n[0] >= 4*n[1]
}

// common is c.casing.common(t.lower), remembered for the article's word.
func (c *detectCtx) common(t *token) bool {
	w := &c.words[t.word]
	if w.common == 0 {
		w.common = 2
		if c.casing.common(t.lower) {
			w.common = 1
		}
	}
	return w.common == 1
}

// trimCommon drops from both ends of the run toks[i:j] the words the batch
// writes mostly in lower case, keeping titles, first names, organisation
// and place words, and the surname after a first name ("Theresa May").
func (c *detectCtx) trimCommon(toks []token, i, j int) (int, int) {
	if c.casing == nil {
		return i, j
	}
	keep := func(k int) bool {
		t := &toks[k]
		return !t.cap || t.acronym || !c.common(t) || c.isGiven(t) ||
			titlePrefix(t, []string{t.s}) > 0 || t.cls&(clsRoleModifier|clsOrg|clsPlace|clsPlaceHead) != 0
	}
	for j-i > 1 && !keep(i) {
		i++
		for i < j-1 && !toks[i].cap {
			i++
		}
	}
	for j-i > 1 && !keep(j-1) && !c.isGiven(&toks[j-2]) {
		j--
		for j-i > 1 && !toks[j-1].cap {
			j--
		}
	}
	return i, j
}

// weekdays end a capitalised run: no name goes on with one.
var weekdays = wordSet(`monday tuesday wednesday thursday friday saturday sunday`)
