package text

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/storyline-news/storyline/internal/corpus"
)

// The functions below are the first, plain versions of Words, Fold,
// ContentKey and Language, kept as the reference the faster ones must
// match on every input.

func refWords(s string) []Span {
	var out []Span
	start := -1
	for i, r := range s {
		inner := (r == '\'' || r == '’' || r == '-' || r == '.') && start >= 0
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if inner {
			continue
		}
		if start >= 0 {
			out = append(out, refWordSpan(s, start, i))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, refWordSpan(s, start, len(s)))
	}
	return out
}

func refWordSpan(s string, start, end int) Span {
	t := s[start:end]
	trimmed := strings.TrimRight(t, "'’-.")
	if strings.HasSuffix(t, ".") && strings.Count(trimmed, ".") > 0 && len(trimmed) < 8 {
		trimmed += "."
	}
	return Span{Start: start, End: start + len(trimmed), Text: trimmed}
}

func refFold(s string) string {
	s = norm.NFKC.String(s)
	s = foldReplacer.Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

var foldReplacer = strings.NewReplacer(
	"’", "'", "‘", "'", "‚", "'", "‹", "'", "›", "'",
	"“", `"`, "”", `"`, "„", `"`, "«", `"`, "»", `"`,
	"–", "-", "—", "-", "‐", "-", "‑", "-", "−", "-",
)

func refContentKey(s string) string {
	var b strings.Builder
	for _, w := range refWords(refFold(s)) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.Trim(w.Text, "."))
	}
	return b.String()
}

func refLanguage(s string) string {
	if len(s) > 20000 {
		s = s[:20000]
	}
	counts := map[*unicode.RangeTable]int{}
	letters := 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		for _, t := range scripts {
			if unicode.Is(t, r) {
				counts[t]++
				break
			}
		}
	}
	if letters < 20 {
		return ""
	}
	best, bestN := (*unicode.RangeTable)(nil), 0
	for _, t := range scripts {
		if counts[t] > bestN {
			best, bestN = t, counts[t]
		}
	}
	switch best {
	case unicode.Hiragana, unicode.Katakana:
		return "ja"
	case unicode.Han:
		if counts[unicode.Hiragana]+counts[unicode.Katakana] > bestN/10 {
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
		return refByWords(s, cyrillic)
	case unicode.Latin:
		return refByWords(s, latin)
	}
	return ""
}

var refWordCodes = map[string][]string{}

func init() {
	for _, ps := range [][]profile{latin, cyrillic} {
		for _, p := range ps {
			seen := map[string]bool{}
			for _, w := range strings.Fields(p.words) {
				if !seen[w] {
					seen[w] = true
					refWordCodes[w] = append(refWordCodes[w], p.code)
				}
			}
		}
	}
}

func refByWords(s string, profiles []profile) string {
	lower := strings.ToLower(s)
	words := strings.FieldsFunc(lower, func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\'' && r != '’'
	})
	if len(words) == 0 {
		return ""
	}
	hits := map[string]int{}
	for _, w := range words {
		for _, code := range refWordCodes[w] {
			hits[code]++
		}
	}
	var runes map[rune]int
	best, bestScore := "", 0.0
	for _, p := range profiles {
		score := float64(hits[p.code]) / float64(len(words))
		if p.letters != "" {
			if runes == nil {
				runes = map[rune]int{}
				for _, r := range lower {
					if r >= 0x80 {
						runes[r]++
					}
				}
			}
			n := 0
			for _, r := range p.letters {
				n += runes[r]
			}
			score += 0.5 * float64(n) / float64(len(words))
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

// checkReference compares the functions with their reference versions on s.
func checkReference(t *testing.T, s string) {
	t.Helper()
	if got, want := Words(s), refWords(s); !reflect.DeepEqual(got, want) {
		t.Errorf("Words(%q) = %v, reference %v", s, got, want)
	}
	if got, want := Fold(s), refFold(s); got != want {
		t.Errorf("Fold(%q) = %q, reference %q", s, got, want)
	}
	if got, want := ContentKey(s), refContentKey(s); got != want {
		t.Errorf("ContentKey(%q) = %q, reference %q", s, got, want)
	}
	if got, want := ContentHash(s), Hash(refContentKey(s)); got != want {
		t.Errorf("ContentHash(%q) = %q, reference %q", s, got, want)
	}
	if got, want := string(AppendContentKey([]byte("x"), s)), "x"+refContentKey(s); got != want {
		t.Errorf("AppendContentKey(x, %q) = %q, reference %q", s, got, want)
	}
	if got, want := TitledLanguage(s, s), refLanguage(s+"\n"+s); got != want {
		t.Errorf("TitledLanguage(%q, same) = %q, reference %q", s, got, want)
	}
	if got, want := TitledLanguage("", s), refLanguage("\n"+s); got != want {
		t.Errorf("TitledLanguage(\"\", %q) = %q, reference %q", s, got, want)
	}
	if got, want := Language(s), refLanguage(s); got != want {
		t.Errorf("Language(%q) = %q, reference %q", s, got, want)
	}
}

var referenceSeeds = []string{
	"", " ", "Zelenskyy's U.S. trip, 2025: «Київ» — done.", "“Peace”  —\tKEEPING’s", "U.S'. U.S.- a.b.c.d.e.f.g.h. don't- x’’",
	"İSTANBUL Straße ǅemal Ⱥ K ſ", "caf\xe9 \xff\xfe x\xc3", "\u00a0\u2028\u3000 \v\f", "ｆｕｌｌ　ｗｉｄｔｈ ﬁ ½",
	"The harbour bridge reopened to traffic on Tuesday after eleven weeks of repairs to its northern span, the city council said.",
	"Президент України Володимир Зеленський заявив, що переговори тривають і що Київ не піде на поступки.",
	"Prezydent powiedział, że rozmowy są w toku i że nie będzie ustępstw ze strony Polski w tej sprawie.",
	"東京都は新しい計画を発表しました。これは大きな変化です。北京市也发布了新的计划。",
	"Der Präsident sagte, dass die Gespräche andauern und es keine Zugeständnisse geben wird, auch nicht in Zukunft.",
}

func TestMatchesReference(t *testing.T) {
	for _, s := range referenceSeeds {
		checkReference(t, s)
		checkReference(t, strings.ToUpper(s))
	}
}

// and on random texts made of the pieces the fast paths treat apart: ASCII
// of every class, typographic quotes and dashes, letters whose case
// mapping changes their length or leaves ASCII, combining marks, what NFKC
// rewrites, every kind of white space, and broken UTF-8
func TestMatchesReferenceOnRandomText(t *testing.T) {
	parts := []string{"a", "Z", "q", "7", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", ".", "'", "-", ",", "\"", "(",
		"’", "‘", "‚", "“", "”", "«", "»", "–", "—", "−", "‐", "…", "é", "e\u0301", "\u0301", "ß", "İ", "ı", "K", "ſ", "Ⱥ", "ǅ",
		"Київ", "Ї", "東京", "한", "ﬁ", "½", "ｆ", "\u00a0", "\u2003", "\u3000", "\u0085", "\u2028", "\ufeff", "\ufffd",
		"\xff", "\xe2\x80", "\xc3", "U.S.", "don't", "x’s", "a.b.c.d.e.f.g"}
	checkRandomTexts(t, parts, rand.New(rand.NewPCG(1, 2)))
}

// and on random all-ASCII texts (the content key's ASCII path), of every
// ASCII byte and runs of word characters ending in apostrophes, hyphens
// and dots
func TestMatchesReferenceOnRandomASCII(t *testing.T) {
	parts := []string{"U.S.", "don't-", "a.b.c.d.e.f.g", "x--", "'.", "Ab9", "  "}
	for c := range 0x80 {
		parts = append(parts, string(rune(c)))
	}
	checkRandomTexts(t, parts, rand.New(rand.NewPCG(3, 4)))
}

// checkRandomTexts checks 30,000 texts of up to 40 of the parts each,
// drawn with r, against the reference, and stops at the first failure.
func checkRandomTexts(t *testing.T, parts []string, r *rand.Rand) {
	t.Helper()
	for k := 0; k < 30000; k++ {
		var b strings.Builder
		for j := r.IntN(40); j > 0; j-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		checkReference(t, b.String())
		if t.Failed() {
			return
		}
	}
}

// and on the seed scrapes and a part of the BSNLP texts, in many languages
func TestMatchesReferenceOnCorpora(t *testing.T) {
	for _, parts := range [][]string{{"seeds"}, {"data", "bsnlp"}} {
		for _, b := range corpus.Files(t, 400, 1<<20, false, parts...) {
			checkReference(t, string(b))
			if len(b) > 20010 {
				checkReference(t, string(b[:20003])) // the language cut inside a character
			}
		}
	}
}

func FuzzMatchesReference(f *testing.F) {
	for _, s := range referenceSeeds {
		f.Add(s)
	}
	f.Fuzz(checkReference)
}

// byWords counts only letters outside ASCII as distinctive, as the
// reference did, and has room for all of them.
func TestDistinctiveLetters(t *testing.T) {
	if len(distinctive) > 128 || len(latin)+len(cyrillic) > 64 {
		t.Fatalf("%d distinctive letters, %d profiles: byWords's arrays are too small", len(distinctive), len(latin)+len(cyrillic))
	}
	short := 0
	for _, k := range shortWords.keys {
		if k != 0 {
			short++
		}
	}
	if short == 0 || short > len(shortWords.keys)/2 {
		t.Errorf("%d short words in a table of %d", short, len(shortWords.keys))
	}
	for r := range distinctive {
		if r < 0x80 {
			t.Errorf("distinctive letter %q is ASCII", r)
		}
	}
}
