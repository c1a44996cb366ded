package claim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// fixture reads a made-up article of testdata as a clean article.
func fixture(t testing.TB, name, outlet, date string) storyline.Article {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	a := storyline.Article{ID: strings.TrimSuffix(name, ".txt"), Source: name, Outlet: outlet, Text: strings.TrimSpace(string(b)), Language: "en"}
	if date != "" {
		d, err := time.Parse("2006-01-02", date)
		if err != nil {
			t.Fatal(err)
		}
		a.Published = d
	}
	return a
}

func find(arts ...storyline.Article) []Claim {
	return Find(arts, entity.Resolve(entity.Docs(arts)))
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestClaimForms(t *testing.T) {
	cs := find(fixture(t, "forms.txt", "Almera Daily", "2025-02-01"))
	want := []struct {
		number, qualifier, unit, subject, claimant string
		value                                      float64
		quoted                                     bool
	}{
		{"200,000", "at least", "", "peacekeepers", "Mara Kovach", 200000, true},
		{"Two hundred thousand", "", "", "peacekeepers", "Mara Kovach", 200000, true},
		{"two percent", "", "percent", "", "Mara Kovach", 2, true},
		{"three percent", "", "percent", "", "Mara Kovach", 3, true},
		{"5%", "", "percent", "GDP", "Ilya Brand", 5, true},
		{"30-day", "", "day", "ceasefire", "Ilya Brand", 30, false},
		{"850,000", "more than", "", "soldiers", "The army", 850000, true},
		{"130,000 tons", "", "ton", "fuel oil", "Almera Daily", 130000, false},
		{"100 days", "", "day", "new government", "Almera Daily", 100, false},
		{"12 million euros", "", "EUR", "", "Almera Daily", 12e6, false},
		{"twenty-five", "Nearly", "", "villages", "Almera Daily", 25, false},
		{"1.5 million", "about", "", "people", "Almera Daily", 1.5e6, false},
	}
	if len(cs) != len(want) {
		for _, c := range cs {
			t.Logf("%q %g unit=%q subject=%q by=%q", c.Number, c.Value, str(c.Unit), str(c.Subject), str(c.Claimant))
		}
		t.Fatalf("%d claims, want %d", len(cs), len(want))
	}
	for i, w := range want {
		c := cs[i]
		if c.Number != w.number || c.Value != w.value || !strings.EqualFold(str(c.Qualifier), w.qualifier) || str(c.Unit) != w.unit ||
			str(c.Subject) != w.subject || str(c.Claimant) != w.claimant || c.Quoted != w.quoted {
			t.Errorf("claim %d = %q %g q=%q unit=%q subject=%q by=%q quoted=%v; want %+v", i, c.Number, c.Value, str(c.Qualifier),
				str(c.Unit), str(c.Subject), str(c.Claimant), c.Quoted, w)
		}
		if !strings.Contains(c.Text, c.Number) {
			t.Errorf("claim %q: sentence %q does not hold it", c.Number, c.Text)
		}
	}
	// a quoted claim names its speaker's entity; an outlet's claim names none
	if cs[0].SpeakerEntity == nil || cs[7].SpeakerEntity != nil {
		t.Errorf("speaker entities: %v, %v", cs[0].SpeakerEntity, cs[6].SpeakerEntity)
	}
}

func TestNoClaimsInDatesTimesAndFurniture(t *testing.T) {
	for _, c := range find(fixture(t, "noise.txt", "Almera Daily", "2025-02-01")) {
		t.Errorf("not a claim: %q (%g) in %q", c.Number, c.Value, c.Text)
	}
}

func TestUnknownOutletLeavesClaimantNull(t *testing.T) {
	a := storyline.Article{ID: "x", Text: "The city will plant 4,000 trees along the river this spring and summer."}
	cs := find(a)
	if len(cs) != 1 || cs[0].Claimant != nil || cs[0].Value != 4000 || str(cs[0].Subject) != "trees" {
		for _, c := range cs {
			t.Logf("%q by=%v subject=%q", c.Number, str(c.Claimant), str(c.Subject))
		}
		t.Fatalf("%d claims", len(cs))
	}
}

func TestIDsAreStable(t *testing.T) {
	a := find(fixture(t, "forms.txt", "Almera Daily", ""))
	b := find(fixture(t, "forms.txt", "Almera Daily", ""))
	if len(a) == 0 || len(a) != len(b) {
		t.Fatal("no claims")
	}
	seen := map[string]bool{}
	for i := range a {
		if a[i].ID != b[i].ID {
			t.Errorf("ID %d differs", i)
		}
		if seen[a[i].ID] {
			t.Errorf("ID %s repeated", a[i].ID)
		}
		seen[a[i].ID] = true
	}
}

func TestWordNumbers(t *testing.T) {
	for in, want := range map[string]float64{
		"two hundred thousand": 200000, "twenty-five": 25, "one hundred and fifty": 150, "a million": 1e6,
		"three thousand five hundred": 3500, "ninety nine": 99,
	} {
		toks := tokenize(in + " soldiers")
		n, ok := readNumber(toks, 0)
		if !ok || n.value != want {
			t.Errorf("%q = %g, %v; want %g", in, n.value, ok, want)
		}
	}
	toks := tokenize("two three")
	if n, _ := readNumber(toks, 0); n.value != 2 {
		t.Errorf("two three read as %g", n.value)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("At least 200,000 soldiers, 5% of GDP and a 30-day ceasefire on Jan. 22, 2025 at 12:37.")
	f.Add("“Two hundred thousand is the minimum,” he said. $5bn -3 1,0,0 one-")
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range Extract(s, nil, nil, nil) {
			if n.Start < 0 || n.End > len(s) || n.Start > n.End {
				t.Fatalf("bad offsets %d %d", n.Start, n.End)
			}
		}
	})
}

func TestTokenisedThousandsAndForeignScales(t *testing.T) {
	for in, want := range map[string]float64{
		"Another report said 20 , 000 people marched through the city centre.": 20000,
		"The company will pay 4 млрд долларов to the state, the court ruled.":  4e9,
		"Officials said 300 tisíc lidí demonstrated in the capital city.":      300000,
	} {
		ns := Extract(in, nil, nil, nil)
		if len(ns) != 1 || ns[0].Value != want {
			t.Errorf("%q: %+v, want one claim of %g", in, ns, want)
		}
	}
}

func TestCasualtyWordsAreCounted(t *testing.T) {
	ns := Extract("Police said 12 injured and 3 killed were taken away, and $184 million reported by the bank.", nil, nil, nil)
	got := map[float64]string{}
	for _, n := range ns {
		got[n.Value] = n.Subject
	}
	if got[12] != "injured" || got[3] != "killed" || got[184e6] != "" {
		t.Errorf("subjects: %v", got)
	}
}
