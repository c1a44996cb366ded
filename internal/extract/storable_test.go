package extract

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestIsStorableIsItsDefinition compares isStorable, which reads eight
// bytes at a time, with its definition on random strings of control
// characters, tabs, newlines, DEL, ASCII, valid and broken UTF-8.
func TestIsStorableIsItsDefinition(t *testing.T) {
	def := func(s string) bool {
		if !utf8.ValidString(s) {
			return false
		}
		for i := 0; i < len(s); i++ {
			if c := s[i]; (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
		}
		return true
	}
	parts := []string{"a", "Z", " ", "\n", "\t", "\x00", "\x01", "\x1f", "\x7f", "\x80", "\xff", "é", "—", "\xe2\x80", "€", "\u0085", "~", "word words "}
	rng := rand.New(rand.NewPCG(1, 1))
	for range 200_000 {
		var b strings.Builder
		for n := rng.IntN(40); n > 0; n-- {
			p := parts[rng.IntN(len(parts))]
			if rng.IntN(3) > 0 {
				p = parts[rng.IntN(4)]
			}
			b.WriteString(p)
		}
		s := b.String()
		if got, want := isStorable(s), def(s); got != want {
			t.Fatalf("isStorable(%q) = %v, want %v", s, got, want)
		}
	}
}
