package html

import (
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
