package plaintext

import (
	"regexp"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// pattern is a regular expression with a cheap test run before it: when
// the expression is anchored at the start of the text, the bytes a match
// can start with and, after an ASCII first character, the bytes its second
// character can start with (both read from the compiled program); and
// optionally a hand-written condition every match meets. The tests only
// skip texts the expression cannot match, so a pattern decides exactly as
// its expression does; most lines of an article fail them and never reach
// the regexp engine, whose backtracker costs time in proportion to the
// line's length even when it fails on the first byte.
type pattern struct {
	*regexp.Regexp
	lead    byteSet
	second  [utf8.RuneSelf]byteSet // by ASCII first byte
	anyLead bool                   // the expression may match starting with any byte (or none)
	need    func(string) bool
}

// byteSet is a set of bytes.
type byteSet [4]uint64

func (s *byteSet) add(b byte)      { s[b>>6] |= 1 << (b & 63) }
func (s *byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *byteSet) addAll()         { *s = byteSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)} }
func (s *byteSet) union(o *byteSet) {
	s[0], s[1], s[2], s[3] = s[0]|o[0], s[1]|o[1], s[2]|o[2], s[3]|o[3]
}
func (s *byteSet) addRange(lo, hi byte) {
	for b := int(lo); b <= int(hi); b++ {
		s.add(byte(b))
	}
}

// mustPattern compiles expr like regexp.MustCompile and reads the bytes a
// match of it can start with.
func mustPattern(expr string) *pattern {
	p := &pattern{Regexp: regexp.MustCompile(expr)}
	p.anyLead = !p.readLead(expr)
	return p
}

// withNeed adds a condition that every text the expression matches meets.
func (p *pattern) withNeed(need func(string) bool) *pattern {
	p.need = need
	return p
}

// may tells whether the expression can match s at all.
func (p *pattern) may(s string) bool {
	if !p.anyLead {
		if s == "" || !p.lead.has(s[0]) {
			return false
		}
		if len(s) > 1 && s[0] < utf8.RuneSelf && !p.second[s[0]].has(s[1]) {
			return false
		}
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

// readLead reads the first and second bytes of the texts expr can match,
// for an expression that matches only at the start of the text; it returns
// false when it cannot tell: the expression is not anchored, may match the
// empty string, or may start with any character. It compiles expr as
// regexp.Compile does and walks the program from its start to the first
// instructions that consume a character, and from each of those to the
// next ones.
func (p *pattern) readLead(expr string) bool {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return false
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil || prog.StartCond()&syntax.EmptyBeginText == 0 {
		return false
	}
	first, ok := leadOf(prog, uint32(prog.Start), &p.lead)
	if !ok {
		return false
	}
	for b := range p.second {
		p.second[b].addAll()
	}
	// what may follow an ASCII first character: the lead bytes of what
	// may follow each instruction that consumes it
	for c := range p.second {
		if !p.lead.has(byte(c)) {
			continue
		}
		var next byteSet
		for _, pc := range first {
			in := &prog.Inst[pc]
			if !in.MatchRune(rune(c)) {
				continue
			}
			if _, ok := leadOf(prog, in.Out, &next); !ok {
				next.addAll() // a match may end here, or anything follow
				break
			}
		}
		p.second[c] = next
	}
	return true
}

// leadOf adds to lead the first bytes of the characters the program can
// consume first from pc on, and returns the instructions that consume
// them; ok is false when a match is reachable without consuming or an
// instruction consumes any character.
func leadOf(prog *syntax.Prog, pc uint32, lead *byteSet) (consumers []uint32, ok bool) {
	addRange := func(lo, hi rune) {
		if lo <= utf8.RuneError && utf8.RuneError <= hi {
			// an invalid byte reads as U+FFFD
			lead.addRange(0x80, 0xff)
		}
		for ; lo <= hi && lo < utf8.RuneSelf; lo++ {
			lead.add(byte(lo))
		}
		if lo > hi {
			return
		}
		// UTF-8 keeps the order of code points, so the first bytes of
		// lo…hi are the ones from lo's to hi's
		var a, z [utf8.UTFMax]byte
		utf8.EncodeRune(a[:], lo)
		utf8.EncodeRune(z[:], min(hi, unicode.MaxRune))
		lead.addRange(a[0], z[0])
	}
	seen := make([]bool, len(prog.Inst))
	stack := []uint32{pc}
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
			consumers = append(consumers, pc)
		case syntax.InstRune:
			consumers = append(consumers, pc)
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
			return nil, false
		}
	}
	return consumers, true
}
