package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/storyline-news/storyline"
)

// emitUnmarshal is emitJSON as it was with the standard library's
// encoding/json. emitJSON (go-json-experiment's v1 package) must give the
// same document for any input, and an error where it gave one (worded by
// the other package).
func emitUnmarshal(raw []byte) (storyline.RawDoc, string) { return emitWith(json.Unmarshal, raw) }

// emitStrings is emitJSON as it was before it decoded the text and HTML
// straight into the body: go-json-experiment's v1 package into string
// fields. emitJSON must give the same document and the same error.
func emitStrings(raw []byte) (storyline.RawDoc, string) { return emitWith(jsonv1.Unmarshal, raw) }

// emitWith is emitJSON as it was, the article decoded by unmarshal into
// string fields.
func emitWith(unmarshal func([]byte, any) error, raw []byte) (storyline.RawDoc, string) {
	var a jsonArticle
	if err := unmarshal(raw, &a); err != nil {
		return storyline.RawDoc{}, fmt.Sprintf("JSON: %v", err)
	}
	doc := storyline.RawDoc{Source: "s", URL: a.URL, Title: a.Title, Outlet: a.Outlet, Author: a.Author, Published: a.Published}
	switch {
	case a.HTML != "":
		doc.Kind, doc.Body = storyline.KindHTML, []byte(a.HTML)
	case a.Text != "":
		doc.Kind, doc.Body = storyline.KindText, []byte(a.Text)
	default:
		return storyline.RawDoc{}, `article has neither "text" nor "html"`
	}
	return doc, ""
}

// checkEmitJSON compares emitJSON with emitUnmarshal and emitStrings on
// raw.
func checkEmitJSON(t *testing.T, raw []byte) {
	t.Helper()
	want, wantErr := emitUnmarshal(raw)
	strDoc, strErr := emitStrings(raw)
	var got storyline.RawDoc
	gotErr := ""
	r := &Reader{}
	err := r.emitJSON("s", "f", 0, raw, func(d storyline.RawDoc, err error) error {
		got = d
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is no *Error", err)
			}
			gotErr = e.Err.Error()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if (gotErr == "") != (wantErr == "") || !reflect.DeepEqual(got, want) || gotErr != "" && !strings.HasPrefix(gotErr, "JSON: ") && gotErr != wantErr {
		t.Fatalf("emitJSON(%q):\n got %+v %q\nwant %+v %q", raw, got, gotErr, want, wantErr)
	}
	if gotErr != strErr || !reflect.DeepEqual(got, strDoc) {
		t.Fatalf("emitJSON(%q):\n got %+v %q\ndecoded into strings: %+v %q", raw, got, gotErr, strDoc, strErr)
	}
}

// randomJSONArticle writes a JSON object, mostly valid, from the pieces
// that matter to a decoder: the fields' names in other cases, unknown
// names with values of every kind, escapes of every kind (surrogate pairs,
// lone surrogates), invalid UTF-8, control characters, duplicate names,
// null, and sometimes a damaged byte.
func randomJSONArticle(rng *rand.Rand) []byte {
	keys := []string{"url", "title", "text", "html", "published", "outlet", "author",
		"URL", "Title", "TEXT", "hTmL", "Published", "OUTLET", "Author", "id", "tags", "meta",
		"t\\u0065xt", "publiſhed", "tëxt", "", "textx", "tex", "Text "}
	pieces := []string{"a", "The ferry runs again.", " ", "é", "“", "—", "\\n", "\\\"", "\\\\", "\\/", "\\b", "\\f",
		"\\r", "\\t", "\\u00e9", "\\u003c", "\\u0000", "\\ud83d\\ude00", "\\ud83d", "\\ude00", "\\ud83dx", "\\uDBFF\\uDFFF",
		"\\u12", "\\x", "\\'", "\xff", "\xe2\x80", "\xed\xa0\x80", "\x01", "\t", "\n", "\u2028", "\ufffd", "\"", "\\"}
	str := func() string {
		var b strings.Builder
		b.WriteByte('"')
		for n := rng.IntN(8); n > 0; n-- {
			p := pieces[rng.IntN(len(pieces))]
			if rng.IntN(4) > 0 {
				p = pieces[rng.IntN(4)] // mostly plain text
			}
			b.WriteString(p)
		}
		b.WriteByte('"')
		return b.String()
	}
	var value func(depth int) string
	value = func(depth int) string {
		switch rng.IntN(14) {
		case 0:
			return "null"
		case 1:
			return []string{"true", "false", "nul", "True"}[rng.IntN(4)]
		case 2:
			return []string{"0", "-1", "12.5", "1e9", "-0.0E-3", "01", "1.", "-", "+1", ".5", "1e+", "2E+10"}[rng.IntN(12)]
		case 3:
			if depth > 3 {
				return "[]"
			}
			var parts []string
			for n := rng.IntN(4); n > 0; n-- {
				parts = append(parts, value(depth+1))
			}
			return "[" + strings.Join(parts, ", ") + "]"
		case 4:
			if depth > 3 {
				return "{}"
			}
			var parts []string
			for n := rng.IntN(4); n > 0; n-- {
				parts = append(parts, str()+":"+value(depth+1))
			}
			return "{" + strings.Join(parts, ",") + "}"
		}
		return str()
	}
	var b strings.Builder
	b.WriteString([]string{"", " ", "\t", "\n "}[rng.IntN(4)])
	b.WriteByte('{')
	for n := rng.IntN(6); n > 0; n-- {
		b.WriteString(`"` + keys[rng.IntN(len(keys))] + `"`)
		b.WriteString([]string{":", " : ", ":\n"}[rng.IntN(3)])
		b.WriteString(value(0))
		if n > 1 {
			b.WriteString([]string{",", ", ", " ,\r\n"}[rng.IntN(3)])
		}
	}
	b.WriteByte('}')
	b.WriteString([]string{"", " ", "\r\n", " x", "}", ","}[rng.IntN(6)])
	out := []byte(b.String())
	if rng.IntN(10) == 0 && len(out) > 0 {
		out[rng.IntN(len(out))] = "{}[]\",:\\ \x00a"[rng.IntN(11)]
	}
	if rng.IntN(20) == 0 {
		out = out[:rng.IntN(len(out)+1)]
	}
	return out
}

func TestEmitJSONIsEncodingJSON(t *testing.T) {
	for _, s := range []string{
		`{"text":"x"}`, `{}`, ` {"text" : "a\nb" } `, `{"text":"a","text":null}`, `{"text":null,"text":"b"}`,
		`{"TEXT":"upper","text":"lower"}`, `{"html":"<p>h</p>","text":"t"}`, `{"text":""}`, `{"html":"","text":"t"}`,
		`{"text":"\ud83d\ude00 \u00e9 \u0000"}`, `{"text":"\ud83d"}`, `{"text":"\udc00\ud800"}`, "{\"text\":\"caf\xe9\"}",
		`{"text":"x","tags":["a",{"b":[1,2.5e3,-0,true,false,null]}],"id":12}`, `{"text":"x","n":01}`,
		`{"text":"x"} {"text":"y"}`, `{"text":"x",}`, `{"text":3}`, `{"url":3,"text":"x"}`, `[{"text":"x"}]`,
		`{"publiſhed":"2024","text":"x"}`, `{"t\u0065xt":"escaped name"}`, "{\"text\":\"tab\there\"}",
		`{"text":"x","deep":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`,
		`{"text":"x","deep":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
		`{"text":"\/\b\f\r\t\"\\"}`, `{"text":"\'"}`, `{"text":"\u12"}`, `{"text":"x\`, `{"text":"x"`, `{"text"`, `{`,
	} {
		checkEmitJSON(t, []byte(s))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		checkEmitJSON(t, randomJSONArticle(rng))
	}
}

func FuzzEmitJSON(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		f.Add(randomJSONArticle(rng))
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkEmitJSON(t, raw) })
}
