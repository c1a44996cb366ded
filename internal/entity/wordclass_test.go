package entity

import (
	"strings"
	"testing"
)

// TestWordClassesAgreeWithLists checks the one-lookup word classes
// detection uses against the lists they stand for, and the fast
// phrase and upper-case tests against the slow ones they replace, on
// every word of the lists in several spellings and on awkward words.
func TestWordClassesAgreeWithLists(t *testing.T) {
	lists := map[wordClass]map[string]bool{
		clsNotName: notNames, clsCalendar: calendarWords, clsWeekday: weekdays, clsConnector: connectors,
		clsStarter: sentenceStarters, clsAnd: andWords, clsOrg: orgWords, clsPlace: placeWords,
		clsPlaceHead: placeHeads, clsLocationCue: locationCues, clsPersonCue: personCues,
		clsRoleModifier: roleModifiers, clsGroup: groupNouns, clsParty: partyLabels,
		clsPartyThing: partyThings, clsTitleAbbrev: titleAbbrevs, clsFamily: familyWords,
		clsNationality: nationalities, clsGiven: givenNames,
	}
	words := []string{"", ".", "..", "Mr.", "MR.", "Lt.", "U.S.", "St.", "a b", "İstanbul", "ǅemal", "\xd0.\x90",
		"\xffabc", "Ab\xff", "ΣΑΣ", "straße", "STRASSE", "G7", "x", "X"}
	for _, set := range lists {
		for w := range set {
			words = append(words, w, strings.ToUpper(w[:1])+w[1:], strings.ToUpper(w), w+".")
		}
	}
	for w := range titles.firsts {
		words = append(words, w, strings.ToUpper(w), w+".")
	}
	for _, w := range words {
		lower := strings.ToLower(w)
		c := classOf(w, lower)
		for bit, set := range lists {
			if got, want := c&bit != 0, set[lower]; got != want {
				t.Errorf("%q: class %b is %v, list says %v", w, bit, got, want)
			}
		}
		tok := token{s: w, cls: c}
		for _, ws := range [][]string{{w}, {w, "Minister"}, {w, "of", "State"}} {
			if got, want := titlePrefix(&tok, ws), titles.prefix(ws); got != want {
				t.Errorf("titlePrefix(%q) = %d, titles.prefix %d", ws, got, want)
			}
			if c&clsOfficeFirst == 0 && offices.prefix(ws) != 0 {
				t.Errorf("%q starts an office but is not marked so", ws)
			}
		}
		if got, want := upperInvariant(w), strings.ToUpper(w) == w; got != want {
			t.Errorf("upperInvariant(%q) = %v, ToUpper says %v", w, got, want)
		}
	}
}

// classesOf, with its shape filter, finds every listed word and gives
// what the map gives for any other.
func TestClassesOfIsTheMap(t *testing.T) {
	n := 0
	for w, c := range wordClasses {
		if got := classesOf(w); got != c {
			t.Fatalf("classesOf(%q) = %b, want %b", w, got, c)
		}
		n++
	}
	for _, w := range []string{"", "x", "putin", "theresa", "minister.", "ministerial", "said", "ß", "президент", strings.Repeat("a", 40)} {
		if got, want := classesOf(w), wordClasses[w]; got != want {
			t.Errorf("classesOf(%q) = %b, want %b", w, got, want)
		}
	}
	if n < 100 || classesOf("said")&clsPersonCue == 0 || classesOf("putin") != 0 {
		t.Errorf("word lists not as expected: %d words, said %b", n, classesOf("said"))
	}
}
