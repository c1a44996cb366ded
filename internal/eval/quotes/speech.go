package quotes

import (
	"strings"
	"unicode"
)

// SpeechVerbs are the lemmas of the cues scored as speech. A gold cue is
// speech when one of its words is a form of one of them, when it holds
// "according to", or when it is a colon.
var SpeechVerbs = []string{
	"say", "tell", "add", "write", "ask", "tweet", "note", "report",
	"announce", "explain", "state", "claim", "insist", "warn", "reply",
	"respond", "answer", "argue", "declare", "acknowledge", "admit",
	"comment", "remark", "assert", "contend", "recall", "continue", "quip",
	"joke", "post", "testify", "confirm", "deny", "repeat", "emphasize",
	"stress", "complain", "promise", "predict", "mention", "observe",
	"retort", "shout", "yell", "exclaim", "concede", "boast",
	"brag", "scoff", "vow", "pledge", "reiterate", "elaborate", "caution",
	"lament", "muse", "counter", "interject", "chant", "proclaim",
	"disclose", "reveal", "inform", "tout", "recount", "allege", "maintain",
	"pronounce", "speak", "email", "blog", "retweet",
}

// irregular forms of the speech verbs.
var irregular = map[string]string{
	"said": "say", "told": "tell", "wrote": "write", "written": "write",
	"spoke": "speak", "spoken": "speak",
}

var speechForms = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range SpeechVerbs {
		m[v] = true
		m[v+"s"] = true
		m[v+"es"] = true
		stem := v
		if strings.HasSuffix(v, "e") {
			stem = v[:len(v)-1]
		}
		m[stem+"ed"] = true
		m[stem+"ing"] = true
		if strings.HasSuffix(v, "y") && !strings.HasSuffix(v, "ay") {
			y := v[:len(v)-1]
			m[y+"ies"] = true
			m[y+"ied"] = true
		}
	}
	for _, f := range []string{"admitted", "admitting", "quipped", "quipping", "says", "saying"} {
		m[f] = true
	}
	for f := range irregular {
		m[f] = true
	}
	return m
}()

// IsSpeechCue reports whether a cue (its text, pieces joined) is a speech
// cue: a speech verb form among its words, "according to", or a colon.
func IsSpeechCue(cue string) bool {
	c := strings.ToLower(strings.TrimSpace(cue))
	if c == "" {
		return false
	}
	if strings.Trim(c, ":—–- ") == "" && strings.Contains(c, ":") {
		return true
	}
	if strings.Contains(c, "according to") {
		return true
	}
	for _, w := range strings.FieldsFunc(c, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if speechForms[w] {
			return true
		}
	}
	return false
}
