package fetch

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// robots holds the rules of a robots.txt that apply to our product token
// (RFC 9309): the group naming it, else the "*" group. The zero value
// allows everything.
type robots struct {
	rules []rule
	delay time.Duration // Crawl-delay, 0 when none
}

type rule struct {
	allow   bool
	pattern string // path pattern; '*' matches any run, a final '$' anchors the end
}

// parseRobots reads the groups of a robots.txt and keeps the rules for
// token: those of every group naming it, else those of the "*" groups.
func parseRobots(body []byte, token string) *robots {
	var mine, star []rule
	var mineDelay, starDelay time.Duration
	var agents []string
	inRules := false // a group's user-agent lines are over once a rule is read
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), maxRobots)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch key {
		case "user-agent":
			if inRules {
				agents, inRules = nil, false
			}
			agents = append(agents, strings.ToLower(value))
		case "crawl-delay":
			inRules = true
			secs, err := strconv.ParseFloat(value, 64)
			if err != nil || secs <= 0 || secs > 86400 {
				continue
			}
			d := time.Duration(secs * float64(time.Second))
			for _, a := range agents {
				switch {
				case a == "*":
					starDelay = d
				case a == token:
					mineDelay = d
				}
			}
		case "allow", "disallow":
			inRules = true
			if value == "" {
				continue // "Disallow:" with no path allows everything
			}
			r := rule{allow: key == "allow", pattern: normalisePattern(value)}
			for _, a := range agents {
				switch {
				case a == "*":
					star = append(star, r)
				case a == token:
					mine = append(mine, r)
				}
			}
		}
	}
	if mine != nil || hasGroup(body, token) {
		return &robots{rules: mine, delay: mineDelay}
	}
	return &robots{rules: star, delay: starDelay}
}

// hasGroup tells whether some group names the token, even one without
// rules (which then allows everything, whatever "*" says).
func hasGroup(body []byte, token string) bool {
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), maxRobots)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(key), "user-agent") {
			continue
		}
		if i := strings.IndexByte(value, '#'); i >= 0 {
			value = value[:i]
		}
		a := strings.ToLower(strings.TrimSpace(value))
		if a == token {
			return true
		}
	}
	return false
}

// normalisePattern percent-encodes a pattern the way paths are compared.
func normalisePattern(p string) string {
	if u, err := url.Parse(p); err == nil && u.Opaque == "" && u.Host == "" {
		s := u.EscapedPath()
		if u.RawQuery != "" || strings.HasSuffix(p, "?") {
			s += "?" + u.RawQuery
		}
		if strings.HasSuffix(p, "$") && !strings.HasSuffix(s, "$") {
			s += "$"
		}
		if s != "" {
			return s
		}
	}
	return p
}

// allows tells whether a path (with its query) may be fetched: the longest
// matching rule wins, allow winning a tie; no match allows.
func (r *robots) allows(path string) bool {
	if r == nil {
		return true
	}
	if path == "/robots.txt" {
		return true
	}
	best, allow := -1, true
	for _, ru := range r.rules {
		if match(ru.pattern, path) {
			n := len(ru.pattern)
			if n > best || n == best && ru.allow {
				best, allow = n, ru.allow
			}
		}
	}
	return allow
}

// match reports whether a robots.txt pattern matches the start of path.
func match(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 && anchored {
			return strings.HasSuffix(rest, p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return !anchored || rest == ""
}

// maxRobots bounds a robots.txt file (RFC 9309 asks crawlers to read at
// least 500 KiB).
const maxRobots = 512 << 10

// fetchRobots gets and parses a host's robots.txt. Missing (4xx) allows
// everything; a server error (5xx) or an unreachable host disallows
// everything, as RFC 9309 asks.
func (c *Client) fetchRobots(ctx context.Context, u *url.URL) (*robots, error) {
	ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ru.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.opt.UserAgent)
	resp, err := c.robotsClient().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, c.robotsTimedOut(ctx)
		}
		return nil, fmt.Errorf("robots.txt unreachable: %w", unwrapURLError(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500:
		return nil, fmt.Errorf("%w: robots.txt answered %s", ErrRobots, resp.Status)
	case resp.StatusCode >= 400:
		return &robots{}, nil
	case resp.StatusCode >= 300:
		return nil, fmt.Errorf("%w: robots.txt redirected too often", ErrRobots)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobots))
	if err != nil {
		if ctx.Err() != nil {
			return nil, c.robotsTimedOut(ctx)
		}
		return nil, fmt.Errorf("robots.txt: %w", unwrapURLError(err))
	}
	return parseRobots(body, productToken(c.opt.UserAgent)), nil
}

// robotsClient follows up to five redirects for robots.txt, checked like
// any other, without asking robots.txt about robots.txt.
func (c *Client) robotsClient() *http.Client {
	return &http.Client{Transport: c.http.Transport, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) > 5 {
			return http.ErrUseLastResponse
		}
		return c.checkURL(req.URL)
	}}
}

// robotsTimedOut is the error of a robots.txt request its deadline ended:
// "robots.txt: timed out after 30s", wrapping context.DeadlineExceeded
// without spelling it out.
func (c *Client) robotsTimedOut(ctx context.Context) error {
	return &timeoutError{msg: fmt.Sprintf("robots.txt: timed out after %s", c.opt.Timeout), err: ctx.Err()}
}

// timeoutError says what timed out; it wraps the context's error.
type timeoutError struct {
	msg string
	err error
}

func (e *timeoutError) Error() string { return e.msg }
func (e *timeoutError) Unwrap() error { return e.err }
