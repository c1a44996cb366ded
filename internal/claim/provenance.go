package claim

import (
	"regexp"
	"sort"
	"strings"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/text"
)

// How an article got what it attributes to another outlet or medium.
const (
	ViaInterview = "interview" // "told Reuters", "in an interview with Bloomberg"
	ViaReport    = "report"    // "Bloomberg reported", "according to Bloomberg", "UNN reports"
	ViaPost      = "post"      // "in a post on Truth Social"
)

// Citation is an outlet or medium an article attributes information to:
// UNN's article says Zelenskyy spoke "in an interview with Bloomberg".
type Citation struct {
	Article  string // the citing article's ID
	Outlet   string // the citing article's outlet; "" when unknown
	Cited    string // the outlet or medium cited: "Bloomberg", "Truth Social"
	How      string // ViaInterview, ViaReport or ViaPost
	Sentence string
}

// media are outlets and platforms known by name.
var media = map[string]bool{}

func init() {
	for _, m := range strings.Split(`Reuters|Bloomberg|Associated Press|AP|AFP|Agence France-Presse|CNN|BBC|Sky News|Fox News|NBC|NBC News|CBS|CBS News|ABC|ABC News|NPR|PBS|MSNBC|Al Jazeera|Politico|Axios|The New York Times|New York Times|The Washington Post|Washington Post|The Wall Street Journal|Wall Street Journal|Financial Times|The Guardian|Guardian|The Times|The Telegraph|The Economist|The Independent|Daily Mail|Le Monde|Le Figaro|Der Spiegel|Spiegel|Die Welt|Bild|Süddeutsche Zeitung|Frankfurter Allgemeine|El País|Corriere della Sera|ANSA|dpa|DPA|EFE|Xinhua|TASS|RIA Novosti|Interfax|Kommersant|RBC|Meduza|Novaya Gazeta|UNN|Ukrinform|Ukrainska Pravda|Kyiv Independent|Kyiv Post|Espreso|Suspilne|Hromadske|RFE/RL|Radio Free Europe|Radio Liberty|Voice of America|Deutsche Welle|DW|Euronews|France 24|Nikkei|Kyodo|Yonhap|CNBC|Newsweek|Time|The Atlantic|Semafor|The Hill|Business Insider|Insider|Forbes|Bloomberg News|Reuters news agency|Truth Social|Telegram|Facebook|Twitter|Instagram|YouTube|TikTok|X`, "|") {
		media[m] = true
	}
}

// mediaLike ends the names of outlets the list does not know.
var mediaLike = regexp.MustCompile(`(?:News|Times|Post|Journal|Agency|TV|Radio|Press|Media|Telegraph|Guardian|Herald|Daily|Gazette|Tribune|Wire|Courier|Pravda|Zeitung|Channel|Broadcasting)$`)

var (
	// before the name: "told", "in an interview with", "according to"
	beforeRE = regexp.MustCompile(`(?i)(?:(interview (?:with|to)|told|speaking to|spoke to|talking to|said to)|(according to|citing|cited by|reported by|quoted by|published by|as reported by|reports? (?:by|in|from)|(?:said|wrote|told) in)|(posts? on|(?:statement|video|message|address) on|wrote on|posted on|published on))\s+(?:the\s+)?$`)
	// after the name: "reported", "reports", ", citing its sources, reported"
	afterRE = regexp.MustCompile(`^(?:['’]s)?(?:\s*,\s*citing [^,]{1,60},)?\s+(?:has |had |first |also |later )?(reported|reports|reporting|wrote|writes|cited|quoted|learned|learnt|published|said|says|writes)\b`)
	// a platform only counts after "on": "a post on X"
	platforms = map[string]bool{"Truth Social": true, "Telegram": true, "Facebook": true, "Twitter": true,
		"Instagram": true, "YouTube": true, "TikTok": true, "X": true}
	mediaRE *regexp.Regexp
)

func init() {
	names := make([]string, 0, len(media))
	for m := range media {
		names = append(names, regexp.QuoteMeta(m))
	}
	// longest first, so "Bloomberg News" wins over "Bloomberg"
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	mediaRE = regexp.MustCompile(`\b(?:` + strings.Join(names, "|") + `)\b`)
}

// Citations finds the outlets and media each article attributes
// information to: one citation per article, cited name and way, in the
// order of the text. An article naming its own outlet ("UNN reports" in
// UNN's article) is not a citation. res is the entity resolution of the
// same articles (organisations it found count as media when a verb of
// reporting or an interview says they are).
func Citations(articles []storyline.Article, res entity.Result) []Citation {
	var out []Citation
	for i, a := range articles {
		body := a.Text
		if len(body) > maxTextBytes {
			body = body[:maxTextBytes]
		}
		// the organisations the entity stage found, by offset
		var orgs [][2]int
		if i < len(res.Mentions) {
			for _, m := range res.Mentions[i] {
				if m.Entity >= 0 && m.Entity < len(res.Entities) && res.Entities[m.Entity].Type == storyline.Organization && m.End <= len(body) {
					orgs = append(orgs, [2]int{m.Start, m.End})
				}
			}
		}
		seen := map[string]bool{}
		self := text.Fold(a.Outlet)
		off := 0
		for _, para := range strings.Split(body, "\n\n") {
			for _, s := range text.Sentences(para) {
				start := off + s.Start
				for _, c := range sentenceCitations(s.Text, start, orgs) {
					if f := text.Fold(c.Cited); self != "" && (strings.Contains(self, f) || strings.Contains(f, self)) {
						continue
					}
					key := c.Cited + "\x00" + c.How
					if seen[key] {
						continue
					}
					seen[key] = true
					c.Article, c.Outlet, c.Sentence = a.ID, a.Outlet, strings.TrimSpace(s.Text)
					out = append(out, c)
				}
			}
			off += len(para) + 2
		}
	}
	return out
}

// sentenceCitations finds the citations of one sentence that starts at
// byte offset start of the text; orgs are the organisations' spans there.
func sentenceCitations(s string, start int, orgs [][2]int) []Citation {
	type cand struct {
		s, e  int
		known bool
	}
	var cands []cand
	for _, m := range mediaRE.FindAllStringIndex(s, 20) {
		cands = append(cands, cand{m[0], m[1], true})
	}
	for _, o := range orgs {
		if o[0] >= start && o[1] <= start+len(s) {
			cands = append(cands, cand{o[0] - start, o[1] - start, false})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].s < cands[j].s })
	var out []Citation
	lastEnd := -1
	for _, c := range cands {
		if c.s < lastEnd {
			continue // an organisation span inside a known name
		}
		name := s[c.s:c.e]
		mediumLike := c.known || mediaLike.MatchString(name)
		before := s[max(0, c.s-40):c.s]
		how := ""
		if m := beforeRE.FindStringSubmatch(before); m != nil {
			switch {
			case m[1] != "":
				how = ViaInterview
			case m[2] != "" && mediumLike:
				how = ViaReport
			case m[3] != "" && (platforms[name] || mediumLike):
				how = ViaPost
			}
		}
		if how == "" {
			if m := afterRE.FindStringSubmatch(s[c.e:]); m != nil {
				verb := strings.ToLower(m[1])
				if verb == "said" || verb == "says" {
					if mediumLike && !platforms[name] {
						how = ViaReport
					}
				} else if !platforms[name] {
					how = ViaReport
				}
			}
		}
		if how == "" || platforms[name] && how != ViaPost || name == "X" && how != ViaPost {
			continue
		}
		if how == ViaInterview && !mediumLike {
			// "told reporters" is no outlet; an organisation told something
			// is a medium only when the entity stage found it and it is
			// not a state body — keep those whose name reads as an outlet
			continue
		}
		lastEnd = c.e
		out = append(out, Citation{Cited: name, How: how})
	}
	return out
}
