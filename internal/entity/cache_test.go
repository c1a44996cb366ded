package entity

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// randomNames makes n names of one to four words from awkward pieces:
// Latin, accented and Cyrillic words, initials, possessives, acronyms,
// connectors, invalid UTF-8, known places and first names, and the empty
// string, many of them repeated.
func randomNames(rng *rand.Rand, n int) []string {
	pieces := []string{"", "Trump", "Трамп", "Тръмп", "Zelenskyy", "Зеленський", "Łukasz", "J.", "J", "D.", "Mr.", "U.S.", "US",
		"UKIP", "of", "the", "The", "de", "van", "Ukraine", "Украины", "Kyiv", "Labour", "Party", "David", "Дэвид", "Theresa",
		"May", "O'Brien", "Blair's", "Putin’s", "Putina", "Gazprom", "Gazpromem", "\xff", "ǅemal", "İstanbul", "ß", "G7",
		"x", "X", "Ab", "Schröder", "Bank", "England", "@Zelenskyy", "Müller-Lüdenscheidt", "Ko", "Xi", "Şahin", "straße"}
	out := make([]string, n)
	for i := range out {
		words := make([]string, 1+rng.IntN(4))
		for k := range words {
			words[k] = pieces[rng.IntN(len(pieces))]
		}
		out[i] = strings.Join(words, " ")
		if rng.IntN(8) == 0 {
			out[i] = words[0]
		}
	}
	return out
}

// The per-article and per-batch caches of detection, local entities and
// the merger give what the functions they stand for give, article after
// article (the caches cleared between), on random names.
func TestCachesAreTheFunctions(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	g := Default()
	det := newDetector()
	sc := newLocalScratch()
	m := newMerger(nil, g)
	for article := range 50 {
		det.g = g
		names := randomNames(rng, 200)
		for _, name := range names {
			e, ok := det.lookup(name)
			we, wok := g.Lookup(name)
			if e != we || ok != wok {
				t.Fatalf("article %d: lookup(%q) = %v %v, Lookup %v %v", article, name, e, ok, we, wok)
			}
			if got, want := roleCountryWith(name, g, det.lookup), roleCountry(name, g); got != want {
				t.Fatalf("roleCountryWith(%q) = %q, roleCountry %q", name, got, want)
			}
			if got, want := sc.nameWords(name), nameWords(name); !slices.Equal(got, want) {
				t.Fatalf("article %d: nameWords(%q) = %q, want %q", article, name, got, want)
			}
			if got, want := sc.nameKeys(name), nameKeys(name); !slices.Equal(got, want) {
				t.Fatalf("article %d: nameKeys(%q) = %q, want %q", article, name, got, want)
			}
			var first []string
			last := ""
			if words := strings.Fields(name); len(words) > 0 {
				first, last = words[:1], words[len(words)-1]
			}
			for _, f := range append(first, "") {
				ff := m.firstForms(f)
				if f == "" {
					ff = nil
				}
				if got, want := initialsOf(ff, m.forms.get(last)), initials(f, last); got != want {
					t.Fatalf("initialsOf(%q, %q) = %q, initials %q", f, last, got, want)
				}
			}
			if got, want := m.forms.get(last).skeletons(), skeletons(last); !slices.Equal(got, want) {
				t.Fatalf("forms(%q).skeletons() = %q, want %q", last, got, want)
			}
		}
		det.reset()
		det.names.reset()
		sc.reset()
	}
}

// The facts remembered per name (facts.go) and the built-in gazetteer's
// answers remembered with them are the functions they stand for, asked in any order, from several goroutines at once, for names
// and words that are also each other's words.
func TestFactsAreTheFunctions(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	names := randomNames(rng, 3000)
	for _, n := range names[:1000] {
		names = append(names, strings.Fields(n)...)
	}
	g := Default()
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := range 4 {
		wg.Go(func() {
			for i := range names {
				name := names[(i*(w+1))%len(names)]
				for _, c := range []struct {
					what      string
					got, want []string
				}{
					{"nameWords", nameWords(name), nameWordsOf(name)},
					{"skeletons", skeletons(name), skeletonsOf(name)},
					{"nameKeys", nameKeys(name), nameKeysOf(name)},
					{"folds", folds(name), foldsOf(name)},
					{"skeletonKeys", skeletonKeys(name), skeletonKeysOf(name)},
				} {
					if !slices.Equal(c.got, c.want) {
						select {
						case errs <- fmt.Sprintf("%s(%q) = %q, want %q", c.what, name, c.got, c.want):
						default:
						}
						return
					}
				}
				f := factsOf(name)
				r, _ := utf8.DecodeRuneInString(Latin(strings.TrimSuffix(name, ".")))
				fk, wk := f.firstKeys(), firstKeysOfName(name)
				if f.isGivenName() != givenName(name) || f.cyr() != IsCyrillic(name) ||
					f.initial() != (utf8.RuneCountInString(strings.TrimSuffix(name, ".")) == 1) || f.initRune() != r ||
					!slices.Equal(fk.index, wk.index) || !slices.Equal(fk.lookup, wk.lookup) || f.name != name {
					select {
					case errs <- fmt.Sprintf("facts of %q: given %v, cyrillic %v, initial %v %q, first-name keys %q", name,
						f.isGivenName(), f.cyr(), f.initial(), f.initRune(), *fk):
					default:
					}
					return
				}
				if f.foldBits() != foldBitsOf(foldsOf(name)) || f.gazWords(g) != g.mayHaveEntry(name) {
					select {
					case errs <- fmt.Sprintf("facts of %q: fold bits %x, gazetteer words %v", name, f.foldBits(), f.gazWords(g)):
					default:
					}
					return
				}
				if e, ok := g.Lookup(name); e != g.lookup(name) || ok != (e != nil) {
					select {
					case errs <- fmt.Sprintf("Lookup(%q) = %v %v, want %v", name, e, ok, g.lookup(name)):
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
