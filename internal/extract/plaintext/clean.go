// Package plaintext turns a raw plain-text scrape into a clean article: it
// classifies each line as article text or boilerplate (mastheads, bylines,
// captions, related-news lists, comment forms, share widgets, template
// residue …), keeps every removed line with the reason, and reads the
// metadata the scrape carries: title, outlet, author and publish date.
//
// It is rules, not a model: each rule is small, named by the reason it gives,
// and tested on fixtures. Unknown metadata stays empty.
package plaintext

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	dps "github.com/markusmobius/go-dateparser"

	"github.com/storyline-news/storyline"
)

// Result is what the cleaner reads from one scrape.
type Result struct {
	Title  string
	Outlet string
	Author string
	// Published is zero when the scrape names no publish date; Clock tells
	// whether it carries a time of day with a known zone.
	Published  time.Time
	Clock      bool
	Paragraphs []string
	Removed    []storyline.RemovedLine
}

// line is one line of the scrape while it is being classified.
type line struct {
	text   string
	reason string // "" while kept
	title  bool
}

// Clean cleans one plain-text scrape. ref is the reference time for dates
// that lack a year or are relative ("Wednesday"); the zero time means now.
func Clean(text string, ref time.Time) Result {
	if ref.IsZero() {
		ref = time.Now().UTC()
	}
	c := cleaner{lines: splitLines(text), ref: ref}
	c.run()
	res := c.res
	kept, removed := 0, 0
	for _, l := range c.lines {
		switch {
		case l.title:
		case l.reason != "":
			removed++
		default:
			kept++
		}
	}
	if kept > 0 {
		res.Paragraphs = make([]string, 0, kept)
	}
	if removed > 0 {
		res.Removed = make([]storyline.RemovedLine, 0, removed)
	}
	for _, l := range c.lines {
		switch {
		case l.title:
		case l.reason != "":
			res.Removed = append(res.Removed, storyline.RemovedLine{Line: l.text, Reason: l.reason})
		default:
			res.Paragraphs = append(res.Paragraphs, l.text)
		}
	}
	return res
}

type cleaner struct {
	lines []line
	ref   time.Time
	res   Result
}

func (c *cleaner) run() {
	c.splitDatePrefix()
	c.lineRulesPass()
	c.relatedBlocks()
	headerEnd, bodyEnd := c.zones()
	c.header(headerEnd)
	c.trailer(bodyEnd)
	c.middle()
}

// splitDatePrefix splits a date label fused to the first line ("date
// 2025-01-23 President …") into a date line and the paragraph.
func (c *cleaner) splitDatePrefix() {
	for i, l := range c.lines {
		if m := datePrefix.FindStringSubmatch(l.text); m != nil {
			prefix := strings.TrimSpace(strings.TrimSuffix(l.text, m[2]))
			rest := []line{{text: prefix}, {text: m[2]}}
			c.lines = append(c.lines[:i], append(rest, c.lines[i+1:]...)...)
		}
		return // only the first line can carry it
	}
}

// lineRulesPass removes lines recognised by their text alone.
func (c *cleaner) lineRulesPass() {
	for i := range c.lines {
		l := &c.lines[i]
		t := strings.TrimSpace(strings.TrimLeft(l.text, "•·*▪►»|"))
		for _, r := range lineRules {
			if r.re.MatchString(t) {
				l.reason = r.reason
				break
			}
		}
		if l.reason == "" && isCaptionCredit(t) && !endsQuote(t) {
			l.reason = ReasonCaption
		}
		if l.reason == "" && domainLine.MatchString(t) {
			l.reason = ReasonCredit
			if c.res.Outlet == "" {
				c.res.Outlet = strings.ToLower(domainLine.FindStringSubmatch(t)[1])
			}
		}
		if l.reason == "" && bioRE.MatchString(t) {
			m := bioRE.FindStringSubmatch(t)
			l.reason = ReasonBio
			if c.res.Author == "" {
				c.res.Author = m[1]
			}
			if c.res.Outlet == "" && m[2] != "" {
				c.res.Outlet = strings.TrimRight(m[2], ".")
			}
		}
	}
}

// relatedBlocks removes a related-content marker and the list after it:
// headlines, teasers, times, dates and labels, up to the next line that
// reads like an article paragraph.
func (c *cleaner) relatedBlocks() {
	for i := 0; i < len(c.lines); i++ {
		if !relatedMarker.MatchString(strings.TrimSpace(c.lines[i].text)) {
			continue
		}
		c.lines[i].reason = ReasonRelated
		j := i + 1
		for ; j < len(c.lines); j++ {
			l := &c.lines[j]
			if l.reason != "" {
				// already boilerplate: keep its own reason
				continue
			}
			if isProse(l.text) {
				break
			}
			l.reason = ReasonRelated
		}
		i = j - 1
	}
}

// zones finds where the header ends (the second body paragraph) and where
// the body ends (after the last body paragraph).
func (c *cleaner) zones() (headerEnd, bodyEnd int) {
	headerEnd, bodyEnd = len(c.lines), 0
	seen := 0
	for i, l := range c.lines {
		if l.reason != "" || !isBodyParagraph(l.text) {
			continue
		}
		seen++
		if seen == 2 && headerEnd == len(c.lines) {
			headerEnd = i
		}
		bodyEnd = i + 1
	}
	if seen < 2 {
		headerEnd = min(len(c.lines), 8)
	}
	return headerEnd, bodyEnd
}

// header reads masthead, title, date and byline from the lines before the
// body, and removes them.
func (c *cleaner) header(end int) {
	kept := c.keptIndexes(0, end)
	// masthead or section line: a short first line above a headline
	if len(kept) >= 2 {
		first := strings.TrimSpace(c.lines[kept[0]].text)
		if isMasthead(first) && isHeadline(c.lines[kept[1]].text) {
			if isSection(first) {
				c.lines[kept[0]].reason = "section line"
			} else {
				c.lines[kept[0]].reason = ReasonMasthead
				if c.res.Outlet == "" {
					c.res.Outlet = first
				}
			}
			kept = kept[1:]
		}
	}
	if len(kept) > 0 && isHeadline(c.lines[kept[0]].text) && !dateOnly.MatchString(strings.TrimSpace(c.lines[kept[0]].text)) {
		c.lines[kept[0]].title = true
		c.res.Title = strings.TrimSpace(c.lines[kept[0]].text)
	}
	for i := 0; i < end; i++ {
		l := &c.lines[i]
		t := strings.TrimSpace(l.text)
		if l.title {
			continue
		}
		if l.reason == "" || l.reason == ReasonLabel || l.reason == ReasonTime {
			if dateOnly.MatchString(t) {
				l.reason = ReasonDate
				c.readDate(t, i)
				continue
			}
		}
		if l.reason != "" {
			continue
		}
		if m := bylineRE.FindStringSubmatch(t); m != nil {
			l.reason = ReasonByline
			if c.res.Author == "" {
				c.res.Author = m[1]
			}
			continue
		}
		if nameOnly.MatchString(t) {
			l.reason = ReasonByline
			if c.res.Author == "" {
				c.res.Author = t
			}
			continue
		}
		if m := selfReport.FindStringSubmatch(t); m != nil && c.res.Outlet == "" {
			c.res.Outlet = m[1]
		}
	}
}

// readDate takes the publish date from a header date line, with the time
// from the next line when that line is a bare clock time.
func (c *cleaner) readDate(t string, i int) {
	if !c.res.Published.IsZero() || timeOnly.MatchString(t) {
		return
	}
	s := t
	if next := c.nextKept(i); next >= 0 && timeOnly.MatchString(strings.TrimSpace(c.lines[next].text)) {
		s += " " + strings.TrimSpace(c.lines[next].text)
	}
	s = dateLabel.ReplaceAllString(s, "")
	if !hasDigit(s) {
		return // a weekday alone is no publish date
	}
	d, err := dps.Parse(&dps.Configuration{Languages: []string{"en"}, CurrentTime: c.ref, DefaultTimezone: time.UTC}, s)
	if err != nil || d.Time.IsZero() {
		return
	}
	c.res.Published = d.Time
	c.res.Clock = hasZone.MatchString(s)
}

var dateLabel = mustPattern(`(?i)^(?:date|published|posted|updated|last updated|modified):?\s*`)

// trailer removes what follows the last body paragraph and belongs to the
// author box: the author's name repeated, a staff role, the bio.
func (c *cleaner) trailer(from int) {
	for i := from; i < len(c.lines); i++ {
		l := &c.lines[i]
		if l.reason != "" {
			continue
		}
		t := strings.TrimSpace(l.text)
		if nameOnly.MatchString(t) || roleOnly.MatchString(t) {
			l.reason = ReasonBio
		}
	}
}

// middle removes repeated headlines and stray date lines in the body.
func (c *cleaner) middle() {
	title := normKey(c.res.Title)
	for i := range c.lines {
		l := &c.lines[i]
		if l.reason != "" || l.title {
			continue
		}
		if title != "" && sameKey(l.text, title) {
			l.reason = ReasonRepeat
		}
	}
}

func (c *cleaner) keptIndexes(from, to int) []int {
	out := make([]int, 0, max(0, to-from))
	for i := from; i < to; i++ {
		if c.lines[i].reason == "" {
			out = append(out, i)
		}
	}
	return out
}

func (c *cleaner) nextKept(i int) int {
	for j := i + 1; j < len(c.lines); j++ {
		if strings.TrimSpace(c.lines[j].text) != "" {
			return j
		}
	}
	return -1
}

// splitLines normalises line ends and spaces, drops blank lines, and joins
// hard-wrapped lines (a line that does not end a sentence followed, with no
// blank line between, by one that starts in lower case).
func splitLines(text string) []line {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	if strings.IndexByte(text, '\r') >= 0 || strings.IndexByte(text, '\t') >= 0 || strings.Contains(text, "\u00a0") ||
		strings.Contains(text, "\ufeff") || strings.Contains(text, "\u200b") {
		text = lineReplacer.Replace(text)
	}
	out := make([]line, 0, strings.Count(text, "\n")+1)
	blank := true
	for rest, more := text, true; more; {
		var raw string
		raw, rest, more = strings.Cut(rest, "\n")
		t := singleSpaced(raw)
		if t == "" {
			blank = true
			continue
		}
		if n := len(out); n > 0 && !blank && isContinuation(t) && isWrapped(out[n-1].text) {
			out[n-1].text += " " + t
			continue
		}
		blank = false
		out = append(out, line{text: t})
	}
	return out
}

var lineReplacer = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ", "\ufeff", "", "\u200b", "", "\t", " ")

// singleSpaced is strings.Join(strings.Fields(s), " "): s itself when it
// is already single-spaced, as most lines are. It reads eight bytes at a
// time while they are printable ASCII, and the others one character at
// a time.
func singleSpaced(s string) string {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	space := true // the previous character was a space, or s starts here
	for i, slow := 0, 0; i < len(s); {
		if i >= slow && i+8 <= len(s) {
			// one load: the compiler combines the eight
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			if x&hi == 0 && (x-lo*0x20)&hi == 0 {
				// eight bytes from 0x20 to 0x7f: 0x80 at each space
				sp := ^((x ^ lo*0x20) + lo*0x7f) & hi
				if sp&(sp<<8) != 0 || space && sp&0x80 != 0 {
					return strings.Join(strings.Fields(s), " ") // two spaces, or one at the start
				}
				space = sp>>63 != 0
				i += 8
				continue
			}
			slow = i + 8 // these eight one at a time
		}
		c := s[i]
		if ' ' < c && c < utf8.RuneSelf {
			// most characters: ASCII, not white space
			space = false
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				if c != ' ' || space {
					return strings.Join(strings.Fields(s), " ")
				}
				space = true
			} else {
				space = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return strings.Join(strings.Fields(s), " ")
		}
		space = false
		i += size
	}
	if space && s != "" {
		return strings.Join(strings.Fields(s), " ") // a space at the end
	}
	return s
}

// asciiSpace are the ASCII characters unicode.IsSpace tells white space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// countFields is min(len(strings.Fields(t)), limit), without building the
// fields: it stops at the limit-th field, so that a test of a paragraph
// against a few words reads only its first words.
func countFields(t string, limit int) int {
	n := 0
	in := false // inside a field
	for i := 0; i < len(t); {
		c, size := t[i], 1
		space := false
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(t[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			in = false
		} else if !in {
			in = true
			if n++; n >= limit {
				return n
			}
		}
		i += size
	}
	return n
}

// isWrapped tells whether a line looks cut by a hard wrap: long, and not
// ending a sentence.
func isWrapped(t string) bool {
	return len(t) >= 50 && !endsSentence(t) && countFields(t, 8) >= 8 && utf8.RuneCountInString(t) >= 50
}

// isBodyParagraph tells whether a line reads like article prose: at least
// twelve words ending a sentence, not a truncated teaser.
func isBodyParagraph(t string) bool {
	t = strings.TrimSpace(t)
	if strings.HasSuffix(t, "...") || strings.HasSuffix(t, "…") {
		return false
	}
	return endsSentence(t) && countFields(t, 12) >= 12
}

// isProse tells whether a line ends a related-content list: a sentence of
// ten words or more closed by a full stop. Headlines and teasers in such
// lists do not end in a full stop (teasers end in an ellipsis).
func isProse(t string) bool {
	t = strings.TrimRight(strings.TrimSpace(t), `"”’»'`)
	if strings.HasSuffix(t, "...") || !strings.HasSuffix(t, ".") {
		return false
	}
	return countFields(t, 10) >= 10
}

// isHeadline tells whether a line can be a headline: short, not a sentence
// ending in a full stop.
func isHeadline(t string) bool {
	t = strings.TrimSpace(t)
	n := countFields(t, 26)
	if n < 2 || n > 25 || utf8.RuneCountInString(t) > 220 {
		return false
	}
	return !strings.HasSuffix(t, ".") && !strings.HasSuffix(t, ":") && !strings.HasSuffix(t, ",")
}

// isMasthead tells whether a first line is short enough to be an outlet's
// name or a section: at most three words, no sentence.
func isMasthead(t string) bool {
	n := countFields(t, 4)
	return n >= 1 && n <= 3 && utf8.RuneCountInString(t) <= 32 && !strings.HasSuffix(t, ":") && !dateOnly.MatchString(t)
}

var sections = map[string]bool{
	"news": true, "world": true, "politics": true, "business": true, "sport": true, "sports": true,
	"opinion": true, "europe": true, "world news": true, "tech": true, "technology": true,
	"science": true, "health": true, "culture": true, "economy": true, "breaking news": true,
	"exclusive": true, "live": true, "analysis": true, "home": true, "latest": true, "us": true,
	"uk": true, "war in ukraine": true, "ukraine": true, "russia": true, "entertainment": true,
}

func isSection(t string) bool {
	return sections[strings.ToLower(strings.Trim(t, " •|>›»/"))]
}

func endsSentence(t string) bool {
	t = strings.TrimRight(t, " ")
	if t == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(`.!?:"”’»)…'`, r)
}

func endsQuote(t string) bool {
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(`"”’»`, r)
}

// isContinuation tells whether a line can continue a hard-wrapped one: it
// starts with a lower-case word and holds more than that word.
func isContinuation(t string) bool {
	first, _, more := strings.Cut(t, " ")
	if !more {
		return false
	}
	for i, r := range first {
		if i == 0 && !unicode.IsLower(r) {
			return false
		}
		if !unicode.IsLetter(r) && !strings.ContainsRune(",;'’-", r) {
			return false
		}
	}
	return true
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// sameKey tells whether normKey(s) is key, without building it.
func sameKey(s, key string) bool {
	k := 0
	var buf [utf8.UTFMax]byte
	for _, r := range s {
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		enc := utf8.AppendRune(buf[:0], r)
		if len(key)-k < len(enc) || key[k:k+len(enc)] != string(enc) {
			return false
		}
		k += len(enc)
	}
	return k == len(key)
}

// normKey folds a line for comparison: letters and digits only, lower case.
func normKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	// each character lower-cased alone, as strings.ToLower does
	for _, r := range s {
		r = unicode.ToLower(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
