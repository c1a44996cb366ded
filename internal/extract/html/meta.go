package html

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// titleSeps are the separators that join a headline to the site name in a
// page title: "Headline | Site", "Headline - Site", "見出し：新聞".
var titleSeps = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " • ", "：", " ｜ ", "ㅣ"}

var dateSegmentRE = regexp.MustCompile(`^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$`)

// CleanTitle drops what a page title adds to the headline: trailing
// segments naming the site (its name or its host, "| Golem.de", "- WELT",
// "– DW – 28.04.2023") and dates. A segment that is neither stays.
func CleanTitle(title, site, pageURL string) string {
	keys := siteKeys(site, pageURL)
	for range 4 {
		cut := -1
		for _, sep := range titleSeps {
			if i := strings.LastIndex(title, sep); i > cut && i > 0 {
				tail := strings.TrimSpace(title[i+len(sep):])
				if isSiteSegment(tail, keys, false) || dateSegmentRE.MatchString(tail) {
					cut = i
				}
			}
		}
		if cut <= 0 {
			break
		}
		title = strings.TrimSpace(title[:cut])
	}
	return title
}

// umlauts spell German letters the way host names do: boersen-zeitung.de.
var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "ae", "Ö", "oe", "Ü", "ue", "ß", "ss")

// squashKey folds a name to lower-case letters and digits without accents,
// for comparing "Börsen-Zeitung" with boersen-zeitung.de or "Seznam
// Zprávy" with seznamzpravy.cz.
func squashKey(s string) string {
	s = umlauts.Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if r, _, err := transform.String(t, s); err == nil {
		s = r
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// siteKeys are the squashed forms a site goes by: its name and the labels
// of its host ("golem.de" → golemde, golem).
func siteKeys(site, pageURL string) []string {
	var keys []string
	add := func(k string) {
		if len([]rune(k)) >= 2 {
			keys = append(keys, k)
		}
	}
	add(squashKey(site))
	if u, err := url.Parse(pageURL); err == nil && u.Hostname() != "" {
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		add(squashKey(host))
		labels := strings.Split(host, ".")
		for _, l := range labels[:max(0, len(labels)-1)] {
			if len(l) >= 2 && l != "www" && l != "com" && l != "co" && l != "news" {
				add(squashKey(l))
			}
		}
	}
	return keys
}

// isSiteSegment tells whether a title segment names the site: short, and
// its squashed form equals, contains or is contained in a site key. When
// strict (for author names), it must equal a key or start with a long one.
func isSiteSegment(seg string, keys []string, strict bool) bool {
	if seg == "" || len(strings.Fields(seg)) > 6 || len([]rune(seg)) > 48 {
		return false
	}
	s := squashKey(seg)
	if len([]rune(s)) < 2 {
		return false
	}
	for _, k := range keys {
		if strict {
			if s == k || (len([]rune(k)) >= 6 && strings.HasPrefix(s, k)) {
				return true
			}
			continue
		}
		if s == k || (len([]rune(k)) >= 3 && strings.HasPrefix(s, k)) || (len([]rune(k)) >= 4 && strings.Contains(s, k)) || (len([]rune(s)) >= 4 && strings.Contains(k, s)) {
			return true
		}
	}
	return false
}

var authorLabelRE = regexp.MustCompile(`(?i)^(?:by|von|autor(?:in)?|author|par|por|door|di|av|af)[:\s]+`)
var authorSuffixRE = regexp.MustCompile(`\s*기자$`)

// CleanAuthor drops labels such as "Autor" or "By" from a ';'-separated
// author list, and the entries naming the site ("한국일보; 신현주") when
// others name people. A byline that names only the outlet stays: the
// outlet is then the author, as the page says.
func CleanAuthor(author, site, pageURL string) string {
	keys := siteKeys(site, pageURL)
	var all, people []string
	for _, a := range strings.Split(author, ";") {
		a = strings.TrimSpace(a)
		a = strings.TrimSpace(authorLabelRE.ReplaceAllString(a, ""))
		a = strings.TrimSpace(authorSuffixRE.ReplaceAllString(a, ""))
		if a == "" {
			continue
		}
		all = append(all, a)
		if !isSiteSegment(a, keys, true) {
			people = append(people, a)
		}
	}
	if len(people) == 0 {
		return strings.Join(all, "; ")
	}
	return strings.Join(people, "; ")
}
