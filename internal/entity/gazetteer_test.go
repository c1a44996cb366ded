package entity

import "testing"

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
