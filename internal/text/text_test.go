package text

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func sentences(p string) []string {
	var out []string
	for _, s := range Sentences(p) {
		out = append(out, s.Text)
	}
	return out
}

func TestSentencesSurviveAbbreviations(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"The U.N. envoy arrived. He spoke briefly.", []string{"The U.N. envoy arrived.", "He spoke briefly."}},
		{"Gen. Marta Koval said so on Jan. 22 in Kyiv. Talks resume.", []string{"Gen. Marta Koval said so on Jan. 22 in Kyiv.", "Talks resume."}},
		{"Troops from the U.S. must take part. Nobody disagreed.", []string{"Troops from the U.S. must take part.", "Nobody disagreed."}},
		{"J. Smith wrote it. Was it true? “Yes,” she said.", []string{"J. Smith wrote it.", "Was it true?", "“Yes,” she said."}},
		{"It rose 3.5 per cent. Then it fell!", []string{"It rose 3.5 per cent.", "Then it fell!"}},
		{"No full stop at the end", []string{"No full stop at the end"}},
	}
	for _, tt := range tests {
		if got := sentences(tt.in); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Sentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSentenceOffsets(t *testing.T) {
	p := "First one here. Second one there."
	for _, s := range Sentences(p) {
		if p[s.Start:s.End] != s.Text {
			t.Errorf("span %d:%d is %q, text %q", s.Start, s.End, p[s.Start:s.End], s.Text)
		}
	}
}

func TestWords(t *testing.T) {
	var got []string
	for _, w := range Words("Zelenskyy's U.S. trip, 2025: «Київ» — done.") {
		got = append(got, w.Text)
	}
	joined := strings.Join(got, "|")
	for _, want := range []string{"U.S.", "2025", "Київ", "done"} {
		if !strings.Contains("|"+joined+"|", "|"+want+"|") {
			t.Errorf("Words = %q, missing %q", got, want)
		}
	}
}

func TestAppendWordsKeepsWhatDstHeld(t *testing.T) {
	s := "Zelenskyy's U.S. trip, 2025: «Київ» — done."
	buf := AppendWords(nil, "one two")
	buf = AppendWords(buf, s)
	want := Words(s)
	if len(buf) != 2+len(want) || buf[0].Text != "one" || buf[1].Text != "two" {
		t.Fatalf("AppendWords = %v, want one, two, then %v", buf, want)
	}
	for i, w := range want {
		if buf[2+i] != w {
			t.Errorf("word %d: %+v, Words gives %+v", i, buf[2+i], w)
		}
	}
}

// AppendLower writes what strings.ToLower does: capitals outside ASCII
// that lower-case to ASCII, invalid UTF-8, title case, mixed scripts.
func TestAppendLowerIsToLower(t *testing.T) {
	parts := []string{"a", "Z", ".", " ", "İ", "\u212A", "Ж", "ж", "\xff", "\xe2", "\x80", "’", "ǅ", "Ł", "Σ"}
	rng := rand.New(rand.NewPCG(3, 4))
	buf := []byte("kept")
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		w := b.String()
		buf = AppendLower(buf[:4], w)
		if got, want := string(buf), "kept"+strings.ToLower(w); got != want {
			t.Fatalf("AppendLower(%q) = %q, want %q", w, got[4:], want[4:])
		}
	}
}

func TestFoldAndContentKey(t *testing.T) {
	if Fold("“Peace”  —\tKEEPING’s") != `"peace" - keeping's` {
		t.Errorf("Fold = %q", Fold("“Peace”  —\tKEEPING’s"))
	}
	a := "Harbour bridge reopens.\n\nThe bridge reopened on Tuesday, the council said."
	b := "Harbour  Bridge reopens\nthe bridge reopened on tuesday the council said"
	if ContentKey(a) != ContentKey(b) {
		t.Errorf("layout and case changed the key:\n%q\n%q", ContentKey(a), ContentKey(b))
	}
	if ContentKey(a) == ContentKey("The bridge closed on Tuesday, the council said.") {
		t.Error("different texts share a key")
	}
}

func TestHash(t *testing.T) {
	h := Hash("a", "b")
	if len(h) != 16 || h != Hash("a", "b") {
		t.Errorf("Hash = %q, not stable or not 16 hex digits", h)
	}
	if Hash("a", "b") == Hash("ab") || Hash("a", "b") == Hash("b", "a") {
		t.Error("Hash ignores part boundaries or order")
	}
}

func TestLanguage(t *testing.T) {
	tests := map[string]string{
		"The council said on Tuesday that the bridge would reopen to traffic after the repairs were finished and the cables were replaced.":     "en",
		"Der Rat teilte am Dienstag mit, dass die Brücke nach den Reparaturen wieder für den Verkehr geöffnet wird und die Kabel ersetzt sind.": "de",
		"Le conseil a déclaré mardi que le pont serait rouvert à la circulation après la fin des réparations et le remplacement des câbles.":    "fr",
		"Rada miasta poinformowała we wtorek, że most zostanie ponownie otwarty dla ruchu po zakończeniu napraw i wymianie lin.":                "pl",
		"Міська рада повідомила у вівторок, що міст знову відкриють для руху після завершення ремонту та заміни тросів.":                        "uk",
		"Городской совет сообщил во вторник, что мост снова откроют для движения после завершения ремонта и замены тросов.":                     "ru",
		"short":        "",
		"1234 5678 !!": "",
	}
	for in, want := range tests {
		if got := Language(in); got != want {
			t.Errorf("Language(%.40q…) = %q, want %q", in, got, want)
		}
	}
}
