package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// client returns a Client for tests: no waiting between requests, and a
// last check that refuses to connect anywhere but loopback, so that a
// broken guard fails the test instead of sending a packet elsewhere.
func client(t *testing.T, opt Options) *Client {
	t.Helper()
	if opt.Interval == 0 {
		opt.Interval = -1
	}
	c := New(opt)
	c.dialHook = func(ap netip.AddrPort) error {
		if !ap.Addr().Unmap().IsLoopback() {
			t.Errorf("the client was about to connect to %s", ap)
			return fmt.Errorf("test: refusing %s", ap)
		}
		return nil
	}
	return c
}

// server is a loopback test server counting the requests to each path;
// /robots.txt is 404 unless the handler serves it.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	s := &server{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.RequestURI()]++
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *server) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, k := range s.hits {
		if p != "/robots.txt" {
			n += k
		}
	}
	return n
}

func pageHandler(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<html><body><p>The bridge reopened.</p></body></html>")
}

func addrPort(t *testing.T, rawURL string) netip.AddrPort {
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return netip.MustParseAddrPort(u.Host)
}

// TestGuardRefusesInternalAddressesByDefault: without AllowPrivate the
// client refuses loopback (a literal address, and a name resolving to it),
// private, link-local and metadata addresses, and never reaches the server.
func TestGuardRefusesInternalAddressesByDefault(t *testing.T) {
	srv := newServer(t, pageHandler)
	c := client(t, Options{})
	port := addrPort(t, srv.URL).Port()
	for _, target := range []struct{ url, reason string }{
		{srv.URL + "/a", "loopback"},
		{fmt.Sprintf("http://localhost:%d/a", port), "loopback"}, // refused at dial time, after resolution
		{fmt.Sprintf("http://[::1]:%d/a", port), "loopback"},
		{"http://169.254.169.254/latest/meta-data/", "cloud metadata"},
		{"http://10.0.0.1/", "private"},
		{"http://192.168.1.1/", "private"},
		{"http://172.16.0.1/", "private"},
		{"http://169.254.1.1/", "link-local"},
		{"http://0.0.0.0/", "unspecified"},
		{"http://[fd00:ec2::254]/", "cloud metadata"},
		{"http://[::ffff:127.0.0.1]:1/", "loopback"},
	} {
		_, err := c.Get(context.Background(), target.url)
		var be *BlockedError
		if !errors.Is(err, ErrBlocked) || !errors.As(err, &be) || be.Reason != target.reason {
			t.Errorf("%s: error %v, want a %s address refused", target.url, err, target.reason)
			continue
		}
		if !strings.HasPrefix(err.Error(), "fetch "+target.url+": ") || !strings.Contains(err.Error(), "--allow-private") {
			t.Errorf("%s: error %q does not name the URL and the flag", target.url, err)
		}
	}
	if n := srv.total(); n != 0 {
		t.Errorf("the server was reached %d times", n)
	}
}

// TestGuardAfterRedirect: a server the client may reach redirects to
// internal addresses; each redirect is refused and no other server is
// reached.
func TestGuardAfterRedirect(t *testing.T) {
	inner := newServer(t, pageHandler)
	innerPort := addrPort(t, inner.URL).Port()
	targets := map[string]string{
		"/to-loopback":  inner.URL + "/secret",
		"/to-localhost": fmt.Sprintf("http://localhost:%d/secret", innerPort),
		"/to-metadata":  "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
		"/to-private":   "http://10.1.2.3/admin",
	}
	outer := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if to, ok := targets[r.URL.Path]; ok {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		pageHandler(w, r)
	})
	c := client(t, Options{})
	outerAddr := addrPort(t, outer.URL)
	c.allowAddr = func(ap netip.AddrPort) bool { return ap == outerAddr } // only the outer server passes
	if _, err := c.Get(context.Background(), outer.URL+"/page"); err != nil {
		t.Fatalf("the allowed server: %v", err)
	}
	for path, to := range targets {
		_, err := c.Get(context.Background(), outer.URL+path)
		if !errors.Is(err, ErrBlocked) || !strings.Contains(err.Error(), to) {
			t.Errorf("redirect %s → %s: error %v, want the redirect refused", path, to, err)
		}
		if outer.count(path) != 1 {
			t.Errorf("%s requested %d times", path, outer.count(path))
		}
	}
	if n := inner.total() + inner.count("/robots.txt"); n != 0 {
		t.Errorf("the loopback server behind the redirects was reached %d times", n)
	}
}

func TestBlocked(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1": "loopback", "127.8.9.10": "loopback", "::1": "loopback", "::ffff:127.0.0.1": "loopback",
		"10.0.0.1": "private", "172.31.255.255": "private", "192.168.0.1": "private", "fc00::1": "private",
		"169.254.169.254": "cloud metadata", "fd00:ec2::254": "cloud metadata", "100.100.100.200": "cloud metadata",
		"169.254.0.1": "link-local", "fe80::1": "link-local",
		"0.0.0.0": "unspecified", "0.1.2.3": "this-network", "::": "unspecified", "224.0.0.1": "multicast", "ff02::1": "multicast",
		"255.255.255.255": "broadcast", "100.64.0.1": "shared (carrier-grade NAT)", "240.0.0.1": "reserved",
		"64:ff9b::a00:1": "private", "64:ff9b::7f00:1": "loopback", "2002:c0a8:101::1": "private", // IPv4 inside IPv6
		"93.184.215.14": "", "8.8.8.8": "", "2606:4700:4700::1111": "", "64:ff9b::808:808": "", "172.32.0.1": "",
	} {
		if got := Blocked(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Blocked(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestSchemesOtherThanHTTPAreRefused(t *testing.T) {
	c := client(t, Options{AllowPrivate: true})
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/", "gopher://x/", "/relative"} {
		if _, err := c.Get(context.Background(), u); err == nil || !strings.HasPrefix(err.Error(), "fetch "+u+": ") {
			t.Errorf("%s: error %v", u, err)
		}
	}
}

func TestRedirectToFileSchemeIsRefused(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	_, err := client(t, Options{AllowPrivate: true}).Get(context.Background(), srv.URL+"/x")
	if !errors.Is(err, ErrScheme) {
		t.Errorf("error %v, want ErrScheme", err)
	}
}

func TestAllowPrivateFetchesWithUserAgentAndConditionalGET(t *testing.T) {
	var agents []string
	var mu sync.Mutex
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == "Tue, 04 Mar 2025 09:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 04 Mar 2025 09:00:00 GMT")
		pageHandler(w, r)
	})
	c := client(t, Options{AllowPrivate: true})
	ctx := context.Background()
	first, err := c.Get(ctx, srv.URL+"/a")
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != 200 || first.NotModified || !bytes.Contains(first.Body, []byte("bridge reopened")) ||
		first.ETag != `"v1"` || first.LastModified != "Tue, 04 Mar 2025 09:00:00 GMT" || first.ContentType != "text/html; charset=utf-8" {
		t.Errorf("first response %+v", first)
	}
	for _, req := range []Request{{URL: srv.URL + "/a", ETag: first.ETag}, {URL: srv.URL + "/a", LastModified: first.LastModified}} {
		again, err := c.Do(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if !again.NotModified || len(again.Body) != 0 || again.ETag != req.ETag && req.ETag != "" {
			t.Errorf("conditional response %+v", again)
		}
	}
	for _, ua := range agents {
		if ua != DefaultUserAgent {
			t.Errorf("User-Agent %q", ua)
		}
	}
	if srv.count("/robots.txt") != 1 {
		t.Errorf("robots.txt fetched %d times, want once per host", srv.count("/robots.txt"))
	}
}

func TestStatusError(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	_, err := client(t, Options{AllowPrivate: true}).Get(context.Background(), srv.URL+"/gone")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 404 || !strings.Contains(err.Error(), srv.URL+"/gone") {
		t.Errorf("error %v, want a 404 StatusError naming the URL", err)
	}
}

// TestHugeResponse: a server that writes without end (declaring 1 GiB,
// or chunked without a length) is cut off at MaxBody with ErrTooLarge
// naming the URL; the client hangs up, so the server's writes fail long
// before its own 256 MiB bound (loose: socket buffers hold some).
func TestHugeResponse(t *testing.T) {
	chunk := bytes.Repeat([]byte("<p>news</p>"), 6000)
	sent := make(chan int, 2)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/declared" {
			w.Header().Set("Content-Length", fmt.Sprint(1<<30))
		}
		n := 0
		for n < 256<<20 { // endless but for this bound, which only a broken cap reaches
			k, err := w.Write(chunk)
			n += k
			if err != nil {
				break
			}
		}
		sent <- n
	})
	c := client(t, Options{AllowPrivate: true, MaxBody: 1 << 20})
	for _, path := range []string{"/declared", "/chunked"} {
		_, err := c.Get(context.Background(), srv.URL+path)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), srv.URL+path) {
			t.Errorf("%s: error %v, want ErrTooLarge naming the URL", path, err)
		}
		if n := <-sent; n >= 256<<20 {
			t.Errorf("%s: the server wrote %d bytes: the client read on past its 1 MiB cap", path, n)
		}
	}
}

// TestGzipBomb: a gzip body that inflates to 64 MiB is cut off at MaxBody.
func TestGzipBomb(t *testing.T) {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zero := make([]byte, 1<<20)
	for range 64 {
		zw.Write(zero)
	}
	zw.Close()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/html")
		w.Write(bomb.Bytes())
	})
	_, err := client(t, Options{AllowPrivate: true, MaxBody: 1 << 20}).Get(context.Background(), srv.URL+"/bomb")
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("error %v, want ErrTooLarge (compressed %d bytes)", err, bomb.Len())
	}
}

// TestEndlessRedirects: a server redirecting forever is followed
// MaxRedirects times.
func TestEndlessRedirects(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/r/%d", n.Add(1)), http.StatusFound)
	})
	_, err := client(t, Options{AllowPrivate: true, MaxRedirects: 3}).Get(context.Background(), srv.URL+"/r/0")
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("error %v, want ErrTooManyRedirects", err)
	}
	if n.Load() != 4 {
		t.Errorf("%d requests, want 4 (the first and 3 redirects)", n.Load())
	}
}

// TestSlowServer: a server that sends its headers and then one byte and
// nothing more is cut off by the request timeout.
func TestSlowServer(t *testing.T) {
	done := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	t.Cleanup(func() { close(done) }) // runs before the server closes
	_, err := client(t, Options{AllowPrivate: true, Timeout: 200 * time.Millisecond}).Get(context.Background(), srv.URL+"/slow")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "fetch "+srv.URL+"/slow: timed out after 200ms") {
		t.Errorf("error %v, want the request to time out", err)
	}
}

func TestRobots(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n\nUser-agent: googlebot\nUser-agent: storyline # us\nDisallow: /drafts\nAllow: /drafts/public\nDisallow: /*.pdf$\n")
			return
		}
		pageHandler(w, r)
	})
	c := client(t, Options{AllowPrivate: true})
	for path, allowed := range map[string]bool{
		"/news/a": true, "/drafts": false, "/drafts/x": false, "/drafts/public/x": true, "/a.pdf": false, "/a.pdf?x=1": true,
	} {
		_, err := c.Get(context.Background(), srv.URL+path)
		if allowed && err != nil || !allowed && !errors.Is(err, ErrRobots) {
			t.Errorf("%s: error %v, allowed %v", path, err, allowed)
		}
		if n := srv.count(path); allowed != (n == 1) {
			t.Errorf("%s reached %d times", path, n)
		}
	}
	if n := srv.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times", n)
	}
	// a server error on robots.txt disallows the host (RFC 9309)
	down := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		pageHandler(w, r)
	})
	if _, err := c.Get(context.Background(), down.URL+"/a"); !errors.Is(err, ErrRobots) || down.total() != 0 {
		t.Errorf("robots.txt 503: error %v, %d requests", err, down.total())
	}
}

func TestRobotsRules(t *testing.T) {
	r := parseRobots([]byte("User-agent: *\nDisallow: /private\nAllow: /private/ok$\nDisallow: /search?q=\nDisallow: /*/print\n\nUser-agent: other\nDisallow: /\n"), "storyline")
	for path, want := range map[string]bool{
		"/": true, "/private": false, "/private/x": false, "/private/ok": true, "/private/ok/more": false,
		"/search?q=x": false, "/search": true, "/a/b/print": false, "/print": true, "/robots.txt": true,
	} {
		if got := r.allows(path); got != want {
			t.Errorf("allows(%s) = %v, want %v", path, got, want)
		}
	}
	if !parseRobots([]byte("User-agent: storyline\nDisallow:\n\nUser-agent: *\nDisallow: /\n"), "storyline").allows("/x") {
		t.Error("an empty Disallow in our group should allow everything")
	}
	if parseRobots([]byte("User-agent: *\nDisallow: /\n"), "storyline").allows("/x") {
		t.Error("Disallow: / for * should disallow us")
	}
}

// TestRateLimit: requests to one host start Interval apart; another host
// does not wait. The clock is fake: nothing sleeps.
func TestRateLimit(t *testing.T) {
	a, b := newServer(t, pageHandler), newServer(t, pageHandler)
	c := client(t, Options{AllowPrivate: true, Interval: 10 * time.Second, IgnoreRobots: true})
	now := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	var waits []time.Duration
	c.now = func() time.Time { return now }
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); now = now.Add(d); return nil }
	for _, u := range []string{a.URL + "/1", a.URL + "/2", b.URL + "/1", a.URL + "/3"} {
		if _, err := c.Get(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(waits) != "[10s 10s]" {
		t.Errorf("waits %v, want [10s 10s] (a/2 and a/3; b/1 does not wait)", waits)
	}
}

// TestPerHostConcurrency: with PerHost 2, the third of three concurrent
// requests to one host starts only when one of the first two is done.
func TestPerHostConcurrency(t *testing.T) {
	arrived := make(chan struct{}, 3)
	release := make(chan struct{})
	var active, most atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := active.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		arrived <- struct{}{}
		<-release
		active.Add(-1)
		pageHandler(w, r)
	})
	c := client(t, Options{AllowPrivate: true, PerHost: 2, IgnoreRobots: true})
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Get(context.Background(), fmt.Sprintf("%s/%d", srv.URL, i))
			errs <- err
		}()
	}
	<-arrived
	<-arrived // two requests are in the handler; the third waits for a slot
	release <- struct{}{}
	<-arrived // the third gets in once one is done
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if most.Load() != 2 {
		t.Errorf("at most %d requests at once, want 2", most.Load())
	}
}

// TestRobotsKeptADayAndCrawlDelay: robots.txt is fetched again once a day
// has passed, and its Crawl-delay, when longer than Interval, spaces the
// requests to the host. The clock is fake: nothing sleeps.
func TestRobotsKeptADayAndCrawlDelay(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: storyline\nCrawl-delay: 30\nDisallow: /private\n")
			return
		}
		pageHandler(w, r)
	})
	c := client(t, Options{AllowPrivate: true, Interval: 10 * time.Second})
	now := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	var waits []time.Duration
	c.now = func() time.Time { return now }
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); now = now.Add(d); return nil }
	for _, p := range []string{"/a", "/b", "/c"} {
		if _, err := c.Get(context.Background(), srv.URL+p); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(waits) != "[30s 30s]" {
		t.Errorf("waits %v, want the crawl delay [30s 30s]", waits)
	}
	if n := srv.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times within a day", n)
	}
	now = now.Add(25 * time.Hour)
	if _, err := c.Get(context.Background(), srv.URL+"/d"); err != nil {
		t.Fatal(err)
	}
	if n := srv.count("/robots.txt"); n != 2 {
		t.Errorf("robots.txt fetched %d times, want again after a day", n)
	}
}
