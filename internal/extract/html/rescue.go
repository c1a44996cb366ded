package html

import (
	"encoding/json"
	"html"
	"slices"
	"strings"
	"unicode"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// mend reads the paragraphs of go-trafilatura's content tree, mending what
// its rescue for a short main text (its "baseline") makes of a page. That
// rescue puts whole blocks of text into single <p> elements: a JSON-LD
// articleBody, the text of the first <article>, of the body or of the whole
// page, gluing their paragraphs together ("Ferries resumeBy Ola BrennThe
// ferries…"); and when the page's <p> elements give too little it adds the
// body's or the page's text after them, so the text comes twice. A content
// tree of plain <p> elements (text only, as the rescue makes them) is
// compared, white space aside, with those blocks of a fresh parse of the
// page: a <p> that is one of them becomes that block's own paragraphs, and
// one that is the body or the page replaces the <p>s before it (they are
// in it). Any other tree is read as it is.
func mend(content *xhtml.Node, parse func() (*xhtml.Node, error)) []string {
	var ps []*xhtml.Node
	for c := content.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == xhtml.TextNode && strings.TrimSpace(c.Data) == "":
		case isElement(c, "p") && (c.FirstChild == nil || c.FirstChild.Type == xhtml.TextNode && c.FirstChild.NextSibling == nil):
			ps = append(ps, c)
		default:
			return Paragraphs(content)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	doc, err := parse()
	if err != nil {
		return Paragraphs(content)
	}
	blocks := rescueBlocks(doc)
	var paras []string
	for _, p := range ps {
		b, ok := blocks[squashSpace(textOf(p))]
		switch {
		case !ok:
			paras = append(paras, Paragraphs(p)...)
		case b.whole:
			paras = slices.Clone(b.paras)
		default:
			paras = append(paras, b.paras...)
		}
	}
	if len(paras) == 0 { // the blocks hold no text of their own (a <noscript> iframe): read as it is
		return Paragraphs(content)
	}
	return paras
}

// block is a block of text go-trafilatura's rescue may take whole, and its
// paragraphs; whole tells a block holding all the page's text (the body,
// the page).
type block struct {
	paras []string
	whole bool
}

// rescueBlocks are the blocks go-trafilatura's rescue takes, by their text
// without white space: each JSON-LD articleBody, then (after dropping what
// the rescue drops: aside, footer, footer divs, script, style) the first
// <article>, the body and the whole page. Text inside <noscript> (where
// some blogs put the article) is read as the HTML it is.
func rescueBlocks(doc *xhtml.Node) map[string]block {
	blocks := map[string]block{}
	for _, body := range jsonLDBodies(doc) {
		if strings.Contains(body, "<p>") {
			if frag, err := xhtml.Parse(strings.NewReader(body)); err == nil {
				blocks[squashSpace(textOf(frag))] = block{paras: Paragraphs(frag)}
			}
			continue
		}
		var paras []string
		for _, line := range strings.Split(body, "\n") {
			paras = append(paras, Paragraphs(&xhtml.Node{Type: xhtml.TextNode, Data: line})...)
		}
		blocks[squashSpace(body)] = block{paras: paras}
	}
	dropBoilerplate(doc)
	article := find(doc, func(n *xhtml.Node) bool { return isElement(n, "article") })
	body := find(doc, func(n *xhtml.Node) bool { return isElement(n, "body") })
	var keys []string
	for _, n := range []*xhtml.Node{article, body, doc} {
		if n != nil {
			keys = append(keys, squashSpace(textOf(n)))
		}
	}
	readNoscript(doc)
	i := 0
	for j, n := range []*xhtml.Node{article, body, doc} {
		if n == nil {
			continue
		}
		if b, ok := blocks[keys[i]]; ok {
			b.whole = b.whole || j > 0 // an article that is all the page
			blocks[keys[i]] = b
		} else if keys[i] != "" {
			blocks[keys[i]] = block{paras: Paragraphs(n), whole: j > 0}
		}
		i++
	}
	return blocks
}

// jsonLDBodies are the articleBody strings of the page's JSON-LD objects.
func jsonLDBodies(doc *xhtml.Node) []string {
	var scripts []*xhtml.Node
	collect(doc, func(n *xhtml.Node) bool {
		return isElement(n, "script") && strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json")
	}, &scripts)
	var bodies []string
	for _, s := range scripts {
		var obj map[string]any
		if json.Unmarshal([]byte(html.UnescapeString(strings.TrimSpace(textOf(s)))), &obj) != nil {
			continue
		}
		bodies = append(bodies, articleBodies(obj)...)
	}
	return bodies
}

// articleBodies finds the "articleBody" strings of a JSON-LD object,
// through nested objects and arrays.
func articleBodies(obj map[string]any) []string {
	var out []string
	for k, v := range obj {
		switch v := v.(type) {
		case string:
			if strings.EqualFold(k, "articleBody") && strings.TrimSpace(v) != "" {
				out = append(out, strings.TrimSpace(v))
			}
		case map[string]any:
			out = append(out, articleBodies(v)...)
		case []any:
			for _, item := range v {
				if o, ok := item.(map[string]any); ok {
					out = append(out, articleBodies(o)...)
				}
			}
		}
	}
	return out
}

// dropBoilerplate removes what go-trafilatura's rescue drops first:
// aside, footer, divs whose id or class names a footer, script, style.
func dropBoilerplate(doc *xhtml.Node) {
	var drop []*xhtml.Node
	collect(doc, func(n *xhtml.Node) bool {
		if n.Type != xhtml.ElementNode {
			return false
		}
		switch n.Data {
		case "aside", "footer", "script", "style":
			return true
		case "div":
			return strings.Contains(attr(n, "id"), "footer") || strings.Contains(attr(n, "class"), "footer")
		}
		return false
	}, &drop)
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// readNoscript replaces each <noscript>, whose content the parser keeps as
// raw text, with a <div> of that content parsed as HTML.
func readNoscript(doc *xhtml.Node) {
	var ns []*xhtml.Node
	collect(doc, func(n *xhtml.Node) bool { return isElement(n, "noscript") }, &ns)
	ctx := &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range ns {
		if n.Parent == nil {
			continue
		}
		div := &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div}
		if nodes, err := xhtml.ParseFragment(strings.NewReader(textOf(n)), ctx); err == nil {
			for _, c := range nodes {
				div.AppendChild(c)
			}
		}
		n.Parent.InsertBefore(div, n)
		n.Parent.RemoveChild(n)
	}
}

// squashSpace drops all white space (and what Paragraphs drops), so that
// texts joined with other separators compare equal.
func squashSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return dropControl(r)
	}, s)
}

func isElement(n *xhtml.Node, name string) bool {
	return n.Type == xhtml.ElementNode && n.Data == name
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns the first node, in document order, for which match holds.
func find(n *xhtml.Node, match func(*xhtml.Node) bool) *xhtml.Node {
	if match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, match); f != nil {
			return f
		}
	}
	return nil
}

// collect appends the nodes for which match holds, in document order,
// without looking inside them.
func collect(n *xhtml.Node, match func(*xhtml.Node) bool, out *[]*xhtml.Node) {
	if match(n) {
		*out = append(*out, n)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collect(c, match, out)
	}
}

// textOf is the text of a node and its descendants, as DOM textContent.
func textOf(n *xhtml.Node) string {
	var b strings.Builder
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
