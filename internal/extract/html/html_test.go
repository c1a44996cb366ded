package html

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func page(charsetDecl, body string) string {
	return `<html><head>` + charsetDecl + `<title>Café Opens | Coast Times</title></head><body><nav>Home | News</nav><article>` +
		`<p>The new café in the harbour opened on Tuesday with a long queue of residents outside its doors, the owner told reporters.</p>` +
		`<p>` + body + `</p></article><footer>Subscribe</footer></body></html>`
}

func TestExtractEncodings(t *testing.T) {
	body := "She said the naïve idea of a seaside café had become real after two years of planning and saving."
	win, _ := charmap.Windows1252.NewEncoder().String(page(`<meta charset="windows-1252">`, body))
	tests := map[string]string{
		"utf-8 declared":                  page(`<meta charset="utf-8">`, body),
		"utf-8 undeclared":                page("", body),
		"utf-8 declared as latin-1 (lie)": page(`<meta charset="iso-8859-1">`, body),
		"windows-1252 declared":           win,
		"bogus charset":                   page(`<meta charset="x-bogus-9">`, body),
	}
	for name, p := range tests {
		res, err := Extract([]byte(p), "https://coasttimes.example/cafe")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		text := strings.Join(res.Paragraphs, "\n")
		if !strings.Contains(text, "naïve idea of a seaside café") || strings.Contains(text, "Ã") {
			t.Errorf("%s: text %q", name, text)
		}
		if res.Title != "Café Opens" {
			t.Errorf("%s: title %q", name, res.Title)
		}
		if strings.Contains(text, "Subscribe") || strings.Contains(text, "Home | News") {
			t.Errorf("%s: boilerplate kept: %q", name, text)
		}
	}
}

func TestExtractNoText(t *testing.T) {
	for _, p := range []string{"", "<html></html>", "<p>\x01 \x02 --</p>", "\x00\x01\x02"} {
		if _, err := Extract([]byte(p), ""); err == nil {
			t.Errorf("Extract(%q) gave no error", p)
		}
	}
}

// TestExtractShortPagesDoNotRepeat: on a page whose main text is short,
// go-trafilatura's rescue added the whole text again after the paragraphs
// it had found ("…\n\nCafé…" twice); that happened on pages with a broken
// charset and on UTF-16 pages, among others. Each paragraph comes once.
func TestExtractShortPagesDoNotRepeat(t *testing.T) {
	utf16 := []byte{0xff, 0xfe}
	for _, r := range "<p>Café on the quay reopens</p>" {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	tests := map[string]struct {
		page []byte
		want []string
	}{
		"broken charset": {[]byte("<html><head><meta charset=\"x-no-such-charset\"></head><body><p>Caf\xe9 on the quay reopened after the storm, the owner said.</p></body></html>"),
			[]string{"Café on the quay reopened after the storm, the owner said."}},
		"UTF-16 with a BOM": {utf16, []string{"Café on the quay reopens"}},
		"two short paragraphs": {[]byte("<html><body><p>The quay reopened.</p><p>The café too.</p></body></html>"),
			[]string{"The quay reopened.", "The café too."}},
	}
	for name, tt := range tests {
		res, err := Extract(tt.page, "https://coast.example/quay")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !slices.Equal(res.Paragraphs, tt.want) {
			t.Errorf("%s: paragraphs %q, want %q", name, res.Paragraphs, tt.want)
		}
	}
}

// TestExtractStripsBOM: U+FEFF (a byte order mark, or a zero-width
// no-break space) is no character of the text or of the metadata.
func TestExtractStripsBOM(t *testing.T) {
	page := "\ufeff<html><head><title>\ufeffBridge reopens\ufeff</title><meta name=\"author\" content=\"\ufeffMara Quill\">" +
		"<meta property=\"og:site_name\" content=\"Coast\ufeff Times\"></head><body><article>" +
		"<p>\ufeffThe harbour bridge reopened on\ufeff Tuesday after engineers replaced forty of its steel cables, the council said in a statement.</p>" +
		"<p>Residents had crossed by ferry for eleven weeks while crews worked through the night, and the ferry keeps its extra sailings for a week.\ufeff</p>" +
		"</article></body></html>"
	res, err := Extract([]byte(page), "https://coast.example/bridge")
	if err != nil {
		t.Fatal(err)
	}
	for what, s := range map[string]string{"text": strings.Join(res.Paragraphs, "\n"), "title": res.Title, "author": res.Author, "outlet": res.Outlet} {
		if strings.ContainsRune(s, '\ufeff') {
			t.Errorf("%s %q holds U+FEFF", what, s)
		}
	}
	if res.Title != "Bridge reopens" || res.Author != "Mara Quill" || res.Outlet != "Coast Times" ||
		len(res.Paragraphs) != 2 || !strings.HasPrefix(res.Paragraphs[0], "The harbour bridge reopened on Tuesday after") {
		t.Errorf("title %q, author %q, outlet %q, paragraphs %q", res.Title, res.Author, res.Outlet, res.Paragraphs)
	}
}

// TestExtractShortPagesKeepParagraphs: where go-trafilatura's main text is
// short it falls back to a page's JSON-LD articleBody or its <article>
// element as one block of text, gluing paragraphs together ("Ferries
// resumeBy Ola BrennThe ferries…"). Paragraph boundaries stay.
func TestExtractShortPagesKeepParagraphs(t *testing.T) {
	const p1, p2 = "The ferries run again after the storm damaged the pier, the operator said on Saturday.",
		"Extra sailings were added for the weekend."
	tests := map[string]string{
		"<article> with a headline and a byline": `<html><head><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-10-05T07:00:00Z","author":{"name":"Ola Brenn"}}</script>` +
			`<title>Ferries resume</title></head><body><article><h1>Ferries resume</h1><p>By Ola Brenn</p><p>` + p1 + `</p><p>` + p2 + `</p></article></body></html>`,
		"JSON-LD articleBody in lines": `<html><head><title>Ferries resume</title><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"` + p1 + `\n\n` + p2 + `"}</script></head>` +
			`<body><div>Ferries resume</div></body></html>`,
		"JSON-LD articleBody in HTML": `<html><head><title>Ferries resume</title><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"<p>` + p1 + `</p><p>` + p2 + `</p>"}</script></head>` +
			`<body><div>Ferries resume</div></body></html>`,
	}
	for name, page := range tests {
		res, err := Extract([]byte(page), "https://ferry.example/resume")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if want := []string{p1, p2}; !slices.Equal(res.Paragraphs, want) {
			t.Errorf("%s: paragraphs %q, want %q", name, res.Paragraphs, want)
		}
	}
}
