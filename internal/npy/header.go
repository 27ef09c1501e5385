package npy

import (
	"fmt"
	"strconv"
	"strings"
)

// header is the parsed dictionary of an .npy header.
type header struct {
	descr   string
	fortran bool
	shape   []int
}

// parseHeader parses the Python dict literal of an .npy header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }. It accepts
// exactly the three keys, in any order, each once. Errors carry the byte
// offset in the file, the dict starting at byte base.
func parseHeader(s string, base int) (header, error) {
	p := &dictParser{s: s, base: base}
	var h header
	seen := map[string]bool{}
	p.space()
	if err := p.expect('{'); err != nil {
		return h, err
	}
	for {
		p.space()
		if p.peek() == '}' {
			p.pos++
			break
		}
		keyAt := p.pos
		key, err := p.str()
		if err != nil {
			return h, err
		}
		if seen[key] {
			return h, p.errAt(keyAt, "duplicate key %q", key)
		}
		seen[key] = true
		p.space()
		if err := p.expect(':'); err != nil {
			return h, err
		}
		p.space()
		switch key {
		case "descr":
			if h.descr, err = p.str(); err != nil {
				return h, err
			}
		case "fortran_order":
			if h.fortran, err = p.boolean(); err != nil {
				return h, err
			}
		case "shape":
			if h.shape, err = p.tuple(); err != nil {
				return h, err
			}
		default:
			return h, p.errAt(keyAt, "unexpected key %q", key)
		}
		p.space()
		if p.peek() == ',' {
			p.pos++
			continue
		}
		p.space()
		if err := p.expect('}'); err != nil {
			return h, err
		}
		break
	}
	p.space()
	if p.pos != len(s) {
		return h, p.errAt(p.pos, "unexpected %q after the dict", s[p.pos:])
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return h, p.errAt(0, "header has no %q key", k)
		}
	}
	return h, nil
}

// dictParser scans the restricted Python literal syntax of .npy headers.
type dictParser struct {
	s        string
	pos      int
	base     int  // file offset of s[0]
	sawComma bool // the last shape element was followed by a comma
}

func (p *dictParser) errAt(pos int, format string, args ...any) error {
	return fmt.Errorf("byte %d: header: %s", p.base+pos, fmt.Sprintf(format, args...))
}

func (p *dictParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *dictParser) space() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\n\r", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *dictParser) expect(c byte) error {
	if p.peek() != c {
		if p.pos >= len(p.s) {
			return p.errAt(p.pos, "want %q, found end of header", c)
		}
		return p.errAt(p.pos, "want %q, found %q", c, p.s[p.pos])
	}
	p.pos++
	return nil
}

// str reads a single- or double-quoted string without escapes.
func (p *dictParser) str() (string, error) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", p.errAt(p.pos, "want a quoted string")
	}
	end := strings.IndexByte(p.s[p.pos+1:], q)
	if end < 0 {
		return "", p.errAt(p.pos, "unterminated string")
	}
	v := p.s[p.pos+1 : p.pos+1+end]
	if strings.IndexByte(v, '\\') >= 0 {
		return "", p.errAt(p.pos, "escape sequences are not supported")
	}
	p.pos += end + 2
	return v, nil
}

func (p *dictParser) boolean() (bool, error) {
	for _, lit := range []string{"True", "False"} {
		if strings.HasPrefix(p.s[p.pos:], lit) {
			p.pos += len(lit)
			return lit == "True", nil
		}
	}
	return false, p.errAt(p.pos, "want True or False")
}

// tuple reads a tuple of non-negative integers: (), (3,), (3, 4).
func (p *dictParser) tuple() ([]int, error) {
	if err := p.expect('('); err != nil {
		return nil, err
	}
	shape := []int{}
	for {
		p.space()
		if p.peek() == ')' {
			p.pos++
			if len(shape) == 1 && !p.sawComma {
				return nil, p.errAt(p.pos-1, "one-element shape needs a trailing comma")
			}
			return shape, nil
		}
		start := p.pos
		for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
			p.pos++
		}
		if p.pos == start {
			return nil, p.errAt(p.pos, "want a dimension")
		}
		n, err := strconv.Atoi(p.s[start:p.pos])
		if err != nil || n > maxElements {
			return nil, p.errAt(start, "dimension %s too large", p.s[start:p.pos])
		}
		shape = append(shape, n)
		p.space()
		p.sawComma = false
		if p.peek() == ',' {
			p.pos++
			p.sawComma = true
			continue
		}
		if p.peek() != ')' {
			return nil, p.errAt(p.pos, "want ',' or ')' in shape")
		}
	}
}
