package plaintext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reasons given for removed lines. They are shown to users for audit, so
// they say what the line was, not which rule fired.
const (
	ReasonMasthead   = "masthead"
	ReasonDate       = "date line"
	ReasonByline     = "byline"
	ReasonLabel      = "empty metadata label"
	ReasonVideo      = "video player residue"
	ReasonTime       = "timestamp"
	ReasonCaption    = "photo caption or credit"
	ReasonBio        = "author bio"
	ReasonRelated    = "related-content list"
	ReasonRelatedOne = "related-content link"
	ReasonComment    = "comment form"
	ReasonShare      = "share or subscribe widget"
	ReasonTemplate   = "template residue"
	ReasonTags       = "tags line"
	ReasonCredit     = "source credit"
	ReasonRepeat     = "repeated headline"
	ReasonAd         = "advertisement"
	ReasonCopyright  = "copyright notice"
)

// lineRule removes a whole line that matches re.
type lineRule struct {
	re     *pattern
	reason string
}

// lineRules are boilerplate lines recognised by their text alone. Each
// pattern matches the whole (trimmed) line, case-insensitively where the
// (?i) flag says so.
var lineRules = []lineRule{
	{mustPattern(`^(?:0?0:00|(\d{1,2}:)?\d{1,2}:\d{2}\s*/\s*(\d{1,2}:)?\d{1,2}:\d{2})$`), ReasonVideo},
	{mustPattern(`(?i)^\d{1,2}:\d{2}(\s*(am|pm))?$`), ReasonTime},
	{mustPattern(`(?i)^(play|pause|mute|unmute|watch|listen)( (video|now|to this article|the video))?:?$`), ReasonVideo},
	{mustPattern(`(?i)^(leave a reply|leave a comment|post a comment|add a comment|comments?|\d+ comments?|please enter your (comment|name|email)( (address )?here)?!?|you have entered an incorrect email address!?|save my name, email,.*|cancel reply|log in to comment)$`), ReasonComment},
	{mustPattern(`(?i)^(share( (post|this( article| story)?|on (facebook|twitter|x|linkedin|whatsapp|telegram)))?:?|subscribe( now| to our newsletter)?!?|sign up( for( our)? newsletters?)?|follow us( on [\w ]+)?:?|facebook|twitter|x|linkedin|whatsapp|telegram|email|print|copy link|pinterest|reddit)$`), ReasonShare},
	{mustPattern(`^(?:[\w-]*(spot_img|td_block|list_title|\{\{|\}\}|<%|%>)[\w./-]*|[a-z_]+/[a-z_]+\.[a-z_]+)$`).withNeed(noSpace), ReasonTemplate},
	{mustPattern(`(?i)^(?:tags?:.*|topics?:)$`), ReasonTags},
	{mustPattern(`(?i)^(also read|read also|read more|see also|related( articles?| stories| news)?|more like this|you may also like|recommended( for you)?|popular( now| stories)?|most read|trending( now)?|more news|more stories|latest news|top stories|more from [\w .]+)\s*[:|]\s*\S.*$`), ReasonRelatedOne},
	{mustPattern(`(?i)^(advertisement|advertising|sponsored( content)?|ad)$`), ReasonAd},
	{mustPattern(`(?i)^(?:(©|\(c\)|copyright\b).*|.*\ball rights reserved\.?$)`).withNeed(mayBeCopyright), ReasonCopyright},
	{mustPattern(`(?i)^(date|updated|published|posted|last updated|modified|by|author|source|photo|image|credit):?$`), ReasonLabel},
	{mustPattern(`(?i)^(photo|image|picture|credit|photograph|illustration)( credit)?:\s.*$`), ReasonCaption},
}

// relatedMarker opens a related-content block: the marker line and the list
// of headlines, times and labels after it are removed together.
var relatedMarker = mustPattern(`(?i)^[•·*\-–—\s]*(also read|read also|read more|see also|related( articles| stories| news| posts)?|more like this|you may also like|you might also like|recommended( for you| stories)?|popular( now| posts| stories)?|most (read|popular|viewed)|trending( now)?|more news|more stories|latest( news| stories)?|top stories|editor'?s picks|more from [\w .]+)\s*:?$`)

// mayBeCopyright tells whether a line can match the copyright rule: it
// starts with "©", "(c)" or "copyright", or ends in "ved" or "ved." (the
// end of "all rights reserved."), in any case. Only k and s among the ASCII
// letters have case variants outside ASCII (the Kelvin sign, the long s),
// so the rule's case-insensitive match needs these ASCII bytes.
func mayBeCopyright(t string) bool {
	if strings.HasPrefix(t, "©") || hasPrefixFold(t, "(c)") || hasPrefixFold(t, "copyright") {
		return true
	}
	t = strings.TrimSuffix(t, ".")
	return len(t) >= 3 && strings.EqualFold(t[len(t)-3:], "ved")
}

// isCaptionCredit tells whether a line ends with a photo credit. The
// pattern is costly on long paragraphs since it is not anchored at the
// start, so it only runs on lines that can match one of its branches: a
// name after the line's last slash (the first branch: the credit ends the
// line, so its slash is the last one), or one of the words photo, image and
// picture, followed by " by", " credit" or " courtesy" or in a line that
// ends with a bracket (the other two).
func isCaptionCredit(t string) bool {
	if !mayBeSlashCredit(t) && !mayBeWordCredit(t) {
		return false
	}
	return captionCredit.MatchString(t)
}

// mayBeWordCredit tells whether t can match the second or third branch of
// captionCredit: "(photo: …)" at the end, or "photo by", "image credit",
// "picture courtesy of" and the like, in any case. (Of "courtesy", the
// test reads "courte": an "s" also matches the long s, "ſ".) It looks for
// the words after each space, and only in a line that ends with a bracket
// for the words alone.
func mayBeWordCredit(t string) bool {
	if strings.HasSuffix(t, ")") {
		return hasCreditWord(t)
	}
	// the match holds no full stop but a last one: it is in the text's
	// last sentence
	from := strings.LastIndexByte(strings.TrimSuffix(t, "."), '.') + 1
	// a space between the last letter of a word (o or e) and the first of
	// the next (b or c) comes first: most spaces are not
	for k := max(1, from); k+1 < len(t); k++ {
		if t[k] != ' ' {
			continue
		}
		switch t[k+1] {
		case 'b', 'B', 'c', 'C':
		default:
			continue
		}
		switch t[k-1] {
		case 'o', 'O', 'e', 'E':
		default:
			continue
		}
		after := t[k:]
		if (hasPrefixFold(after, " by") || hasPrefixFold(after, " credit") || hasPrefixFold(after, " courte")) && endsWithCreditWord(t[:k]) {
			return true
		}
	}
	return false
}

var creditWords = [...]string{"photo", "image", "picture"}

// hasCreditWord tells whether t holds photo, image or picture, in any case.
func hasCreditWord(t string) bool {
	for i := range len(t) {
		for _, w := range creditWords {
			if hasPrefixFold(t[i:], w) {
				return true
			}
		}
	}
	return false
}

// endsWithCreditWord tells whether t ends with photo, image or picture, in any case.
func endsWithCreditWord(t string) bool {
	for _, w := range creditWords {
		if len(t) >= len(w) && hasPrefixFold(t[len(t)-len(w):], w) {
			return true
		}
	}
	return false
}

// mayBeSlashCredit tells whether what follows the last slash of t can be
// the end of captionCredit's first branch: optional ASCII spaces, then an
// upper-case letter, then only letters and spaces, with an optional full
// stop at the end. It reads t from its end: the letters and spaces, then
// the white space before them, then the slash, and stops at the first
// character of another kind (a prose line's last comma or full stop).
func mayBeSlashCredit(t string) bool {
	j := len(strings.TrimSuffix(t, "."))
	k := j // t[k:j] is letters and spaces
	for k > 0 {
		c := t[k-1]
		if c == ' ' || 'a' <= c|0x20 && c|0x20 <= 'z' {
			k--
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, size := utf8.DecodeLastRuneInString(t[:k])
		if !unicode.IsLetter(r) {
			break
		}
		k -= size
	}
	m := k // t[m:k] is the white space after the slash
	for m > 0 && strings.IndexByte("\t\n\f\r ", t[m-1]) >= 0 {
		m--
	}
	if m == 0 || t[m-1] != '/' {
		return false
	}
	rest := strings.TrimLeft(t[m:j], "\t\n\f\r ")
	r, _ := utf8.DecodeRuneInString(rest)
	return rest != "" && unicode.IsUpper(r)
}

// hasPrefixFold tells whether s starts with word in any case. word is
// lower-case ASCII without k or s: those letters' only case variants are
// ASCII ones, and a case-insensitive pattern goes by them.
func hasPrefixFold(s, word string) bool {
	if len(s) < len(word) {
		return false
	}
	for i := 0; i < len(word); i++ {
		c, w := s[i], word[i]
		if c != w && !('a' <= w && w <= 'z' && c == w-('a'-'A')) {
			return false
		}
	}
	return true
}

// captionCredit is a photo credit at the end of a caption: "… Name Surname/Reuters".
var captionCredit = mustPattern(`(?:\b\p{Lu}[\p{L}'’-]+\s+\p{Lu}[\p{L}'’-]+|\b(?:AP|AFP|EPA|Getty|Reuters|Shutterstock))\s*/\s*(?:Reuters|AP|AFP|EPA|Getty Images|Getty|Shutterstock|Bloomberg|Alamy|Sipa|Pool|[\p{Lu}][\p{L}]+(?: [\p{Lu}][\p{L}]+){0,2})\.?$|(?i)\((?:photo|image|picture): [^)]*\)$|(?i)\b(?:photo|image|picture) (?:by|credit|courtesy of)\b[^.]*\.?$`)

// domainLine is a source credit that is only a host name ("news.sky.com").
var domainLine = mustPattern(`(?i)^(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:com|org|net|co\.uk|uk|news|info|io|eu|ua|ru|de|fr|in|au|ca|us|tv|today|global|media))/?$`).withNeed(noSpace)

// noSpace tells whether a line holds no space, as a host name.
func noSpace(t string) bool { return strings.IndexByte(t, ' ') < 0 }

// dateOnly matches a line that is nothing but a date, weekday or time, in
// the usual forms: "2025-01-23", "24 January, 2025 Friday", "12:37",
// "2025, Monday", "10 February", "Jan. 22, 2025 10:15 am ET".
var dateOnly = mustPattern(`(?i)^(?:` +
	`(?:date|published|posted|updated|last updated|modified)?:?\s*` +
	`(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?` +
	`(?:\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:z|[+-]\d{2}:?\d{2})?)?` +
	`|\d{1,2}[./]\d{1,2}[./]\d{2,4}` +
	`|\d{1,2}(?:st|nd|rd|th)?\s+` + monthRE + `,?(?:\s+\d{4})?` +
	`|` + monthRE + `\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?` +
	`|\d{4},?)` +
	`,?(?:\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?)?` +
	`(?:\s*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*(?:utc|gmt|[ecmp][sd]?t|bst|cet|cest|eet|eest|msk|kyiv time))?)?` +
	`|(?:\d{1,2}:\d{2})` +
	`|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*` +
	`)$`)

const monthRE = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`

// datePrefix is a date label fused to the first paragraph: "date 2025-01-23 President …".
var datePrefix = mustPattern(`(?i)^(?:date|published|posted|updated)?:?\s*(\d{4}-\d{2}-\d{2})\s+(\S.*)$`)

// timeOnly is a line holding only a clock time.
var timeOnly = mustPattern(`^\d{1,2}:\d{2}$`)

// hasZone tells whether a date string carries a time zone offset.
var hasZone = mustPattern(`(?i)(?:\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)\s*(?:z|[+-]\d{2}:?\d{2}|utc|gmt)\b|\d(?:z)$`)

// bylineRE is an explicit byline: "By Jane Doe" or "By Jane Doe and John Roe, Reuters".
var bylineRE = mustPattern(`^(?i:by)\s+(\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){1,3}(?:\s+(?i:and)\s+\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){1,3})?)(?:\s*[,|]\s*(.+))?$`)

// nameOnly is a line that is only a person's name: two to four capitalised words.
var nameOnly = mustPattern(`^\p{Lu}[\p{Ll}'’-]+(?:\s+(?:\p{Lu}\.|\p{Lu}[\p{Ll}'’-]+|(?:de|van|von|der|da|di|la|le|bin|al)\b)){1,3}$`).withNeed(fewSpaceRuns)

// fewSpaceRuns tells whether a line has at most three runs of the white
// space \s matches (tab, newline, form feed, carriage return, space), as a
// match of nameOnly has: its only white space is the \s+ before each of
// its second to fourth words. It stops at the fourth run: an article's
// paragraph is rejected within its first few words.
func fewSpaceRuns(t string) bool {
	runs, space := 0, false
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '\t', '\n', '\f', '\r', ' ':
			if !space {
				if runs++; runs > 3 {
					return false
				}
			}
			space = true
		default:
			space = false
		}
	}
	return true
}

// roleOnly is a staff-role label under a byline: "Reporter", "Senior Editor".
var roleOnly = mustPattern(`(?i)^(?:senior |chief |staff |contributing |deputy |managing |executive |political |foreign |special )*(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|author|photographer|producer|analyst)s?$`).withNeed(mayEndRole)

// mayEndRole tells whether a line can end as a match of roleOnly does: with
// the last letter of a role (r or t) or a plural s, in either case, or the
// long s "ſ" (U+017F, last byte 0xBF) that a case-insensitive s matches.
func mayEndRole(t string) bool {
	if t == "" {
		return false
	}
	switch t[len(t)-1] {
	case 'r', 'R', 't', 'T', 's', 'S', 0xbf:
		return true
	}
	return false
}

// bioRE starts an author bio: "Jane Doe is a senior reporter for The Daily Planet."
var bioRE = mustPattern(`^(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,3})\s+(?:is|was|has been)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|author|producer|freelancer|freelance journalist)\b(?:\s+(?:for|at|with)\s+(\p{Lu}[\p{L}'’&-]*(?:\s+\p{Lu}[\p{L}'’&-]*){0,4}))?`).withNeed(mayBeBio)

// mayBeBio tells whether a line starts as bioRE's matches do: two to four
// words that start with a capital letter, then "is", "was" or "has" and
// white space, the words separated by white space. A word here is a run of
// letters, apostrophes and hyphens: a name's word is followed by white
// space, none of its characters, so it is the longest run of them, and so
// are "is", "was" and "has". Most lines that start with two capitals ("The
// Prime Minister said …") fail it and never reach the regexp engine.
func mayBeBio(t string) bool {
	for names := 0; ; names++ {
		i := 0
		for i < len(t) {
			r, size := utf8.DecodeRuneInString(t[i:])
			if !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' {
				break
			}
			i += size
		}
		word := t[:i]
		j := i
		for j < len(t) && strings.IndexByte("\t\n\f\r ", t[j]) >= 0 {
			j++
		}
		if names >= 2 && (word == "is" || word == "was" || word == "has") {
			return j > i
		}
		if names == 4 || word == "" || j == i {
			return false
		}
		if r, _ := utf8.DecodeRuneInString(word); !unicode.IsUpper(r) {
			return false
		}
		t = t[j:]
	}
}

// selfReport is an outlet naming itself at the end of a sentence: "…, UNN reports."
var selfReport = mustPattern(`,\s+((?:the\s+)?\p{Lu}[\p{L}&.-]*(?:\s+\p{Lu}[\p{L}&.-]*){0,3})\s+(?:reports|informs|writes)\.$`).withNeed(endsReport)

// endsReport tells whether a line ends as a match of selfReport does (the
// expression is not anchored at the start: without this test the regexp
// engine would read every paragraph of the header).
func endsReport(t string) bool {
	return strings.HasSuffix(t, "reports.") || strings.HasSuffix(t, "informs.") || strings.HasSuffix(t, "writes.")
}
