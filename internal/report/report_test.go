package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
)

var arts = []storyline.Article{
	{ID: "b2", Source: "b.txt", Text: "Second <b>article</b> text.", Published: time.Date(2025, 1, 24, 12, 37, 0, 0, time.UTC), PublishedClock: true},
	{ID: "a1", Source: "a.txt", Title: "Bridge", Outlet: "Coast Times", Text: "First.\n\nMore.", Published: time.Date(2025, 1, 23, 0, 0, 0, 0, time.UTC),
		Removed: []storyline.RemovedLine{{Line: "Subscribe", Reason: "promotion"}}},
}

func TestJSONKeysNullsAndOrder(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Build(arts, nil)); err != nil {
		t.Fatal(err)
	}
	var got map[string][]map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"articles", "entities", "quotes", "claims", "stories", "disagreements"} {
		if v, ok := got[k]; !ok || v == nil {
			t.Errorf("key %q missing or null", k)
		}
	}
	a := got["articles"]
	if len(a) != 2 || a[0]["id"] != "b2" || a[1]["id"] != "a1" {
		t.Fatalf("articles out of the given order: %v", a)
	}
	if a[0]["title"] != nil || a[0]["outlet"] != nil || a[0]["url"] != nil {
		t.Errorf("unknown values must be null: %v", a[0])
	}
	if a[0]["published"] != "2025-01-24T12:37:00Z" || a[1]["published"] != "2025-01-23" {
		t.Errorf("published = %v, %v", a[0]["published"], a[1]["published"])
	}
	if r, ok := a[0]["removed"].([]any); !ok || len(r) != 0 {
		t.Errorf("removed must be an empty array, got %v", a[0]["removed"])
	}
	if !strings.Contains(b.String(), "<b>article</b>") {
		t.Error("text must not be HTML-escaped in JSON")
	}
	var again bytes.Buffer
	WriteJSON(&again, Build(arts, nil))
	if again.String() != b.String() {
		t.Error("same input, different report")
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, Build(arts, nil)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"2 articles", "Bridge", "Coast Times", "2025-01-23", "promotion"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriteErrors(t *testing.T) {
	if err := WriteJSON(failWriter{}, Build(arts, nil)); err == nil {
		t.Error("WriteJSON hid a write error")
	}
	if err := WriteText(failWriter{}, Build(arts, nil)); err == nil {
		t.Error("WriteText hid a write error")
	}
}
