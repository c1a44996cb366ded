package entity

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/text"
)

func TestGazLookup(t *testing.T) {
	g := Default()
	for name, want := range map[string]string{"U.S.": "country:US", "United States": "country:US", "США": "country:US", "Соединенных Штатов": "country:US", "Ukraine": "country:UA", "Украины": "country:UA", "Ukrainy": "country:UA", "Britain": "country:GB", "UK": "country:GB", "EU": "org:EU", "European Union": "org:EU", "Евросоюза": "org:EU", "Kiev": "city:Kyiv", "NATO": "org:NATO", "НАТО": "org:NATO", "the Kremlin": "org:Kremlin", "Russia": "country:RU", "Rosji": "country:RU"} {
		e, ok := g.Lookup(name)
		if !ok || e.ID != want {
			got := ""
			if ok {
				got = e.ID
			}
			t.Errorf("Lookup(%q) = %q, want %q (key %q)", name, got, want, NameKey(name))
		}
	}
	for _, name := range []string{"Trump", "Peace", "Monday", "President"} {
		if e, ok := g.Lookup(name); ok {
			t.Errorf("Lookup(%q) = %s, want nothing", name, e.ID)
		}
	}
	if e, ok := g.Demonym("Ukrainian"); !ok || e.ID != "country:UA" {
		t.Errorf("Demonym Ukrainian: %v", e)
	}
}

// mayHaveEntry is false only for names without an entry: every name of
// every entry, in several spellings and case forms, may have one, and
// so do the random names that have one; and it does tell some names
// apart, or it would spare no lookup.
func TestMayHaveEntryMissesNoEntry(t *testing.T) {
	g := Default()
	var names []string
	for _, e := range g.byID {
		for _, n := range append([]string{e.Name}, e.Names...) {
			names = append(names, n, strings.ToUpper(n), strings.ToLower(n), "the "+n, "The "+n, n+"'s", n+"a", n+"u", n+"em")
		}
	}
	names = append(names, randomNames(rand.New(rand.NewPCG(5, 9)), 5000)...)
	no := 0
	for _, n := range names {
		e := g.lookup(n)
		if e != nil && !g.mayHaveEntry(n) {
			t.Errorf("mayHaveEntry(%q) = false, but its entry is %s", n, e.ID)
		}
		if !g.mayHaveEntry(n) {
			no++
		}
	}
	for _, n := range []string{"Donald Trump", "Theresa May", "Gazprom"} {
		if g.mayHaveEntry(n) {
			t.Errorf("mayHaveEntry(%q) = true: its words are in no key", n)
		}
	}
	if no == 0 {
		t.Error("mayHaveEntry never said no")
	}
}

// lookupRun gives what lookup gives for the name of every run of up to
// four tokens of a text, joined by spaces or as the text writes it.
func TestLookupRunIsLookup(t *testing.T) {
	body := "The European Union and Ukraine's U.S. allies met in Kyiv. The UK Independence Party, the Kremlin " +
		"and the White House spoke: Mr. J. Smith of the United  States,  New York and Bank of England " +
		"Governor Andrew Bailey. США и Европейский союз. Donald Trump, Theresa May and the European Central Bank. " +
		"Russia's president, the Ukrainian leader, Hague.Den Haag and U.S'. Navy; \"Gaza Strip\" (Holy See)."
	d := newDetector()
	d.casing, d.g = nil, Default()
	defer d.reset()
	spans := text.AppendWords(nil, body)
	toks := d.appendTokens(nil, body, asciiLowered(body), spans)
	n := 0
	for i := range toks {
		for j := i + 1; j <= min(i+4, len(toks)); j++ {
			joined := joinWords(body, toks[i:j])
			asWritten := body[toks[i].start:toks[j-1].end]
			for _, c := range []struct {
				name   string
				joined bool
			}{{joined, true}, {asWritten, false}} {
				got, gotOK := d.lookupRun(body, toks[i:j], c.name, c.joined)
				want, wantOK := d.lookup(c.name)
				if got != want || gotOK != wantOK {
					t.Errorf("lookupRun(%q, joined %v) = %v, lookup gives %v", c.name, c.joined, got, want)
				}
				if wantOK {
					n++
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d runs with an entry: the text tests little", n)
	}
}
