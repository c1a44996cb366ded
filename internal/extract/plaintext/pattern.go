package plaintext

import (
	"regexp"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// pattern is a regular expression with a cheap test run before it: the
// bytes a match can start with when the expression is anchored at the start
// of the text (read from its compiled program), and optionally a
// hand-written condition every match meets. Both only skip texts the
// expression cannot match, so a pattern decides exactly as its expression
// does; most lines of an article fail the first test and never reach the
// regexp engine, whose backtracker costs time in proportion to the line's
// length even when it fails on the first byte.
type pattern struct {
	*regexp.Regexp
	lead    [256]bool // the bytes a match can start with, when anchored
	anyLead bool      // the expression may match starting with any byte (or none)
	need    func(string) bool
}

// mustPattern compiles expr like regexp.MustCompile and reads the bytes a
// match of it can start with.
func mustPattern(expr string) *pattern {
	p := &pattern{Regexp: regexp.MustCompile(expr)}
	p.lead, p.anyLead = leadBytes(expr)
	return p
}

// withNeed adds a condition that every text the expression matches meets.
func (p *pattern) withNeed(need func(string) bool) *pattern {
	p.need = need
	return p
}

// may tells whether the expression can match s at all.
func (p *pattern) may(s string) bool {
	if !p.anyLead && (s == "" || !p.lead[s[0]]) {
		return false
	}
	return p.need == nil || p.need(s)
}

// MatchString reports whether s matches the expression.
func (p *pattern) MatchString(s string) bool { return p.may(s) && p.Regexp.MatchString(s) }

// FindStringSubmatch is regexp.FindStringSubmatch.
func (p *pattern) FindStringSubmatch(s string) []string {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringSubmatch(s)
}

// leadBytes returns the set of first bytes of the texts expr can match,
// for an expression that matches only at the start of the text; any is set
// when it cannot tell: the expression is not anchored, may match the empty
// string, or may start with any character. It compiles expr as
// regexp.Compile does and walks the program from its start to the first
// instructions that consume a character.
func leadBytes(expr string) (lead [256]bool, any bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return lead, true
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil || prog.StartCond()&syntax.EmptyBeginText == 0 {
		return lead, true
	}
	addRange := func(lo, hi rune) {
		if lo <= utf8.RuneError && utf8.RuneError <= hi {
			// an invalid byte reads as U+FFFD
			for b := 0x80; b < 0x100; b++ {
				lead[b] = true
			}
		}
		for ; lo <= hi && lo < utf8.RuneSelf; lo++ {
			lead[lo] = true
		}
		if lo > hi {
			return
		}
		// UTF-8 keeps the order of code points, so the first bytes of
		// lo…hi are the ones from lo's to hi's
		var a, z [utf8.UTFMax]byte
		utf8.EncodeRune(a[:], lo)
		utf8.EncodeRune(z[:], min(hi, unicode.MaxRune))
		for b := int(a[0]); b <= int(z[0]); b++ {
			lead[b] = true
		}
	}
	seen := make([]bool, len(prog.Inst))
	stack := []uint32{uint32(prog.Start)}
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, in.Out, in.Arg)
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			stack = append(stack, in.Out)
		case syntax.InstFail:
		case syntax.InstRune1:
			addRange(in.Rune[0], in.Rune[0])
		case syntax.InstRune:
			if len(in.Rune) == 1 {
				r := in.Rune[0]
				addRange(r, r)
				if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
					for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
						addRange(f, f)
					}
				}
				continue
			}
			for i := 0; i+1 < len(in.Rune); i += 2 {
				addRange(in.Rune[i], in.Rune[i+1])
			}
		default: // a match, or any character
			return lead, true
		}
	}
	return lead, false
}
