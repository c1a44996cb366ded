package text

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Language identifies the language of a text as an ISO 639-1 code, or ""
// when the text is too short or matches no language well enough.
//
// It first looks at the script (Cyrillic, Greek, Arabic, Han, Kana, Hangul
// …), then scores the most frequent function words of each language that
// writes in that script, with letters unique to one language (Ukrainian
// "ї", Polish "ł", German "ß" …) as extra evidence. Function words are what
// separates languages in news text; a compact identifier like this one
// needs no model file (lingua-go embeds ~135 MB of them). Scripts, words
// and letters are all counted in one pass over the text.
func Language(s string) string {
	if len(s) > languagePrefix {
		s = s[:languagePrefix]
	}
	var c langCounts
	c.read(s)
	if c.letters < 20 {
		return ""
	}
	best, bestN := (*unicode.RangeTable)(nil), 0
	for i, t := range scripts {
		if c.scripts[i] > bestN {
			best, bestN = t, c.scripts[i]
		}
	}
	count := func(t *unicode.RangeTable) int { return c.scripts[slices.Index(scripts, t)] }
	switch best {
	case unicode.Hiragana, unicode.Katakana:
		return "ja"
	case unicode.Han:
		if count(unicode.Hiragana)+count(unicode.Katakana) > bestN/10 {
			return "ja"
		}
		return "zh"
	case unicode.Hangul:
		return "ko"
	case unicode.Greek:
		return "el"
	case unicode.Arabic:
		return "ar"
	case unicode.Hebrew:
		return "he"
	case unicode.Devanagari:
		return "hi"
	case unicode.Thai:
		return "th"
	case unicode.Georgian:
		return "ka"
	case unicode.Armenian:
		return "hy"
	case unicode.Cyrillic:
		return c.byWords(cyrillicFrom, cyrillic)
	case unicode.Latin:
		return c.byWords(0, latin)
	}
	return ""
}

// languagePrefix is how many bytes of a text Language reads.
const languagePrefix = 20000

// TitledLanguage is Language(title + "\n" + body) without building that
// text: the bytes Language reads are copied into a buffer reused from call
// to call (an article's body is read through once, not copied whole).
func TitledLanguage(title, body string) string {
	buf := langBuffers.Get().(*[]byte)
	b := append((*buf)[:0], title...)
	b = append(b, '\n')
	if n := languagePrefix - len(b); n > 0 {
		b = append(b, body[:min(n, len(body))]...)
	}
	lang := Language(unsafe.String(&b[0], len(b))) // b is not changed while Language runs
	if cap(b) <= 2*languagePrefix {
		*buf = b
		langBuffers.Put(buf)
	}
	return lang
}

// langBuffers hold the texts TitledLanguage reads.
var langBuffers = sync.Pool{New: func() any { return new([]byte) }}

// scripts are the scripts Language tells apart, Latin first.
var scripts = scriptTables[:]

var scriptTables = [...]*unicode.RangeTable{
	unicode.Latin, unicode.Cyrillic, unicode.Greek, unicode.Arabic, unicode.Hebrew,
	unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Devanagari,
	unicode.Thai, unicode.Georgian, unicode.Armenian,
}

// profile is one language's evidence: frequent function words, and letters
// that (among the languages of its script) only it uses.
type profile struct {
	code    string
	words   string
	letters string
}

var latin = []profile{
	{"en", "the of and to in is that for it with as was on be by are this from at have has not but which were said would will its their an they he his been who", ""},
	{"de", "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie", "ßäöü"},
	{"fr", "de la le et les des en un du une que est pour qui dans par sur au pas plus ne se ce il sont avec son mais ont été cette aux été leur", "àâçèéêëîïôûœ"},
	{"es", "de la que el en y los del se las por un para con no una su al es lo como más pero sus le ha fue este entre cuando muy sin sobre también", "ñ¿¡áéíóú"},
	{"it", "di e il la che in un per è del non della le si una al con sono da dei gli alla nel come più anche ha lo ma delle questo", "àèìòù"},
	{"pt", "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à seu sua ou ser quando muito", "ãõçáâêôú"},
	{"nl", "de van het een en in is dat op te zijn voor met die niet aan er om ook als bij of uit nog wordt door maar naar dan heeft over", "ĳ"},
	{"pl", "w i na z się nie do to że jest o jak co po przez jego a od dla ale tak są już było może tym także jednak przy", "ąćęłńśźż"},
	{"cs", "a se na v je že to s z do o jako pro by ale k jsou jeho i až tak už jen při byl bylo což které který podle", "ěřůčšžťď"},
	{"sk", "a sa na v je že to s z do o ako pre by ale k sú jeho i až tak už len pri bol bolo čo ktoré ktorý podľa", "ľĺŕôäčšžťď"},
	{"sl", "in je v na da se za so z ki pa s tudi ne bi po kot od bo do še iz ali če ter le smo lahko", "čšž"},
	{"hr", "i je u na da se za su s koji od ne a o što iz će kao to ali bi po sa bio biti samo nije", "čćđšž"},
	{"ro", "de și în a la cu care pe să din nu o un că mai pentru este se au sau fost lui ca prin dar", "ăâîșşțţ"},
	{"sv", "och i att det som på är av för en med till den har de inte om ett var men vi sig kan så från", "åäö"},
	{"da", "og i at det er en på til som af de med for den har ikke der var et om vi men sig kan fra", "æøå"},
	{"no", "og i det er som på en til å av for med har at ikke den de var et om vi men seg kan fra", "æøå"},
	{"fi", "ja on ei se että oli hän ovat mutta kun myös tai joka sen ole niin kuin vain jo nyt", "äö"},
	{"hu", "a az és hogy nem is egy volt de meg van el csak ha már mint kell még azt ezt szerint", "őűáéíóúö"},
	{"tr", "ve bir bu da de için ile çok olarak daha gibi en ama ne o kadar olan sonra ki var", "ğışçöü"},
	{"id", "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada oleh karena bisa", ""},
}

var cyrillic = []profile{
	{"ru", "и в не на что с по это как он к из у за от о а так же для но все его было она бы они ты когда уже только был", "ыэё"},
	{"uk", "і в на не що з до у та як це за від про він але його так для вона же вже було був ми також через", "іїєґ"},
	{"bg", "и на в да се за от с не е че по са като това които който но ще при към след много", "ъ"},
	{"sr", "и у на да се је за не од са су што као из то али би по ће био", "ђјљњћџ"},
	{"mk", "и на во да се за од со не е што ќе ги на кои тоа како по но", "ѓќѕјљњџ"},
	{"be", "і ў на не што з да у як гэта за ад пра ён але яго так для яна ўжо было", "ўі"},
}

// The profiles of both scripts are numbered in one sequence, Latin first:
// wordCodes maps each function word to the numbers of the profiles it is
// one of, so that a text's words are looked up once for all languages
// (shortWords holds the words of up to eight bytes, for a faster look-up);
// the distinctive letters are numbered, and profileLetters holds each
// profile's letters' numbers.
var (
	cyrillicFrom   = len(latin)
	wordCodes      = map[string][]uint8{}
	shortWords     wordTable
	longLengths    uint64 // bit n set: a function word of n > 8 bytes (n < 64) is in wordCodes
	longestWord    int    // the length of the longest function word
	distinctive    = map[rune]int{}
	distinctiveLow [0x500]uint8 // distinctive[r]+1 for r below 0x500, 0 for none
	profileLetters [][]int
)

func init() {
	for k, ps := range [][]profile{latin, cyrillic} {
		for i, p := range ps {
			seen := map[string]bool{}
			for _, w := range strings.Fields(p.words) {
				if !seen[w] {
					seen[w] = true
					wordCodes[w] = append(wordCodes[w], uint8(k*cyrillicFrom+i))
				}
			}
			var nums []int
			for _, r := range p.letters {
				if _, ok := distinctive[r]; !ok {
					distinctive[r] = len(distinctive)
				}
				nums = append(nums, distinctive[r])
			}
			profileLetters = append(profileLetters, nums)
		}
	}
	for w, codes := range wordCodes {
		if key, ok := packWord([]byte(w)); ok {
			shortWords.add(key, codes)
		} else if len(w) < 64 {
			longLengths |= 1 << len(w)
		}
		longestWord = max(longestWord, len(w))
	}
	for r, n := range distinctive {
		if int(r) < len(distinctiveLow) {
			distinctiveLow[r] = uint8(n + 1)
		}
	}
}

// wordTable is a hash table of words of up to eight bytes, each packed in
// a uint64 (its bytes in order; words hold no zero byte, so no two words
// pack alike), with open addressing.
type wordTable struct {
	keys  [2048]uint64
	codes [2048][]uint8
}

func (t *wordTable) slot(key uint64) int { return int(key * 0x9E3779B97F4A7C15 >> 53) }

func (t *wordTable) add(key uint64, codes []uint8) {
	i := t.slot(key)
	for t.keys[i] != 0 {
		i = (i + 1) % len(t.keys)
	}
	t.keys[i], t.codes[i] = key, codes
}

func (t *wordTable) get(key uint64) []uint8 {
	for i := t.slot(key); t.keys[i] != 0; i = (i + 1) % len(t.keys) {
		if t.keys[i] == key {
			return t.codes[i]
		}
	}
	return nil
}

// packWord packs a word of up to eight bytes in a uint64.
func packWord(w []byte) (key uint64, ok bool) {
	if len(w) > 8 {
		return 0, false
	}
	for _, b := range w {
		key = key<<8 | uint64(b)
	}
	return key, true
}

// codesOf returns the numbers of the profiles word is a function word of;
// key is the word packed, when it is of up to eight bytes.
func codesOf(word []byte, key uint64) []uint8 {
	if len(word) <= 8 {
		return shortWords.get(key)
	}
	if len(word) > longestWord || (len(word) < 64 && longLengths&(1<<len(word)) == 0) {
		return nil // no function word is as long
	}
	return wordCodes[string(word)]
}

// distinctiveOf returns the number of a distinctive letter, or -1.
func distinctiveOf(r rune) int {
	if int(r) < len(distinctiveLow) {
		return int(distinctiveLow[r]) - 1
	}
	if n, ok := distinctive[r]; ok {
		return n
	}
	return -1
}

// langCounts is what Language counts in a text, in one pass: its letters
// by script, and for byWords its words, the function words of each profile
// among them and the distinctive letters.
type langCounts struct {
	letters int
	scripts [len(scriptTables)]int // letters by script (scripts' order)
	words   int
	hits    [64]int  // function words by profile number
	marks   [128]int // by distinctive letter
}

// read counts the letters of s by script, as each character is, and its
// words: runs of letters and apostrophes of the lower-cased text (each
// character lower-cased alone, as strings.ToLower does), with the
// distinctive letters among them.
func (c *langCounts) read(s string) {
	var buf [64]byte
	word := buf[:0]
	key := uint64(0) // the word's last eight bytes, packed as packWord packs them
	for i := 0; i <= len(s); {
		// ASCII letters, most of a text, lower-cased in one test
		start := i
		for i < len(s) {
			b := s[i] | ('a' - 'A')
			if b < 'a' || 'z' < b {
				break
			}
			word = append(word, b)
			key = key<<8 | uint64(b)
			i++
		}
		c.letters += i - start
		c.scripts[0] += i - start // Latin
		r, size := rune(' '), 1   // past the end: a space ends the last word
		if i < len(s) {
			r = rune(s[i])
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[i:])
			}
		}
		i += size
		if r == '\'' {
			word = append(word, '\'')
			key = key<<8 | '\''
			continue
		}
		if r >= utf8.RuneSelf {
			if unicode.IsLetter(r) {
				c.letters++
				for k, t := range scripts {
					if unicode.Is(t, r) {
						c.scripts[k]++
						break
					}
				}
			}
			r = unicode.ToLower(r)
			if k := distinctiveOf(r); k >= 0 {
				c.marks[k]++
			}
			if unicode.IsLetter(r) || r == '’' {
				n := len(word)
				word = utf8.AppendRune(word, r)
				for _, b := range word[n:] {
					key = key<<8 | uint64(b)
				}
				continue
			}
		}
		if len(word) > 0 {
			c.words++
			for _, k := range codesOf(word, key) {
				c.hits[k]++
			}
			word, key = word[:0], 0
		}
	}
}

// byWords scores each profile by the share of its function words among the
// text's words and by its distinctive letters; it returns the best code, or
// "" when no profile scores at all. first is the number of the profiles'
// first.
func (c *langCounts) byWords(first int, profiles []profile) string {
	if c.words == 0 {
		return ""
	}
	best, bestScore := "", 0.0
	for i, p := range profiles {
		score := float64(c.hits[first+i]) / float64(c.words)
		if p.letters != "" {
			n := 0
			for _, k := range profileLetters[first+i] {
				n += c.marks[k]
			}
			score += 0.5 * float64(n) / float64(c.words)
		}
		if score > bestScore {
			best, bestScore = p.code, score
		}
	}
	if bestScore < 0.05 {
		return ""
	}
	return best
}
