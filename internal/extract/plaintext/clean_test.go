package plaintext

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline/internal/corpus"
)

var ref = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

// removedReason returns the reason a line was removed, or "" when it was kept.
func removedReason(r Result, line string) string {
	for _, rm := range r.Removed {
		if rm.Line == line {
			return rm.Reason
		}
	}
	return ""
}

func kept(r Result, line string) bool { return slices.Contains(r.Paragraphs, line) }

const body1 = "The harbour authority said on Monday that the old crane would be taken down before the summer season begins."
const body2 = "Workers will start at the northern end of the quay, the authority said, and traffic will be diverted for two weeks."
const body3 = "Local shop owners said they had not been told how long the work would last or where customers could park."

func TestBoilerplateLines(t *testing.T) {
	cases := []struct {
		name, line, reason string
	}{
		{"video residue", "0:00", ReasonVideo},
		{"comment form", "LEAVE A REPLY", ReasonComment},
		{"comment prompt", "Please enter your comment!", ReasonComment},
		{"comment name", "Please enter your name here", ReasonComment},
		{"share widget", "Share post:", ReasonShare},
		{"subscribe", "Subscribe", ReasonShare},
		{"social link", "twitter", ReasonShare},
		{"template residue", "spot_imgspot_img", ReasonTemplate},
		{"template key", "client/title.list_title", ReasonTemplate},
		{"tags", "Tags:", ReasonTags},
		{"tags with values", "Tags: harbour, cranes, city council", ReasonTags},
		{"also read pipe", "Also Read | Ferry timetable changes from April", ReasonRelatedOne},
		{"empty label", "Updated:", ReasonLabel},
		{"copyright", "© 2024 Harbour Times. All rights reserved.", ReasonCopyright},
		{"advertisement", "ADVERTISEMENT", ReasonAd},
		{"photo credit", "The old crane at the north quay on May 2, 2024. Jana Novak/Reuters", ReasonCaption},
		{"domain credit", "news.example.com", ReasonCredit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := strings.Join([]string{"Crane Comes Down at the North Quay", body1, c.line, body2, body3}, "\n\n")
			r := Clean(in, ref)
			if got := removedReason(r, c.line); got != c.reason {
				t.Errorf("line %q: removed as %q, want %q", c.line, got, c.reason)
			}
			for _, b := range []string{body1, body2, body3} {
				if !kept(r, b) {
					t.Errorf("body paragraph lost: %q", b)
				}
			}
		})
	}
}

func TestRelatedBlocks(t *testing.T) {
	for _, marker := range []string{"Read also:", "Related", "More like this", "Popular", "More news", "Most read"} {
		t.Run(marker, func(t *testing.T) {
			list := []string{marker, "12:10", "Exclusive", "Ferry timetable changes from April",
				"2024, Monday", "10 February", "Port marathon route announced for the autumn",
				"The city council voted on Tuesday to approve..."}
			in := strings.Join(append([]string{"Crane Comes Down", body1, body2}, list...), "\n")
			r := Clean(in, ref)
			for _, l := range list {
				if removedReason(r, l) == "" {
					t.Errorf("list line %q kept", l)
				}
			}
			if !kept(r, body1) || !kept(r, body2) {
				t.Errorf("body lost: %q", r.Paragraphs)
			}
			if !r.Published.IsZero() {
				t.Errorf("publish date %v taken from a related list", r.Published)
			}
		})
	}
	t.Run("block ends at prose", func(t *testing.T) {
		in := strings.Join([]string{"Crane Comes Down", body1, "Read more:", "Ferry timetable changes from April", body2, body3}, "\n")
		r := Clean(in, ref)
		if !kept(r, body2) || !kept(r, body3) {
			t.Errorf("prose after a related link was removed: %q", r.Paragraphs)
		}
	})
}

func TestMetadata(t *testing.T) {
	t.Run("masthead, title, date and time", func(t *testing.T) {
		in := "Harbour Times\n\nCrane comes down at the north quay, shop owners worried\n\n3 May, 2024 Friday\n12:37\n\n" + body1 + "\n\n" + body2
		r := Clean(in, ref)
		if r.Outlet != "Harbour Times" || removedReason(r, "Harbour Times") != ReasonMasthead {
			t.Errorf("outlet %q (removed as %q)", r.Outlet, removedReason(r, "Harbour Times"))
		}
		if r.Title != "Crane comes down at the north quay, shop owners worried" {
			t.Errorf("title %q", r.Title)
		}
		if got := r.Published.Format("2006-01-02"); got != "2024-05-03" {
			t.Errorf("published %s", got)
		}
		if r.Clock {
			t.Error("clock time claimed known without a time zone")
		}
	})
	t.Run("fused date label", func(t *testing.T) {
		r := Clean("date 2024-01-23 "+body1+"\n"+body2, ref)
		if r.Published.Format("2006-01-02") != "2024-01-23" || r.Title != "" {
			t.Errorf("published %v title %q", r.Published, r.Title)
		}
		if !kept(r, body1) {
			t.Errorf("first paragraph lost: %q", r.Paragraphs)
		}
	})
	t.Run("no title when the first line is prose", func(t *testing.T) {
		r := Clean(body1+"\n"+body2, ref)
		if r.Title != "" || r.Outlet != "" || r.Author != "" || !r.Published.IsZero() {
			t.Errorf("invented metadata: %+v", r)
		}
	})
	t.Run("byline, bio and outlet from bio", func(t *testing.T) {
		in := strings.Join([]string{"Crane Comes Down at the North Quay", "Jana Novak", "Updated:", body1, body2, body3,
			"Jana Novak", "Reporter", "Jana Novak is a senior reporter for The Harbour Times. She covers the port."}, "\n")
		r := Clean(in, ref)
		if r.Author != "Jana Novak" || r.Outlet != "The Harbour Times" {
			t.Errorf("author %q outlet %q", r.Author, r.Outlet)
		}
		if n := len(r.Paragraphs); n != 3 {
			t.Errorf("%d paragraphs kept, want 3: %q", n, r.Paragraphs)
		}
	})
	t.Run("self reference", func(t *testing.T) {
		r := Clean("The harbour crane will come down in June, HTN reports.\n"+body2, ref)
		if r.Outlet != "HTN" {
			t.Errorf("outlet %q", r.Outlet)
		}
	})
	t.Run("photo caption date is not the publish date", func(t *testing.T) {
		in := "Crane Comes Down\nThe crane on Jan. 8, 2024. Jana Novak/Reuters\n" + body1 + "\n" + body2
		r := Clean(in, ref)
		if !r.Published.IsZero() {
			t.Errorf("published %v from a caption", r.Published)
		}
	})
}

func TestKeepsShortParagraphsAndEmbeds(t *testing.T) {
	in := strings.Join([]string{
		"Crane Comes Down at the North Quay", body1, "Questions remain", body2,
		"We will keep the quay open for the fishing boats, whatever it takes…",
		"— Harbour Authority (@HarbourAuth) May 3, 2024",
		"This adds to the delays.", body3}, "\n")
	r := Clean(in, ref)
	for _, l := range []string{"Questions remain", "— Harbour Authority (@HarbourAuth) May 3, 2024", "This adds to the delays."} {
		if !kept(r, l) {
			t.Errorf("paragraph %q removed as %q", l, removedReason(r, l))
		}
	}
}

func TestHardWrappedLinesJoin(t *testing.T) {
	in := "The harbour authority said on Monday that the old crane would\nbe taken down before the summer season begins, and that traffic\nwould be diverted.\n\nSecond paragraph here."
	r := Clean(in, ref)
	if len(r.Paragraphs) != 2 || !strings.HasPrefix(r.Paragraphs[0], "The harbour") || !strings.HasSuffix(r.Paragraphs[0], "diverted.") {
		t.Errorf("paragraphs %q", r.Paragraphs)
	}
}

func TestNeverPanics(t *testing.T) {
	for _, in := range []string{"", "\n\n\n", "a", "\xff\xfe", strings.Repeat("Read also:\n", 1000), strings.Repeat("x", 1<<20)} {
		Clean(in, ref)
	}
}

// TestSeeds checks the cleaner on the real seed scrapes in ../shared/seeds.
func TestSeeds(t *testing.T) {
	dir := corpus.Require(t, "seeds")
	read := func(prefix string) Result {
		m, _ := filepath.Glob(filepath.Join(dir, prefix+"_*.txt"))
		if len(m) != 1 {
			t.Fatalf("seed %s not found", prefix)
		}
		b, err := os.ReadFile(m[0])
		if err != nil {
			t.Fatal(err)
		}
		return Clean(string(b), ref)
	}
	has := func(r Result, reason, sub string) bool {
		for _, rm := range r.Removed {
			if rm.Reason == reason && strings.Contains(rm.Line, sub) {
				return true
			}
		}
		return false
	}
	keptSub := func(r Result, sub string) bool {
		for _, p := range r.Paragraphs {
			if strings.Contains(p, sub) {
				return true
			}
		}
		return false
	}
	noneKept := func(t *testing.T, r Result, subs ...string) {
		t.Helper()
		for _, s := range subs {
			if keptSub(r, s) {
				t.Errorf("boilerplate kept: %q", s)
			}
		}
	}

	s000 := read("000")
	if s000.Published.Format("2006-01-02") != "2025-01-23" || s000.Outlet != "UNN" || s000.Title != "" {
		t.Errorf("000 metadata: title %q outlet %q published %v", s000.Title, s000.Outlet, s000.Published)
	}

	s001 := read("001")
	if s001.Author != "Tom Ozimek" || s001.Outlet != "The Epoch Times" || !s001.Published.IsZero() {
		t.Errorf("001 metadata: author %q outlet %q published %v (the caption's Jan. 8 is not the publish date)", s001.Author, s001.Outlet, s001.Published)
	}
	if !has(s001, ReasonVideo, "0:00") || !has(s001, ReasonCaption, "Smutko/Reuters") || !has(s001, ReasonBio, "senior reporter") || !has(s001, ReasonRepeat, "Zelenskyy Says") {
		t.Errorf("001 boilerplate not removed: %v", s001.Removed)
	}
	noneKept(t, s001, "twitter", "Updated:", "Tom Ozimek is")

	s002 := read("002")
	if s002.Outlet != "Espreso. Global" || s002.Published.Format("2006-01-02") != "2025-01-24" || !strings.HasPrefix(s002.Title, "EU supports") {
		t.Errorf("002 metadata: title %q outlet %q published %v", s002.Title, s002.Outlet, s002.Published)
	}
	noneKept(t, s002, "client/title", "Read also", "Tags:", "More news", "850,000 soldiers", "Invictus", "Chaklun")
	for _, p := range []string{"Issue of trust", "This adds challenges", "Matthew Bryza explained", "Bloomberg, citing its sources"} {
		if !keptSub(s002, p) {
			t.Errorf("002 paragraph lost: %q", p)
		}
	}

	s003 := read("003")
	if s003.Outlet != "news.sky.com" || !strings.HasPrefix(s003.Title, "Zelenskyy Warns") {
		t.Errorf("003 metadata: title %q outlet %q", s003.Title, s003.Outlet)
	}
	noneKept(t, s003, "LEAVE A REPLY", "Please enter", "Share post", "Subscribe", "spot_img", "Popular", "More like this", "ICE Raids", "Taliban", "Birthright")
	if !keptSub(s003, "invest the necessary percentage today") {
		t.Error("003 last quote lost")
	}

	s004 := read("004")
	noneKept(t, s004, "Also Read")
	for _, p := range []string{"— Volodymyr Zelenskyy / Володимир Зеленський (@ZelenskyyUa) March 15, 2025", "We must define a clear position", "Kyiv: Ukrainian President"} {
		if !keptSub(s004, p) {
			t.Errorf("004 paragraph lost: %q", p)
		}
	}
	if !s004.Published.IsZero() || s004.Title != "" {
		t.Errorf("004: invented title %q or date %v (the embedded post's date is not the article's)", s004.Title, s004.Published)
	}
}
