package entity

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// cyrLatin transliterates Cyrillic letters (Russian, Ukrainian, Belarusian,
// Bulgarian, Serbian, Macedonian) to Latin the way Latin-script outlets
// spell the same names. Keys only need the spellings to meet, not to be
// pretty, so one table serves all languages.
var cyrLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'е': "e", 'ё': "e", 'є': "ye",
	'ж': "zh", 'з': "z", 'и': "i", 'і': "i", 'ї': "yi", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ў': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "a", 'ы': "y", 'ь': "", 'э': "e",
	'ю': "yu", 'я': "ya", 'ђ': "dj", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz", 'ѓ': "gj",
	'ќ': "kj", 'ѕ': "dz",
}

// latinFold maps Latin letters that NFD does not decompose.
var latinFold = map[rune]string{
	'ł': "l", 'ø': "o", 'ß': "ss", 'đ': "d", 'ð': "d", 'þ': "th", 'æ': "ae", 'œ': "oe", 'ı': "i", 'ŀ': "l",
}

// Latin returns a name in lower-case plain Latin letters: Cyrillic
// transliterated, diacritics removed, apostrophes dropped, anything else
// that is not a letter or digit turned into a space.
func Latin(s string) string {
	if l, ok := latinASCII(s); ok {
		return l
	}
	var b strings.Builder
	for _, r := range norm.NFC.String(strings.ToLower(s)) {
		switch {
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == 'ʹ':
		case cyrLatin[r] != "" || r == 'ь':
			b.WriteString(cyrLatin[r])
		case latinFold[r] != "":
			b.WriteString(latinFold[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			for _, d := range norm.NFD.String(string(r)) {
				if !unicode.Is(unicode.Mn, d) { // é → e, č → c
					b.WriteRune(d)
				}
			}
		case unicode.Is(unicode.Mn, r):
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// latinASCII is Latin for plain ASCII names, the common case, without
// Unicode normalisation.
func latinASCII(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return "", false
		case c == '\'' || c == '`':
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
			space = false
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
			space = false
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	return strings.TrimRight(string(b), " "), true
}

// digraphs fold the spellings of one sound in the Latin scripts of Europe
// and in English transliteration to one letter, longest first.
var digraphs = strings.NewReplacer(
	"shch", "s", "sch", "s", "szcz", "s", "sh", "s", "sz", "s", "ch", "c", "cz", "c", "zh", "z", "rz", "z",
	"kh", "h", "ts", "c", "tz", "c", "ph", "f", "th", "t", "ck", "k", "dzh", "dz", "dj", "dz", "gj", "dz",
	"w", "v", "q", "k", "x", "ks", "j", "i", "y", "i", "ü", "u",
)

// Fold reduces one name word to the spelling its variants share within
// one script: Latin letters, digraphs folded (sh/sz/š → s, kh → h, w → v,
// y/j → i), a case or possessive ending stripped, doubled letters
// collapsed. Zelenskyy, Zelenskiy, Zelensky, Zelens'kyi and Zełenski all
// give "zelensk"; Trump, Trumpa and Trumpův give "trump". It is the first
// of Folds.
func Fold(word string) string { return folds(word)[0] }

// Folds returns the keys of one name word: Fold, and when the word ends
// in letters that may be a case ending or part of the name itself
// ("Gazprom", "Lavrov"), the key with only vowel endings stripped. Two
// spellings of one word share at least one key: Gazprom and Gazpromem
// meet on "gazprom".
func Folds(word string) []string { return slices.Clone(folds(word)) }

// foldsOf is folds, not remembered.
func foldsOf(word string) []string {
	w := foldBase(word)
	a, b := collapse(Stem(w)), collapse(vowelStem(w))
	keys := []string{a}
	if a != b {
		keys = append(keys, b)
	}
	if alt, ok := alternation(word); ok {
		if c := collapse(Stem(digraphs.Replace(alt))); c != a && c != b {
			keys = append(keys, c)
		}
	}
	return keys
}

// alternations undo the consonant changes of Polish and Czech locative
// and dative endings: Brexit → Brexicie, Parlament → Parlamencie, Polska →
// Polsce, Ameryka → Ameryce, Praga → Pradze.
var alternations = []struct{ from, to string }{
	{"dzie", "d"}, {"cie", "t"}, {"rze", "r"}, {"sce", "ska"}, {"dze", "ga"}, {"ce", "ka"},
}

// alternation returns the word (in Latin letters) with such an ending
// undone, when it has one; only for words of six letters or more in Latin
// script.
func alternation(word string) (string, bool) {
	if IsCyrillic(word) {
		return "", false
	}
	w := strings.ReplaceAll(Latin(word), " ", "")
	if len(w) < 6 {
		return "", false
	}
	for _, a := range alternations {
		if strings.HasSuffix(w, a.from) {
			return strings.TrimSuffix(w, a.from) + a.to, true
		}
	}
	return "", false
}

func foldBase(word string) string {
	w := strings.ReplaceAll(Latin(word), " ", "")
	if strings.HasSuffix(w, "s") && strings.ContainsAny(word, "'’") {
		w = strings.TrimSuffix(w, "s") // possessive "Putin's"
	}
	return digraphs.Replace(w)
}

// Skeleton reduces one name word further, for matching across scripts,
// where transliteration makes vowels and some consonants unreliable (Trump
// is Трамп in Russian, Тръмп in Bulgarian; Johnson is Джонсон; Theresa is
// Тереза): the word in Latin letters with the spellings of one sound made
// one (dzh/j → j, ch/cz/ts → c, hard c → k, kh/h → g, z → s, w → v), one
// case ending stripped, and no vowels after the first letter. Trump, Трамп
// and Тръмп give "trmp"; Vladimir and Володимир give "vldmr".
func Skeleton(word string) string { return skeletons(word)[0] }

// Skeletons returns the skeletons of a word, one per key of Folds.
func Skeletons(word string) []string { return slices.Clone(skeletons(word)) }

// skeletonsOf is skeletons, not remembered.
func skeletonsOf(word string) []string {
	w := strings.ReplaceAll(Latin(word), " ", "")
	if strings.HasSuffix(w, "s") && strings.ContainsAny(word, "'’") {
		w = strings.TrimSuffix(w, "s")
	}
	w = strings.ReplaceAll(crossSpellings.Replace(w), "y", "i")
	a, b := skeleton(collapse(Stem(w))), skeleton(collapse(vowelStem(w)))
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

func skeleton(w string) string {
	var b strings.Builder
	var last rune
	for i, r := range w {
		switch r {
		case 'C':
			r = 'c'
		case 'c':
			r = 'k'
		case 'h':
			r = 'g'
		case 'z':
			r = 's'
		}
		if i > 0 && strings.ContainsRune("aeiou", r) {
			continue
		}
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// crossSpellings make the spellings of one sound in Latin scripts and in
// transliterated Cyrillic meet; C stands for the "ch" sound until Skeleton
// has turned the remaining hard c into k.
var crossSpellings = strings.NewReplacer(
	"shch", "s", "szcz", "s", "sch", "s", "sh", "s", "sz", "s", "dzh", "j", "dj", "j", "ch", "C", "cz", "C",
	"ts", "C", "tz", "C", "zh", "z", "rz", "z", "kh", "h", "ph", "f", "th", "t", "ck", "k", "w", "v", "q", "k",
	"x", "ks", "ё", "e",
)

// SimilarSkeleton tells whether two skeletons of four letters or more
// differ by at most one letter and start alike: for full names across
// scripts, where a surname may lose a letter (Barnier, Барние).
func SimilarSkeleton(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < 4 || len(b) < 4 || a[0] != b[0] {
		return false
	}
	return editDistanceAtMostOne(a, b)
}

func editDistanceAtMostOne(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return i == len(a) || a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}

func collapse(w string) string {
	var b strings.Builder
	var last rune
	for _, r := range w {
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// IsCyrillic tells whether a name is written mostly in Cyrillic.
func IsCyrillic(s string) bool {
	cyr, lat := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			lat++
		}
	}
	return cyr > lat
}

// SameWord tells whether two name words can be spellings of one name:
// within one script their folded forms must be equal; across scripts their
// skeletons.
func SameWord(a, b string) bool {
	if IsCyrillic(a) != IsCyrillic(b) {
		return overlap(skeletons(a), skeletons(b))
	}
	return overlap(folds(a), folds(b))
}

// endings are Slavic case and possessive endings, in folded spelling
// (after digraphs: y → i, j → i, w → v), tried longest first.
var endings = sortByLength(strings.Fields(`ovimi iiami ovie ovic ovou ovim ovih ovii ovo ova ove ovi ovu ogo ego
omu emu imi ami ach iah ih ah iam am ov ev om em oi ei ii iu ia ie im ou uv eho iho ich iei iem ach a e i u o`))

// wordForms remembers the facts of the words an article or a batch
// compares (folds, skeletons, script), so that comparing many pairs by
// SameWord's rule looks each word up in the shared memo once: a small map
// in front of it.
type wordForms struct {
	ix    wordIndex    // the words (the facts' copies: no text is kept)
	facts []*nameFacts // by number in ix
}

func newWordForms() *wordForms { return &wordForms{} }

// len is the number of words remembered.
func (f *wordForms) len() int { return len(f.facts) }

// truncate forgets every word, for reuse, without clearing the list of
// facts the next words overwrite (the facts are no text).
func (f *wordForms) truncate() {
	f.ix.truncate()
	f.facts = f.facts[:0]
	if cap(f.facts) > maxWordSlots/2 {
		f.facts = nil // not to keep large tables for small articles
	}
}

// reset forgets every word and clears the lists to their capacity.
func (f *wordForms) reset() {
	f.truncate()
	f.ix.reset()
	clear(f.facts[:cap(f.facts)])
}

// get returns the facts of w.
func (f *wordForms) get(w string) *nameFacts {
	h := wordHash(w)
	if id, ok := f.ix.find(w, h); ok {
		return f.facts[id]
	}
	x := factsOf(w)
	f.ix.add(x.name, h) // the facts' copy of w: the index keeps no text
	f.facts = append(f.facts, x)
	return x
}

// same is SameWord(a, b).
func (f *wordForms) same(a, b string) bool { return sameForms(f.get(a), f.get(b)) }

// firstCompatibleForms tells whether two first names (their forms, nil
// for an unknown first name) can belong to one person: the same name in
// any spelling, an initial of it, or one of them unknown.
func firstCompatibleForms(x, y *nameFacts) bool {
	if x == nil || y == nil {
		return true
	}
	if x.initial() || y.initial() {
		return x.initRune() == y.initRune()
	}
	return sameForms(x, y)
}

// sameForms is SameWord for the forms of two words.
func sameForms(x, y *nameFacts) bool {
	if x.cyr() != y.cyr() {
		return overlap(x.skeletons(), y.skeletons())
	}
	// folds that overlap share a bit: most pairs differ there, without
	// reading the folds
	return x.foldBits()&y.foldBits() != 0 && overlap(x.folds(), y.folds())
}

func overlap(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func sortByLength(words []string) []string {
	sort.SliceStable(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
	return words
}

// Stem strips one Slavic case or possessive ending from a folded word, and
// then any vowels left at its end, keeping a stem of at least three
// letters: trumpa, trumpem, trumpovi, trumpuv → trump; putina → putin;
// zelenskogo → zelensk; morie, moriem → mor.
func Stem(w string) string {
	for _, e := range endings {
		if len(w)-len(e) >= 3 && strings.HasSuffix(w, e) {
			w = w[:len(w)-len(e)]
			break
		}
	}
	return trimVowels(w)
}

// vowelStem is Stem with only the endings that end in a vowel.
func vowelStem(w string) string {
	for _, e := range endings {
		if len(w)-len(e) >= 3 && strings.HasSuffix(w, e) && strings.ContainsRune("aeiou", rune(e[len(e)-1])) {
			w = w[:len(w)-len(e)]
			break
		}
	}
	return trimVowels(w)
}

func trimVowels(w string) string {
	for len(w) > 3 && strings.ContainsRune("aeiou", rune(w[len(w)-1])) {
		w = w[:len(w)-1]
	}
	return w
}
