package server

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestMetrics(t *testing.T) {
	ts := newServer(t, newStore(t, "testdata/fixture"))
	id, _ := damStory(t, ts)
	get(t, ts, "/stories/"+id)
	get(t, ts, "/stories/"+id)
	get(t, ts, "/stories/nope")
	get(t, ts, "/nothing/here")
	code, h, body := get(t, ts, "/metrics")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %v", code, h)
	}
	for _, re := range []string{
		`storyline_http_requests_total\{code="200",method="GET",route="GET /stories/\{id\}"\} 2`,
		`storyline_http_requests_total\{code="404",method="GET",route="GET /stories/\{id\}"\} 1`,
		`storyline_http_requests_total\{code="200",method="GET",route="GET /api/stories"\} 1`,
		`storyline_http_requests_total\{code="404",method="GET",route="/"\} 1`,
		`storyline_http_request_duration_seconds_count\{route="GET /stories/\{id\}"\} 3`,
		`storyline_http_request_duration_seconds_bucket\{route="GET /api/stories",le="0.05"\} \d`,
		`(?m)^storyline_articles 4$`,
		`(?m)^storyline_stories \d+$`,
		`go_goroutines \d+`,
	} {
		if !regexp.MustCompile(re).MatchString(body) {
			t.Errorf("/metrics lacks %s", re)
		}
	}
	if strings.Contains(body, "story_") {
		t.Error("a story ID became a label")
	}
}

// The OpenAPI document is valid JSON, OpenAPI 3, and describes every /api
// route the server has, with the methods it answers.
func TestOpenAPI(t *testing.T) {
	ts := newServer(t, newStore(t, "testdata/fixture"))
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
		Comps   struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	getJSON(t, ts, "/api/openapi.json", 200, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	// the routes registered in New
	s, _ := New(newStore(t, "testdata/fixture"), Options{})
	var routes []string
	for _, r := range apiRoutes(s) {
		routes = append(routes, r)
		method, path, _ := strings.Cut(r, " ")
		ops, ok := doc.Paths[path]
		if !ok {
			t.Errorf("%s is not described", path)
			continue
		}
		if _, ok := ops[strings.ToLower(method)]; !ok {
			t.Errorf("%s %s is not described", method, path)
		}
	}
	sort.Strings(routes)
	if len(doc.Paths) != len(routes) {
		t.Errorf("the document describes %d paths, the server has %v", len(doc.Paths), routes)
	}
	// every $ref points at something
	b, _ := json.Marshal(doc)
	for _, m := range regexp.MustCompile(`"#/components/schemas/(\w+)"`).FindAllStringSubmatch(string(b), -1) {
		if _, ok := doc.Comps.Schemas[m[1]]; !ok {
			t.Errorf("$ref to a missing schema %s", m[1])
		}
	}
}
