package plaintext

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// checkHelpers compares the allocation-free helpers with what they stand for.
func checkHelpers(t *testing.T, s string) {
	t.Helper()
	if got, want := singleSpaced(s), strings.Join(strings.Fields(s), " "); got != want {
		t.Errorf("singleSpaced(%q) = %q, want %q", s, got, want)
	}
	for _, limit := range []int{1, 2, 3, 4, 8, 1 << 30} {
		if got, want := countFields(s, limit), min(limit, len(strings.Fields(s))); got != want {
			t.Errorf("countFields(%q, %d) = %d, want %d", s, limit, got, want)
		}
	}
	if got, want := normKey(s), plainNormKey(s); got != want {
		t.Errorf("normKey(%q) = %q, want %q", s, got, want)
	}
	for _, key := range []string{normKey(s), normKey(s + "x"), normKey(strings.ToUpper(s)), "", "a"} {
		if got, want := sameKey(s, key), normKey(s) == key; got != want {
			t.Errorf("sameKey(%q, %q) = %v, want %v", s, key, got, want)
		}
	}
	if key := normKey(s); len(key) > 1 {
		if sameKey(s, key[:len(key)-1]) {
			t.Errorf("sameKey(%q) took a prefix of its key", s)
		}
	}
}

// plainNormKey is normKey's definition.
func plainNormKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var helperSeeds = []string{
	"", " ", "a", " a", "a ", "a  b", "a b", "a\tb", "a\u00a0b", "a\u2028b", "a\u3000 b", "\x85", "caf\xe9 x", "İSTANBUL K ſ",
	"The Harbour, Bridge: 2024!", "Crane Comes Down at the North Quay", "ǅemal Ⱥ ß",
}

func TestHelpers(t *testing.T) {
	for _, s := range helperSeeds {
		checkHelpers(t, s)
	}
}

// and on random texts of words and every kind of white space
func TestHelpersOnRandomText(t *testing.T) {
	parts := []string{"a", "Bc", "İ", "ſ", "é", "Ⱥ", "ǅ", "Σ", "7", "٣", " ", "  ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u2003", "\u3000", "\u0085", "\u2028",
		"\ufeff", "\xff", "\xc3", ".", "-", "'"}
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		var b strings.Builder
		for j := r.IntN(30); j > 0; j-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		checkHelpers(t, b.String())
	}
}

func FuzzHelpers(f *testing.F) {
	for _, s := range helperSeeds {
		f.Add(s)
	}
	f.Fuzz(checkHelpers)
}

// singleSpaced reads printable ASCII eight bytes at a time: long lines of
// words and single spaces, with now and then two spaces, another white
// space or a character outside ASCII, at every offset from a multiple of
// eight.
func TestSingleSpacedOnLongLines(t *testing.T) {
	words := []string{"a", "harbour", "Bridge,", "reopened", "on", "7", "x!", "~", "\x7f", "café", "“quoted”", "Київ"}
	odd := []string{"  ", "\t", "\u00a0", "\u2003", "\u0085", " \x01", "\xff", "\x1f", "   "}
	r := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		var b strings.Builder
		if r.IntN(8) == 0 {
			b.WriteString(" ")
		}
		for j := r.IntN(40); j > 0; j-- {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(30) == 0 {
				b.WriteString(odd[r.IntN(len(odd))])
			} else {
				b.WriteString(" ")
			}
		}
		s := b.String()
		if r.IntN(2) == 0 {
			s = strings.TrimSuffix(s, " ")
		}
		if got, want := singleSpaced(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("singleSpaced(%q) = %q, want %q", s, got, want)
		}
	}
}
