package claim

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// storyFixture reads the made-up articles of testdata/stories/NAME, one
// story; each file's first line is "Outlet, YYYY-MM-DD" (or "Outlet, -").
func storyFixture(t *testing.T, name string) ([]storyline.Article, []storyline.Story) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "stories", name, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("fixture %s: %v", name, err)
	}
	sort.Strings(files)
	var arts []storyline.Article
	st := storyline.Story{ID: "story_" + name}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, body, _ := strings.Cut(string(b), "\n")
		outlet, date, _ := strings.Cut(head, ", ")
		a := storyline.Article{ID: name + "/" + filepath.Base(f), Outlet: outlet, Text: strings.TrimSpace(body), Language: "en"}
		if d, err := time.Parse("2006-01-02", date); err == nil {
			a.Published = d
		}
		arts = append(arts, a)
		st.Articles = append(st.Articles, a.ID)
	}
	return arts, []storyline.Story{st}
}

func compareFixture(t *testing.T, name string) Comparison {
	arts, stories := storyFixture(t, name)
	res := entity.Resolve(entity.Docs(arts))
	return Compare(arts, res, Find(arts, res), stories)
}

func TestDisagreements(t *testing.T) {
	for _, tc := range []struct {
		name         string
		kind         string // the kind flagged, or "" for none
		update       string // the kind of update found (not flagged), or ""
		says1, says2 string // what the two sides say, when flagged or updated
		whyHas       string
	}{
		{"role_conflict", storyline.DisagreeRole, "", "President Anna Holm", "Former President Anna Holm", "cannot both hold"},
		{"role_update", "", storyline.DisagreeRole, "President-elect Anna Holm", "President Anna Holm", "2030"},
		{"duration_conflict", storyline.DisagreeDuration, "", "going on for two years", "enters its fifth month", "time does not explain"},
		{"duration_update", "", storyline.DisagreeDuration, "enters its second week", "ongoing for three weeks", "publish dates"},
		{"quantity_conflict", storyline.DisagreeQuantity, "", "14 people", "22 people", "same day"},
		{"quantity_update", "", storyline.DisagreeQuantity, "", "", "different days"},
		{"quantity_fell", storyline.DisagreeQuantity, "", "31 people", "12 people", "only grows"},
		{"opinions", "", "", "", "", ""},
		{"two_figures", "", "", "", "", ""},
		{"windows", "", "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmp := compareFixture(t, tc.name)
			check := func(list []storyline.Disagreement, kind, what string) {
				if kind == "" {
					for _, d := range list {
						t.Errorf("unexpected %s %s: %s — %s", what, d.Kind, d.About, d.Why)
					}
					return
				}
				if len(list) != 1 || list[0].Kind != kind {
					t.Fatalf("%s: %+v, want one of kind %s", what, list, kind)
				}
				d := list[0]
				if len(d.Statements) < 2 {
					t.Fatalf("%s with %d statements", what, len(d.Statements))
				}
				for _, s := range d.Statements {
					if s.Outlet == nil || s.Published == nil || !strings.Contains(s.Text, strings.Fields(s.Says)[0]) {
						t.Errorf("statement without outlet, date or its words: %+v", s)
					}
				}
				if tc.says1 != "" && (d.Statements[0].Says != tc.says1 || d.Statements[1].Says != tc.says2) {
					t.Errorf("sides say %q and %q, want %q and %q", d.Statements[0].Says, d.Statements[1].Says, tc.says1, tc.says2)
				}
				if !strings.Contains(d.Why, tc.whyHas) || d.Story == nil || *d.Story != "story_"+tc.name {
					t.Errorf("why = %q (story %v), want it to say %q", d.Why, d.Story, tc.whyHas)
				}
			}
			check(cmp.Disagreements, tc.kind, "flag")
			check(cmp.Updates, tc.update, "update")
		})
	}
}

// TestUndatedIsNotExplained checks that a difference an undated article
// makes is flagged, not put down to time: unknown dates are never guessed.
func TestUndatedIsNotExplained(t *testing.T) {
	arts, stories := storyFixture(t, "role_update")
	arts[1].Published = time.Time{}
	res := entity.Resolve(entity.Docs(arts))
	cmp := Compare(arts, res, Find(arts, res), stories)
	if len(cmp.Disagreements) != 1 || len(cmp.Updates) != 0 || !strings.Contains(cmp.Disagreements[0].Why, "no publish date") {
		t.Fatalf("%+v", cmp)
	}
}

func TestRoleOf(t *testing.T) {
	for in, want := range map[string][2]string{
		"former U.S. President":   {"president", StatusFormer},
		"President-elect":         {"president", StatusElect},
		"Russian President":       {"president", StatusCurrent},
		"British Prime Minister":  {"prime minister", StatusCurrent},
		"acting Defence Minister": {"defence minister", StatusCurrent},
	} {
		office, status, ok := roleOf(in)
		if !ok || office != want[0] || status != want[1] {
			t.Errorf("roleOf(%q) = %q %q %v, want %v", in, office, status, ok, want)
		}
	}
	if _, _, ok := roleOf("then-President"); ok {
		t.Error("then-President read as a present title")
	}
}

func FuzzCompare(f *testing.F) {
	f.Add("The war, ongoing for four years, killed 12 people.", "As the war enters its third year, former President Anna Holm told Reuters 14 people were killed.")
	f.Add("President-elect Anna Holm", "“5,000 soldiers,” said Brand. 2,5 млрд. 20 , 000 people")
	f.Fuzz(func(t *testing.T, x, y string) {
		arts := []storyline.Article{{ID: "x", Text: x, Outlet: "X", Published: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}, {ID: "y", Text: y}}
		res := entity.Resolve(entity.Docs(arts))
		st := []storyline.Story{{ID: "s", Articles: []string{"x", "y"}}}
		cmp := Compare(arts, res, Find(arts, res), st)
		for _, d := range append(cmp.Disagreements, cmp.Updates...) {
			if len(d.Statements) < 2 || d.Why == "" {
				t.Fatalf("point without two sides or a reason: %+v", d)
			}
		}
		Citations(arts, res)
	})
}
