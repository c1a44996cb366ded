package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordClass is the set of word lists a lower-cased word is in, as bits, so
// that detection looks a token up once (classOf) instead of once per list.
type wordClass uint32

const (
	clsNotName wordClass = 1 << iota
	clsCalendar
	clsWeekday
	clsConnector
	clsStarter
	clsAnd
	clsOrg
	clsPlace
	clsPlaceHead
	clsLocationCue
	clsPersonCue
	clsRoleModifier
	clsGroup
	clsParty
	clsPartyThing
	clsTitleAbbrev
	clsFamily
	clsNationality
	clsGiven
	// clsTitleFirst and clsOfficeFirst mark words that may start a phrase
	// of titles or offices (phrases.prefix's first test); they are looked
	// up by the word without full stops.
	clsTitleFirst
	clsOfficeFirst
)

// wordClasses maps each word of the lists to its classes.
var wordClasses = func() map[string]wordClass {
	m := map[string]wordClass{}
	for _, s := range []struct {
		set map[string]bool
		cls wordClass
	}{
		{notNames, clsNotName}, {calendarWords, clsCalendar}, {weekdays, clsWeekday}, {connectors, clsConnector},
		{sentenceStarters, clsStarter}, {andWords, clsAnd}, {orgWords, clsOrg}, {placeWords, clsPlace},
		{placeHeads, clsPlaceHead}, {locationCues, clsLocationCue}, {personCues, clsPersonCue},
		{roleModifiers, clsRoleModifier}, {groupNouns, clsGroup}, {partyLabels, clsParty},
		{partyThings, clsPartyThing}, {titleAbbrevs, clsTitleAbbrev}, {familyWords, clsFamily},
		{nationalities, clsNationality}, {givenNames, clsGiven}, {titles.firsts, clsTitleFirst},
		{offices.firsts, clsOfficeFirst},
	} {
		for w := range s.set {
			m[w] |= s.cls
		}
	}
	return m
}()

const clsPhraseFirst = clsTitleFirst | clsOfficeFirst

// listedShapes has, for each first and last byte of a word of
// wordClasses (five bits of each), a bit per length (31 for 31 bytes or
// more): a word of a shape no listed word has is in no list, which
// spares most words of an article the map lookup.
var listedShapes = func() (s [1 << 10]uint32) {
	for w := range wordClasses {
		if w != "" {
			s[shapeOf(w)] |= 1 << min(len(w), 31)
		}
	}
	return s
}()

func shapeOf(w string) int { return int(w[0]&31)<<5 | int(w[len(w)-1]&31) }

// classesOf is wordClasses[w].
func classesOf(w string) wordClass {
	if w != "" && listedShapes[shapeOf(w)]&(1<<min(len(w), 31)) == 0 {
		return 0
	}
	return wordClasses[w]
}

// classOf returns the classes of a word given in lower case (lower) and as
// written (s): the lists lower is in, and whether s may start a title or
// office phrase by phrases.prefix's first test.
func classOf(s, lower string) wordClass {
	c := classesOf(lower)
	if strings.ContainsRune(s, ' ') {
		return c | clsPhraseFirst // prefix does not test such words
	}
	f := lower
	if strings.IndexByte(s, '.') >= 0 {
		f = strings.ToLower(strings.ReplaceAll(s, ".", ""))
	}
	if f == "" {
		return c | clsPhraseFirst
	}
	if f == lower {
		return c
	}
	return c&^clsPhraseFirst | classesOf(f)&clsPhraseFirst
}

// titlePrefix is titles.prefix(words) for words starting with the token t:
// 0 at once when no title starts with t.
func titlePrefix(t *token, words []string) int {
	if t.cls&clsTitleFirst == 0 {
		return 0
	}
	return titles.prefix(words)
}

// upperInvariant tells whether strings.ToUpper(s) == s, without building
// the upper-case string: every rune is its own upper case and s is valid
// UTF-8 (ToUpper writes U+FFFD for an invalid byte).
func upperInvariant(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			if 'a' <= c && c <= 'z' {
				return false
			}
			continue
		}
		return upperInvariantSlow(s[i:])
	}
	return true
}

func upperInvariantSlow(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, w := utf8.DecodeRuneInString(s[i:]); w == 1 {
				return false
			}
		}
		if unicode.ToUpper(r) != r {
			return false
		}
	}
	return true
}
