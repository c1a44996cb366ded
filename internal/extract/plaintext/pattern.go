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
	start   *prefixProgram // for an anchored expression: its program, read from the start
}

// byteSet is a set of bytes.
type byteSet [4]uint64

func (s *byteSet) add(b byte)      { s[b>>6] |= 1 << (b & 63) }
func (s *byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *byteSet) addAll()         { *s = byteSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)} }
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
	p.start = newPrefixProgram(expr)
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
	if p.need != nil && !p.need(s) {
		return false
	}
	return p.start == nil || p.start.may(s)
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
	ok = true
	reach(prog, pc, func(pc uint32, in *syntax.Inst) bool {
		switch in.Op {
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
				break
			}
			for i := 0; i+1 < len(in.Rune); i += 2 {
				addRange(in.Rune[i], in.Rune[i+1])
			}
		default: // a match, or any character
			ok = false
			return false
		}
		consumers = append(consumers, pc)
		return true
	})
	if !ok {
		return nil, false
	}
	return consumers, true
}

// prefixProgram runs the program of an expression anchored at the start
// of the text over the text's first characters, as a set of threads (the
// instructions that consume a character), and tells when none is left:
// then no match can start at the start, the only place one can. It is
// the regexp's own program, but it lets every empty-width assertion (^, $,
// \b) pass, so its threads are a superset of the engine's: it never says
// no where the engine would say yes. The engine's backtracker costs time
// in proportion to the text's length before it fails, and most lines of an
// article leave no thread alive after their first few characters.
type prefixProgram struct {
	prog *syntax.Prog
	// after[pc] are the instructions that consume a character reachable
	// from instruction pc's next one without consuming; matches[pc] tells
	// whether a match is reachable so
	after   [][]uint16
	matches []bool
	first   []uint16 // reachable from the start
	match   bool     // a match is reachable from the start
}

// prefixSteps is how many characters prefixProgram reads at most; with
// threads still alive after them, it lets the engine decide.
const prefixSteps = 24

// maxPrefixInsts bounds the size of the programs prefixProgram runs and
// maxThreads the threads it follows, so that its sets fit on the stack;
// with more threads alive, it lets the engine decide.
const (
	maxPrefixInsts = 640
	maxThreads     = 128
)

// newPrefixProgram compiles expr as regexp.Compile does; it returns nil
// when the expression is not anchored at the start or is too large.
func newPrefixProgram(expr string) *prefixProgram {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil || prog.StartCond()&syntax.EmptyBeginText == 0 || len(prog.Inst) > maxPrefixInsts {
		return nil
	}
	pp := &prefixProgram{prog: prog, after: make([][]uint16, len(prog.Inst)), matches: make([]bool, len(prog.Inst))}
	pp.first, pp.match = closure(prog, uint32(prog.Start))
	for pc := range prog.Inst {
		if consumes(&prog.Inst[pc]) {
			pp.after[pc], pp.matches[pc] = closure(prog, prog.Inst[pc].Out)
		}
	}
	return pp
}

// consumes tells whether an instruction consumes a character.
func consumes(in *syntax.Inst) bool {
	switch in.Op {
	case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
		return true
	}
	return false
}

// closure returns the instructions that consume a character reachable from
// pc without consuming one, every empty-width assertion passing, and
// whether a match is.
func closure(prog *syntax.Prog, pc uint32) (out []uint16, match bool) {
	reach(prog, pc, func(pc uint32, in *syntax.Inst) bool {
		if in.Op == syntax.InstMatch {
			match = true
		} else {
			out = append(out, uint16(pc))
		}
		return true
	})
	return out, match
}

// reach calls visit, in the order of a depth-first walk, for each
// instruction reachable from pc without consuming a character (every
// empty-width assertion passing) that is not itself such a step: one that
// consumes a character, or a match. It stops when visit returns false.
func reach(prog *syntax.Prog, pc uint32, visit func(pc uint32, in *syntax.Inst) bool) {
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
		default:
			if !visit(pc, in) {
				return
			}
		}
	}
}

// may tells whether a match can start at the start of s.
func (pp *prefixProgram) may(s string) bool {
	if pp.match {
		return true
	}
	if len(pp.first) > maxThreads {
		return true
	}
	var bufs [2][maxThreads]uint16
	cur := append(bufs[0][:0], pp.first...)
	var seen [maxPrefixInsts / 64]uint64
	i := 0
	for steps := 0; i < len(s) && steps < prefixSteps; steps++ {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		next := bufs[(steps+1)%2][:0]
		seen = [maxPrefixInsts / 64]uint64{}
		for _, pc := range cur {
			in := &pp.prog.Inst[pc]
			switch in.Op {
			case syntax.InstRune1:
				if r != in.Rune[0] {
					continue
				}
			case syntax.InstRune:
				if !in.MatchRune(r) {
					continue
				}
			case syntax.InstRuneAnyNotNL:
				if r == '\n' {
					continue
				}
			}
			if pp.matches[pc] {
				return true
			}
			for _, q := range pp.after[pc] {
				if seen[q/64]&(1<<(q%64)) == 0 {
					if len(next) == maxThreads {
						return true
					}
					seen[q/64] |= 1 << (q % 64)
					next = append(next, q)
				}
			}
		}
		if len(next) == 0 {
			return false
		}
		cur = next
	}
	// threads alive after the first characters: the engine decides; at
	// the end of the text, the threads that wait for more cannot match
	return i < len(s)
}
