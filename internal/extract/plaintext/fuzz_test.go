package plaintext

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storyline-news/storyline/internal/corpus"
)

// FuzzClean feeds arbitrary text to the cleaner: it must not panic, must
// give valid UTF-8, trimmed non-empty one-line paragraphs, no more lines
// out than came in, and the same result twice.
func FuzzClean(f *testing.F) {
	f.Add("Crane Comes Down at the North Quay\n\n" + body1 + "\n\n" + body2 + "\n\n" + body3)
	f.Add("Harbour Times\nCrane Comes Down\nBy Jana Novak\nMay 2, 2024\n" + body1 + "\nADVERTISEMENT\n" + body2 + "\nRelated news\nFerry timetable changes\n" + body3 + "\nTags: harbour\n© 2024 Harbour Times")
	f.Add("date 2025-01-23 " + body1 + "\n" + body2)
	f.Add("caf\xe9 \xff\xfe\r\n\r\x00\u00a0\ufeff\u200b\t\u2028x")
	f.Add("")
	f.Add("\n\n\n")
	f.Add("Updated:\nWednesday\n10:45 GMT\n" + body1)
	// and the real scrapes of ../shared/seeds, read from there
	for _, b := range corpus.Files(f, 10, 1<<20, false, "seeds") {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, in string) {
		r := Clean(in, ref)
		inLines := len(strings.FieldsFunc(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(in), func(r rune) bool { return r == '\n' }))
		out := len(r.Paragraphs) + len(r.Removed)
		if r.Title != "" {
			out++
		}
		// a date fused to the first line is split into two lines
		if out > inLines+1 {
			t.Errorf("%d lines out (%d paragraphs, %d removed, title %q) from %d input lines", out, len(r.Paragraphs), len(r.Removed), r.Title, inLines)
		}
		check := func(what, s string, mayBeEmpty bool) {
			if !utf8.ValidString(s) {
				t.Errorf("%s %q: invalid UTF-8", what, s)
			}
			if s == "" && !mayBeEmpty {
				t.Errorf("%s: empty", what)
			}
			if strings.TrimSpace(s) != s {
				t.Errorf("%s %q: not trimmed", what, s)
			}
			if strings.ContainsAny(s, "\n\r") {
				t.Errorf("%s %q: holds a line break", what, s)
			}
		}
		for _, p := range r.Paragraphs {
			check("paragraph", p, false)
		}
		for _, rm := range r.Removed {
			check("removed line", rm.Line, false)
			if rm.Reason == "" {
				t.Errorf("removed line %q without a reason", rm.Line)
			}
		}
		check("title", r.Title, true)
		check("outlet", r.Outlet, true)
		check("author", r.Author, true)
		if again := Clean(in, ref); !reflect.DeepEqual(r, again) {
			t.Errorf("not deterministic:\n%+v\n%+v", r, again)
		}
	})
}
