package extraction

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// maxPage bounds one uncompressed page read from a corpus.
const maxPage = 64 << 20

// Page is one HTML page of a corpus with what it should yield.
type Page struct {
	// ID names the page in reports: the Zyte item ID, the trafilatura
	// evaluation file name or the fundus publisher and file.
	ID   string
	URL  string
	HTML []byte
	// Truth is the main text (Zyte, fundus body); empty when the corpus
	// gives snippets instead.
	Truth string
	// With and Without are trafilatura's snippets: text that must appear
	// in the extraction and boilerplate that must not.
	With, Without []string
	// Title, Authors and Date are fundus' expected metadata; Date is
	// YYYY-MM-DD.
	Title   string
	Authors []string
	Date    string
}

// readMaybeGzip reads a file, gunzipping it when its name ends in .gz.
func readMaybeGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(io.LimitReader(r, maxPage+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > maxPage {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxPage)
	}
	return b, nil
}

// Bodies reads a Zyte-format JSON file: item ID → {"articleBody": ...},
// optionally wrapped as {"version": ..., "output": {...}}.
func Bodies(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var wrapped struct {
		Output map[string]struct {
			ArticleBody string `json:"articleBody"`
		} `json:"output"`
	}
	if err := json.Unmarshal(b, &wrapped); err == nil && wrapped.Output != nil {
		out := make(map[string]string, len(wrapped.Output))
		for k, v := range wrapped.Output {
			out[k] = v.ArticleBody
		}
		return out, nil
	}
	var plain map[string]struct {
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(b, &plain); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]string, len(plain))
	for k, v := range plain {
		out[k] = v.ArticleBody
	}
	return out, nil
}

// LoadZyte reads the Zyte article-extraction-benchmark: ground-truth.json
// and html/<id>.html.gz, sorted by ID.
func LoadZyte(dir string) ([]Page, error) {
	truth, err := Bodies(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("zyte benchmark: %w", err)
	}
	var urls map[string]struct {
		URL string `json:"url"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "ground-truth.json")); err == nil {
		_ = json.Unmarshal(b, &urls) // the URL is optional
	}
	pages := make([]Page, 0, len(truth))
	for id, body := range truth {
		html, err := readMaybeGzip(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, fmt.Errorf("zyte benchmark: %w", err)
		}
		pages = append(pages, Page{ID: id, URL: urls[id].URL, HTML: html, Truth: body})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages, nil
}

// LoadSnippets reads trafilatura's evaluation set: tests/evaldata.json
// naming each page's file (under tests/eval or tests/cache, gzipped) and
// its snippets. Entries whose file is missing are counted in missing.
func LoadSnippets(dir string) (pages []Page, missing int, err error) {
	b, err := os.ReadFile(filepath.Join(dir, "tests", "evaldata.json"))
	if err != nil {
		return nil, 0, fmt.Errorf("trafilatura eval: %w", err)
	}
	var data map[string]struct {
		File    string   `json:"file"`
		With    []string `json:"with"`
		Without []string `json:"without"`
	}
	if err := json.Unmarshal(b, &data); err != nil {
		return nil, 0, fmt.Errorf("trafilatura eval: evaldata.json: %w", err)
	}
	for u, d := range data {
		var html []byte
		for _, sub := range []string{"eval", "cache"} {
			for _, name := range []string{d.File + ".gz", d.File} {
				html, err = readMaybeGzip(filepath.Join(dir, "tests", sub, name))
				if err == nil || !errors.Is(err, os.ErrNotExist) {
					break
				}
			}
			if err == nil || !errors.Is(err, os.ErrNotExist) {
				break
			}
		}
		if errors.Is(err, os.ErrNotExist) {
			missing++
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("trafilatura eval: %w", err)
		}
		pages = append(pages, Page{ID: d.File, URL: u, HTML: html, With: d.With, Without: d.Without})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages, missing, nil
}

// fundusEntry is one expected extraction in a fundus publisher JSON.
type fundusEntry struct {
	Title          string   `json:"title"`
	Authors        []string `json:"authors"`
	PublishingDate string   `json:"publishing_date"`
	Body           *struct {
		Summary  []string `json:"summary"`
		Sections []struct {
			Headline   []string `json:"headline"`
			Paragraphs []string `json:"paragraphs"`
		} `json:"sections"`
	} `json:"body"`
}

// LoadFundus reads fundus' parser fixtures: per country directory,
// <Publisher>_<date>.html.gz pages, meta.info (file → URL, crawl date)
// and <Publisher>.json (expected extraction per parser version). Versions
// follow the crawl dates of the publisher's pages; when some pages are
// absent (held back), a page is paired with the one version whose title
// it contains, and skipped when that is not exactly one.
func LoadFundus(dir string) (pages []Page, skipped int, err error) {
	countries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, fmt.Errorf("fundus: %w", err)
	}
	for _, c := range countries {
		if !c.IsDir() {
			continue
		}
		cdir := filepath.Join(dir, c.Name())
		var meta map[string]struct {
			URL       string `json:"url"`
			CrawlDate string `json:"crawl_date"`
		}
		if b, err := os.ReadFile(filepath.Join(cdir, "meta.info")); err == nil {
			if err := json.Unmarshal(b, &meta); err != nil {
				return nil, 0, fmt.Errorf("fundus: %s/meta.info: %w", c.Name(), err)
			}
		}
		files, err := filepath.Glob(filepath.Join(cdir, "*.html.gz"))
		if err != nil {
			return nil, 0, fmt.Errorf("fundus: %w", err)
		}
		byPublisher := map[string][]string{}
		for _, f := range files {
			base := filepath.Base(f)
			i := strings.Index(base, "_")
			if i < 0 {
				continue
			}
			byPublisher[base[:i]] = append(byPublisher[base[:i]], base)
		}
		for pub, names := range byPublisher {
			b, err := os.ReadFile(filepath.Join(cdir, pub+".json"))
			if err != nil {
				skipped += len(names)
				continue
			}
			var versions map[string]fundusEntry
			if err := json.Unmarshal(b, &versions); err != nil {
				return nil, 0, fmt.Errorf("fundus: %s/%s.json: %w", c.Name(), pub, err)
			}
			keys := make([]string, 0, len(versions))
			for k := range versions {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool { return versionLess(keys[i], keys[j]) })
			sort.Slice(names, func(i, j int) bool {
				return meta[names[i]].CrawlDate+names[i] < meta[names[j]].CrawlDate+names[j]
			})
			for i, name := range names {
				html, err := readMaybeGzip(filepath.Join(cdir, name))
				if err != nil {
					return nil, 0, fmt.Errorf("fundus: %w", err)
				}
				var e fundusEntry
				if len(keys) == len(names) {
					e = versions[keys[i]]
				} else {
					found := 0
					for _, k := range keys {
						if t := versions[k].Title; t != "" && containsTitle(html, t) {
							e = versions[k]
							found++
						}
					}
					if found != 1 {
						skipped++
						continue
					}
				}
				pages = append(pages, fundusPage(c.Name()+"/"+name, meta[name].URL, html, e))
			}
		}
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages, skipped, nil
}

// versionLess orders fundus version keys V1 < V1_1 < V2 < V10.
func versionLess(a, b string) bool {
	pa, pb := versionParts(a), versionParts(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

func versionParts(v string) []int {
	var out []int
	for _, p := range strings.Split(strings.TrimPrefix(v, "V"), "_") {
		n := 0
		for _, r := range p {
			if r >= '0' && r <= '9' {
				n = n*10 + int(r-'0')
			}
		}
		out = append(out, n)
	}
	return out
}

// containsTitle tells whether the page holds the title's first words
// (HTML escapes aside, white space folded).
func containsTitle(html []byte, title string) bool {
	words := strings.Fields(title)
	if len(words) > 6 {
		words = words[:6]
	}
	return bytes.Contains(bytes.Join(bytes.Fields(html), []byte(" ")), []byte(strings.Join(words, " ")))
}

func fundusPage(id, url string, html []byte, e fundusEntry) Page {
	p := Page{ID: id, URL: url, HTML: html, Title: e.Title, Authors: e.Authors}
	if len(e.PublishingDate) >= 10 {
		p.Date = e.PublishingDate[:10]
	}
	if e.Body != nil {
		var paras []string
		paras = append(paras, e.Body.Summary...)
		for _, s := range e.Body.Sections {
			paras = append(paras, s.Headline...)
			paras = append(paras, s.Paragraphs...)
		}
		p.Truth = strings.Join(paras, "\n\n")
	}
	return p
}
