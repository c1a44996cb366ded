package claim

import (
	"math"
	"regexp"
	"strings"
	"unicode"
)

// units are the units a number can be counted in, by their written forms;
// the value is the unit's name in claims.
var units = map[string]string{
	"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
	"year": "year", "years": "year", "hour": "hour", "hours": "hour", "minute": "minute", "minutes": "minute",
	"second": "second", "seconds": "second", "decade": "decade", "decades": "decade", "century": "century",
	"centuries": "century", "ton": "ton", "tons": "ton", "tonne": "ton", "tonnes": "ton",
	"kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km", "km": "km",
	"mile": "mile", "miles": "mile", "metre": "metre", "metres": "metre", "meter": "metre", "meters": "metre",
	"kilogram": "kg", "kilograms": "kg", "kg": "kg", "barrel": "barrel", "barrels": "barrel",
	"litre": "litre", "litres": "litre", "liter": "litre", "liters": "litre", "gallon": "gallon", "gallons": "gallon",
	"hectare": "hectare", "hectares": "hectare", "acre": "acre", "acres": "acre", "degree": "degree",
	"degrees": "degree", "mw": "MW", "megawatt": "MW", "megawatts": "MW", "gw": "GW", "gigawatt": "GW",
	"gigawatts": "GW", "kwh": "kWh", "bcm": "bcm",
	"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
	"hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB",
	"roubles": "RUB", "yuan": "CNY", "yen": "JPY",
}

// currencies are the symbols written before an amount.
var currencies = map[string]string{"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH", "₽": "RUB"}

// timeUnits are the units of durations.
var timeUnits = map[string]bool{"day": true, "week": true, "month": true, "year": true, "hour": true,
	"minute": true, "second": true, "decade": true, "century": true}

// qualifiers are the bounds and hedges written before a number, longest
// first.
var qualifiers = []string{
	"as many as", "in excess of", "upwards of", "more than", "fewer than", "less than", "at least", "at most", "up to", "close to",
	"just over", "just under", "an estimated", "no more than", "no fewer than",
	"nearly", "almost", "about", "around", "some", "roughly", "approximately", "over", "under",
	"estimated", "exactly", "only", "approx", "another",
	"více než", "méně než", "nejméně", "přibližně", "téměř", "asi", "až", "więcej niż", "mniej niż", "co najmniej",
	"około", "prawie", "ponad", "do", "več kot", "manj kot", "vsaj", "približno", "skoraj", "okoli", "do",
	"более", "больше", "менее", "меньше", "около", "почти", "свыше", "не менее", "до", "понад", "більше", "менше",
	"щонайменше", "близько", "майже", "приблизно", "до", "над", "повече от", "по-малко от", "около", "почти", "най-малко",
}

// qualifierClass tells what a qualifier does to a number: "min" (at least),
// "max" (at most), "near" (about), "below" (nearly), "add" (another).
var qualifierClass = map[string]string{
	"at least": "min", "in excess of": "min", "upwards of": "min", "more than": "min", "over": "min", "just over": "min", "no fewer than": "min",
	"up to": "max", "at most": "max", "fewer than": "max", "less than": "max", "under": "max", "just under": "max",
	"no more than": "max", "as many as": "max", "nearly": "below", "almost": "below", "close to": "below",
	"about": "near", "around": "near", "some": "near", "roughly": "near", "approximately": "near", "approx": "near",
	"an estimated": "near", "estimated": "near", "another": "add",
	"více než": "min", "nejméně": "min", "więcej niż": "min", "co najmniej": "min", "ponad": "min", "več kot": "min",
	"vsaj": "min", "более": "min", "больше": "min", "свыше": "min", "не менее": "min", "понад": "min", "більше": "min",
	"щонайменше": "min", "над": "min", "повече от": "min", "най-малко": "min",
	"méně než": "max", "až": "max", "mniej niż": "max", "do": "max", "manj kot": "max", "менее": "max", "меньше": "max",
	"до": "max", "менше": "max", "по-малко от": "max",
	"přibližně": "near", "asi": "near", "około": "near", "približno": "near", "okoli": "near", "около": "near",
	"близько": "near", "приблизно": "near",
	"téměř": "below", "prawie": "below", "skoraj": "below", "почти": "below", "майже": "below",
}

// stops end the noun phrase after a number.
var stops = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the this that these those their its his her our my your them they
	he she it we i you who whom whose which what when where why how and or but nor so yet
	is are was were be been being am will would shall should can could may might must do does did
	has have had not no than then there here also too very just only even still already
	in on at by for from with without since of to into onto over under after before during within
	across against among between through per about around toward towards upon via as if while until
	says said say told according each every both either neither along beside near behind below above beyond
	inside outside throughout amid despite including except like unlike off out up down away back ago
	earlier later before`) {
		stops[w] = true
	}
}

// thousandsDotRE is a number with dots between groups of three digits:
// "1.237" is 1,237 outside English.
var thousandsDotRE = regexp.MustCompile(`^\d{1,3}(?:\.\d{3})+$`)

// byRE finds an attribution after a number: "… suggested by".
var byRE = regexp.MustCompile(`\b(?:proposed|suggested|offered|put forward|floated|demanded|announced|claimed|estimated|cited|given|reported|set|backed|sought|requested|called for) by\s*(?:the\s+)?(?:\S+\s+){0,4}$`)

// cueRE finds an attribution before a number: "X has suggested …".
var cueRE = regexp.MustCompile(`\b(?:said|says|say|told|tells|suggested|suggests|proposed|proposes|claimed|claims|estimated|estimates|announced|announces|stated|states|wrote|writes|insisted|insists|warned|warns|argued|argues|noted|notes|called for|calls for|demanded|demands|offered|offers|pledged|pledges|promised|promises|vowed|vows|reported|reports|put|puts|predicted|predicts|believes|believed|thinks|added|adds|urged|urges)\b`)

// hasCue tells whether the words between a name and a number attribute the
// number to the name.
func hasCue(between string) bool {
	return len(between) < 200 && cueRE.MatchString(between)
}

// trailingCue reads "…, X said" after a number: only a comma and the name.
func trailingCue(between string) bool {
	b := strings.TrimSpace(between)
	return len(b) < 80 && strings.HasSuffix(b, ",") && !strings.Contains(strings.TrimSuffix(b, ","), ",")
}

// sentenceNumbers finds the claims of one sentence, with offsets relative
// to it. The claimant is left to the caller.
func sentenceNumbers(s string, dotThousands bool) []Number {
	toks := tokenize(s)
	words := 0
	for _, t := range toks {
		if isWord(t.text) {
			words++
		}
	}
	if words < 4 {
		return nil // a heading, a caption, a counter: no sentence
	}
	var out []Number
	for i := 0; i < len(toks); i++ {
		n, ok := readNumber(toks, i)
		if !ok {
			continue
		}
		if dotThousands && !n.words && thousandsDotRE.MatchString(toks[i].text) {
			n.value *= math.Pow(1000, float64(strings.Count(toks[i].text, ".")))
			n.decimals = false
		}
		c, ok := claimAt(s, toks, n, words)
		if ok {
			out = append(out, c)
		}
		if n.to > i+1 {
			i = n.to - 1
		}
	}
	return out
}

// claimAt makes the claim of a number read at toks[n.from:n.to], or tells
// that it is no claim (a year, a date, a time, an identifier, furniture).
func claimAt(s string, toks []token, n number, words int) (Number, bool) {
	first, last := toks[n.from], toks[n.to-1]
	prev := func(k int) token { // the k-th token before the number
		if n.from-k >= 0 {
			return toks[n.from-k]
		}
		return token{start: -1, end: -1}
	}
	next := func(k int) token { // the k-th token after the number
		if n.to+k-1 < len(toks) {
			return toks[n.to+k-1]
		}
		return token{start: -1, end: -1}
	}
	p1, n1 := prev(1), next(1)
	if !n.words {
		switch {
		case n1.start == last.end && isWord(n1.text) && n.to == n.from+1:
			return Number{}, false // "47th", "1990s", "3D"
		case p1.end == first.start && (p1.text == "/" || p1.text == "+" || p1.text == "#" || p1.text == ":" || p1.text == "-" || isWord(p1.text)):
			return Number{}, false // "1/5", "+44", "#3", "12:37"
		case n1.start == last.end && (n1.text == "/" || n1.text == ":"):
			return Number{}, false
		case p1.text == "(" && n1.text == ")":
			return Number{}, false // "(12)": a counter
		case (n1.text == "," || n1.text == ".") && n1.start == last.end && isDigitTok(next(2)) && next(2).start == n1.end:
			return Number{}, false // "2,5" or "16.5" split: a decimal comma, read as neither
		case (p1.text == "," || p1.text == ".") && p1.end == first.start && isDigitTok(prev(2)) && prev(2).end == p1.start:
			return Number{}, false
		case n1.text == "." && isDigitTok(next(2)) || p1.text == "." && isDigitTok(prev(2)):
			return Number{}, false // "6 . 0", a decimal tokenised apart
		case n.value == 0:
			return Number{}, false // "0", "000" cut from a number
		}
		if identifiers[p1.lower] || p1.text == "." && identifiers[prev(2).lower] {
			return Number{}, false // "Article 5", "No. 3"
		}
		if clockWords[strings.TrimSuffix(n1.lower, ".")] {
			return Number{}, false // "9 a.m."
		}
		if n.hyphen == "" && !n.decimals && n.to == n.from+1 && !strings.Contains(first.text, ",") &&
			n.value >= 1800 && n.value <= 2100 && n1.text != "%" && units[n1.lower] == "" && n1.lower != "percent" {
			return Number{}, false // a year
		}
	}
	// a date: "Jan. 22", "22 January", "March 15, 2025"
	if isMonth(p1.lower) || p1.text == "." && isMonth(prev(2).lower) || isMonth(n1.lower) ||
		n1.text == "." && n1.start == last.end && isMonth(next(2).lower) {
		if !(n.words && n1.lower == "may") {
			return Number{}, false
		}
	}
	if n.words && n.value == 1 && n.to == n.from+1 && units[n1.lower] == "" && n1.lower != "percent" && n1.text != "%" {
		return Number{}, false // "one of the", "no one"
	}
	if n.words && n.value == 0 {
		return Number{}, false
	}
	c := Number{Value: n.value, Start: first.start, End: last.end}
	// qualifier before the number
	from := n.from
	if cur, ok := currencies[p1.text]; ok && p1.end == first.start {
		c.Unit = cur
		c.Start = p1.start
		from--
	} else if p1.text == "$" && from >= 2 && toks[from-2].lower == "us" {
		c.Unit = "USD"
	}
	if q := qualifierBefore(toks, from); q != "" {
		c.Qualifier = q
	}
	j := n.to
	if n.hyphen != "" {
		h := n.hyphen
		switch {
		case h == "year-old" || h == "years-old":
			c.Unit = "years old"
		case units[h] != "":
			c.Unit = units[h]
		case h == "percent":
			c.Unit = "percent"
		default:
			c.Unit = h
		}
	}
	if c.Unit == "" || c.Unit == "USD" || c.Unit == "EUR" || c.Unit == "GBP" {
		// a scale after a currency symbol is read by readNumber; now the unit
		switch t := tokAt(toks, j); {
		case t.text == "%":
			c.Unit, c.End = "percent", t.end
			j++
		case t.lower == "percent" || t.lower == "pct":
			c.Unit, c.End = "percent", t.end
			j++
		case t.lower == "per" && tokAt(toks, j+1).lower == "cent":
			c.Unit, c.End = "percent", tokAt(toks, j+1).end
			j += 2
		case t.lower == "percentage" && strings.HasPrefix(tokAt(toks, j+1).lower, "point"):
			c.Unit, c.End = "percentage point", tokAt(toks, j+1).end
			j += 2
		case c.Unit == "" && units[t.lower] != "":
			c.Unit, c.End = units[t.lower], t.end
			j++
			if t.lower == "pounds" || t.lower == "pound" {
				c.Unit = "GBP"
			}
		case c.Unit == "" && (t.lower == "square" || t.lower == "sq") && units[tokAt(toks, j+1).lower] != "":
			c.Unit, c.End = "square "+units[tokAt(toks, j+1).lower], tokAt(toks, j+1).end
			j += 2
		}
	}
	if c.Unit != "" && n.from >= 2 && compoundJoin[p1.lower] && units[prev(2).lower] != "" {
		return Number{}, false // "four hours and 40 minutes": a part of one length
	}
	if timeUnits[c.Unit] && n.hyphen == "" && tokAt(toks, j).lower == "ago" {
		return Number{}, false // "3 hours ago": the age of the article or a date
	}
	// what is counted: the noun phrase after the number (after "of" when
	// a unit or share comes first: "130,000 tons of fuel oil", "5% of GDP")
	k := j
	if tokAt(toks, k).lower == "of" && (c.Unit != "" || n.words) {
		k++
		for tokAt(toks, k).lower != "" && determiners[tokAt(toks, k).lower] {
			k++
		}
	}
	c.Subject = nounPhrase(toks, k)
	if c.Subject != "" && furnitureNouns[strings.Fields(strings.ToLower(c.Subject))[0]] && words < 8 {
		return Number{}, false // "12 comments", "5 min read"
	}
	if c.Unit == "" && c.Subject == "" && n.words && n.value < 10 {
		return Number{}, false // "the two", "three of them": no quantity named
	}
	c.Written = strings.TrimSpace(s[c.Start:c.End])
	return c, true
}

// verbs are common verbs that end the noun phrase after a number when
// they follow its first word ("130,000 tons of fuel oil sank").
var verbs = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`sank sink sinks fled flee flees died die dies fell fall falls rose rise rises left leave
	leaves went go goes came come comes made make makes took take takes gave give gives got get gets ran run runs
	won win wins lost lose loses began begin begins hit hits fought fight fights saw see sees met meet meets held hold
	holds kept keep keeps sent send sends spent spend spends stood stand stands paid pay pays built build builds
	brought bring brings became become becomes remain remains need needs face faces live lives work works want wants
	mean means show shows seem seems stay stays were was are`) {
		verbs[w] = true
	}
}

func isDigitTok(t token) bool {
	return t.text != "" && t.text[0] >= '0' && t.text[0] <= '9'
}

// compoundJoin are the words that join the parts of one length ("four
// hours and 40 minutes", "štiri ure in 40 minut").
var compoundJoin = map[string]bool{"and": true, "in": true, "a": true, "i": true, "и": true, "і": true, "й": true}

// determiners are skipped after "of" before the thing counted.
var determiners = map[string]bool{"the": true, "a": true, "an": true, "their": true, "its": true, "his": true,
	"her": true, "our": true, "my": true, "your": true, "this": true, "that": true, "these": true, "those": true}

func tokAt(toks []token, i int) token {
	if i >= 0 && i < len(toks) {
		return toks[i]
	}
	return token{start: -1, end: -1}
}

// qualifierBefore returns the qualifier written right before token i.
func qualifierBefore(toks []token, i int) string {
	var ws []string
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		ws = append([]string{toks[k].lower}, ws...)
	}
	joined := " " + strings.Join(ws, " ")
	for _, q := range qualifiers {
		if strings.HasSuffix(joined, " "+q) {
			return q
		}
	}
	return ""
}

// nounPhrase reads the noun phrase starting at token k: up to four words,
// ending at punctuation, a function word, a number, or a participle after
// the first word ("ceasefire suggested by").
func nounPhrase(toks []token, k int) string {
	var ws []string
	for ; k < len(toks) && len(ws) < 4; k++ {
		t := toks[k]
		if !isWord(t.text) || stops[t.lower] || t.text[0] >= '0' && t.text[0] <= '9' {
			break
		}
		if _, num := wordValue(t.lower); num {
			break
		}
		if verbs[t.lower] || len(ws) == 0 && strings.HasSuffix(t.lower, "ed") && len(t.lower) > 4 && !cumulative[t.lower] {
			break // "$184 million reported by": no noun after the number
		}
		if len(ws) > 0 && (strings.HasSuffix(t.lower, "ed") || strings.HasSuffix(t.lower, "ing")) && len(t.lower) >= 4 {
			// a participle ends the phrase ("ceasefire suggested by"),
			// an adjective goes on ("fishing boats")
			if nt := tokAt(toks, k+1); !isWord(nt.text) || stops[nt.lower] {
				break
			}
		}
		if len(ws) > 0 && k > 0 && toks[k-1].end != t.start-1 {
			break // words apart by more than one space: another line
		}
		ws = append(ws, t.text)
	}
	if len(ws) == 0 || len([]rune(ws[0])) < 3 {
		return "" // "co - workers" tokenised apart: no phrase
	}
	return strings.Join(ws, " ")
}

func isWord(s string) bool {
	for _, r := range s {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return false
}
