package entity

import (
	"math/rand/v2"
	"testing"
)

func TestSkeletonMeetsAcrossSpellings(t *testing.T) {
	groups := [][]string{
		{"Zelenskyy", "Zelenskiy", "Zelensky", "Zelens'kyi", "Зеленський", "Зеленского", "Зеленського", "Zełenski", "Zelenskij", "Zelenskému"},
		{"Trump", "Трамп", "Тръмп", "Trumpa", "Trumpem", "Trumpovi", "Trumpův", "Trumpowi", "Трампа", "Трампом"},
		{"Putin", "Путин", "Путін", "Putina", "Putinem", "Путина", "Putinu"},
		{"Vladimir", "Владимир", "Володимир", "Władimir", "Vladimira"},
		{"Polyanskiy", "Polyansky", "Полянский", "Polyanskij"},
	}
	for _, g := range groups {
		for _, v := range g[1:] {
			if !SameWord(g[0], v) {
				t.Errorf("SameWord(%q, %q) false: Fold %q/%q, Skeleton %q/%q", g[0], v, Fold(g[0]), Fold(v), Skeleton(g[0]), Skeleton(v))
			}
		}
	}
}

func TestSkeletonKeepsPeopleApart(t *testing.T) {
	pairs := [][2]string{{"Donald", "Melania"}, {"Trump", "Truman"}, {"Johnson", "Jackson"}, {"Biden", "Boden"}, {"Obama", "Osama"}, {"Putin", "Patton"}}
	for _, p := range pairs {
		if SameWord(p[0], p[1]) {
			t.Errorf("SameWord(%q, %q): Fold %q", p[0], p[1], Fold(p[0]))
		}
	}
}

func TestLatin(t *testing.T) {
	for in, want := range map[string]string{"Зеленський": "zelenskiy", "Zełenski": "zelenski", "Emmanuel Macron's": "emmanuel macrons", "Čapek": "capek"} {
		if got := Latin(in); got != want {
			t.Errorf("Latin(%q) = %q, want %q", in, got, want)
		}
	}
}

// twoNameWords counts as nameWordsOf does.
func TestTwoNameWords(t *testing.T) {
	names := randomNames(rand.New(rand.NewPCG(8, 1)), 3000)
	names = append(names, "", "Of The", "Putin's Of", "A B", "Jean-Claude Juncker", "the Bank of England's", "’s 's")
	two := 0
	for _, n := range names {
		want := len(nameWordsOf(n)) >= 2
		if got := twoNameWords(n); got != want {
			t.Errorf("twoNameWords(%q) = %v, nameWordsOf gives %q", n, got, nameWordsOf(n))
		}
		if want {
			two++
		}
	}
	if two == 0 || two == len(names) {
		t.Errorf("%d of %d names of two words: the test tells nothing", two, len(names))
	}
}
