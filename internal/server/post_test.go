package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const testToken = "test-token-0123456789abcdef"

// post sends a body to /api/articles and decodes the JSON answer.
func post(t *testing.T, ts *httptest.Server, token, ctype string, body []byte, query string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", ts.URL+"/api/articles"+query, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("POST: Content-Type %q: %s", ct, b)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("POST: %v: %s", err, b)
	}
	return resp.StatusCode, resp.Header, v
}

const postJSON = `{"url": "https://example.org/dam-inquiry", "outlet": "Lake Gazette", "published": "2025-04-20",
  "title": "Inquiry opens into the Northgate Dam flood",
  "text": "An inquiry into the Northgate Dam flood opened on Sunday.\n\nWater Minister Anna Rook said the inquiry would report by the end of the year."}`

func TestPostArticles(t *testing.T) {
	store := newStore(t, "testdata/fixture")

	// without a configured token the server is read-only
	ro := newServer(t, store)
	code, _, v := post(t, ro, "Bearer "+testToken, "application/json", []byte(postJSON), "")
	if code != 403 || !strings.Contains(v["error"].(string), "--token") {
		t.Errorf("POST without a configured token: %d %v", code, v)
	}

	s, err := New(store, Options{Token: testToken, Refresh: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	for _, auth := range []string{"", "Bearer", "Bearer wrong-token-0123456789abcdef", "Basic " + testToken, "Bearer " + testToken + "x", testToken} {
		code, h, v := post(t, ts, auth, "application/json", []byte(postJSON), "")
		if code != 401 || v["error"] == nil || h.Get("WWW-Authenticate") == "" {
			t.Errorf("Authorization %q: %d %v", auth, code, v)
		}
	}

	code, _, v = post(t, ts, "Bearer "+testToken, "application/json; charset=utf-8", []byte(postJSON), "")
	if code != 201 || v["created"].(float64) != 1 {
		t.Fatalf("POST JSON: %d %v", code, v)
	}
	res := v["articles"].([]any)[0].(map[string]any)
	id := res["id"].(string)
	if res["created"] != true || res["page"] != "/articles/"+id {
		t.Errorf("POST JSON answer: %v", res)
	}
	var a articleJSON
	getJSON(t, ts, "/api/articles/"+id, 200, &a)
	if deref(a.Outlet) != "Lake Gazette" || a.Source != postSource || a.Story == nil || !strings.Contains(a.Text, "inquiry would report") {
		t.Errorf("the posted article: %+v", a)
	}
	// the same article again is no new article
	code, _, v = post(t, ts, "bearer "+testToken, "application/json", []byte(postJSON), "")
	if code != 200 || v["created"].(float64) != 0 {
		t.Errorf("POST again: %d %v", code, v)
	}

	page := `<!doctype html><html><head><title>Spillway works start</title></head><body><article><h1>Spillway works start</h1>
<p>Crews began work on the spillway of the Northgate Dam on Monday, a month after the flood that damaged it and forced the evacuation of homes downstream.</p>
<p>The regional council said the repairs would cost 40 million euros and take two years, and that the road over the dam would stay closed until the autumn.</p>
<p>Engineers said the first phase would rebuild the concrete channel and the gates, which the water tore away in the storm.</p>
</article></body></html>`
	code, _, v = post(t, ts, "Bearer "+testToken, "text/html", []byte(page), "?outlet=Valley+Herald&published=2025-05-05&url=https://example.org/works")
	if code != 201 {
		t.Fatalf("POST HTML: %d %v", code, v)
	}
	id = v["articles"].([]any)[0].(map[string]any)["id"].(string)
	getJSON(t, ts, "/api/articles/"+id, 200, &a)
	if deref(a.Outlet) != "Valley Herald" || deref(a.Published) != "2025-05-05" || !strings.Contains(a.Text, "concrete channel") {
		t.Errorf("the posted page: %+v", a)
	}

	// an array: one article good, one without text
	code, _, v = post(t, ts, "Bearer "+testToken, "application/json", []byte(`[`+strings.Replace(postJSON, "Sunday", "Saturday", 1)+`, {"text": " \n "}]`), "")
	if code != 201 || len(v["articles"].([]any)) != 2 || v["articles"].([]any)[1].(map[string]any)["error"] == nil {
		t.Errorf("POST an array with a bad article: %d %v", code, v)
	}
	code, _, v = post(t, ts, "Bearer "+testToken, "application/json", []byte(`{"text": " \n "}`), "")
	if code != 422 || v["error"] == nil {
		t.Errorf("POST an article without text: %d %v", code, v)
	}

	big := bytes.Repeat([]byte("a"), MaxBody+1)
	many := "[" + strings.TrimSuffix(strings.Repeat(`{"text":"x"},`, MaxPostArticles+1), ",") + "]"
	for _, c := range []struct {
		ctype, body string
		code        int
		want        string
	}{
		{"application/json", `{"text": "unterminated`, 400, "invalid JSON"},
		{"application/json", `{"title": "no text"}`, 400, `neither "text" nor "html"`},
		{"application/json", `{"body": "a misspelt key"}`, 400, `unknown field "body"`},
		{"application/json", `{"text": 42}`, 400, `"text" must be a string`},
		{"application/json", `{"text": "a"} {"text": "b"}`, 400, "more than one JSON value"},
		{"application/json", `[]`, 400, "no article"},
		{"application/json", many, 400, "at most 100"},
		{"application/json", "  ", 400, "empty"},
		{"application/json", string(big), 413, "larger than"},
		{"text/plain", "some text", 415, "application/json"},
		{"", "some text", 415, "application/json"},
		{"multipart/form-data; boundary=x", "--x--", 415, "application/json"},
	} {
		code, _, v := post(t, ts, "Bearer "+testToken, c.ctype, []byte(c.body), "")
		msg, _ := v["error"].(string)
		if code != c.code || !strings.Contains(msg, c.want) {
			t.Errorf("POST %s %q…: %d %v, want %d and %q", c.ctype, clip(c.body, 30), code, v, c.code, c.want)
		}
	}
	// other methods stay refused
	req, _ := http.NewRequest("PUT", ts.URL+"/api/articles", strings.NewReader(postJSON))
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("PUT /api/articles: %d", resp.StatusCode)
	}
}
