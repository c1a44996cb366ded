// Package clusters measures event and story clustering (internal/story)
// against gold document clusters: ECB+ (gold event = sub-topic, gold
// story = topic; two events of one kind in each topic, which must not
// merge) and BSNLP (gold story = topic, in eight languages). It reports
// BCubed and pairwise precision, recall and F1.
package clusters

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/storyline-news/storyline/internal/eval/score"
)

// Doc is one gold-labelled document.
type Doc struct {
	ID, Title, Text string
	Event, Topic    string // gold labels
}

// LoadECB reads the ECB+ documents listed in labels.tsv under dir, their
// text from the tokenised XML (the URL line of the ecbplus documents
// dropped; the first sentence taken as the title), in a fixed order that
// mixes the topics (by a hash of the file name), as a stream would.
func LoadECB(dir string) ([]Doc, error) {
	f, err := os.Open(filepath.Join(dir, "labels.tsv"))
	if err != nil {
		return nil, fmt.Errorf("ecb+: %w", err)
	}
	defer f.Close()
	var docs []Doc
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) < 3 || fs[0] == "doc_file" {
			continue
		}
		title, body, err := readECB(filepath.Join(dir, "ECB+", fs[1], fs[0]))
		if err != nil {
			return nil, fmt.Errorf("ecb+: %s: %w", fs[0], err)
		}
		docs = append(docs, Doc{ID: fs[0], Title: title, Text: body, Topic: fs[1], Event: fs[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ecb+: %w", err)
	}
	sort.SliceStable(docs, func(i, j int) bool { return hash(docs[i].ID) < hash(docs[j].ID) })
	return docs, nil
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// readECB joins the tokens of an ECB+ document into sentences.
func readECB(path string) (title, body string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	sentences := map[string][]string{}
	var order []string
	plus := strings.Contains(filepath.Base(path), "ecbplus")
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "", err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "token" {
			continue
		}
		var s string
		for _, a := range se.Attr {
			if a.Name.Local == "sentence" {
				s = a.Value
			}
		}
		var word string
		if err := dec.DecodeElement(&word, &se); err != nil {
			return "", "", err
		}
		if plus && s == "0" {
			continue // the source URL
		}
		if _, ok := sentences[s]; !ok {
			order = append(order, s)
		}
		sentences[s] = append(sentences[s], word)
	}
	var paras []string
	for _, s := range order {
		paras = append(paras, strings.Join(sentences[s], " "))
	}
	if len(paras) == 0 {
		return "", "", nil
	}
	return paras[0], strings.Join(paras[1:], "\n\n"), nil
}

// PRF is precision, recall and F1.
type PRF = score.PRF

// Scores are the BCubed and pairwise scores of one clustering.
type Scores struct {
	BCubed   PRF `json:"bcubed"`
	Pairwise PRF `json:"pairwise"`
	Clusters int `json:"clusters"`
	Gold     int `json:"gold_clusters"`
}

// Score compares a clustering (pred[i] is document i's cluster) with the
// gold one.
func Score(pred, gold []string) Scores {
	ps, gs := map[string]bool{}, map[string]bool{}
	for i := range pred {
		ps[pred[i]], gs[gold[i]] = true, true
	}
	return Scores{Clusters: len(ps), Gold: len(gs), BCubed: score.BCubed(pred, gold, nil), Pairwise: score.Pairwise(pred, gold)}
}
