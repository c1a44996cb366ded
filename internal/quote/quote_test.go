package quote

import (
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// extract resolves the entities of one text and extracts its quotes.
func quotesOf(t *testing.T, text string) ([]Quote, entity.Result) {
	t.Helper()
	res := entity.Resolve([]entity.Doc{{ID: "a", Text: text}})
	return Extract(text, res.Mentions[0], res.Entities), res
}

func speakerName(q Quote, res entity.Result) string {
	if q.Entity < 0 {
		return ""
	}
	return res.Entities[q.Entity].Name
}

func find(qs []Quote, content string) *Quote {
	for i := range qs {
		if strings.Contains(qs[i].Text, content) {
			return &qs[i]
		}
	}
	return nil
}

func TestMarkStyles(t *testing.T) {
	for _, tc := range []struct{ name, open, close string }{
		{"curly", "“", "”"}, {"straight", `"`, `"`}, {"guillemets", "«", "»"}, {"german", "„", "“"},
		{"single", "‘", "’"}, {"mismatched", "“", "“"}, {"single guillemets", "‹", "›"},
	} {
		text := "Harbour Minister Elena Marsh spoke on Monday.\n\n" + tc.open + "The bridge will reopen before the summer season starts," + tc.close + " Marsh said."
		qs, res := quotesOf(t, text)
		q := find(qs, "The bridge will reopen before the summer season starts")
		if q == nil {
			t.Errorf("%s: quote not found: %+v", tc.name, qs)
			continue
		}
		if q.Kind != Direct || q.Cue != "said" || speakerName(*q, res) != "Elena Marsh" {
			t.Errorf("%s: %+v speaker %q", tc.name, *q, speakerName(*q, res))
		}
		if strings.ContainsAny(q.Text, "“”\"«»„‘’‹›") {
			t.Errorf("%s: marks left in the content %q", tc.name, q.Text)
		}
	}
}

func TestAttributionShapes(t *testing.T) {
	text := strings.Join([]string{
		"Harbour Minister Elena Marsh met Mayor Tom Reyes on Monday.",
		"Marsh said: “The repairs are finished and the cables are new.”",
		"“We will hold a ceremony on Friday,” said Reyes, “and everyone is invited to come.”",
		"“The council has paid for all of it,” he added.",
		"A senior council official said the budget had been kept.",
		"According to a harbour engineer, the deck will last another forty years.",
		"Marsh said on Tuesday that traffic would flow again by the weekend.",
		"The old bridge carried too many trucks for far too long - Marsh said at the ceremony.",
		"The mayor called the work a “minor miracle” and thanked the crews.",
	}, "\n\n")
	qs, res := quotesOf(t, text)
	for _, want := range []struct {
		content, speaker, entity, kind string
		anon                           bool
	}{
		{"The repairs are finished", "Marsh", "Elena Marsh", Direct, false},
		{"We will hold a ceremony on Friday", "Reyes", "Tom Reyes", Direct, false},
		{"The council has paid for all of it", "he", "Tom Reyes", Direct, false},
		{"the budget had been kept", "A senior council official", "", Indirect, true},
		{"the deck will last another forty years", "a harbour engineer", "", Indirect, true},
		{"traffic would flow again by the weekend", "Marsh", "Elena Marsh", Indirect, false},
		{"The old bridge carried too many trucks", "Marsh", "Elena Marsh", Direct, false},
	} {
		q := find(qs, want.content)
		if q == nil {
			t.Errorf("%q not found in %+v", want.content, qs)
			continue
		}
		if q.Speaker != want.speaker || speakerName(*q, res) != want.entity || q.Kind != want.kind || q.Anonymous != want.anon {
			t.Errorf("%q: speaker %q entity %q kind %s anon %v; want %q %q %s %v", want.content, q.Speaker, speakerName(*q, res), q.Kind, q.Anonymous,
				want.speaker, want.entity, want.kind, want.anon)
		}
	}
	// the split quote is one statement
	if q := find(qs, "We will hold a ceremony"); q != nil && !strings.Contains(q.Text, "everyone is invited") {
		t.Errorf("split quote not joined: %q", q.Text)
	}
	// a scare quote inside the writer's sentence is no direct quote
	for _, q := range qs {
		if q.Kind == Direct && strings.Contains(q.Text, "minor miracle") {
			t.Errorf("scare quote taken as a direct quote: %+v", q)
		}
	}
}

func TestQuoteOverParagraphs(t *testing.T) {
	text := "Harbour Minister Elena Marsh gave a long answer.\n\n" +
		"“The first thing we did was to close the bridge to trucks.\n\n" +
		"“Then we replaced the cables one by one, over eleven weeks,” Marsh said.\n\n" +
		"The crowd applauded."
	qs, res := quotesOf(t, text)
	q := find(qs, "The first thing we did")
	if q == nil || !strings.Contains(q.Text, "over eleven weeks") || speakerName(*q, res) != "Elena Marsh" {
		t.Fatalf("quote over two paragraphs: %+v", qs)
	}
}

func TestEmbeddedPost(t *testing.T) {
	text := "Harbour Minister Elena Marsh wrote on X after the vote.\n\n" +
		"The bridge is open again. Thank you to every engineer who worked through the winter.\n\n" +
		"— Elena Marsh (@ElenaMarsh) March 15, 2025"
	qs, res := quotesOf(t, text)
	q := find(qs, "The bridge is open again")
	if q == nil || q.Kind != Direct || speakerName(*q, res) != "Elena Marsh" {
		t.Fatalf("embedded post: %+v", qs)
	}
}

func TestNoSpeakerNoQuote(t *testing.T) {
	text := "The sign at the entrance read “Closed for repairs until further notice” for eleven weeks."
	qs, _ := quotesOf(t, text)
	if len(qs) != 0 {
		t.Errorf("quotes without a speaker: %+v", qs)
	}
}

func TestFindGroupsAcrossOutlets(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	articles := []storyline.Article{
		{ID: "a1", Outlet: "Coast Times", Published: day(4), Text: "Harbour Minister Elena Marsh spoke on Monday.\n\n" +
			"“Without the new cables the bridge would have collapsed within a year,” Marsh said."},
		{ID: "a2", Outlet: "Harbour Wire", Published: day(5), Text: "Harbour Minister Elena Marsh gave interviews.\n\n" +
			"“Without new cables, the bridge would collapse in a year,” Marsh told the Wire.\n\n" +
			"“The ferry timetable will change in April,” Marsh added."},
		{ID: "a3", Outlet: "Late Gazette", Published: day(30), Text: "Harbour Minister Elena Marsh looked back.\n\n" +
			"“Without the new cables the bridge would have collapsed within a year,” Marsh said."},
	}
	res := entity.Resolve(entity.Docs(articles))
	st := Find(articles, res)
	byArticle := map[string][]Statement{}
	for _, s := range st {
		byArticle[s.Article] = append(byArticle[s.Article], s)
	}
	if len(byArticle["a1"]) != 1 || len(byArticle["a2"]) != 2 {
		t.Fatalf("statements: %+v", st)
	}
	first, second := byArticle["a1"][0], byArticle["a2"][0]
	if first.SameAs == nil || second.SameAs == nil || *first.SameAs != first.ID || *second.SameAs != first.ID {
		t.Errorf("one statement in two outlets not grouped under the first: %+v / %+v", first, second)
	}
	if byArticle["a2"][1].SameAs != nil {
		t.Errorf("another statement grouped: %+v", byArticle["a2"][1])
	}
	if late := byArticle["a3"][0]; late.SameAs != nil && *late.SameAs == first.ID {
		t.Errorf("a statement four weeks later grouped with the first")
	}
	if first.SpeakerEntity == nil || first.SpeakerName != "Elena Marsh" {
		t.Errorf("speaker entity: %+v", first)
	}
	again := Find(articles, entity.Resolve(entity.Docs(articles)))
	for i := range st {
		if st[i].ID != again[i].ID {
			t.Fatal("IDs differ between two runs")
		}
	}
}

func TestPronounGender(t *testing.T) {
	text := "Senator Hillary Ward met Governor Tom Reyes on Monday.\n\n" +
		"Reyes spoke first. “The bridge is safe again for every truck and bus,” she said."
	qs, res := quotesOf(t, text)
	q := find(qs, "The bridge is safe again")
	if q == nil || speakerName(*q, res) != "Hillary Ward" {
		t.Errorf("“she” resolved to %q, want Hillary Ward: %+v", speakerName(*q, res), qs)
	}
}

func TestRoleNounSpeaker(t *testing.T) {
	text := "Port Almera's mayor, Ines Varga, spoke to reporters on Monday.\n\n" +
		"“The cables are older than most of the people who drive over them,” the mayor said."
	qs, res := quotesOf(t, text)
	q := find(qs, "The cables are older")
	if q == nil || q.Speaker != "the mayor" || speakerName(*q, res) != "Ines Varga" {
		t.Errorf("“the mayor said”: %+v", qs)
	}
}

func TestAskedWhether(t *testing.T) {
	text := "Harbour Minister Elena Marsh met the council on Monday.\n\nMarsh asked the engineers whether the cables could last another winter."
	qs, res := quotesOf(t, text)
	q := find(qs, "whether the cables could last another winter")
	if q == nil || speakerName(*q, res) != "Elena Marsh" || q.Kind != Indirect {
		t.Errorf("asked whether: %+v", qs)
	}
}

func TestTitleAbbreviationBeforeCue(t *testing.T) {
	// “Mr.” between the quote and its cue is no end of a sentence, and
	// ''…'' quotes keep their first letter
	text := "Mr. Tom Reyes and Ms. Elena Marsh toured the harbour.\n\n" +
		"''The bridge has never looked better than it does this spring,'' Mr. Reyes said.\n\n" +
		"“Every cable was tested twice before the reopening,” Ms. Marsh said."
	qs, res := quotesOf(t, text)
	for _, want := range []struct{ content, entity string }{
		{"The bridge has never looked better", "Tom Reyes"},
		{"Every cable was tested twice", "Elena Marsh"},
	} {
		q := find(qs, want.content)
		if q == nil || speakerName(*q, res) != want.entity || !strings.HasPrefix(q.Text, want.content) {
			t.Errorf("%q: %+v", want.content, qs)
		}
	}
}

func TestThatInsideTheContent(t *testing.T) {
	// the "that" far after the cue belongs to the content, which starts
	// with its own subject right after "said"
	text := "Mayor Tom Reyes spoke on Monday.\n\nReyes said he found it hard to believe that the old cables had lasted so long."
	qs, _ := quotesOf(t, text)
	q := find(qs, "the old cables had lasted")
	if q == nil || !strings.HasPrefix(q.Text, "he found it hard to believe") {
		t.Errorf("content should start after the cue: %+v", qs)
	}
	// an adverbial between the cue and "that" stays out
	text = "Mayor Tom Reyes spoke on Monday.\n\nReyes said on Tuesday that the old cables had lasted too long."
	qs, _ = quotesOf(t, text)
	if q := find(qs, "the old cables had lasted"); q == nil || !strings.HasPrefix(q.Text, "the old cables") {
		t.Errorf("content should start after “that”: %+v", qs)
	}
}

func TestPronounSkipsTheSubjectOfTheContent(t *testing.T) {
	// "Paul Hart" after "said" is the subject of what Reyes said, not the
	// one "he" refers to
	text := "Mayor Tom Reyes said Governor Paul Hart had approved the money for the repairs.\n\n" +
		"“The harbour will be busy again before the end of the summer,” he added."
	qs, res := quotesOf(t, text)
	q := find(qs, "The harbour will be busy again")
	if q == nil || speakerName(*q, res) != "Tom Reyes" {
		t.Errorf("“he” should be Tom Reyes: %+v", qs)
	}
}

func TestPronounAfterReportedSpeech(t *testing.T) {
	// "he" refers to the speaker of the reported statement before it, not
	// to a subject inside that statement
	text := "Mayor Tom Reyes said the money was there, and Governor Paul Hart had approved it.\n\n" +
		"“We saved almost a million on the new cables,” he said."
	qs, res := quotesOf(t, text)
	q := find(qs, "We saved almost a million")
	if q == nil || speakerName(*q, res) != "Tom Reyes" {
		t.Errorf("“he” should be Tom Reyes: %+v", qs)
	}
}

func TestCueWordsUsedAsNouns(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"He shrugged at the remarks of the council.", 0},
		{"The Harbour Post reported the vote.", 1},          // "reported", not "Post"
		{"A counter-offer came from the council.", 0},       // a compound
		{"Reyes Says The Bridge Will Reopen In May", 1},     // a headline keeps its cue
		{"Reyes repeated his claim that it would hold.", 1}, // "claim" after "his"
	} {
		if got := len(cues(tc.s)); got != tc.want {
			t.Errorf("%q: %d cues %v, want %d", tc.s, got, cues(tc.s), tc.want)
		}
	}
}

func TestParticipleCueTakesTheSubject(t *testing.T) {
	text := "Mayor Tom Reyes met Governor Paul Hart on Monday.\n\n" +
		"Reyes thanked the engineers of the harbour board, saying the bridge was safe for every truck again."
	qs, res := quotesOf(t, text)
	q := find(qs, "the bridge was safe for every truck")
	if q == nil || speakerName(*q, res) != "Tom Reyes" || !strings.HasPrefix(q.Text, "the bridge") {
		t.Errorf("“…, saying …” should be Reyes': %+v", qs)
	}
	// a subject the entity stage did not link: the phrase that opens the sentence
	text = "The night ferry stopped at midnight.\n\nThe old harbour master closed the gates, warning that the storm would reach the coast by morning."
	qs, _ = quotesOf(t, text)
	if q := find(qs, "the storm would reach the coast"); q == nil || q.Speaker != "The old harbour master" {
		t.Errorf("“The old harbour master …, warning that …”: %+v", qs)
	}
}

func TestProgressiveCue(t *testing.T) {
	text := "Mayor Tom Reyes toured the harbour on Monday.\n\nReyes is telling voters that the bridge will carry trucks again by May."
	qs, res := quotesOf(t, text)
	q := find(qs, "the bridge will carry trucks again")
	if q == nil || speakerName(*q, res) != "Tom Reyes" {
		t.Errorf("“Reyes is telling voters that …”: %+v", qs)
	}
}

func TestPronounSkipsTheLastNameOfAList(t *testing.T) {
	text := "“The cables were the hardest part,” said Harvey Lamb, who thanked Tom Reyes, Ann Cole and Paul Hart.\n\n" +
		"“We worked through the whole winter to get it done,” he said."
	qs, res := quotesOf(t, text)
	q := find(qs, "We worked through the whole winter")
	if q == nil || speakerName(*q, res) != "Harvey Lamb" {
		t.Errorf("“he” should be Harvey Lamb, not the end of the list: %+v", qs)
	}
}

func TestPronounRefersToAnUnlinkedName(t *testing.T) {
	a := &analysis{text: strings.Repeat(" ", 60), prevEntity: -1}
	qs := []Quote{
		{Start: 0, End: 10, CueStart: 12, Speaker: "Okafor", Entity: -1},
		{Start: 30, End: 40, CueStart: 42, Speaker: "he", Entity: -1, pron: "he", pronAt: 44},
	}
	a.inOrder(qs)
	if qs[1].Refers != "Okafor" {
		t.Errorf("“he” after a quote of Okafor: Refers %q", qs[1].Refers)
	}
}

func TestMoreSpeechVerbs(t *testing.T) {
	for _, v := range []string{"bragged", "interjected", "proclaimed", "touted", "exclaimed", "yelled", "elaborated"} {
		if !cueSet[v] {
			t.Errorf("%q is no cue", v)
		}
	}
	text := "Mayor Tom Reyes spoke last.\n\n“Nobody builds bridges like this harbour does,” Reyes bragged."
	qs, res := quotesOf(t, text)
	if q := find(qs, "Nobody builds bridges"); q == nil || speakerName(*q, res) != "Tom Reyes" {
		t.Errorf("“…,” Reyes bragged: %+v", qs)
	}
}

func TestPartialQuoteBeforeTheCue(t *testing.T) {
	text := "Mayor Tom Reyes opened the bridge on Monday.\n\n" +
		"The new deck gives the harbour what the drivers have “wanted for twenty years, and maybe longer,” Reyes said."
	qs, res := quotesOf(t, text)
	q := find(qs, "The new deck gives the harbour")
	if q == nil || q.Kind != Mixed || speakerName(*q, res) != "Tom Reyes" || !strings.Contains(q.Text, "maybe longer") {
		t.Errorf("“Content “…,” S said.” should be one mixed quote of Reyes: %+v", qs)
	}
}

func TestReportedSpeechRunsToTheQuoteEnd(t *testing.T) {
	text := "Mayor Tom Reyes opened the bridge.\n\n" +
		"Reyes added that it was “the best day of the year. We have waited a long time for it. Everyone came.”\n\nHart left early."
	qs, res := quotesOf(t, text)
	q := find(qs, "it was “the best day")
	if q == nil || q.Kind != Mixed || speakerName(*q, res) != "Tom Reyes" || !strings.HasSuffix(q.Text, "Everyone came.”") {
		t.Errorf("reported speech opening a quote should run to its end: %+v", qs)
	}
}

func TestQuoteParagraphAfterReportedSpeech(t *testing.T) {
	text := "Mayor Tom Reyes opened the bridge.\n\n" +
		"Reyes said the new deck was “safe for every truck.”\n\n" +
		"“We waited a long time for it, and now it is here.”\n\n" +
		"“The cables came from abroad,”\n\nHart left early."
	qs, res := quotesOf(t, text)
	q := find(qs, "We waited a long time")
	if q == nil || q.Kind != Direct || speakerName(*q, res) != "Tom Reyes" {
		t.Errorf("a quote paragraph after reported speech goes on with it: %+v", qs)
	}
	if q := find(qs, "The cables came from abroad"); q != nil {
		t.Errorf("“…,” waits for an attribution of its own: %+v", *q)
	}
}

func TestSpeakerAfterACommaAndACue(t *testing.T) {
	text := "Mayor Tom Reyes and Governor Paul Hart opened the bridge.\n\n" +
		"The ferry “was never this full” in the busy season, said Hart. “Trucks waited all day.”\n\n" +
		"“It took far too long to build it,” Reyes said of Hart.\n\n" +
		"“Hart never liked the plan. He said so many times,” Reyes said, adding, “Nobody minds that now.”"
	qs, res := quotesOf(t, text)
	for _, want := range []struct{ content, speaker string }{
		{"Trucks waited all day", "Paul Hart"},
		{"It took far too long", "Tom Reyes"},
		{"Nobody minds that now", "Tom Reyes"},
	} {
		if q := find(qs, want.content); q == nil || speakerName(*q, res) != want.speaker {
			t.Errorf("%q should be %s's: %+v", want.content, want.speaker, qs)
		}
	}
	if q := find(qs, "The ferry “was never this full”"); q == nil || q.Kind != Mixed || speakerName(*q, res) != "Paul Hart" {
		t.Errorf("“Content, said Hart.” should be Hart's: %+v", qs)
	}
	if q := find(qs, "Nobody minds that now"); q != nil && q.Speaker == "Nobody" {
		t.Errorf("the first word of a quote is no speaker: %+v", *q)
	}
}

func TestAccordingToADocument(t *testing.T) {
	text := "The harbour board met on Monday.\n\n" +
		"The toll “brought in more money than ever” during the summer, according to a report by the port auditors.\n\n" +
		"According to Harbourwatch, the ferries carried twice as many cars as last year."
	qs, _ := quotesOf(t, text)
	q := find(qs, "The toll “brought in")
	if q == nil || q.Kind != Mixed || q.Speaker != "a report by the port auditors" {
		t.Errorf("“…, according to a report …”: %+v", qs)
	}
	if q := find(qs, "the ferries carried twice as many cars"); q == nil || q.Speaker != "Harbourwatch" {
		t.Errorf("“According to Harbourwatch, …”: %+v", qs)
	}
}

func TestLeadAndTailOfAQuoteAttributedBefore(t *testing.T) {
	text := "Mayor Tom Reyes opened the bridge.\n\n" +
		"The harbour, a council official said, “is doing much better than last year.”\n\n" +
		"The new deck, Reyes said, “is a perfect example of good planning” for the whole coast.\n\n" +
		"In an interview on Monday, Reyes said, “We will open the second lane in May.”"
	qs, _ := quotesOf(t, text)
	for _, want := range []struct{ start, end, speaker string }{
		{"The harbour … “is doing", "than last year.”", "a council official"},
		{"The new deck … “is a perfect", "for the whole coast", "Reyes"},
	} {
		q := find(qs, want.start)
		if q == nil || q.Kind != Mixed || !strings.HasSuffix(q.Text, want.end) || q.Speaker != want.speaker {
			t.Errorf("%q … %q should be one mixed statement of %s: %+v", want.start, want.end, want.speaker, qs)
		}
	}
	if q := find(qs, "We will open the second lane"); q == nil || q.Kind != Direct || strings.Contains(q.Text, "interview") {
		t.Errorf("“In an interview, Reyes said, “…”” opens no statement: %+v", qs)
	}
}

func TestContentThenCueAndADescribedSpeaker(t *testing.T) {
	text := "The harbour board met on Monday.\n\n" +
		"Though the board cannot check every ship, “letting ten tankers in on one day is definitely a warning,” said harbour lawyer Tom Reyes.\n\n" +
		"The port has used “velvet gloves” in its dealings with the fishermen, said Ann Cole, an expert at the university.\n\n" +
		"The board was not keen on “asking the crews first,” said one former official who asked not to be named."
	qs, res := quotesOf(t, text)
	for _, want := range []struct{ start, speaker, entity string }{
		{"Though the board cannot check every ship", "Tom Reyes", "Tom Reyes"},
		{"The port has used “velvet gloves”", "Ann Cole", "Ann Cole"},
		{"The board was not keen", "one former official", ""},
	} {
		q := find(qs, want.start)
		if q == nil || q.Kind != Mixed || q.Speaker != want.speaker || speakerName(*q, res) != want.entity {
			t.Errorf("%q should be a mixed statement of %s: %+v", want.start, want.speaker, qs)
		}
	}
}

func TestToldAListenerWithoutThat(t *testing.T) {
	text := "Mayor Tom Reyes opened the bridge.\n\n" +
		"Reyes told a crowd of drivers in Almera he would open the second lane in May.\n\n" +
		"Reyes told the crowd the tolls would fall next year."
	qs, res := quotesOf(t, text)
	for _, want := range []string{"he would open the second lane in May", "the tolls would fall next year"} {
		q := find(qs, want)
		if q == nil || q.Text != want || speakerName(*q, res) != "Tom Reyes" {
			t.Errorf("“told <listener> %s” should be Reyes' statement, from its subject on: %+v", want, qs)
		}
	}
}

func TestCoordinatedStatementsInOneSentence(t *testing.T) {
	text := "Mayor Tom Reyes opened the bridge.\n\n" +
		"Reyes says he would sit the governor down and tell him “no more delays” and tells the crowd he was the “first one” to ask for the bridge.\n\n" +
		"Reyes said the new deck was safe for every truck, adding that the tolls would fall next year."
	qs, res := quotesOf(t, text)
	for _, want := range []string{
		"he would sit the governor down and tell him “no more delays”",
		"he was the “first one” to ask for the bridge",
		"the new deck was safe for every truck",
		"the tolls would fall next year",
	} {
		q := find(qs, want)
		if q == nil || q.Text != want || speakerName(*q, res) != "Tom Reyes" {
			t.Errorf("%q should be a statement of Reyes of its own: %+v", want, qs)
		}
	}
}

func TestPromiseCuesTakeAnInfinitive(t *testing.T) {
	text := "Mayor Tom Reyes opened the bridge.\n\n" +
		"Reyes vowed to keep the tolls low “today, tomorrow, forever.”\n\n" +
		"Reyes promises to open the second lane in May."
	qs, res := quotesOf(t, text)
	for _, want := range []struct{ text, kind string }{
		{"to keep the tolls low “today, tomorrow, forever.”", Mixed},
		{"to open the second lane in May", Indirect},
	} {
		q := find(qs, want.text)
		if q == nil || q.Text != want.text || q.Kind != want.kind || speakerName(*q, res) != "Tom Reyes" {
			t.Errorf("%q should be Reyes' (%s): %+v", want.text, want.kind, qs)
		}
	}
}

func TestAppositionBeforeAnAuxiliary(t *testing.T) {
	text := "Mayor Tom Reyes opened the bridge in Almera.\n\n" +
		"Reyes, celebrating the day in his home town of Almera, is promising to “open the second lane” in May."
	qs, res := quotesOf(t, text)
	if q := find(qs, "open the second lane"); q == nil || q.Speaker != "Reyes" || speakerName(*q, res) != "Tom Reyes" {
		t.Errorf("“Reyes, <apposition>, is promising …” should be Reyes': %+v", qs)
	}
}

func TestPartsOfAnInterruptedQuote(t *testing.T) {
	text := "Mayor Tom Reyes opened the bridge.\n\n" +
		"“The deck is new,” Reyes, the host of the day, said. “The cables are new too.”\n\n" +
		"The new deck, Reyes said, “is a perfect example of good planning.”"
	qs, _ := quotesOf(t, text)
	part := func(q *Quote, i int) string { return text[q.Parts[i][0]:q.Parts[i][1]] }
	q := find(qs, "The deck is new")
	if q == nil || len(q.Parts) != 2 || part(q, 0) != "“The deck is new,”" || part(q, 1) != "“The cables are new too.”" {
		t.Errorf("“…,” Reyes said. “…”: the attribution is no part of the content: %+v", qs)
	}
	q = find(qs, "The new deck")
	if q == nil || len(q.Parts) != 2 || part(q, 0) != "The new deck" || !strings.HasPrefix(part(q, 1), "“is a perfect") {
		t.Errorf("“The new deck, Reyes said, “…”: the attribution is no part of the content: %+v", qs)
	}
}

func TestThatInsideAQuoteIsNoComplementizer(t *testing.T) {
	text := "Mayor Tom Reyes spoke.\n\n" +
		"Reyes said Hart’s words and deeds “amount to a kind of pressure that undermines the council.”\n\n" +
		"Reyes tells the “Harbour Hour” show on Friday that the ferry will run again."
	qs, res := quotesOf(t, text)
	for _, want := range []string{"Hart’s words and deeds “amount to a kind of pressure that undermines the council.”", "the ferry will run again"} {
		if q := find(qs, want); q == nil || q.Text != want || speakerName(*q, res) != "Tom Reyes" {
			t.Errorf("%q should be Reyes' whole statement: %+v", want, qs)
		}
	}
}

func TestSpeakerBeforeLongAppositions(t *testing.T) {
	text := "Tom Reyes and Paul Hart and Ann Cole met in Almera.\n\n" +
		"Reyes, meanwhile, who has no such support, said that fact speaks volumes about who is “ready to lead.”\n\n" +
		"Paul Hart, a former harbour official who is now a fellow at the Centre for Ports, which works on trade, said that the deck is “not just a show.”\n\n" +
		"Senator Ann Cole of Almera, who campaigned with Reyes in the town, said she must focus on a “broader crowd.”"
	qs, res := quotesOf(t, text)
	for _, want := range []struct{ content, entity string }{
		{"speaks volumes", "Tom Reyes"}, {"not just a show", "Paul Hart"}, {"broader crowd", "Ann Cole"},
	} {
		if q := find(qs, want.content); q == nil || speakerName(*q, res) != want.entity {
			t.Errorf("%q should be %s's: %+v", want.content, want.entity, qs)
		}
	}
}

func TestPronounAfterAnInvertedAttribution(t *testing.T) {
	text := "Harbour Minister Paul Marsh backs Tom Reyes for mayor.\n\n" +
		"Reyes is not only right on tolls, he is also the ablest candidate Marsh argues.\n\n" +
		"“Reyes is our best debater and our most careful planner,” he says."
	qs, res := quotesOf(t, text)
	q := find(qs, "our best debater")
	if q == nil || speakerName(*q, res) != "Paul Marsh" {
		t.Fatalf("“…,” he says after “…, Marsh argues.”: %+v", qs)
	}
}

func TestPronounAfterADescribedSubject(t *testing.T) {
	text := "Mayor Tom Reyes opened the new bridge on Monday.\n\n" +
		"Reyes thanked the crews.\n\n" +
		"Sailing champion Piet Holt remembered the old bridge. He crossed it every day for forty years.\n\n" +
		"“It shook in every storm and nobody ever fixed it,” he said.\n\n" +
		"The mayor praised harbour officer Jan Smit for his work on the bridge.\n\n" +
		"“We will keep the old bell of the bridge,” he said."
	qs, res := quotesOf(t, text)
	if q := find(qs, "It shook in every storm"); q == nil || speakerName(*q, res) != "Piet Holt" {
		t.Errorf("“he said” after “Sailing champion Piet Holt remembered”: %+v", qs)
	}
	if q := find(qs, "We will keep the old bell"); q != nil && speakerName(*q, res) == "Jan Smit" {
		t.Errorf("the object “harbour officer Jan Smit for” taken as the subject: %+v", *q)
	}
}

func TestPronounNeverAGroup(t *testing.T) {
	for _, name := range []string{"Islamic State", "Virginia Democratic", "Republican Jewish", "State of Virginia"} {
		if fits("he", name) || fits("she", name) {
			t.Errorf("a pronoun fits %q", name)
		}
	}
	if !fits("he", "Tom Reyes") || !fits("she", "Ines Varga") || !fits("he", "Christian Estrosi") || !fits("he", "Republicans Jolly") {
		t.Error("a pronoun does not fit a person's name")
	}
}

func TestStateNames(t *testing.T) {
	for _, n := range []string{"Florida", "Why Florida", "Democratic Vermont", "Ted Roe South Carolina", "New Hampshire"} {
		if !stateName(n) {
			t.Errorf("%q ends in no state", n)
		}
	}
	for _, n := range []string{"Virginia Foxx", "Tom Reyes", "Carolina", "Washington", "New Bern"} {
		if stateName(n) {
			t.Errorf("%q taken for a state", n)
		}
	}
	if !isState("Pa.") || !isState("Pa") || isState("Paul") || isState("Pa Jones") {
		t.Error("isState")
	}
}

func TestSpeakerBeforeATownAndState(t *testing.T) {
	text := "Voters in the suburbs are split on the new toll.\n\n" +
		"''I just think the toll is far too high for the people who drive every day,'' Ann Cole, 67, a retired nurse in Allentown, Pa., said in an interview. " +
		"But, she added, ''I think the new bridge will help us.''"
	qs, res := quotesOf(t, text)
	if q := find(qs, "far too high"); q == nil || speakerName(*q, res) != "Ann Cole" {
		t.Errorf("“…,” Ann Cole, 67, … in Allentown, Pa., said: %+v", qs)
	}
	if q := find(qs, "new bridge will help"); q == nil || speakerName(*q, res) != "Ann Cole" {
		t.Errorf("“she added” after Ann Cole: %+v", qs)
	}
}

func TestPronounPastAStateFragment(t *testing.T) {
	// a title-case fragment ending in a state that the entity stage took
	// for a person ("Why Florida") is no antecedent of "he"
	text := "Tom Reyes spoke in Tampa. Why Florida matters. He said that he would “fight for every vote” there."
	ents := []storyline.Entity{{Name: "Tom Reyes", Type: entity.Person}, {Name: "Why Florida", Type: entity.Person}}
	at := func(s string) int { return strings.Index(text, s) }
	ms := []entity.Linked{
		{Mention: entity.Mention{Start: at("Tom Reyes"), End: at("Tom Reyes") + 9, Name: "Tom Reyes", Type: entity.Person, Kind: entity.KindName}, Entity: 0},
		{Mention: entity.Mention{Start: at("Why Florida"), End: at("Why Florida") + 11, Name: "Why Florida", Type: entity.Person, Kind: entity.KindName}, Entity: 1},
	}
	q := find(Extract(text, ms, ents), "fight for every vote")
	if q == nil || q.Entity != 0 {
		t.Errorf("“He said” after Tom Reyes and “Why Florida”: %+v", q)
	}
}

func TestPronounPastTheItemsOfAList(t *testing.T) {
	text := "“We show anger, we show joy,” said Harvey Stone, who named his favourites, behind Senator Jane Roe, Senator Tom Reyes, and Senator Bill Marsh.\n\n" +
		"“We are alive, unlike the others,” he said.\n\n" +
		"Paul Hart thanked his wife, his campaign manager, Tom Reyes, and his driver, Bill Marsh.\n\n" +
		"He said the team “never gave up” in the hard weeks."
	qs, res := quotesOf(t, text)
	if q := find(qs, "We are alive"); q == nil || speakerName(*q, res) != "Harvey Stone" {
		t.Errorf("“he said” after a list of names: %+v", qs)
	}
	if q := find(qs, "never gave up"); q == nil || speakerName(*q, res) != "Paul Hart" {
		t.Errorf("“He said” after “his campaign manager, Tom Reyes, and …”: %+v", qs)
	}
}

func TestParentheticalAttributionInReportedSpeech(t *testing.T) {
	text := "Jane Roe runs the harbour club.\n\n" +
		"The golf industry, she said, is “doing much better than it has in years” along the coast.\n\n" +
		"However, she said, the members want a new pool by the summer."
	qs, _ := quotesOf(t, text)
	q := find(qs, "doing much better")
	if q == nil || !strings.HasPrefix(q.Text, "The golf industry") || q.Kind != Mixed || len(q.Parts) != 2 ||
		text[q.Parts[0][0]:q.Parts[0][1]] != "The golf industry" || strings.Contains(text[q.Parts[1][0]:q.Parts[1][1]], "said") {
		t.Fatalf("“The golf industry, she said, is …”: %+v", qs)
	}
	if q := find(qs, "new pool"); q == nil || strings.Contains(q.Text, "However") {
		t.Errorf("a discourse word taken into the statement: %+v", qs)
	}
}

func TestCommaInsideTheClosingMarkEndsTheStatement(t *testing.T) {
	text := "Mayor Tom Reyes spoke to the council on Monday.\n\n" +
		"Reyes said the repairs “should be finished by the summer,” referring to the work on the old harbour bridge.\n\n" +
		"He said the new bridge was “a gift to the whole town” for many years to come."
	qs, _ := quotesOf(t, text)
	if q := find(qs, "finished by the summer"); q == nil || strings.Contains(q.Text, "referring") {
		t.Errorf("the writer's participle after “…,” taken into the statement: %+v", qs)
	}
	if q := find(qs, "gift to the whole town"); q == nil || !strings.Contains(q.Text, "for many years") {
		t.Errorf("the rest of the sentence after “…” (no comma) left out: %+v", qs)
	}
}

func TestPossessiveCueNounInsideAStatement(t *testing.T) {
	text := "Mayor Tom Reyes met the harbour workers on Monday.\n\n" +
		"Reyes told reporters on Tuesday that Jane Roe’s comments “show no respect for the workers.”"
	qs, res := quotesOf(t, text)
	if q := find(qs, "show no respect"); q == nil || speakerName(*q, res) != "Tom Reyes" {
		t.Errorf("“Reyes told reporters that Roe’s comments “…”” given to Roe: %+v", qs)
	}
}

func TestTimeIsNoSpeaker(t *testing.T) {
	text := "The harbour bridge closed in May.\n\n" +
		"Mayor Tom Reyes at the time said the bridge was “safe for every car and truck.”\n\n" +
		"The harbour office less than two weeks ago said the repairs would cost “far more than planned.”"
	qs, res := quotesOf(t, text)
	if q := find(qs, "safe for every car"); q == nil || speakerName(*q, res) != "Tom Reyes" {
		t.Errorf("“Reyes at the time said”: %+v", qs)
	}
	if q := find(qs, "far more than planned"); q == nil || timePhrase(q.Speaker) {
		t.Errorf("“… two weeks ago said” gives a time as the speaker: %+v", qs)
	}
}

func TestPronounAfterANameOfNoType(t *testing.T) {
	// a speaker's name the entity stage gave no type ("de Blasio" as
	// "Blasio") is the antecedent of the "he" after it
	text := "Tom Reyes met the mayor on Monday. “The city is safe,” Blasio said.\n\nBut, he added, “we keep watch every night.”"
	ents := []storyline.Entity{{Name: "Tom Reyes", Type: entity.Person}, {Name: "Blasio", Type: entity.Other}}
	at := func(s string) int { return strings.Index(text, s) }
	ms := []entity.Linked{
		{Mention: entity.Mention{Start: at("Tom Reyes"), End: at("Tom Reyes") + 9, Name: "Tom Reyes", Type: entity.Person, Kind: entity.KindName}, Entity: 0},
		{Mention: entity.Mention{Start: at("Blasio"), End: at("Blasio") + 6, Name: "Blasio", Kind: entity.KindName}, Entity: 1},
	}
	q := find(Extract(text, ms, ents), "we keep watch")
	if q == nil || q.Entity == 0 || q.Refers != "Blasio" {
		t.Errorf("“he added” after “…,” Blasio said: %+v", q)
	}
}

func TestQuoteGoesOnBeforeItsSpeaker(t *testing.T) {
	text := "Mayor Tom Reyes spoke about the harbour talks.\n\n" +
		"“We want to wait until we have met all of them” before any decision on the bridge, he said.\n\n" +
		"“We will not wait for the ministry,” he said."
	qs, _ := quotesOf(t, text)
	q := find(qs, "We want to wait")
	if q == nil || !strings.HasSuffix(q.Text, "before any decision on the bridge") || q.Kind != Mixed || strings.Contains(text[q.Start:q.End], "he said") {
		t.Errorf("“…” before any decision, he said: %+v", qs)
	}
	if q := find(qs, "not wait for the ministry"); q == nil || q.Kind != Direct || strings.Contains(q.Text, "he said") {
		t.Errorf("“…,” he said: %+v", qs)
	}
}

func TestPronounPastTheNamesOfItsOwnStatement(t *testing.T) {
	text := "Paul Hart, a fisherman in the harbour town, said he will not vote for Tom Reyes this time.\n\n" +
		"Also, Reyes is no friend of the fishermen, he said."
	qs, res := quotesOf(t, text)
	if q := find(qs, "no friend of the fishermen"); q == nil || speakerName(*q, res) != "Paul Hart" {
		t.Errorf("“Reyes is no friend …, he said” given to the name inside it: %+v", qs)
	}
}

func TestPronounNeverAnInstitution(t *testing.T) {
	for _, name := range []string{"Almera Community Center", "Harbour Software Company", "Port Almera Yacht Club"} {
		if fits("he", name) || fits("she", name) {
			t.Errorf("a pronoun fits %q", name)
		}
	}
	if !fits("he", "Tom House") || !fits("she", "Ines Center-Varga") {
		t.Error("a pronoun does not fit a person's name")
	}
}
