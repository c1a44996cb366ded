package plaintext

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus"
)

// patterns are every pattern of the cleaner, by name.
func patterns() map[string]*pattern {
	m := map[string]*pattern{
		"captionCredit": captionCredit, "domainLine": domainLine, "bioRE": bioRE, "relatedMarker": relatedMarker,
		"dateOnly": dateOnly, "bylineRE": bylineRE, "nameOnly": nameOnly, "selfReport": selfReport,
		"roleOnly": roleOnly, "datePrefix": datePrefix, "timeOnly": timeOnly, "hasZone": hasZone, "dateLabel": dateLabel,
	}
	for i, r := range lineRules {
		m[fmt.Sprintf("lineRules[%d] (%s)", i, r.reason)] = r.re
	}
	return m
}

func TestLeadBytes(t *testing.T) {
	tests := []struct {
		expr string
		any  bool
		lead string // bytes that must be in the set
		not  string // bytes that must not be
	}{
		{`^\d+$`, false, "0189", "aA /\xc2"},
		{`(?i)^share`, false, "sS\xc5", "hH\xe2"},        // ſ (U+017F) folds to s
		{`(?i)^(?:kiosk|ad)$`, false, "kKaA\xe2", "sS"},  // K (U+212A) folds to k
		{`^\p{Lu}`, false, "AZ\xc3\xd0\xe1\xf0", "az09"}, // upper-case letters up to the supplementary planes
		{`^[^a]`, false, "b\x00\x80\xff", "a"},           // U+FFFD: any invalid byte
		{`^(?:©|\(c\))`, false, "\xc2(", "cC\xa9"},
		{`^a*`, true, "", ""},        // matches the empty string
		{`^(?:x|.*y)`, true, "", ""}, // starts with any character
		{`x`, true, "", ""},          // not anchored
		{`(?:^x|^y)`, true, "", ""},  // anchored in each branch only: not read
	}
	for _, tt := range tests {
		p := &pattern{}
		if any := !p.readLead(tt.expr); any != tt.any {
			t.Errorf("%s: any = %v, want %v", tt.expr, any, tt.any)
			continue
		}
		for _, b := range []byte(tt.lead) {
			if !p.lead.has(b) {
				t.Errorf("%s: %q not a lead byte", tt.expr, b)
			}
		}
		for _, b := range []byte(tt.not) {
			if p.lead.has(b) {
				t.Errorf("%s: %q a lead byte", tt.expr, b)
			}
		}
	}
}

func TestSecondBytes(t *testing.T) {
	tests := []struct {
		expr      string
		first     byte
		want, not string
	}{
		{`(?i)^(?:share|the)\b`, 't', "hH", "xs \xc5"},
		{`(?i)^(?:share|the)\b`, 's', "hH", "t"},
		{`(?i)^(?:ask|b)`, 'a', "sS\xc5", "k"}, // ſ
		{`^a(?:\b|x)\s*z`, 'a', "x z\t", "b"},  // through \b and \s*
		{`^a`, 'a', "\x00b\xff", ""},           // a match may end after a: anything may follow
		{`^a[^b]`, 'a', "a\x80\xff", "b"},      // any invalid byte reads as U+FFFD
	}
	for _, tt := range tests {
		p := mustPattern(tt.expr)
		for _, b := range []byte(tt.want) {
			if !p.second[tt.first].has(b) {
				t.Errorf("%s: %q not a second byte after %q", tt.expr, b, tt.first)
			}
		}
		for _, b := range []byte(tt.not) {
			if p.second[tt.first].has(b) {
				t.Errorf("%s: %q a second byte after %q", tt.expr, b, tt.first)
			}
		}
	}
}

// trickyLines are lines on the edges of the patterns' pre-tests.
var trickyLines = []string{
	"Crane at the quay. John Smith/ \tReuters", "John Smith/\t Reuters.", "John Smith/ R \tX", "a. photo by x. y", "photo by John. Smith",
	"Jane Doe/Reuters/ AP", "Jane Doe/ reuters", "Jane Doe/Reuters..", "Jane Doe/.", "Jane Doe/Ünal Ärz", "x/caf\xe9 B",
	"", " ", "S", "X", "x", "1", "12", "1:", "Sh", "Tw", "(c", "©", "•", "• Related", "- More from x", "0:00", "12:37", "12:37 PM", "1:02:03 / 4:05:06", "Play video", "ſhare", "Share on X", "SHARE:",
	"© 2024 Harbour Times", "(c) Reuters", "(C) 2024", "Copyright 2024", "copyright", "All rights reserved.",
	"Harbour Times. All Rights Reserved", "all rights reserveD.", "all rights reserved..", "xall rights reserved",
	"Photo: Jane Doe", "PHOTO by Jane Doe.", "A crane on the quay (Photo: Harbour Authority)", "Jane Doe/Reuters", "Jane Doe / Getty Images.", "AP/ Jane van Doe", "24/7 news", "Jane Doe/Reuters..", "Jane Doe/",
	"Jane Doe/\tÉmile Zola", "The bigger picture is clear.", "A crane. Picture courteſy of the port", "A crane (PICTURE: port)",
	"A crane. IMAGE CREDIT: the port.", "photo  by Jane", "photoby Jane", "A crane (photo: port) ", "Photo by Jane. More.",
	"Jane Doe is a senior reporter for The Daily Planet", "Jane\tDoe was the chief editor at Harbour Times.", "O’Neil-Smith Jones has been a freelance journalist",
	"Jane doe is a reporter", "J Doe is a reporter", "Jane  Doe is a reporter", "Jane Doe has been a reporter", "Jane Ann Doe is a reporter",
	"Mary Jane Ann Doe was the editor", "Mary Jane Ann Doe Lee is a reporter", "Jane Doe is\ta reporter", "Jane Doe isn't a reporter", "Jane Doe is",
	"Copyright© x", "(C) x", "(c x", "COPYRIGHT", "Crane at the quay", "news.sky.com/", "news sky.com", "ab.ſu", "K.com", "Jane Doe/émile", "Jane Doe/Reuters/AP", "a/b/Jane Doe", "Jane Doe/Ann2",
	"A crane. Picture courtesy of the port", "İmage by Jane", "news.sky.com", "https://www.example.co.uk/",
	"By Jane Doe", "by JANE DOE", "Jane Doe", "Jane van Doe", "Senior Reporter", "Kelvin", "\u212aelvin",
	"Jane Doe is a senior reporter for The Daily Planet.", "Wednesday", "24 January, 2025 Friday",
	"Jan. 22, 2025 10:15 am ET", "date 2025-01-23 The harbour reopened.", "Updated: 2025-01-23T10:00:00Z",
	"Related news", "• Read more: the crane", "Tags: harbour", "Topics:", "ADVERTISEMENT", "td_block_x",
	"\xff\xfe", "\xc3", "\x00", "caf\xe9", "Harbour, the council reports.", "The crane came down, UNN reports.", "2025-01-23T10:00:00Z", "Friday 10:45 GMT",
	"Sponsored content", "Photo credit", "Author:", "Date", "Most read:", "Read more: Crane comes down", "Cancel reply", "Pause", "Follow us on Facebook:",
}

func checkPatterns(t *testing.T, lines []string) {
	t.Helper()
	for _, s := range lines {
		if got, want := isCaptionCredit(s), captionCredit.Regexp.MatchString(s); got != want {
			t.Errorf("isCaptionCredit(%q) = %v, the expression alone %v", s, got, want)
		}
	}
	for name, p := range patterns() {
		for _, s := range lines {
			if got, want := p.MatchString(s), p.Regexp.MatchString(s); got != want {
				t.Errorf("%s on %q: %v, the expression alone %v", name, s, got, want)
			}
			if got, want := p.FindStringSubmatch(s), p.Regexp.FindStringSubmatch(s); !reflect.DeepEqual(got, want) {
				t.Errorf("%s on %q: submatches %q, the expression alone %q", name, s, got, want)
			}
		}
	}
}

// The pre-tests only skip lines the expressions cannot match.
func TestPatternsDecideAsTheirExpressions(t *testing.T) {
	lines := append([]string(nil), trickyLines...)
	for _, s := range trickyLines {
		lines = append(lines, strings.ToUpper(s), strings.ToLower(s), s+" ", "x"+s, s+".")
	}
	checkPatterns(t, lines)
	// the lines reach every pattern's regexp
	for name, p := range patterns() {
		matched := false
		for _, s := range lines {
			matched = matched || p.Regexp.MatchString(s)
		}
		if !matched {
			t.Errorf("%s matches none of the lines", name)
		}
	}
}

// and on every line of the seed scrapes
func TestPatternsOnSeeds(t *testing.T) {
	var lines []string
	for _, b := range corpus.Files(t, 100, 1<<20, false, "seeds") {
		for _, l := range splitLines(string(b)) {
			lines = append(lines, l.text, strings.TrimSpace(strings.TrimLeft(l.text, "•·*▪►»|")))
		}
	}
	checkPatterns(t, lines)
}

// and on random lines made of the pieces the patterns and their pre-tests
// look at: names, roles, template markers, report verbs, every kind of
// white space, case variants outside ASCII and broken UTF-8
func TestPatternsOnRandomLines(t *testing.T) {
	parts := []string{"Jane", "Doe", "O'Neil", "Smith-Jones", "J.", "de", "van", "al", " ", "  ", "\t", "\n", "\f", "\r", "\v", "\u00a0",
		"senior ", "Chief ", "staff ", "reporter", "REPORTER", "writer", "analyst", "correspondent", "s", "S", "ſ", "K", "editor",
		"spot_img", "td_block", "{{", "}}", "<%", "%>", "list_title", "/", ".", "_", "-", "a", "x", ", ", ",", "UNN", "the ", "The ",
		"reports.", "informs.", "writes.", "reports", "is a", " was the ", " has been a ", "is ", "2025-01-23", "Jan", "10:45", "Monday", "photo", "\xff", "\xc5",
		"Image", "PICTURE", " by", " By ", "credit", " courtesy of", "(", ")", "/Reuters", "/", ": ", "Getty"}
	r := rand.New(rand.NewPCG(3, 4))
	lines := make([]string, 0, 6000)
	// every other line is words and white space alone, as names and roles are
	words := []string{"Jane", "Doe", "J.", "de", "Senior", "reporter", "Writers", "x", "UNN", "reports.", "/", "Smith/", "Photo by", "image credit", "."}
	spaces := []string{" ", "  ", "\t", "\n", "\f", "\r", "\v", "\u00a0", "\t "}
	for i := range 6000 {
		var b strings.Builder
		for j := 1 + r.IntN(8); j > 0; j-- {
			if i%2 == 0 {
				b.WriteString(parts[r.IntN(len(parts))])
			} else {
				b.WriteString(words[r.IntN(len(words))])
				b.WriteString(spaces[r.IntN(len(spaces))])
			}
		}
		lines = append(lines, strings.TrimRight(b.String(), " "))
	}
	checkPatterns(t, lines)
}

func FuzzPatterns(f *testing.F) {
	for _, s := range trickyLines {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkPatterns(t, []string{s}) })
}
