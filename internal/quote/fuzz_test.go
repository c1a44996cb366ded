package quote

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storyline-news/storyline/internal/entity"
)

// FuzzExtract feeds arbitrary text to the quote finder: it must not panic,
// and every quote must lie inside the text with valid offsets.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"“It is done,” Marsh said.",
		"Marsh said: “We will see.\n\n“Then we go on,” she added.",
		"According to a senior official, talks failed. - Reyes said on Monday.",
		"Text\n\n— Elena Marsh (@ElenaMarsh) March 15, 2025",
		"«Bonjour» „Hallo“ ‹x› ‘y’ \"z\" “unclosed",
		"\"\n\n\"\n\n\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<14 {
			return
		}
		res := entity.Resolve([]entity.Doc{{ID: "a", Text: text}})
		for _, q := range Extract(text, res.Mentions[0], res.Entities) {
			if q.Start < 0 || q.End > len(text) || q.Start > q.End {
				t.Fatalf("quote offsets %d:%d outside the text (%d bytes)", q.Start, q.End, len(text))
			}
			if utf8.ValidString(text) && !utf8.ValidString(q.Text) {
				t.Fatalf("invalid UTF-8 in %q", q.Text)
			}
			if strings.TrimSpace(q.Text) == "" {
				t.Fatalf("empty quote from %q", text)
			}
			if q.Entity >= len(res.Entities) {
				t.Fatalf("entity index %d out of range", q.Entity)
			}
		}
	})
}
