// Package quote finds who said what in an article: direct quotes in every
// mark style, reported speech with its cue verb ("said that", "according
// to", a colon), and their speakers, linked to the entities the entity
// stage found (pronouns to the most recent person, role nouns through the
// entity stage, anonymous sources kept as written).
//
// It works on one article's clean text and its linked mentions, with no
// model: marks, cue verbs and the shape of the sentence.
package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// Kinds of quotes.
const (
	Direct   = "direct"   // the content is in quote marks
	Mixed    = "mixed"    // reported speech with a quoted part
	Indirect = "indirect" // reported speech, no quote marks
)

// Quote is one statement in an article. Offsets are byte offsets into the
// article's text; -1 when the part is missing.
type Quote struct {
	Start, End int    // the content, quote marks included for direct quotes
	Text       string // the content without the outer quote marks
	Kind       string
	Cue        string
	CueStart   int
	CueEnd     int
	Speaker    string // the noun phrase as written ("the Ukrainian leader", "he", "a senior official")
	SpeakerAt  int    // byte offset of Speaker, -1 when none
	// Entity is the index of the speaker's entity in the entity.Result the
	// mentions came from, or -1 (unknown or anonymous).
	Entity    int
	Anonymous bool // "a senior European official": kept as written, never guessed
	// Refers is the name a pronoun speaker refers to when that name has no
	// entity ("he" after “…,” said Harvey); "" otherwise.
	Refers string
	// Parts are the byte ranges of the content, in order, when the
	// attribution stands inside it (“…,” Reyes said. “…”); nil when the
	// content is all of Start:End.
	Parts [][2]int

	pron   string // the pronoun (or anyPerson for a role noun) Entity was resolved from
	pronAt int
	cont   bool // continues the quote before it, whose speaker it takes
}

// span is a quoted stretch of text: from the opening mark to the closing
// one (or the end of its last paragraph when unclosed).
type span struct{ start, end int }

// openers and their closers; “ may also close with “ (a common typo in
// scrapes), and „ closes with “ or ”.
var closers = map[rune]string{
	'“': "”“\"", '"': "\"”“", '„': "“”\"", '«': "»", '‹': "›", '»': "«", '‘': "’", '‚': "‘’",
}

// quoteSpans finds the quoted stretches of the text. A quote left open at
// the end of a paragraph goes on into the next paragraph when that one
// opens a quote again (the convention for quotes over several
// paragraphs) or closes one; a single ‘ counts only before a letter after
// a space, so apostrophes do not open quotes.
func quoteSpans(text string) []span {
	var out []span
	open := -1
	var want string
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if strings.HasPrefix(text[i:], "''") {
			r, size = '"', 2 // ''quoted'' (the New York Times' style) is "quoted"
		}
		if open < 0 {
			if c, ok := closers[r]; ok && opensHere(text, i, size, r) {
				open, want = i, c
			}
			i += size
			continue
		}
		if strings.ContainsRune(want, r) && closesHere(text, i, size) {
			out = append(out, span{open, i + size})
			open = -1
			i += size
			continue
		}
		if r == '\n' && strings.HasPrefix(text[i:], "\n\n") {
			// end of a paragraph with the quote open: go on when the next
			// paragraph opens a quote too, else end it here
			next := strings.TrimLeft(text[i+2:], " \t-—–")
			nr, _ := utf8.DecodeRuneInString(next)
			if strings.HasPrefix(next, "''") {
				nr = '"'
				next = next[1:]
			}
			if _, ok := closers[nr]; !ok {
				out = append(out, span{open, i})
				open = -1
			} else {
				// skip the reopening mark
				j := len(text) - len(next)
				i = j + utf8.RuneLen(nr)
				continue
			}
		}
		if i-open > maxQuote {
			open = -1 // a stray mark: no quote runs this long
		}
		i += size
	}
	if open >= 0 && len(text)-open <= maxQuote {
		out = append(out, span{open, len(text)})
	}
	return out
}

// maxQuote bounds one quote (bytes): longer "quotes" are stray marks.
const maxQuote = 6000

func opensHere(text string, i, size int, r rune) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	after, _ := utf8.DecodeRuneInString(text[i+size:])
	if i+size >= len(text) || unicode.IsSpace(after) {
		return false
	}
	if i > 0 && (unicode.IsLetter(before) || unicode.IsDigit(before)) {
		return false // "it's", "5\"" — not an opening mark
	}
	if r == '‘' || r == '‚' {
		return unicode.IsLetter(after) || unicode.IsDigit(after)
	}
	return true
}

func closesHere(text string, i, size int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	if unicode.IsSpace(before) {
		return false
	}
	if i+size < len(text) {
		after, _ := utf8.DecodeRuneInString(text[i+size:])
		if unicode.IsLetter(after) && before != '.' && before != ',' {
			return false // "rock’n’roll", a closing ’ inside a word
		}
	}
	return true
}

// inner returns the content of a quoted span without its marks and
// continuation marks, with white space folded.
func inner(text string, s span) string {
	body := text[s.start:s.end]
	if b := strings.TrimPrefix(body, "''"); len(b) < len(body) {
		body = b
	} else {
		_, size := utf8.DecodeRuneInString(body)
		body = body[size:]
	}
	body = strings.TrimSuffix(body, "''")
	if r, size := utf8.DecodeLastRuneInString(body); strings.ContainsRune("”“\"»«’‘›", r) {
		body = body[:len(body)-size]
	}
	var paras []string
	for _, p := range strings.Split(body, "\n\n") {
		p = strings.TrimLeft(p, " \t-—–“\"„«‘")
		p = strings.TrimRight(p, " \t”\"»’")
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, " ")
}

// words counts the words of s.
func words(s string) int { return len(strings.Fields(s)) }

// Extract finds the quotes of one article: text is its clean text,
// mentions its linked mentions (entity.Result.Mentions of the article) and
// entities the entities of the same resolution (entity.Result.Entities),
// whose types and names the speakers are checked against.
func Extract(text string, mentions []entity.Linked, entities []storyline.Entity) []Quote {
	a := newAnalysis(text, mentions, entities)
	return a.run()
}
