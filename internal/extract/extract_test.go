package extract

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/storyline-news/storyline"
)

var now = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		clock bool
	}{
		{"2025-01-23T10:15:00+02:00", "2025-01-23T10:15:00+02:00", true},
		{"Thu, 23 Jan 2025 10:15:00 GMT", "2025-01-23T10:15:00Z", true},
		{"2025-01-23", "2025-01-23T00:00:00Z", false},
		{"January 23, 2025", "2025-01-23T00:00:00Z", false},
		{"", "", false},
		{"not a date at all", "", false},
	}
	for _, tt := range tests {
		got, clock := ParseDate(tt.in, now)
		s := ""
		if !got.IsZero() {
			s = got.Format(time.RFC3339)
		}
		if s != tt.want || clock != tt.clock {
			t.Errorf("ParseDate(%q) = %q, %v; want %q, %v", tt.in, s, clock, tt.want, tt.clock)
		}
	}
}

func TestArticleUsesSourceMetadata(t *testing.T) {
	doc := storyline.RawDoc{Source: "feed.jsonl:2", Kind: storyline.KindText, URL: "https://coast.example/a",
		Title: "Given title", Outlet: "Coast Times", Author: "Mara Quill", Published: "2025-03-04T09:00:00Z",
		Body: []byte("The harbour bridge reopened on Tuesday, the council said.\n\nEngineers replaced forty cables.")}
	a, err := Article(doc, now)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Given title" || a.Outlet != "Coast Times" || a.Author != "Mara Quill" || a.URL != doc.URL ||
		a.PublishedString() != "2025-03-04T09:00:00Z" || a.Source != "feed.jsonl:2" {
		t.Errorf("article = %+v", a)
	}
	if len(a.Paragraphs()) != 2 || a.ID == "" || a.ID != ArticleID(a.Text) {
		t.Errorf("paragraphs %q, id %q", a.Paragraphs(), a.ID)
	}
	b, _ := Article(storyline.RawDoc{Source: "other.txt", Kind: storyline.KindText, Body: []byte("The harbour bridge reopened on Tuesday,  the council said.\nEngineers replaced forty cables.")}, now)
	if b.ID != a.ID {
		t.Errorf("same text with other layout and source: id %q vs %q", b.ID, a.ID)
	}
	if _, err := Article(storyline.RawDoc{Kind: "pdf", Body: []byte("x")}, now); err == nil {
		t.Error("unknown kind accepted")
	}
}

func TestArticleKeepsNoControlCharactersOrBadUTF8(t *testing.T) {
	doc := storyline.RawDoc{Source: "news\xff.jsonl:3", Kind: storyline.KindText,
		Title: "Harbour\x00 bridge \x1b[31mreopens", Author: "Mara\x07 Quill", Outlet: "Coast\x00 Times",
		Body: []byte("The harbour bridge reopened on Tuesday after\x00 repairs, the council said in a statement on the work.\n\n" +
			"Engineers replaced forty cables over eleven weeks, officials said, and caf\xe9 owners cheered.")}
	a, err := Article(doc, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for what, s := range map[string]string{"text": a.Text, "title": a.Title, "author": a.Author, "outlet": a.Outlet, "source": a.Source} {
		if !utf8.ValidString(s) {
			t.Errorf("%s %q: invalid UTF-8", what, s)
		}
		for _, r := range s {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
				t.Errorf("%s %q: control character %U", what, s, r)
			}
		}
	}
	if !strings.Contains(a.Text, "after repairs") || a.Title != "Harbour bridge [31mreopens" || a.Author != "Mara Quill" {
		t.Errorf("text %q, title %q, author %q: the rest should stay", a.Text[:60], a.Title, a.Author)
	}
	if a.ID != ArticleID(a.Text) {
		t.Error("the ID is not the clean text's")
	}
}

// A plain-text body is cleaned in place: the article must keep none of
// its bytes, which the caller may write over after.
func TestArticleKeepsNothingOfTheBody(t *testing.T) {
	for _, body := range []string{
		"Coast Times\nHarbour bridge reopens after repairs\nBy Mara Quill\n2025-03-04\n\n" +
			"The harbour bridge reopened on Tuesday after eleven weeks of repairs, the council said in a statement.\n\n" +
			"Engineers replaced forty cables on the northern span, and traffic was flowing again by noon, officials said.\n\n" +
			"Related stories\nFerry strike called off\nShare this article\n",
		"The harbour bridge reopened on Tuesday after eleven weeks of repairs, the council said in a statement.",
	} {
		buf := []byte(body)
		a, err := Article(storyline.RawDoc{Kind: storyline.KindText, Body: buf}, now)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := Article(storyline.RawDoc{Kind: storyline.KindText, Body: []byte(body)}, now)
		for i := range buf {
			buf[i] = 'x'
		}
		if !reflect.DeepEqual(a, want) {
			t.Errorf("the article changed with the body written over:\n%+v\nwant\n%+v", a, want)
		}
		if a.Title == "" && len(a.Removed) == 0 && strings.Contains(body, "By Mara") {
			t.Errorf("the test article lost its title and removed lines: %+v", a)
		}
	}
}
