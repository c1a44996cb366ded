// Package entities measures entity detection and name-variant merging on
// the BSNLP shared-task corpus (../shared/data/bsnlp), whose annotations
// give each mention a cross-lingual entity ID: mention detection
// precision and recall, and BCubed precision, recall and F1 of the merge,
// per language and overall.
package entities

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/storyline-news/storyline/internal/eval/score"

	"github.com/storyline-news/storyline/internal/entity"
)

// BSNLPDoc is one document of the BSNLP corpus with its gold mentions.
type BSNLPDoc struct {
	ID, Lang, Topic, Date, URL, Title string
	Text                              string
	Gold                              []GoldMention
}

// GoldMention is one annotated surface form of a document.
type GoldMention struct {
	Surface, Base, Type, Entity string
}

// LoadBSNLP reads the annotated documents of the BSNLP corpus under dir
// (topic/{raw,annotated}/lang/), in a stable order.
func LoadBSNLP(dir string) ([]BSNLPDoc, error) {
	raw := map[string]*BSNLPDoc{}
	var order []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.Contains(p, string(filepath.Separator)+"raw"+string(filepath.Separator)) {
			return nil
		}
		doc, err := readRaw(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		doc.Topic = strings.Split(rel, string(filepath.Separator))[0]
		key := doc.Topic + "/" + doc.ID
		if _, dup := raw[key]; !dup {
			order = append(order, key)
		}
		raw[key] = doc
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bsnlp: %w", err)
	}
	var out []BSNLPDoc
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.Contains(p, string(filepath.Separator)+"annotated"+string(filepath.Separator)) {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		topic := strings.Split(rel, string(filepath.Separator))[0]
		id, gold, err := readAnnotated(p)
		if err != nil {
			return err
		}
		doc, ok := raw[topic+"/"+id]
		if !ok {
			return nil
		}
		doc.Gold = gold
		out = append(out, *doc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bsnlp: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func normLang(l string) string {
	switch l = strings.ToLower(strings.TrimSpace(l)); l {
	case "cz":
		return "cs"
	case "ua":
		return "uk"
	}
	return l
}

func readRaw(p string) (*BSNLPDoc, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.ReplaceAll(strings.TrimPrefix(string(b), "\ufeff"), "\r\n", "\n"), "\n")
	for len(lines) < 5 {
		lines = append(lines, "")
	}
	d := &BSNLPDoc{ID: strings.TrimSpace(lines[0]), Lang: normLang(lines[1]), Date: strings.TrimSpace(lines[2]),
		URL: strings.TrimSpace(lines[3]), Title: strings.TrimSpace(lines[4])}
	var paras []string
	if d.Title != "" {
		paras = append(paras, d.Title)
	}
	for _, l := range lines[5:] {
		if l = strings.TrimSpace(l); l != "" {
			paras = append(paras, l)
		}
	}
	d.Text = strings.Join(paras, "\n\n")
	return d, nil
}

func readAnnotated(p string) (string, []GoldMention, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	id := ""
	var out []GoldMention
	for sc.Scan() {
		line := strings.TrimPrefix(sc.Text(), "\ufeff")
		if id == "" {
			id = strings.TrimSpace(line)
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 || strings.TrimSpace(f[0]) == "" {
			continue
		}
		ent := strings.TrimSpace(f[3])
		if ent != "" && strings.Trim(ent, "0123456789") == "" {
			ent = "local:" + strings.Split(filepath.ToSlash(p), "/")[len(strings.Split(filepath.ToSlash(p), "/"))-4] + ":" + ent // numeric IDs name entities of one topic only
		}
		out = append(out, GoldMention{Surface: strings.TrimSpace(f[0]), Base: strings.TrimSpace(f[1]), Type: strings.TrimSpace(f[2]), Entity: ent})
	}
	return id, out, sc.Err()
}

// PRF is precision, recall and F1.
type PRF = score.PRF

// BCubed scores a clustering against the gold one (see score.BCubed).
func BCubed(pred, gold []string, in func(i int) bool) PRF { return score.BCubed(pred, gold, in) }

// EntityRow is one line of the entity evaluation.
type EntityRow struct {
	Lang        string `json:"lang"` // a language code, or "all"
	Docs        int    `json:"docs"`
	Gold        int    `json:"gold"`  // distinct gold surface forms per document
	Found       int    `json:"found"` // of them, detected
	Detect      PRF    `json:"detect"`
	Merge       PRF    `json:"merge"`        // BCubed over the gold mentions detected
	MergeOracle PRF    `json:"merge_oracle"` // BCubed with the gold mentions given
}

// EvalEntities runs detection and resolution over the documents and scores
// them: mention detection P/R (distinct surface forms per document, exact
// match) and BCubed merge quality over the gold mentions, end to end (the
// gold mentions detected) and with gold mentions given.
func EvalEntities(docs []BSNLPDoc) []EntityRow {
	g := entity.Default()
	type item struct {
		lang, gold, pred string
	}
	langs := map[string]*EntityRow{}
	row := func(l string) *EntityRow {
		if langs[l] == nil {
			langs[l] = &EntityRow{Lang: l}
		}
		return langs[l]
	}
	tp, sys := map[string]int{}, map[string]int{}
	// end to end
	in := make([]entity.Doc, len(docs))
	for i, d := range docs {
		in[i] = entity.Doc{ID: d.Topic + "/" + d.ID, Date: d.Date, Text: d.Text}
	}
	res := entity.Resolve(in)
	var e2e []item
	for i, d := range docs {
		r := row(d.Lang)
		r.Docs++
		found := map[string]int{}
		for _, m := range res.Mentions[i] {
			if m.Kind == entity.KindRole || m.Entity < 0 {
				continue // role nouns are no names; unlinked weak words were dropped
			}
			if _, ok := found[strings.ToLower(m.Name)]; !ok {
				found[strings.ToLower(m.Name)] = m.Entity
			}
		}
		sys[d.Lang] += len(found)
		seen := map[string]bool{}
		for _, gm := range d.Gold {
			if seen[gm.Surface] {
				continue
			}
			seen[gm.Surface] = true
			r.Gold++
			if e, ok := found[strings.ToLower(gm.Surface)]; ok {
				tp[d.Lang]++
				r.Found++
				pred := fmt.Sprintf("e%d", e)
				if e < 0 {
					pred = fmt.Sprintf("none-%d-%s", i, gm.Surface)
				}
				e2e = append(e2e, item{d.Lang, gm.Entity, pred})
			}
		}
	}
	// gold mentions given
	for i, d := range docs {
		var ms []entity.Mention
		seen := map[string]bool{}
		for _, gm := range d.Gold {
			if seen[gm.Surface] {
				continue
			}
			seen[gm.Surface] = true
			m := entity.Mention{Name: gm.Surface, Kind: entity.KindName, Start: strings.Index(d.Text, gm.Surface)}
			m.End = m.Start + len(gm.Surface)
			switch gm.Type {
			case "PER":
				m.Type = entity.Person
			case "ORG":
				m.Type = entity.Organization
			case "LOC":
				m.Type = entity.Location
			}
			if e, ok := g.Lookup(gm.Surface); ok {
				m.Gaz, m.Type = e, e.Type
			}
			ms = append(ms, m)
		}
		if ms == nil {
			ms = []entity.Mention{}
		}
		in[i].Mentions = ms
	}
	res = entity.Resolve(in)
	var oracle []item
	for i, d := range docs {
		for _, m := range res.Mentions[i] {
			for _, gm := range d.Gold {
				if gm.Surface == m.Name {
					oracle = append(oracle, item{d.Lang, gm.Entity, fmt.Sprintf("e%d", m.Entity)})
					break
				}
			}
		}
	}
	merge := func(items []item, lang string) PRF {
		pred, gold := make([]string, len(items)), make([]string, len(items))
		for i, it := range items {
			// numeric gold IDs are local to a topic: score them within it
			part := "named"
			if strings.HasPrefix(it.gold, "local:") {
				part = strings.SplitN(it.gold, ":", 3)[1]
			}
			pred[i], gold[i] = part+"|"+it.pred, it.gold
		}
		return BCubed(pred, gold, func(i int) bool { return lang == "all" || items[i].lang == lang })
	}
	var out []EntityRow
	keys := make([]string, 0, len(langs))
	for l := range langs {
		keys = append(keys, l)
	}
	sort.Strings(keys)
	all := EntityRow{Lang: "all"}
	tpAll, sysAll := 0, 0
	for _, l := range keys {
		r := langs[l]
		r.Detect = score.Of(score.Ratio(tp[l], sys[l]), score.Ratio(tp[l], r.Gold))
		r.Merge = merge(e2e, l)
		r.MergeOracle = merge(oracle, l)
		out = append(out, *r)
		all.Docs += r.Docs
		all.Gold += r.Gold
		all.Found += r.Found
		tpAll += tp[l]
		sysAll += sys[l]
	}
	all.Detect = score.Of(score.Ratio(tpAll, sysAll), score.Ratio(tpAll, all.Gold))
	all.Merge = merge(e2e, "all")
	all.MergeOracle = merge(oracle, "all")
	return append(out, all)
}
