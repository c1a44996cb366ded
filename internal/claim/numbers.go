package claim

import (
	"regexp"
	"strconv"
	"strings"
)

// token is a word, a number or a punctuation mark of a sentence, with its
// byte offsets in the sentence.
type token struct {
	start, end int
	text       string
	lower      string
}

// tokenRE splits a sentence: numbers with thousands separators and
// decimals (with a hyphenated unit: "30-day"), words with inner
// apostrophes, hyphens and dots ("cease-fire", "F-16", "U.S"), and single
// marks. A number tokenised apart ("20 , 000", as in ECB+) or grouped by
// spaces ("50 000") is one token.
var tokenRE = regexp.MustCompile(`\b\d{1,3}(?: , \d{3}\b)+|\b\d{1,3}(?:[ \x{00A0}\x{202F}]\d{3}\b)+|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:[-–][\p{L}\p{N}]+)*|\d+(?:\.\d+)?(?:[-–][\p{L}\p{N}]+)*|\p{L}[\p{L}\p{M}\p{N}]*(?:['’.\-][\p{L}\p{M}\p{N}]+)*|\S`)

func tokenize(s string) []token {
	locs := tokenRE.FindAllStringIndex(s, maxTokens)
	out := make([]token, len(locs))
	for i, l := range locs {
		out[i] = token{start: l[0], end: l[1], text: s[l[0]:l[1]], lower: strings.ToLower(s[l[0]:l[1]])}
	}
	return out
}

// maxTokens bounds the tokens read from one sentence.
const maxTokens = 400

var smallNumbers = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var scales = map[string]float64{
	"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
	"mln": 1e6, "bn": 1e9, "tn": 1e12,
}

// scalePrefixes are the beginnings of scale words in the languages of
// the corpora ("milionů", "тисяч", "млрд").
var scalePrefixes = []struct {
	prefix string
	scale  float64
}{
	{"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9}, {"trillion", 1e12},
	{"tisíc", 1e3}, {"tysi", 1e3}, {"tysią", 1e3}, {"tisoč", 1e3}, {"тысяч", 1e3}, {"тисяч", 1e3}, {"хиляд", 1e3},
	{"milion", 1e6}, {"milión", 1e6}, {"miljon", 1e6}, {"миллион", 1e6}, {"мільйон", 1e6}, {"милион", 1e6},
	{"miliard", 1e9}, {"milijard", 1e9}, {"миллиард", 1e9}, {"мільярд", 1e9}, {"милиард", 1e9},
}

// scaleOf returns the scale a word names (1e6 for "million", "mln",
// "млн"), or 0.
func scaleOf(w string) float64 {
	w = strings.TrimSuffix(w, ".")
	switch w {
	case "thousand", "тис", "тыс", "tys", "tis", "хил":
		return 1e3
	case "million", "mln", "млн", "mil", "mio":
		return 1e6
	case "billion", "bn", "mld", "mlrd", "млрд":
		return 1e9
	case "trillion", "tn", "трлн", "bln":
		return 1e12
	}
	for _, p := range scalePrefixes {
		if strings.HasPrefix(w, p.prefix) {
			return p.scale
		}
	}
	return 0
}

// wordScales are the scales written as words.
var wordScales = map[string]bool{"hundred": true, "thousand": true, "million": true, "billion": true, "trillion": true}

// ordinals are the ordinal words durations are counted in ("its third
// year").
var ordinals = map[string]float64{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
	"twentieth": 20,
}

// wordValue reads a number word, hyphenated tens included ("twenty-five").
func wordValue(w string) (float64, bool) {
	if v, ok := smallNumbers[w]; ok {
		return v, true
	}
	if i := strings.IndexAny(w, "-–"); i > 0 {
		a, okA := smallNumbers[w[:i]]
		b, okB := smallNumbers[strings.TrimLeft(w[i:], "-–")]
		if okA && okB && a >= 20 && a <= 90 && b > 0 && b < 10 {
			return a + b, true
		}
	}
	return 0, false
}

// number is a number read from tokens: its value and the tokens it spans
// (from, to exclusive).
type number struct {
	value    float64
	from, to int
	words    bool   // written in words
	hyphen   string // the unit joined by a hyphen ("30-day" → "day")
	decimals bool
}

// readNumber reads the number starting at token i, in digits ("200,000",
// "1.5 million", "5bn") or in words ("Two hundred thousand", "twenty-five").
func readNumber(toks []token, i int) (number, bool) {
	t := toks[i]
	if t.text[0] >= '0' && t.text[0] <= '9' {
		digits := t.text
		n := number{from: i, to: i + 1}
		if j := strings.IndexAny(digits, "-–"); j > 0 {
			rest := strings.TrimLeft(digits[j:], "-–")
			digits = digits[:j]
			// a range or score ("10-15", "3-1") or a code is no claim
			if rest == "" || rest[0] >= '0' && rest[0] <= '9' || strings.ContainsAny(rest, "-–") {
				return number{}, false
			}
			n.hyphen = strings.ToLower(rest)
		}
		v, err := strconv.ParseFloat(strings.NewReplacer(",", "", " ", "", "\u00a0", "", "\u202f", "").Replace(digits), 64)
		if err != nil {
			return number{}, false
		}
		n.decimals = strings.Contains(digits, ".")
		n.value = v
		// a scale after it: "1.5 million", "5bn" (written apart or joined)
		if n.hyphen == "" && i+1 < len(toks) {
			if s := scaleOf(toks[i+1].lower); s >= 1e3 {
				n.value *= s
				n.to = i + 2
			} else if (toks[i+1].lower == "m" || toks[i+1].lower == "k") && toks[i+1].start == t.end {
				if toks[i+1].lower == "m" {
					n.value *= 1e6
				} else {
					n.value *= 1e3
				}
				n.to = i + 2
			}
		}
		return n, true
	}
	// words: "two hundred thousand", "twenty-five", "a million"
	var total, current float64
	j := i
	seen := false
	for j < len(toks) {
		w := toks[j].lower
		if v, ok := wordValue(w); ok {
			if seen && current != 0 && (current < 100 && int(current)%10 != 0 || v >= 10 && current < 100) {
				break // "two three": two numbers, not one
			}
			current += v
			seen = true
			j++
			continue
		}
		if j == i && w == "a" && j+1 < len(toks) && wordScales[toks[j+1].lower] {
			current, seen = 1, true // "a million"
			j++
			continue
		}
		if s, ok := scales[w]; ok && seen && wordScales[w] {
			if current == 0 {
				current = 1
			}
			if s == 100 {
				current *= s
			} else {
				total += current * s
				current = 0
			}
			j++
			continue
		}
		if w == "and" && seen && j+1 < len(toks) {
			if _, ok := wordValue(toks[j+1].lower); ok {
				j++
				continue
			}
		}
		break
	}
	if !seen {
		return number{}, false
	}
	for j > i && toks[j-1].lower == "and" {
		j--
	}
	return number{value: total + current, from: i, to: j, words: true}, true
}

// months are the month names and abbreviations that make a number next to
// them a date.
var months = map[string]bool{
	"jan": true, "january": true, "feb": true, "february": true, "mar": true, "march": true, "apr": true,
	"april": true, "may": true, "jun": true, "june": true, "jul": true, "july": true, "aug": true,
	"august": true, "sep": true, "sept": true, "september": true, "oct": true, "october": true,
	"nov": true, "november": true, "dec": true, "december": true,
}

// monthWords are the month names of the corpora's other languages, in the
// forms written after a day ("17 грудня", "5. května", "3 marca").
var monthWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
	januar januarja februar februarja marec marca april aprila maj maja junij junija julij julija avgust avgusta
	september septembra oktober oktobra november novembra december decembra
	leden ledna únor února březen března duben dubna květen května červen června červenec července srpen srpna
	září říjen října listopad listopadu prosinec prosince
	styczeń stycznia luty lutego marzec kwiecień kwietnia czerwiec czerwca lipiec lipca sierpień sierpnia
	wrzesień września październik października listopada grudzień grudnia
	январь января февраль февраля март марта апрель апреля май мая июнь июня июль июля август августа
	сентябрь сентября октябрь октября ноябрь ноября декабрь декабря
	січень січня лютий лютого березень березня квітень квітня травень травня червень червня липень липня
	серпень серпня вересень вересня жовтень жовтня листопад листопада грудень грудня
	януари февруари април юни юли септември октомври ноември декември`) {
		monthWords[w] = true
	}
}

// isMonth tells whether a word names a month, in English (also
// abbreviated) or in the corpora's other languages.
func isMonth(w string) bool {
	w = strings.TrimSuffix(w, ".")
	return months[w] || monthWords[w]
}

// identifiers are words after which a number names something rather than
// counting it ("Article 5", "page 2", "Flight 17").
var identifiers = map[string]bool{
	"no": true, "page": true, "pages": true, "vol": true, "volume": true, "chapter": true, "section": true,
	"article": true, "resolution": true, "flight": true, "route": true, "room": true, "number": true,
	"episode": true, "season": true, "part": true, "photo": true, "image": true, "figure": true, "fig": true,
	"step": true, "tier": true, "level": true, "category": true, "grade": true, "act": true, "paragraph": true,
	"item": true, "version": true, "channel": true, "gate": true, "platform": true, "line": true, "highway": true,
	"#": true, "top": true, "windows": true, "apollo": true, "games": true, "cup": true, "phase": true,
	"unit": true, "block": true, "building": true, "bus": true, "district": true, "ward": true, "zone": true,
}

// clockWords after a number make it a time of day.
var clockWords = map[string]bool{
	"a.m": true, "p.m": true, "am": true, "pm": true, "gmt": true, "utc": true, "cet": true, "est": true,
	"edt": true, "pst": true, "bst": true, "o'clock": true, "hrs": true, "h": true, "kyiv": false,
}

// furnitureNouns counted in a short line are page furniture ("12
// comments", "5 min read").
var furnitureNouns = map[string]bool{
	"comment": true, "comments": true, "views": true, "view": true, "likes": true, "like": true, "shares": true,
	"share": true, "followers": true, "retweets": true, "replies": true, "reply": true, "read": true,
	"min": true, "mins": true, "photos": true, "slides": true, "votes": true, "reactions": true,
}
