package plaintext

import (
	"strings"
	"testing"
)

// checkHelpers compares the allocation-free helpers with what they stand for.
func checkHelpers(t *testing.T, s string) {
	t.Helper()
	if got, want := singleSpaced(s), strings.Join(strings.Fields(s), " "); got != want {
		t.Errorf("singleSpaced(%q) = %q, want %q", s, got, want)
	}
	if got, want := countFields(s), len(strings.Fields(s)); got != want {
		t.Errorf("countFields(%q) = %d, want %d", s, got, want)
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

var helperSeeds = []string{
	"", " ", "a", " a", "a ", "a  b", "a b", "a\tb", "a\u00a0b", "a\u2028b", "a\u3000 b", "\x85", "caf\xe9 x", "İSTANBUL K ſ",
	"The Harbour, Bridge: 2024!", "Crane Comes Down at the North Quay", "ǅemal Ⱥ ß",
}

func TestHelpers(t *testing.T) {
	for _, s := range helperSeeds {
		checkHelpers(t, s)
	}
}

func FuzzHelpers(f *testing.F) {
	for _, s := range helperSeeds {
		f.Add(s)
	}
	f.Fuzz(checkHelpers)
}
