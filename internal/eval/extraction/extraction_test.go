package extraction

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline/internal/corpus"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestTokens(t *testing.T) {
	got := strings.Join(Tokens("It's 3.5% — naïve_word, Київ!"), "|")
	if want := "It|s|3|5|naïve_word|Київ"; got != want {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
}

func TestShingleMatch(t *testing.T) {
	truth := "one two three four five six"
	tests := []struct {
		name       string
		pred       string
		p, r       float64
		exact      bool
		tp, fp, fn float64
	}{
		{"identical", truth, 1, 1, true, 1, 0, 0},
		{"case matters, punctuation does not", "One, two;\n\nthree four five six.", 0, 0, false, 0, 0, 0},
		{"empty prediction", "", 0, 0, false, 0, 0, 1},
		// truth has 3 shingles; pred adds "seven" making a 4th (FP).
		{"extra boilerplate", truth + " seven", 0.75, 1, false, 3.0 / 4, 1.0 / 4, 0},
		// pred has only the first 5 tokens: 2 shingles, both true.
		{"truncated", "one two three four five", 1, 2.0 / 3, false, 2.0 / 3, 0, 1.0 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ShingleMatch(truth, tt.pred)
			if tt.name == "case matters, punctuation does not" {
				// Case matters (as in the benchmark): "One" differs from "one".
				if m.Exact() || m.TP == 0 {
					t.Errorf("case-changed prediction: %+v", m)
				}
				return
			}
			if !near(m.TP, tt.tp) || !near(m.FP, tt.fp) || !near(m.FN, tt.fn) {
				t.Errorf("match = %+v, want tp %v fp %v fn %v", m, tt.tp, tt.fp, tt.fn)
			}
			if !near(m.Precision(), tt.p) || !near(m.Recall(), tt.r) || m.Exact() != tt.exact {
				t.Errorf("P %v R %v exact %v, want %v %v %v", m.Precision(), m.Recall(), m.Exact(), tt.p, tt.r, tt.exact)
			}
		})
	}
}

func TestShortTextIsOneShingle(t *testing.T) {
	if m := ShingleMatch("breaking news", "breaking news"); !m.Exact() || m.TP != 1 {
		t.Errorf("short identical texts: %+v", m)
	}
	if m := ShingleMatch("", ""); m.Precision() != 1 || m.Recall() != 1 {
		t.Errorf("two empty texts: P %v R %v, want 1 1", m.Precision(), m.Recall())
	}
}

func TestScoreMatchesAveragesPages(t *testing.T) {
	// A perfect page and an empty one: P and R are averaged per page, so
	// a long page cannot hide a failed short one.
	s := ScoreMatches([]Match{ShingleMatch("a b c d e f g h", "a b c d e f g h"), ShingleMatch("x y z w", "")})
	if s.N != 2 || !near(s.P, 0.5) || !near(s.R, 0.5) || !near(s.F1, 0.5) || !near(s.Accuracy, 0.5) {
		t.Errorf("score = %+v", s)
	}
}

func TestScoreSnippets(t *testing.T) {
	pages := []Page{{With: []string{"the main  text", "missing line"}, Without: []string{"Cookie banner", "Share this"}}}
	outs := []Output{{Text: "The intro.\n\nthe main\ntext goes on.\n\nShare this"}}
	s := ScoreSnippets(pages, outs)
	if s.TP != 1 || s.FN != 1 || s.FP != 1 || s.TN != 1 {
		t.Fatalf("counts = %+v", s)
	}
	if !near(s.P, 0.5) || !near(s.R, 0.5) || !near(s.Accuracy, 0.5) {
		t.Errorf("score = %+v", s)
	}
}

func TestSameAuthors(t *testing.T) {
	tests := []struct {
		want []string
		got  string
		ok   bool
	}{
		{[]string{"Anna Berg", "Tom Lee"}, "Anna Berg and Tom Lee", true},
		{[]string{"Anna Berg", "Tom Lee"}, "By ANNA BERG, Tom Lee", true},
		{[]string{"Anna Berg", "Tom Lee"}, "Anna Berg", false},
		{[]string{"Anna Berg"}, "Anna Berg; Staff Writer", false},
		{nil, "", true},
		{nil, "Anna Berg", false},
		{[]string{"Anna Berg"}, "", false},
	}
	for _, tt := range tests {
		if got := sameAuthors(tt.want, tt.got); got != tt.ok {
			t.Errorf("sameAuthors(%q, %q) = %v, want %v", tt.want, tt.got, got, tt.ok)
		}
	}
}

func writeGzip(t *testing.T, path, content string) {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(content))
	zw.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

const page = `<html><head><title>Harbour bridge reopens | Coast Times</title>
<meta name="author" content="Mara Quill"><meta property="article:published_time" content="2025-03-04T09:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Harbour bridge reopens</h1>
<p>The harbour bridge reopened to traffic on Tuesday after eleven weeks of repairs to its northern span, the city council said.</p>
<p>Engineers replaced forty steel cables and resurfaced the deck, and the council said the work came in under its budget of twelve million.</p>
<p>Residents of the northern districts had faced detours of up to forty minutes while the bridge was closed to cars and buses.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>`

func TestZyteOnFixture(t *testing.T) {
	dir := t.TempDir()
	writeJSONFile(t, filepath.Join(dir, "ground-truth.json"), map[string]any{
		"b": map[string]string{"articleBody": "The harbour bridge reopened to traffic on Tuesday after eleven weeks of repairs to its northern span, the city council said.", "url": "https://coast.example/bridge"},
		"a": map[string]string{"articleBody": "Engineers replaced forty steel cables"},
	})
	writeGzip(t, filepath.Join(dir, "html", "a.html.gz"), page)
	writeGzip(t, filepath.Join(dir, "html", "b.html.gz"), page)
	pages, err := LoadZyte(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || pages[0].ID != "a" || pages[1].URL != "https://coast.example/bridge" || !bytes.Contains(pages[0].HTML, []byte("harbour")) {
		t.Fatalf("pages = %+v", pages)
	}
	outs, failed := Extract(context.Background(), pages, Storyline(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)), nil)
	if failed != 0 {
		t.Fatalf("%d pages failed", failed)
	}
	if strings.Contains(outs[1].Text, "Subscribe") || strings.Contains(outs[1].Text, "Home | World") {
		t.Errorf("boilerplate kept: %q", outs[1].Text)
	}
	s := ScoreZyte(pages, outs)
	// The page holds all of each truth, and more: recall 1, precision < 1.
	if !near(s.R, 1) || s.P >= 1 || s.P <= 0 {
		t.Errorf("score = %+v", s)
	}

	os.Remove(filepath.Join(dir, "html", "a.html.gz"))
	if _, err := LoadZyte(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing page: err = %v, want not exist", err)
	}
}

func TestSnippetsOnFixture(t *testing.T) {
	dir := t.TempDir()
	writeJSONFile(t, filepath.Join(dir, "tests", "evaldata.json"), map[string]any{
		"https://coast.example/1": map[string]any{"file": "coast.html", "with": []string{"forty steel cables"}, "without": []string{"Subscribe to our newsletter"}},
		"https://coast.example/2": map[string]any{"file": "cached.html", "with": []string{"northern districts"}, "without": []string{}},
		"https://coast.example/3": map[string]any{"file": "gone.html", "with": []string{"x"}, "without": []string{}},
	})
	writeGzip(t, filepath.Join(dir, "tests", "eval", "coast.html.gz"), page)
	writeGzip(t, filepath.Join(dir, "tests", "cache", "cached.html.gz"), page)
	pages, missing, err := LoadSnippets(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || missing != 1 {
		t.Fatalf("%d pages, %d missing; want 2, 1", len(pages), missing)
	}
	outs, _ := Extract(context.Background(), pages, Storyline(time.Now()), nil)
	if s := ScoreSnippets(pages, outs); s.TP != 2 || s.FP != 0 || s.TN != 1 {
		t.Errorf("score = %+v", s)
	}
}

func TestFundusOnFixture(t *testing.T) {
	dir := t.TempDir()
	cdir := filepath.Join(dir, "xx")
	writeGzip(t, filepath.Join(cdir, "Coast_2025_03_04.html.gz"), page)
	writeGzip(t, filepath.Join(cdir, "Coast_2024_01_01.html.gz"), strings.ReplaceAll(page, "Harbour bridge reopens", "Old bridge closes"))
	writeJSONFile(t, filepath.Join(cdir, "meta.info"), map[string]any{
		"Coast_2025_03_04.html.gz": map[string]string{"url": "https://coast.example/bridge", "crawl_date": "2025-03-04 10:00:00"},
		"Coast_2024_01_01.html.gz": map[string]string{"url": "https://coast.example/old", "crawl_date": "2024-01-01 10:00:00"},
	})
	entry := func(title string) map[string]any {
		return map[string]any{"title": title, "authors": []string{"Mara Quill"}, "publishing_date": "2025-03-04 09:00:00+00:00",
			"body": map[string]any{"summary": []string{}, "sections": []any{map[string]any{"headline": []string{}, "paragraphs": []string{"Engineers replaced forty steel cables and resurfaced the deck."}}}}}
	}
	// V1 goes with the earlier crawl, V2 with the later.
	writeJSONFile(t, filepath.Join(cdir, "Coast.json"), map[string]any{"V2": entry("Harbour bridge reopens"), "V1": entry("Old bridge closes")})
	pages, skipped, err := LoadFundus(dir)
	if err != nil || skipped != 0 || len(pages) != 2 {
		t.Fatalf("pages %d skipped %d err %v", len(pages), skipped, err)
	}
	if pages[0].ID != "xx/Coast_2024_01_01.html.gz" || pages[0].Title != "Old bridge closes" || pages[1].Title != "Harbour bridge reopens" || pages[1].Date != "2025-03-04" {
		t.Fatalf("pairing: %+v / %+v", pages[0].Title, pages[1].Title)
	}
	outs, _ := Extract(context.Background(), pages, Storyline(time.Now()), nil)
	s := ScoreFundus(pages, outs)
	if !near(s.Title, 1) || !near(s.Author, 1) || !near(s.Date, 1) {
		t.Errorf("score = %+v; outputs %+v", s, outs)
	}

	// With one page held back, the remaining page pairs by its title.
	os.Remove(filepath.Join(cdir, "Coast_2024_01_01.html.gz"))
	pages, _, err = LoadFundus(dir)
	if err != nil || len(pages) != 1 || pages[0].Title != "Harbour bridge reopens" {
		t.Fatalf("after hold-back: %+v %v", pages, err)
	}
}

// TestScorerMatchesPublished scores the benchmark's published
// go-trafilatura output: the scorer must reproduce the published figures
// (P 0.940, R 0.980, F1 0.960, accuracy 0.287).
func TestScorerMatchesPublished(t *testing.T) {
	dir := corpus.Require(t, "data", "article-extraction-benchmark")
	truth, err := Bodies(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	pred, err := Bodies(filepath.Join(dir, "reference-outputs", "go_trafilatura.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ms []Match
	for id, body := range truth {
		ms = append(ms, ShingleMatch(body, pred[id]))
	}
	s := ScoreMatches(ms)
	round := func(x float64) float64 { return math.Round(x*1000) / 1000 }
	if round(s.P) != 0.940 || round(s.R) != 0.980 || round(s.F1) != 0.960 || round(s.Accuracy) != 0.287 {
		t.Errorf("published go-trafilatura output scores %+v, want P 0.940 R 0.980 F1 0.960 accuracy 0.287", s)
	}
}
