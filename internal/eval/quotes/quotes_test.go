package quotes

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus"
	"github.com/storyline-news/storyline/internal/quote"
)

func loadFixture(t *testing.T) Doc {
	t.Helper()
	docs, err := LoadPolNeAR(filepath.Join("testdata", "polnear"), "dev")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("docs = %d, want 1", len(docs))
	}
	return docs[0]
}

func TestLoadFixture(t *testing.T) {
	d := loadFixture(t)
	if len(d.Attributions) != 4 {
		t.Fatalf("attributions = %d, want 4 (first annotator only)", len(d.Attributions))
	}
	span := func(ss []Span) string { return joinSpans(d.Text, ss) }
	a := d.Attributions
	// code points become byte offsets (curly quotes, í)
	if got := span(a[0].Content); got != "“The bridge will open in May,”" {
		t.Errorf("content 0 = %q", got)
	}
	if got := span(a[0].Source); got != "Mayor Ana Ríos" {
		t.Errorf("source 0 = %q", got)
	}
	if got := span(a[1].Content); got != "that the budget was “fully covered” by the state" {
		t.Errorf("content 1 = %q", got)
	}
	wantKind := []string{"direct", "mixed", "indirect", "indirect"}
	wantSpeech := []bool{true, true, false, true}
	for i := range a {
		if a[i].Kind != wantKind[i] || a[i].Speech != wantSpeech[i] {
			t.Errorf("attribution %d: kind %s speech %v, want %s %v", i, a[i].Kind, a[i].Speech, wantKind[i], wantSpeech[i])
		}
	}
	if len(a[3].Content) != 2 || a[3].Source != nil {
		t.Errorf("discontinuous content without source: %+v", a[3])
	}
}

func TestIsSpeechCue(t *testing.T) {
	for cue, want := range map[string]bool{
		"said": true, "has said": true, "Said in a statement": true, "according to": true,
		":": true, "tweeted": true, "told": true, "replied": true, "admitted": true,
		"believe": false, "shows": false, "found": false, "": false, "wants": false,
	} {
		if got := IsSpeechCue(cue); got != want {
			t.Errorf("IsSpeechCue(%q) = %v, want %v", cue, got, want)
		}
	}
}

func TestScoreFixture(t *testing.T) {
	d := loadFixture(t)
	at := func(s string) (int, int) {
		i := strings.Index(d.Text, s)
		return i, i + len(s)
	}
	var ps []quote.Quote
	// direct, exact but for the quote marks; speaker right
	s, e := at("The bridge will open in May,")
	ps = append(ps, quote.Quote{Start: s, End: e, Kind: quote.Direct, Speaker: "Ríos", SpeakerAt: 0, Entity: -1})
	// mixed, too short; speaker "she" linked to the mayor through the entity
	s, e = at("the budget was “fully covered”")
	ps = append(ps, quote.Quote{Start: s, End: e, Kind: quote.Mixed, Speaker: "She", Entity: 0})
	// on the belief: ignored
	s, e = at("the river is too high")
	ps = append(ps, quote.Quote{Start: s, End: e, Kind: quote.Indirect, Entity: -1})
	// a false alarm
	s, e = at("on Tuesday")
	ps = append(ps, quote.Quote{Start: s, End: e, Kind: quote.Indirect, Entity: -1})
	rep, pairs, found := Score("dev", []Doc{d}, [][]quote.Quote{ps}, []string{"Ana Ríos"})
	if rep.Gold != 3 || rep.Other != 1 || rep.Predicted != 4 || rep.Ignored != 1 {
		t.Fatalf("report %+v", rep)
	}
	if !found[0][0] || !found[0][1] || found[0][2] || found[0][3] {
		t.Errorf("found = %v", found)
	}
	if !pairs[0].Exact || pairs[1].Exact || !pairs[0].Speaker || !pairs[1].Speaker {
		t.Errorf("pairs = %+v", pairs)
	}
	if pairs[1].Source != "Mayor Ana Ríos" {
		t.Errorf("chained source = %q", pairs[1].Source)
	}
	row := func(k string) Row {
		for _, r := range rep.Rows {
			if r.Kind == k {
				return r
			}
		}
		t.Fatalf("no row %s", k)
		return Row{}
	}
	dir := row("direct")
	if dir.Gold != 1 || dir.Predicted != 1 || dir.ExactMatched != 1 || dir.Token.F1 != 1 || dir.SourceAcc != 1 {
		t.Errorf("direct %+v", dir)
	}
	mix := row("mixed")
	// gold 9 words (that the budget was fully covered by the state), predicted 5 inside
	if mix.Matched != 1 || mix.ExactMatched != 0 || mix.Token.P != 1 || mix.Token.R != 5.0/9 {
		t.Errorf("mixed %+v", mix)
	}
	ind := row("indirect")
	// one gold missed (the road), one false alarm (on Tuesday)
	if ind.Gold != 1 || ind.Predicted != 1 || ind.Matched != 0 || ind.Token.P != 0 || ind.Token.R != 0 {
		t.Errorf("indirect %+v", ind)
	}
	all := row("all")
	if all.Gold != 3 || all.Predicted != 3 || all.Matched != 2 || all.Sources != 2 || all.Correct != 2 {
		t.Errorf("all %+v", all)
	}
}

func TestSameReferent(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Trump", "Donald Trump", true},
		{"campaign spokesman Jason Miller", "Miller", true},
		{"Clinton's campaign", "Hillary Clinton", true}, // lenient: the surname is there
		{"Sanders’", "Bernie Sanders", true},
		{"", "he", false},
		{"a senior official", "officials", false},
	} {
		if got := sameReferent(c.a, c.b); got != c.want {
			t.Errorf("sameReferent(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

// TestPolNeARCounts loads the real corpus (../shared/data/polnear).
func TestPolNeARCounts(t *testing.T) {
	dir := corpus.Require(t, "data", "polnear")
	docs, err := LoadPolNeAR(dir, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 84 {
		t.Errorf("dev articles = %d, want 84", len(docs))
	}
	n, speech := 0, 0
	for _, d := range docs {
		n += len(d.Attributions)
		for _, a := range d.Attributions {
			if a.Speech {
				speech++
			}
		}
	}
	// PROVENANCE.md: 2,193 dev attributions (first annotator)
	if n != 2193 {
		t.Errorf("dev attributions = %d, want 2193", n)
	}
	if speech < 1000 || speech > n {
		t.Errorf("dev speech attributions = %d", speech)
	}
	t.Logf("dev: %d articles, %d attributions, %d speech", len(docs), n, speech)
}

func TestTrimSpan(t *testing.T) {
	text := ` that “we win,” she said; thatcher; that`
	for _, c := range []struct{ in, want string }{
		{` that “we win,”`, "we win"},
		{`“we win,”`, "we win"},
		{` thatcher;`, "thatcher"},
		{` that`, "that"},
	} {
		i := strings.Index(text, c.in)
		s := trimSpan(text, Span{i, i + len(c.in)})
		if got := text[s.Start:s.End]; got != c.want {
			t.Errorf("trimSpan(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestKindOf(t *testing.T) {
	for in, want := range map[string]string{
		`“We will win,”`:              "direct",
		`''We will win,''`:            "direct",
		`he would "win big".`:         "mixed",
		`he would ''win big''`:        "mixed",
		`he would win`:                "indirect",
		`the voters' choice, he said`: "indirect",
	} {
		if got := kindOf(in); got != want {
			t.Errorf("kindOf(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestScorePartsOfAnInterruptedContent(t *testing.T) {
	d := loadFixture(t)
	s := strings.Index(d.Text, "“The bridge")
	e := strings.Index(d.Text, " on Tuesday")
	qe := strings.Index(d.Text, " said Mayor")
	whole := quote.Quote{Start: s, End: e, Kind: quote.Direct, Speaker: "Ríos", Entity: -1}
	parted := whole
	parted.Parts = [][2]int{{s, qe}}
	for _, tc := range []struct {
		q     quote.Quote
		wantP float64
	}{{whole, 6.0 / 10}, {parted, 1}} {
		rep, _, _ := Score("dev", []Doc{d}, [][]quote.Quote{{tc.q}}, nil)
		if p := rep.Rows[0].Token.P; p != tc.wantP {
			t.Errorf("parts %v: direct token P %v, want %v", tc.q.Parts, p, tc.wantP)
		}
	}
}

func TestSameReferentFoldsAccents(t *testing.T) {
	if !sameReferent("Felipe Calderón", "Calderon") || !sameReferent("Ana Ríos", "RIOS") {
		t.Error("an accent keeps two spellings of one name apart")
	}
}

// TestChainSources: pronouns go to the nearest earlier named source that
// agrees with them, through descriptions; first-person sources stay.
func TestChainSources(t *testing.T) {
	text := ""
	var gold []Attribution
	add := func(src string) {
		text += "x "
		gold = append(gold, Attribution{Source: []Span{{len(text), len(text) + len(src)}}})
		text += src + " said y.\n"
	}
	for _, s := range []string{"he", "Mayor Ana Rios", "Mr. Tom Reyes", "the harbour workers", "she", "the mayor",
		"he", "I", "Port Almera's mayor, Ines Varga,", "his eyes", "she"} {
		add(s)
	}
	srcs, alts := chainSources(text, gold)
	want := []string{"", "Mayor Ana Rios", "Mr. Tom Reyes", "the harbour workers", "Mayor Ana Rios", "the mayor",
		"Mr. Tom Reyes", "I", "Port Almera's mayor, Ines Varga,", "his eyes", "Port Almera's mayor, Ines Varga,"}
	for i := range want {
		if srcs[i] != want[i] {
			t.Errorf("source %d (%q) chained to %q, want %q", i, joinSpans(text, gold[i].Source), srcs[i], want[i])
		}
	}
	if alts[5] != "Mr. Tom Reyes" {
		t.Errorf("“the mayor” refers back to %q", alts[5])
	}
}

func TestDescription(t *testing.T) {
	for s, want := range map[string]bool{
		"the Vermont senator": true, "The Republican": true, "the cautious candidate": true,
		"The Washington Post": false, "the director of the FBI, James Comey,": false, "Trump": false, "the": false,
	} {
		if got := description(s); got != want {
			t.Errorf("description(%q) = %v", s, got)
		}
	}
}
