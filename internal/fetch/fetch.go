// Package fetch gets web pages for storyline politely and safely: a clear
// User-Agent, timeouts, a body size cap, a per-host concurrency and rate
// limit, robots.txt, conditional GET, and a limited number of redirects,
// each checked again. It never connects to loopback, private, link-local,
// unspecified, multicast or cloud metadata addresses unless AllowPrivate is
// set: the check runs on the resolved address at dial time (so a name that
// resolves, or re-resolves, to such an address is refused too) and for
// every redirect.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DefaultUserAgent names storyline and where to learn about it.
const DefaultUserAgent = "storyline/0.1 (news story intelligence engine; +https://github.com/storyline-news/storyline)"

// Defaults of Options.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBody      = 16 << 20
	DefaultMaxRedirects = 5
	DefaultPerHost      = 2
	DefaultInterval     = time.Second
)

// Options tune a Client. The zero value is ready to use.
type Options struct {
	// UserAgent is sent with every request; "" means DefaultUserAgent.
	// Its first word is the product token matched in robots.txt.
	UserAgent string
	// Timeout bounds one request from dial to the last byte of the body
	// (a server that trickles bytes forever is cut off); 0 means 30 s.
	Timeout time.Duration
	// MaxBody bounds a response body after decompression; 0 means 16 MiB.
	MaxBody int64
	// MaxRedirects is the number of redirects followed; 0 means 5, and a
	// negative value follows none.
	MaxRedirects int
	// PerHost bounds the requests in flight to one host; 0 means 2.
	PerHost int
	// Interval is the least time between the starts of two requests to one
	// host; 0 means 1 s, a negative value no wait.
	Interval time.Duration
	// AllowPrivate lets the client connect to loopback, private,
	// link-local and other internal addresses (for tests and intranets).
	AllowPrivate bool
	// IgnoreRobots skips robots.txt.
	IgnoreRobots bool
}

// Errors a fetch can fail with; the error returned names the URL and wraps
// one of these.
var (
	ErrBlocked          = errors.New("address not allowed")
	ErrRobots           = errors.New("disallowed by robots.txt")
	ErrTooLarge         = errors.New("response too large")
	ErrTooManyRedirects = errors.New("too many redirects")
	ErrScheme           = errors.New("only http and https URLs are fetched")
)

// BlockedError is the error for an address the client refuses to connect to.
type BlockedError struct {
	Addr   netip.Addr
	Reason string // "loopback", "private", "cloud metadata", ...
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("%s: %s address %s (give --allow-private to allow it)", ErrBlocked, e.Reason, e.Addr)
}

func (e *BlockedError) Unwrap() error { return ErrBlocked }

// StatusError is the error for a response whose status is not 2xx (or 304
// for a conditional request).
type StatusError struct {
	Code   int
	Status string
}

func (e *StatusError) Error() string { return "HTTP status " + e.Status }

// Request is one GET. ETag and LastModified, from an earlier Response,
// make it conditional: an unchanged page comes back as NotModified.
type Request struct {
	URL          string
	ETag         string
	LastModified string
}

// Response is a fetched page.
type Response struct {
	URL         string // after redirects
	Status      int
	ContentType string
	Body        []byte
	// ETag and LastModified are the validators to send next time.
	ETag         string
	LastModified string
	// NotModified is true when a conditional request found the page
	// unchanged; Body is then empty.
	NotModified bool
}

// Client fetches pages. It is safe for concurrent use.
type Client struct {
	opt  Options
	http *http.Client

	mu    sync.Mutex
	hosts map[string]*host

	// Hooks for tests: the clock, waiting, one address let through the
	// guard, and a last check of every address the dialer is about to
	// connect to.
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
	allowAddr func(netip.AddrPort) bool
	dialHook  func(netip.AddrPort) error
}

// host is the state kept per scheme and host.
type host struct {
	slots chan struct{} // per-host concurrency

	mu   sync.Mutex
	next time.Time // earliest start of the next request

	robotsMu      sync.Mutex // held while robots.txt is fetched
	robots        *robots
	robotsErr     error
	robotsExpires time.Time
}

// How long a robots.txt (RFC 9309 asks for at most a day), or the failure
// to get one, is kept; and the longest Crawl-delay obeyed.
const (
	robotsTTL      = 24 * time.Hour
	robotsErrorTTL = time.Hour
	maxCrawlDelay  = time.Minute
)

// New returns a Client with the given options.
func New(opt Options) *Client {
	if opt.UserAgent == "" {
		opt.UserAgent = DefaultUserAgent
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = DefaultMaxBody
	}
	if opt.MaxRedirects == 0 {
		opt.MaxRedirects = DefaultMaxRedirects
	}
	if opt.PerHost <= 0 {
		opt.PerHost = DefaultPerHost
	}
	if opt.Interval == 0 {
		opt.Interval = DefaultInterval
	}
	c := &Client{opt: opt, hosts: map[string]*host{}, now: time.Now, sleep: sleepCtx}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: c.control}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would connect for us, past the address check
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  15 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           32,
		MaxIdleConnsPerHost:    opt.PerHost,
		IdleConnTimeout:        30 * time.Second,
		ForceAttemptHTTP2:      true,
	}
	c.http = &http.Client{Transport: transport, CheckRedirect: c.checkRedirect}
	return c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// control runs on every connection the dialer opens, with the resolved
// address, before it connects.
func (c *Client) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable address %q", ErrBlocked, address)
	}
	if err := c.refuse(ap); err != nil {
		return err
	}
	if c.dialHook != nil {
		return c.dialHook(ap)
	}
	return nil
}

// refuse returns a *BlockedError for an address the client may not
// connect to.
func (c *Client) refuse(ap netip.AddrPort) error {
	if c.opt.AllowPrivate || c.allowAddr != nil && c.allowAddr(ap) {
		return nil
	}
	if reason := Blocked(ap.Addr()); reason != "" {
		return &BlockedError{Addr: ap.Addr().Unmap(), Reason: reason}
	}
	return nil
}

var blockedPrefixes = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this-network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("100::/64"), "discard"},
}

var metadataAddrs = map[netip.Addr]bool{
	netip.MustParseAddr("169.254.169.254"): true, // AWS, GCP, Azure, OpenStack
	netip.MustParseAddr("fd00:ec2::254"):   true, // AWS over IPv6
	netip.MustParseAddr("100.100.100.200"): true, // Alibaba Cloud
	netip.MustParseAddr("169.254.170.2"):   true, // AWS ECS task metadata
}

// Blocked tells why the client refuses to connect to an address by
// default: "loopback", "private", "link-local", "cloud metadata", ...; ""
// for an address it connects to. IPv4 addresses inside IPv6 (mapped,
// NAT64, 6to4) are judged by the IPv4 address.
func Blocked(ip netip.Addr) string {
	ip = ip.Unmap()
	if metadataAddrs[ip.WithZone("")] {
		return "cloud metadata"
	}
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsMulticast():
		return "multicast"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	case ip.IsUnspecified():
		return "unspecified"
	case ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "broadcast"
	}
	for _, p := range blockedPrefixes {
		if p.prefix.Contains(ip) {
			return p.reason
		}
	}
	if ip.Is6() {
		b := ip.As16()
		switch {
		case netip.MustParsePrefix("64:ff9b::/96").Contains(ip): // NAT64
			return Blocked(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
		case netip.MustParsePrefix("2002::/16").Contains(ip): // 6to4
			return Blocked(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
		}
	}
	return ""
}

// checkURL refuses URLs that are not http or https, and hosts that are
// literal addresses the client would refuse (before any connection; the
// dialer checks every resolved address again).
func (c *Client) checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: %q", ErrScheme, u.Scheme)
	}
	if u.Hostname() == "" {
		return errors.New("URL has no host")
	}
	ip, err := netip.ParseAddr(u.Hostname())
	if err != nil {
		return nil // a name: the dialer checks what it resolves to
	}
	port := uint16(80)
	if u.Scheme == "https" {
		port = 443
	}
	if p, err := strconv.ParseUint(u.Port(), 10, 16); err == nil {
		port = uint16(p)
	}
	return c.refuse(netip.AddrPortFrom(ip, port))
}

// checkRedirect limits redirects and checks each target like the first
// URL: scheme, literal address, robots.txt (the dialer checks the
// resolved address).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.opt.MaxRedirects || c.opt.MaxRedirects < 0 {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, max(c.opt.MaxRedirects, 0))
	}
	if err := c.checkURL(req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", req.URL, err)
	}
	if err := c.allowed(req.Context(), req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", req.URL, err)
	}
	return nil
}

func hostKey(u *url.URL) string { return u.Scheme + "://" + strings.ToLower(u.Host) }

func (c *Client) host(u *url.URL) *host {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := hostKey(u)
	h := c.hosts[k]
	if h == nil {
		h = &host{slots: make(chan struct{}, c.opt.PerHost)}
		c.hosts[k] = h
	}
	return h
}

// Get fetches a URL.
func (c *Client) Get(ctx context.Context, rawURL string) (*Response, error) {
	return c.Do(ctx, Request{URL: rawURL})
}

// Do fetches one request. Errors name the URL.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	resp, err := c.do(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	return resp, nil
}

func (c *Client) do(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(strings.TrimSpace(r.URL))
	if err != nil {
		return nil, err
	}
	if err := c.checkURL(u); err != nil {
		return nil, err
	}
	if err := c.allowed(ctx, u); err != nil {
		return nil, err
	}
	h := c.host(u)
	release, err := c.take(ctx, h)
	if err != nil {
		return nil, err
	}
	defer release()

	ctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.opt.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,*/*;q=0.8")
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.timedOut(ctx, unwrapURLError(err))
	}
	defer resp.Body.Close()
	out := &Response{
		URL:          resp.Request.URL.String(),
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	if resp.StatusCode == http.StatusNotModified && (r.ETag != "" || r.LastModified != "") {
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = r.ETag
		}
		if out.LastModified == "" {
			out.LastModified = r.LastModified
		}
		return out, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &StatusError{Code: resp.StatusCode, Status: resp.Status}
	}
	if resp.ContentLength > c.opt.MaxBody {
		return nil, fmt.Errorf("%w: Content-Length %d, more than %d bytes", ErrTooLarge, resp.ContentLength, c.opt.MaxBody)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opt.MaxBody+1))
	if err != nil {
		return nil, c.timedOut(ctx, fmt.Errorf("reading the body: %w", unwrapURLError(err)))
	}
	if int64(len(body)) > c.opt.MaxBody {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.opt.MaxBody)
	}
	out.Body = body
	return out, nil
}

// timedOut says so when the request's own deadline ended it.
func (c *Client) timedOut(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && !strings.HasPrefix(err.Error(), "timed out") {
		return fmt.Errorf("timed out after %s: %w", c.opt.Timeout, err)
	}
	return err
}

// unwrapURLError drops the *url.Error around an error (the caller names
// the URL itself), keeping what it wraps for errors.Is.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// take waits for a slot of the host and for its rate limit; release frees
// the slot.
func (c *Client) take(ctx context.Context, h *host) (release func(), err error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release = func() { <-h.slots }
	interval := c.opt.Interval
	h.robotsMu.Lock()
	if h.robots != nil && h.robots.delay > interval {
		interval = min(h.robots.delay, maxCrawlDelay)
	}
	h.robotsMu.Unlock()
	if interval > 0 {
		h.mu.Lock()
		now := c.now()
		start := h.next
		if start.Before(now) {
			start = now
		}
		h.next = start.Add(interval)
		h.mu.Unlock()
		if wait := start.Sub(now); wait > 0 {
			if err := c.sleep(ctx, wait); err != nil {
				release()
				return nil, err
			}
		}
	}
	return release, nil
}

// allowed checks robots.txt for a URL.
func (c *Client) allowed(ctx context.Context, u *url.URL) error {
	if c.opt.IgnoreRobots {
		return nil
	}
	h := c.host(u)
	h.robotsMu.Lock()
	defer h.robotsMu.Unlock()
	if now := c.now(); !now.Before(h.robotsExpires) {
		h.robots, h.robotsErr = c.fetchRobots(ctx, u)
		if h.robotsErr != nil {
			h.robotsExpires = now.Add(robotsErrorTTL)
		} else {
			h.robotsExpires = now.Add(robotsTTL)
		}
	}
	if h.robotsErr != nil {
		return h.robotsErr
	}
	if !h.robots.allows(pathOf(u)) {
		return ErrRobots
	}
	return nil
}

func pathOf(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// productToken is the first word of a User-Agent, without its version.
func productToken(ua string) string {
	tok, _, _ := strings.Cut(strings.TrimSpace(ua), " ")
	tok, _, _ = strings.Cut(tok, "/")
	return strings.ToLower(tok)
}
