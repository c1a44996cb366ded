package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
	"github.com/storyline-news/storyline/internal/report"
)

// goodArticle is a small plain-text article the cleaner keeps; word is a
// made-up word that makes it findable by search.
func goodArticle(word string) string {
	return "Ferry Service to " + word + " Resumes After Storm\n\n" +
		"The ferry company said on Tuesday that boats to " + word + " would run again from Friday morning after the storm.\n\n" +
		"Crews spent three days clearing the slipway and checking the hull of the older vessel, a spokesman for the company said.\n\n" +
		"Residents of " + word + " had been cut off from the mainland since the weekend, with supplies flown in by helicopter.\n"
}

// jsonLine is one JSONL article line.
func jsonLine(t *testing.T, word string) string {
	t.Helper()
	b, err := json.Marshal(map[string]string{"url": "https://example.com/" + strings.ToLower(word), "text": goodArticle(word)})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// searchHits returns the sources of the stored articles matching q.
func searchHits(t *testing.T, db, q string) []string {
	t.Helper()
	out, stderr, code := run(t, "search", "--json", "--db", db, q)
	if code != 0 {
		t.Fatalf("search %q: exit %d: %s", q, code, stderr)
	}
	var res struct {
		Hits []storyline.SearchHit `json:"hits"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search %q: %v: %s", q, err, out)
	}
	var srcs []string
	for _, h := range res.Hits {
		srcs = append(srcs, h.ID)
	}
	return srcs
}

// TestBadInput runs ingest and analyze on one bad file beside one good
// article: the bad file is reported by name (and line, for JSONL), the run
// goes on, the good article is kept, and the exit status is 1 only when a
// document failed.
func TestBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	binary := make([]byte, 4096)
	for i := range binary {
		binary[i] = byte(rng.UintN(256))
	}
	binary[10], binary[100] = 0, 0

	// Windows-1252 bytes (é, ’, –) and stray invalid bytes in an otherwise good article.
	latin := []byte(strings.ReplaceAll(goodArticle("Brackwater"), "company said", "compan\xe9 said \x92quoted\x92 \x96 \xff\xfe"))

	bogusHTML := `<!DOCTYPE html><html><head><meta charset="x-bogus-9"><title>Lighthouse Keeper Retires in Saltmere</title></head>
<body><article><h1>Lighthouse Keeper Retires in Saltmere</h1>
<p>The last keeper of the Saltmere lighthouse retired on Sunday after thirty-one years of tending the lamp on the headland.</p>
<p>The lighthouse was automated in the spring, and the council said the keeper's cottage would become a small museum for visitors.</p>
<p>Neighbours gathered on the quay to thank him, and the harbour master rang the old bell three times as he walked past the boats.</p>
</article></body></html>`

	cases := []struct {
		name   string
		file   string
		data   func(t *testing.T) []byte
		fail   bool     // the bad file fails (exit 1)
		stderr []string // in stderr, besides the file name
		keep   []string // words of articles from the bad file that must be kept
		text   []string // in the report's article texts
	}{
		{name: "empty", file: "empty.txt", data: func(*testing.T) []byte { return nil }, fail: true, stderr: []string{"empty file"}},
		{name: "blank", file: "blank.txt", data: func(*testing.T) []byte { return []byte(" \n\r\n\t\n") }, fail: true, stderr: []string{"empty file"}},
		{name: "binary", file: "random.txt", data: func(*testing.T) []byte { return binary }, fail: true, stderr: []string{"binary file"}},
		{name: "invalid UTF-8", file: "latin.txt", data: func(*testing.T) []byte { return latin }, stderr: []string{"invalid UTF-8"}, keep: []string{"Brackwater"},
			text: []string{"compan\u00e9 said \u2019quoted\u2019 \u2013 \u00ff\u00fe"}},
		{name: "UTF-16", file: "notepad.txt", data: func(*testing.T) []byte {
			b := []byte{0xff, 0xfe}
			for _, r := range goodArticle("Weyford") + "Caf\u00e9 \u201cquoted\u201d.\n" {
				b = append(b, byte(r), byte(r>>8))
			}
			return b
		}, keep: []string{"Weyford"}, text: []string{"Caf\u00e9 \u201cquoted\u201d."}},
		{name: "50 MB", file: "huge.txt", data: func(*testing.T) []byte {
			para := []byte(goodArticle("Oversize") + "\n")
			return bytes.Repeat(para, 50<<20/len(para)+1)
		}, fail: true, stderr: []string{"file too large"}},
		{name: "bogus charset", file: "bogus.html", data: func(*testing.T) []byte { return []byte(bogusHTML) }, keep: []string{"Saltmere"}},
		{name: "JSONL bad line", file: "feed.jsonl", data: func(t *testing.T) []byte {
			return []byte(jsonLine(t, "Oakhollow") + "\n" + `{"url": "https://example.com/broken", "text": "cut off` + "\n" + jsonLine(t, "Pinecrest") + "\n")
		}, fail: true, stderr: []string{"line 2: JSON"}, keep: []string{"Oakhollow", "Pinecrest"}},
		{name: "JSONL line without text", file: "feed.jsonl", data: func(t *testing.T) []byte {
			return []byte(jsonLine(t, "Oakhollow") + "\n" + `{"url": "https://example.com/blank", "text": " \n "}` + "\n" + jsonLine(t, "Pinecrest") + "\n")
		}, fail: true, stderr: []string{"line 2: no article text"}, keep: []string{"Oakhollow", "Pinecrest"}},
		{name: "JSONL line with neither text nor html", file: "feed.jsonl", data: func(t *testing.T) []byte {
			return []byte(jsonLine(t, "Oakhollow") + "\n" + `{"url": "https://example.com/none"}` + "\n" + jsonLine(t, "Pinecrest") + "\n")
		}, fail: true, stderr: []string{"line 2: article has neither"}, keep: []string{"Oakhollow", "Pinecrest"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			good := writeFile(t, filepath.Join(dir, "good.txt"), []byte(goodArticle("Quillhaven")))
			bad := writeFile(t, filepath.Join(dir, c.file), c.data(t))
			want := 0
			if c.fail {
				want = 1
			}
			check := func(cmd, stderr string, code int) {
				t.Helper()
				if code != want {
					t.Errorf("%s: exit %d, want %d; stderr:\n%s", cmd, code, want, stderr)
				}
				if (c.fail || len(c.stderr) > 0) && !strings.Contains(stderr, bad) {
					t.Errorf("%s: stderr does not name %s:\n%s", cmd, bad, stderr)
				}
				for _, s := range c.stderr {
					if !strings.Contains(stderr, s) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd, s, stderr)
					}
				}
				if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
					t.Errorf("%s: crash:\n%s", cmd, stderr)
				}
			}

			// ingest: both orders, so a bad file never hides what follows it
			db := filepath.Join(dir, "t.db")
			_, stderr, code := run(t, "ingest", "--db", db, bad, good)
			check("ingest", stderr, code)
			for _, w := range append([]string{"Quillhaven"}, c.keep...) {
				if hits := searchHits(t, db, w); len(hits) != 1 {
					t.Errorf("ingest: search %s: %d hits, want 1", w, len(hits))
				}
			}
			if c.name == "invalid UTF-8" {
				if hits := searchHits(t, db, "compané"); len(hits) != 1 {
					t.Errorf("invalid UTF-8 not read as Windows-1252: search compané: %d hits", len(hits))
				}
			}

			// analyze --json: the report holds the good articles
			out, stderr, code := run(t, "analyze", "--json", good, bad)
			check("analyze", stderr, code)
			var r report.Report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("analyze --json: %v\n%s", err, out)
			}
			texts := ""
			for _, a := range r.Articles {
				texts += a.Text + "\n"
				if !strings.HasPrefix(a.Source, dir) {
					t.Errorf("analyze: article source %q", a.Source)
				}
			}
			for _, w := range append(append([]string{"Quillhaven"}, c.keep...), c.text...) {
				if !strings.Contains(texts, w) {
					t.Errorf("analyze: no article about %s in the report", w)
				}
			}
			if n := 1 + len(c.keep); len(r.Articles) != n {
				t.Errorf("analyze: %d articles, want %d", len(r.Articles), n)
			}
			if !utf8Valid(out) {
				t.Errorf("analyze: report is not valid UTF-8")
			}
		})
	}

	// every case in one directory: each failing file is named, the rest is kept
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "good.txt"), []byte(goodArticle("Quillhaven")))
		var failing []string
		keep := []string{"Quillhaven"}
		for i, c := range cases {
			path := writeFile(t, filepath.Join(dir, fmt.Sprintf("%02d-%s", i, c.file)), c.data(t))
			if c.fail {
				failing = append(failing, path)
			}
			keep = append(keep, c.keep...)
		}
		db := filepath.Join(dir, "t.db")
		out, stderr, code := run(t, "ingest", "--db", db, dir)
		if code != 1 {
			t.Errorf("ingest: exit %d, want 1", code)
		}
		for _, f := range failing {
			if !strings.Contains(stderr, f) {
				t.Errorf("ingest: stderr does not name %s:\n%s", f, stderr)
			}
		}
		if want := fmt.Sprintf("%d failed", len(failing)); !strings.Contains(out, want) {
			t.Errorf("ingest: summary %q lacks %q", out, want)
		}
		for _, w := range keep {
			if hits := searchHits(t, db, w); len(hits) != 1 {
				t.Errorf("ingest: search %s: %d hits, want 1", w, len(hits))
			}
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

// TestBBCInvalidUTF8 reads a BBC sport article of the shared corpora whose
// pound sign is a Latin-1 byte (0xA3): it is repaired as Windows-1252 with a
// warning naming the file, the article is stored, and the run succeeds.
func TestBBCInvalidUTF8(t *testing.T) {
	path := corpus.Require(t, "data", "bbc", "bbc", "sport", "199.txt")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if utf8Valid(string(raw)) {
		t.Fatalf("%s is valid UTF-8; the test needs a file that is not", path)
	}
	db := filepath.Join(t.TempDir(), "t.db")
	_, stderr, code := run(t, "ingest", "--db", db, path)
	if code != 0 {
		t.Fatalf("ingest: exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, path) || !strings.Contains(stderr, "invalid UTF-8; read as Windows-1252") {
		t.Errorf("ingest: no warning naming %s:\n%s", path, stderr)
	}
	if hits := searchHits(t, db, "Mutu"); len(hits) != 1 {
		t.Errorf("search Mutu: %d hits, want 1", len(hits))
	}
	out, stderr, code := run(t, "analyze", "--json", path)
	if code != 0 {
		t.Fatalf("analyze: exit %d:\n%s", code, stderr)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Articles) != 1 {
		t.Fatalf("analyze --json: %v, %d articles", err, len(r.Articles))
	}
	if !strings.Contains(r.Articles[0].Text, "\u00a315") {
		t.Errorf("the 0xA3 byte was not read as a pound sign")
	}
	if strings.Contains(r.Articles[0].Text, "\uFFFD") {
		t.Errorf("replacement character in the text")
	}
}
