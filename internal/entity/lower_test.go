package entity

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// lowerCases are words whose lower case is tricky: capitals outside ASCII
// that lower-case to ASCII (İ, the Kelvin sign), invalid UTF-8, full stops
// between the bytes of one character, odd white space.
var lowerCases = []string{"", "Mr.", "U.S.", "Prime Minister", "İSTANBUL", "\u212Aelvin", "Президент", "Ms\xff",
	"\xe2.\x80\x99s", "a\u00a0b", " two  spaces ", "tab\there", "Zełenski", "ǅ", "MİSS", "\xc3"}

// randomWord makes a word of bytes and runes that exercise the cases
// above.
func randomWord(rng *rand.Rand) string {
	parts := []string{"a", "Z", ".", " ", "  ", "\t", "İ", "\u212A", "Ж", "ж", "\xff", "\xe2", "\x80", "’", "\u00a0", "-", "ǅ"}
	var b strings.Builder
	for range rng.IntN(8) {
		b.WriteString(parts[rng.IntN(len(parts))])
	}
	return b.String()
}

// appendLowerBytes, phraseKey and fieldsJoined write exactly what the
// expressions they stand for write.
func TestLowerHelpers(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := append([]string{}, lowerCases...)
	for range 5000 {
		words = append(words, randomWord(rng))
	}
	for i, w := range words {
		if got, want := string(appendLowerBytes(nil, []byte(w))), strings.ToLower(w); got != want {
			t.Fatalf("appendLowerBytes(%q) = %q, want %q", w, got, want)
		}
		if got, want := fieldsJoined(w), strings.Join(strings.Fields(w), " "); got != want {
			t.Fatalf("fieldsJoined(%q) = %q, want %q", w, got, want)
		}
		ws := []string{w, words[(i*7)%len(words)], words[(i*13)%len(words)]}
		for n := 1; n <= len(ws); n++ {
			want := strings.ToLower(strings.ReplaceAll(strings.Join(ws[:n], " "), ".", ""))
			if got := string(phraseKey(nil, nil, ws[:n])); got != want {
				t.Fatalf("phraseKey(%q) = %q, want %q", ws[:n], got, want)
			}
		}
	}
}

// honorific and officeCompatible read roles as the lower case of what is
// written.
func TestHonorificAndOffice(t *testing.T) {
	for _, c := range []struct {
		role string
		want bool
	}{{"Mr.", true}, {"MRS", true}, {"Dr", true}, {"MİSS", true}, {"Mister", false}, {"Prime Minister", false}, {"", false}} {
		if got := honorific(c.role); got != c.want {
			t.Errorf("honorific(%q) = %v, want %v", c.role, got, c.want)
		}
	}
	for _, c := range []struct {
		title, noun string
		want        bool
	}{
		{"Ukrainian President", "Ukrainian leader", true},
		{"Russian President", "Russian president", true},
		{"Former President", "Russian president", false},
		{"Foreign Minister", "Russian president", false},
		{"", "leader", false},
		{"PRIME MINISTER", "British premier", false},
		{"Prime Minister", "British leader", true},
	} {
		if got := officeCompatible(c.title, c.noun); got != c.want {
			t.Errorf("officeCompatible(%q, %q) = %v, want %v", c.title, c.noun, got, c.want)
		}
	}
}

// asciiLowered lower-cases the ASCII capitals of any text, and only them,
// whatever their place among the eight-byte words it reads.
func TestASCIILowered(t *testing.T) {
	ref := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	pieces := []string{"A", "Z", "a", "z", "@", "[", "`", "{", "\\x80", "\\xc1", "\\xda", "\\xff", "É", "Ж", " ", "0", "Hello World"}
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := asciiLowered(s), ref(s); got != want {
			t.Fatalf("asciiLowered(%q) = %q, want %q", s, got, want)
		}
	}
	for c := range 256 {
		s := strings.Repeat(string([]byte{byte(c)}), 11)
		if got, want := asciiLowered(s), ref(s); got != want {
			t.Fatalf("asciiLowered(%q) = %q, want %q", s, got, want)
		}
	}
}
