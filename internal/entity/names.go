package entity

import (
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

// digraphs fold the spellings of one sound in the Latin scripts of Europe
// and in English transliteration to one letter, longest first.
var digraphs = strings.NewReplacer(
	"shch", "s", "sch", "s", "szcz", "s", "sh", "s", "sz", "s", "ch", "c", "cz", "c", "zh", "z", "rz", "z",
	"kh", "h", "ts", "c", "tz", "c", "ph", "f", "th", "t", "ck", "k", "dzh", "dz", "dj", "dz", "gj", "dz",
	"w", "v", "q", "k", "x", "ks", "j", "i", "y", "i", "ü", "u",
)

// Fold reduces one name word to the spelling its variants share within
// one script: Latin letters, digraphs folded (sh/sz/š → s, kh → h, w → v,
// y/j → i), one case or possessive ending stripped, doubled letters
// collapsed. Zelenskyy, Zelenskiy, Zelensky, Zelens'kyi and Zełenski all
// give "zelensk"; Trump, Trumpa and Trumpův give "trump".
func Fold(word string) string {
	w := strings.ReplaceAll(Latin(word), " ", "")
	if strings.HasSuffix(w, "s") && strings.ContainsAny(word, "'’") {
		w = strings.TrimSuffix(w, "s") // possessive "Putin's"
	}
	return collapse(Stem(digraphs.Replace(w)))
}

// Skeleton reduces one name word further, for matching across scripts,
// where transliteration makes vowels unreliable (Trump is Трамп in Russian,
// Тръмп in Bulgarian): the folded word without vowels after the first
// letter, and g for h. Trump, Трамп, Тръмп all give "trmp"; Vladimir and
// Volodymyr give "vldmr".
func Skeleton(word string) string {
	f := Fold(word)
	var b strings.Builder
	var last rune
	for i, r := range f {
		if r == 'h' {
			r = 'g'
		}
		if i > 0 && strings.ContainsRune("aeiou", r) {
			continue
		}
		if r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
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
		return Skeleton(a) == Skeleton(b)
	}
	return Fold(a) == Fold(b)
}

// endings are Slavic case and possessive endings, in folded spelling
// (after digraphs: y → i, j → i, w → v), longest first.
var endings = []string{
	"ovimi", "iiami", "ovie", "ovic", "ovou", "ovim", "ovih", "ovii", "ovo", "ova", "ove", "ovi", "ovu",
	"ogo", "ego", "omu", "emu", "imi", "ami", "ach", "iah", "ih", "ah", "iam", "am", "ov", "ev", "om", "em", "oi",
	"ei", "ii", "iu", "ia", "ie", "im", "ou", "uv", "a", "e", "i", "u", "o",
}

// Stem strips one Slavic case or possessive ending from a folded word when
// a stem of at least three letters remains: trumpa, trumpem, trumpovi,
// trumpuv → trump; putina → putin; zelenskogo → zelensk.
func Stem(w string) string {
	for _, e := range endings {
		if len(w)-len(e) >= 3 && strings.HasSuffix(w, e) {
			return w[:len(w)-len(e)]
		}
	}
	return w
}
