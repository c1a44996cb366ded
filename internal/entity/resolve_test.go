package entity

import (
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/text"
)

// entityOf returns the entity a name variant belongs to, or nil.
func entityOf(r Result, variant string) *storyline.Entity {
	for i, e := range r.Entities {
		for _, v := range e.Variants {
			if v == variant {
				return &r.Entities[i]
			}
		}
	}
	return nil
}

func TestResolveWithinArticle(t *testing.T) {
	doc := Doc{ID: "a1", Date: "2024-05-02", Text: "Harbour Minister Elena Marsh met Portuguese Prime Minister Luis Tavora in Lisbon on Monday.\n\n" +
		"Marsh said the bridge would reopen. The Portuguese leader did not comment, but Tavora's office said talks went well.\n\n" +
		"The Harbour Authority (HA) confirmed the date. HA engineers and Reuters reporters visited the site."}
	r := Resolve([]Doc{doc})
	marsh := entityOf(r, "Elena Marsh")
	if marsh == nil || marsh.Type != Person || entityOf(r, "Marsh") != marsh {
		t.Fatalf("Marsh not linked to Elena Marsh: %+v", r.Entities)
	}
	if len(marsh.Roles) != 1 || marsh.Roles[0].Role != "Harbour Minister" || *marsh.Roles[0].Date != "2024-05-02" {
		t.Errorf("Marsh roles = %+v", marsh.Roles)
	}
	tavora := entityOf(r, "Luis Tavora")
	if tavora == nil || entityOf(r, "Tavora") != tavora || tavora == marsh {
		t.Fatalf("Tavora: %+v", tavora)
	}
	if tavora.Mentions != 3 { // full name, possessive, role noun
		t.Errorf("Tavora mentions = %d, want 3 (role noun linked): %+v", tavora.Mentions, tavora)
	}
	if ha := entityOf(r, "HA"); ha == nil || ha != entityOf(r, "Harbour Authority") {
		t.Errorf("acronym in brackets not linked to its name")
	}
	if e := entityOf(r, "Lisbon"); e == nil || e.Type != Location || e.Name != "Lisbon" {
		t.Errorf("Lisbon: %+v", e)
	}
	if e := entityOf(r, "Reuters"); e == nil || e.Type != Organization {
		t.Errorf("Reuters: %+v", e)
	}
	for _, e := range r.Entities {
		if e.Name == "Monday" || e.Name == "Portuguese" {
			t.Errorf("%q is no entity", e.Name)
		}
	}
}

func TestResolveAcrossArticlesNeverMergesDifferentPeople(t *testing.T) {
	docs := []Doc{
		{ID: "a", Text: "Donald Trump spoke in Ohio. Trump said he would win."},
		{ID: "b", Text: "Lara Trump, his daughter-in-law, campaigned in Texas. Lara Trump said the race was close."},
		{ID: "c", Text: "Boris Johnson resigned. Johnson said he was proud of his record."},
		{ID: "d", Text: "Dustin Johnson won the tournament in Georgia. Dustin Johnson thanked his caddie."},
		{ID: "e", Text: "Дональд Трамп выступил в Огайо. Трамп заявил о победе."},
		{ID: "f", Text: "Rozmowa z Donaldem Trumpem trwała godzinę. Według Donalda Trumpa rozmowa była dobra."},
	}
	r := Resolve(docs)
	donald, lara := entityOf(r, "Donald Trump"), entityOf(r, "Lara Trump")
	if donald == nil || lara == nil || donald == lara {
		t.Fatalf("Donald and Lara Trump merged or missing: %+v", r.Entities)
	}
	for _, v := range []string{"Дональд Трамп", "Donaldem Trumpem", "Donalda Trumpa"} {
		if entityOf(r, v) != donald {
			t.Errorf("%q not merged with Donald Trump", v)
		}
	}
	boris, dustin := entityOf(r, "Boris Johnson"), entityOf(r, "Dustin Johnson")
	if boris == nil || dustin == nil || boris == dustin {
		t.Fatalf("two Johnsons merged")
	}
	if len(donald.Evidence) == 0 {
		t.Errorf("no evidence kept for the merges of Donald Trump")
	}
	for _, e := range r.Entities {
		if e.Type == Person && len(e.Articles) > 0 && e.Name != donald.Name && strings.Contains(e.Name, "Trump") && e.Name != "Lara Trump" {
			t.Errorf("extra Trump entity %q", e.Name)
		}
	}
}

func TestResolveAliasesAndHandles(t *testing.T) {
	docs := []Doc{
		{ID: "a", Text: "The U.S. and the UK back the EU plan. Maria Ostrova (@MariaOstrovaUA) welcomed it."},
		{ID: "b", Text: "The United States, Britain and the European Union agreed. Ostrova thanked America."},
		{ID: "c", Text: "Foreign Minister Maria Ostrova thanked @MariaOstrovaUA followers."},
	}
	r := Resolve(docs)
	for _, group := range [][]string{{"U.S.", "United States", "America"}, {"UK", "Britain"}, {"EU", "European Union"}, {"Maria Ostrova", "Ostrova", "@MariaOstrovaUA"}} {
		first := entityOf(r, group[0])
		for _, v := range group[1:] {
			if e := entityOf(r, v); e == nil || e != first {
				t.Errorf("%q and %q not one entity", group[0], v)
			}
		}
	}
	if e := entityOf(r, "U.S."); e == nil || e.Name != "United States" {
		t.Errorf("canonical name of U.S.: %+v", e)
	}
}

func TestResolveIsDeterministic(t *testing.T) {
	docs := []Doc{{ID: "a", Text: "Anna Berg met Tomas Lind in Oslo."}, {ID: "b", Text: "Berg and Lind talked about Oslo."}}
	a, b := Resolve(docs), Resolve(docs)
	if len(a.Entities) != len(b.Entities) {
		t.Fatal("different entity counts")
	}
	for i := range a.Entities {
		if a.Entities[i].ID != b.Entities[i].ID || a.Entities[i].Name != b.Entities[i].Name {
			t.Errorf("run differs at %d: %v / %v", i, a.Entities[i], b.Entities[i])
		}
	}
}

func TestResolveNoPanicOnOddInput(t *testing.T) {
	for _, s := range []string{"", "@", "@@@ (", "A (B", strings.Repeat("Ab ", 5000), "Ж", "U.S.-Russia. I'm", "\x00\xff"} {
		Resolve([]Doc{{ID: "x", Text: s}, {ID: "y", Text: s}})
	}
}

func TestFind(t *testing.T) {
	r := Resolve([]Doc{{ID: "a", Text: "President Volodymyr Zelenskyy spoke. Zelenskiy said more."}, {ID: "b", Text: "Володимир Зеленський заявив."}})
	ents := r.Named()
	for _, q := range []string{"Zelensky", "zelenskyy", "Зеленський", "Volodymyr Zelenskyy"} {
		if got := Find(ents, q); len(got) != 1 || got[0].Name != "Volodymyr Zelenskyy" {
			t.Errorf("Find(%q) = %v", q, got)
		}
	}
	if got := Find(ents, "Putin"); len(got) != 0 {
		t.Errorf("Find(Putin) = %v", got)
	}
}

// TestSeeds checks the entities of the five seed articles: one entity
// each for the people of the story, with the right canonical names, the
// presidents never merged with anyone, nothing from removed boilerplate.
func TestSeeds(t *testing.T) {
	articles := corpustest.Seeds(t)
	r := Resolve(Docs(articles))
	want := map[string][]string{
		"Volodymyr Zelenskyy": {"Zelenskyy", "Zelenskiy", "Zelensky", "Володимир Зеленський", "@ZelenskyyUa"},
		"Vladimir Putin":      {"Putin"}, "Donald Trump": {"Trump"}, "Xi Jinping": nil, "Dmitry Polyanskiy": {"Polyanskiy"},
		"Keith Kellogg": {"Kellogg"}, "Keir Starmer": {"Starmer"}, "David Lammy": {"Lammy"}, "Emmanuel Macron": nil,
		"Joe Biden": nil, "Patrick Turner": nil, "Matthew Bryza": nil,
	}
	people := map[string]int{}
	for _, e := range r.Entities {
		if e.Type == Person {
			people[e.Name]++
		}
	}
	for name, variants := range want {
		e := entityOf(r, name)
		if e == nil {
			t.Errorf("no entity for %s", name)
			continue
		}
		if e.Name != name || e.Type != Person {
			t.Errorf("%s: canonical %q type %s", name, e.Name, e.Type)
		}
		for _, v := range variants {
			if entityOf(r, v) != e {
				t.Errorf("%q not merged into %s", v, name)
			}
		}
		// never merged with anyone: no variant of another surname
		last := strings.Fields(name)[len(strings.Fields(name))-1]
		for _, v := range e.Variants {
			if !strings.HasPrefix(v, "@") && !SameWord(nameWords(v)[len(nameWords(v))-1], last) {
				t.Errorf("%s has a foreign variant %q", name, v)
			}
		}
		if people[name] != 1 {
			t.Errorf("%d person entities named %s", people[name], name)
		}
	}
	// nothing from removed lines: every variant occurs in some clean text
	for _, e := range r.Entities {
		for _, v := range e.Variants {
			found := false
			for _, a := range articles {
				found = found || strings.Contains(a.Text, v)
			}
			if !found {
				t.Errorf("entity %s variant %q is in no clean text", e.Name, v)
			}
		}
	}
	for _, a := range articles {
		for _, rm := range a.Removed {
			if rm.Reason != "related" {
				continue
			}
			for _, m := range Detect(rm.Line) {
				if m.Type == Person && entityOf(r, m.Name) != nil && !strings.Contains(joinTexts(articles), m.Name) {
					t.Errorf("entity %q from a removed related-news line", m.Name)
				}
			}
		}
	}
}

func joinTexts(articles []storyline.Article) string {
	var b strings.Builder
	for _, a := range articles {
		b.WriteString(a.Text)
	}
	return b.String()
}

func TestBatchEvidence(t *testing.T) {
	docs := []Doc{
		{ID: "a", Text: "Harbour Minister Elena Marsh met Luis Tavora on Monday. Tavora said the bridge would reopen after the repairs were finished."},
		// "to Marsh" types Marsh a place by its cue; a person has that surname.
		{ID: "b", Text: "The council sent a letter to Marsh on Friday. The letter asked for the date of the reopening."},
		// lost full stops: "… reopening Finally Tavora …"; the batch writes
		// "finally" mostly in lower case.
		{ID: "c", Text: "Residents asked about the reopening Finally Tavora promised an answer. It finally comes, they finally said, and finally it is a holiday, so finally nobody works."},
		// a first name after another capitalised word starts a name.
		{ID: "d", Text: "Critics of the Bridge Luis Tavora said nothing new. Tavora left early."},
	}
	r := Resolve(docs)
	marsh := entityOf(r, "Elena Marsh")
	if marsh == nil || entityOf(r, "Marsh") != marsh || len(marsh.Articles) != 2 {
		t.Errorf("Marsh of article b not linked to Elena Marsh: %+v", r.Entities)
	}
	tavora := entityOf(r, "Luis Tavora")
	if tavora == nil || len(tavora.Articles) != 3 {
		t.Fatalf("Tavora: %+v", tavora)
	}
	for _, e := range r.Entities {
		for _, v := range e.Variants {
			if strings.HasPrefix(v, "Finally ") || strings.HasPrefix(v, "Bridge ") {
				t.Errorf("glued name %q in %+v", v, e)
			}
		}
	}
}

func TestSlavicForms(t *testing.T) {
	g := Default()
	for name, id := range map[string]string{
		"Polsce": "country:PL", "Polska": "country:PL", "Brytyjczycy": "country:GB", "Brytyjczyków": "country:GB",
		"Niemczech": "country:DE", "Unii": "org:EU", "Американцы": "country:US",
	} {
		if e, ok := g.Lookup(name); !ok || e.ID != id {
			t.Errorf("Lookup(%q) = %+v, want %s", name, e, id)
		}
	}
	if !sharesKey(NameKeys("Brexit"), NameKeys("Brexicie")) || !sharesKey(NameKeys("Parlament"), NameKeys("Parlamencie")) {
		t.Error("locative alternation not undone")
	}
	if sharesKey(NameKeys("Pierce"), NameKeys("Piotr")) {
		t.Error("alternation joined unrelated names")
	}
	for _, w := range []string{"Дейвид", "Davida", "Michela", "Тереза"} {
		if !isGivenName(w) {
			t.Errorf("%q not known as a first name", w)
		}
	}
	if isGivenName("Брекзит") || isGivenName("Groupa") {
		t.Error("common words taken for first names")
	}
}

func sharesKey(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func TestMiddleInitialAndWeekday(t *testing.T) {
	ms := Detect("The analyst Michael J. Petrilli told MSNBC Monday that the plan would work.")
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	got := strings.Join(names, "|")
	if !strings.Contains(got, "Michael J. Petrilli") || strings.Contains(got, "MSNBC Monday") {
		t.Errorf("mentions = %q, want Michael J. Petrilli whole and MSNBC without the weekday", got)
	}
	for _, e := range Resolve([]Doc{{ID: "a", Text: "The analyst Michael J. Petrilli told MSNBC Monday that the plan would work."}}).Named() {
		if e.Name == "Monday" {
			t.Errorf("a weekday became an entity: %+v", e)
		}
	}
}

func TestInitialAndDoubleSurname(t *testing.T) {
	docs := []Doc{{ID: "a", Text: "Harold Q. Brannigan, a former budget aide, agreed with the plan. " +
		"Brannigan said it would pass.\n\nOrla Quintero Vask runs the harbour fund. Ms. Quintero said the fund was short of cash."},
		{ID: "b", Text: "Harold Brannigan spoke again on Friday."}}
	r := Resolve(docs)
	e := entityOf(r, "Harold Q. Brannigan")
	if e == nil || e.Type != Person || entityOf(r, "Brannigan") != e || entityOf(r, "Harold Brannigan") != e {
		t.Errorf("Harold Q. Brannigan, Harold Brannigan and Brannigan are not one person: %+v", r.Entities)
	}
	v := entityOf(r, "Orla Quintero Vask")
	if v == nil || v.Type != Person || entityOf(r, "Quintero") != v {
		t.Errorf("Ms. Quintero is not Orla Quintero Vask: %+v", r.Entities)
	}
}

func TestPartyLabelsAndGroups(t *testing.T) {
	ms := Detect("Republican Orla Quintero Vask said no. Almera Democrats met Tom Brannigan, Republican of Almera, and the Northern States.")
	got := map[string]Mention{}
	for _, m := range ms {
		got[m.Name] = m
	}
	if m, ok := got["Orla Quintero Vask"]; !ok || m.Type != Person || m.Role != "Republican" {
		t.Errorf("a party label before a name: %+v", ms)
	}
	for _, name := range []string{"Almera Democrats", "Republican of Almera", "Northern States"} {
		if m, ok := got[name]; ok && m.Type == Person {
			t.Errorf("%q is a group, typed a person", name)
		}
	}
}

// entityID is the ID text.Hash gives, for short and long keys.
func TestEntityIDIsHash(t *testing.T) {
	for _, k := range [][2]string{{"country:UA", ""}, {"person|", "trump"}, {"", ""}, {"other|", strings.Repeat("ключ ", 40)}} {
		if got, want := entityID(k[0], k[1]), "ent_"+text.Hash("entity", k[0]+k[1])[:12]; got != want {
			t.Errorf("entityID(%q) = %s, want %s", k, got, want)
		}
	}
}
