package data

import (
	"errors"
	"fmt"
	"image"
	"os"
	"unicode/utf8"
)

// This is a minimal Python unpickler for the objects insightface's
// lfw.bin holds: pickle.dump((bins, issame_list), f) with bins a list of
// encoded images and issame_list a list of bools. It reads protocols 2 to
// 5 as CPython writes them (Python 2 str and Python 3 bytes, including
// protocol 2's _codecs.encode(text, "latin1") form of bytes) and refuses
// every other opcode, so no code is ever run.

// pyTuple is an unpickled tuple; a list is a *pyList, so that appends
// reach its memoised copy.
type pyTuple []any

// pyList is an unpickled list.
type pyList struct{ items []any }

// pyGlobal is the one global this reader allows: _codecs.encode.
type pyGlobal struct{ module, name string }

// pyMark is the MARK opcode's stack marker.
type pyMark struct{}

// unpickle decodes the pickle in b; errors name the byte offset.
func unpickle(b []byte) (any, error) {
	var stack []any
	memo := map[uint32]any{}
	pos := 0
	fail := func(at int, format string, args ...any) error {
		return fmt.Errorf("pickle byte %d: %s", at, fmt.Sprintf(format, args...))
	}
	take := func(n uint64) ([]byte, error) {
		if n > uint64(len(b)-pos) {
			return nil, fail(pos, "wants %d bytes, %d left", n, len(b)-pos)
		}
		s := b[pos : pos+int(n)]
		pos += int(n)
		return s, nil
	}
	readUint := func(size int) (uint64, error) {
		s, err := take(uint64(size))
		if err != nil {
			return 0, err
		}
		var v uint64
		for i := size - 1; i >= 0; i-- {
			v = v<<8 | uint64(s[i])
		}
		return v, nil
	}
	pop := func(at int) (any, error) {
		if len(stack) == 0 {
			return nil, fail(at, "stack underflow")
		}
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ok := v.(pyMark); ok {
			return nil, fail(at, "unexpected mark")
		}
		return v, nil
	}
	popMark := func(at int) ([]any, error) {
		for i := len(stack) - 1; i >= 0; i-- {
			if _, ok := stack[i].(pyMark); ok {
				items := append([]any(nil), stack[i+1:]...)
				stack = stack[:i]
				return items, nil
			}
		}
		return nil, fail(at, "no mark on the stack")
	}
	for {
		at := pos
		if pos >= len(b) {
			return nil, fail(at, "ends without STOP")
		}
		op := b[pos]
		pos++
		var err error
		var n uint64
		switch op {
		case 0x80: // PROTO
			n, err = readUint(1)
			if err == nil && (n < 2 || n > 5) {
				err = fail(at, "protocol %d, want 2..5", n)
			}
		case 0x95: // FRAME: a length hint only
			_, err = readUint(8)
		case '.': // STOP
			v, err := pop(at)
			if err != nil {
				return nil, err
			}
			return v, nil
		case '(':
			stack = append(stack, pyMark{})
		case ']':
			stack = append(stack, &pyList{})
		case ')':
			stack = append(stack, pyTuple{})
		case 'N':
			stack = append(stack, nil)
		case 0x88, 0x89: // NEWTRUE, NEWFALSE
			stack = append(stack, op == 0x88)
		case 'K', 'M', 'J': // BININT1, BININT2, BININT
			size := map[byte]int{'K': 1, 'M': 2, 'J': 4}[op]
			n, err = readUint(size)
			v := int64(n)
			if size == 4 {
				v = int64(int32(n))
			}
			stack = append(stack, v)
		case 'U', 'C', 'T', 'B', 0x8e: // SHORT_BINSTRING, SHORT_BINBYTES, BINSTRING, BINBYTES, BINBYTES8
			size := map[byte]int{'U': 1, 'C': 1, 'T': 4, 'B': 4, 0x8e: 8}[op]
			if n, err = readUint(size); err == nil {
				var s []byte
				if s, err = take(n); err == nil {
					stack = append(stack, s)
				}
			}
		case 0x8c, 'X', 0x8d: // SHORT_BINUNICODE, BINUNICODE, BINUNICODE8
			size := map[byte]int{0x8c: 1, 'X': 4, 0x8d: 8}[op]
			if n, err = readUint(size); err == nil {
				var s []byte
				if s, err = take(n); err == nil {
					if !utf8.Valid(s) {
						err = fail(at, "string is not UTF-8")
					}
					stack = append(stack, string(s))
				}
			}
		case 'a': // APPEND
			var v, l any
			if v, err = pop(at); err == nil {
				if l, err = pop(at); err == nil {
					list, ok := l.(*pyList)
					if !ok {
						err = fail(at, "APPEND to a %T", l)
					} else {
						list.items = append(list.items, v)
						stack = append(stack, list)
					}
				}
			}
		case 'e': // APPENDS
			var items []any
			var l any
			if items, err = popMark(at); err == nil {
				if l, err = pop(at); err == nil {
					list, ok := l.(*pyList)
					if !ok {
						err = fail(at, "APPENDS to a %T", l)
					} else {
						list.items = append(list.items, items...)
						stack = append(stack, list)
					}
				}
			}
		case 't': // TUPLE
			var items []any
			if items, err = popMark(at); err == nil {
				stack = append(stack, pyTuple(items))
			}
		case 0x85, 0x86, 0x87: // TUPLE1..3
			k := int(op - 0x84)
			t := make(pyTuple, k)
			for i := k - 1; i >= 0 && err == nil; i-- {
				t[i], err = pop(at)
			}
			stack = append(stack, t)
		case 'q', 'r', 0x94: // BINPUT, LONG_BINPUT, MEMOIZE
			switch op {
			case 'q':
				n, err = readUint(1)
			case 'r':
				n, err = readUint(4)
			default:
				n = uint64(len(memo))
			}
			if err == nil {
				if len(stack) == 0 {
					err = fail(at, "memo of an empty stack")
				} else {
					memo[uint32(n)] = stack[len(stack)-1]
				}
			}
		case 'h', 'j': // BINGET, LONG_BINGET
			size := 1
			if op == 'j' {
				size = 4
			}
			if n, err = readUint(size); err == nil {
				v, ok := memo[uint32(n)]
				if !ok {
					err = fail(at, "memo %d not set", n)
				}
				stack = append(stack, v)
			}
		case 'c': // GLOBAL "module\nname\n"
			var mod, name string
			if mod, err = pickleLine(b, &pos); err == nil {
				if name, err = pickleLine(b, &pos); err == nil {
					err = checkGlobal(at, mod, name)
					stack = append(stack, pyGlobal{mod, name})
				}
			}
		case 0x93: // STACK_GLOBAL
			var mod, name any
			if name, err = pop(at); err == nil {
				if mod, err = pop(at); err == nil {
					m, ok1 := mod.(string)
					n, ok2 := name.(string)
					if !ok1 || !ok2 {
						err = fail(at, "STACK_GLOBAL of %T and %T", mod, name)
					} else {
						err = checkGlobal(at, m, n)
						stack = append(stack, pyGlobal{m, n})
					}
				}
			}
		case 'R': // REDUCE: only _codecs.encode(text, "latin1")
			var args, fn any
			if args, err = pop(at); err == nil {
				if fn, err = pop(at); err == nil {
					var v []byte
					if v, err = latin1Encode(fn, args); err != nil {
						err = fail(at, "%v", err)
					}
					stack = append(stack, v)
				}
			}
		default:
			return nil, fail(at, "unsupported opcode 0x%02x (an lfw.bin holds only lists of bytes and bools)", op)
		}
		if err != nil {
			return nil, err
		}
	}
}

// pickleLine reads a newline-terminated ASCII argument.
func pickleLine(b []byte, pos *int) (string, error) {
	for i := *pos; i < len(b) && i < *pos+256; i++ {
		if b[i] == '\n' {
			s := string(b[*pos:i])
			*pos = i + 1
			return s, nil
		}
	}
	return "", fmt.Errorf("pickle byte %d: unterminated line", *pos)
}

// checkGlobal allows only _codecs.encode, the function protocol 2 uses to
// rebuild Python 3 bytes.
func checkGlobal(at int, mod, name string) error {
	if mod == "_codecs" && name == "encode" {
		return nil
	}
	return fmt.Errorf("pickle byte %d: global %s.%s refused", at, mod, name)
}

// latin1Encode evaluates _codecs.encode(text, "latin1"): each code point
// (< 256) becomes one byte.
func latin1Encode(fn, args any) ([]byte, error) {
	if _, ok := fn.(pyGlobal); !ok {
		return nil, fmt.Errorf("REDUCE of %T", fn)
	}
	t, ok := args.(pyTuple)
	if !ok || len(t) != 2 {
		return nil, errors.New("_codecs.encode wants (text, encoding)")
	}
	text, ok1 := t[0].(string)
	enc, ok2 := t[1].(string)
	if !ok1 || !ok2 || (enc != "latin1" && enc != "latin-1") {
		return nil, fmt.Errorf("_codecs.encode(%T, %v) is not the latin1 form of bytes", t[0], t[1])
	}
	out := make([]byte, 0, len(text))
	for _, r := range text {
		if r > 255 {
			return nil, fmt.Errorf("code point %U is not latin1", r)
		}
		out = append(out, byte(r))
	}
	return out, nil
}

// LoadLFWBin reads insightface's lfw.bin (also cfp_fp.bin, agedb_30.bin...):
// a pickle of (bins, issame_list) where bins holds 2·P encoded images
// (JPEG or PNG bytes) and issame_list P bools; pair k is bins[2k] against
// bins[2k+1]. The file has no identity names: labels number the images so
// that a matched pair shares one. Folds is 10 when P divides by 10.
func LoadLFWBin(path string) (*VerificationSet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := parseLFWBin(b, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// parseLFWBin decodes the pickle of an lfw.bin; name labels its images.
func parseLFWBin(b []byte, name string) (*VerificationSet, error) {
	obj, err := unpickle(b)
	if err != nil {
		return nil, err
	}
	top, ok := obj.(pyTuple)
	if !ok || len(top) != 2 {
		return nil, fmt.Errorf("pickle holds %T, want the tuple (bins, issame_list)", obj)
	}
	bins, ok1 := top[0].(*pyList)
	same, ok2 := top[1].(*pyList)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("pickle holds (%T, %T), want two lists", top[0], top[1])
	}
	if len(same.items) == 0 || len(bins.items) != 2*len(same.items) {
		return nil, fmt.Errorf("%d images for %d pairs, want two per pair", len(bins.items), len(same.items))
	}
	m := &memImages{name: name, data: make([][]byte, len(bins.items)), labels: make([]int, len(bins.items))}
	for i, it := range bins.items {
		d, ok := it.([]byte)
		if !ok {
			return nil, fmt.Errorf("bins[%d] is a %T, want bytes", i, it)
		}
		m.data[i] = d
	}
	v := &VerificationSet{Images: m, Folds: 1}
	if len(same.items)%10 == 0 {
		v.Folds = 10
	}
	for k, it := range same.items {
		var s bool
		switch x := it.(type) {
		case bool:
			s = x
		case int64:
			s = x != 0
		default:
			return nil, fmt.Errorf("issame_list[%d] is a %T, want a bool", k, it)
		}
		m.labels[2*k] = len(m.classes)
		m.classes = append(m.classes, fmt.Sprint(len(m.classes)))
		if !s {
			m.classes = append(m.classes, fmt.Sprint(len(m.classes)))
		}
		m.labels[2*k+1] = len(m.classes) - 1
		v.Left, v.Right, v.Same = append(v.Left, 2*k), append(v.Right, 2*k+1), append(v.Same, s)
	}
	return v, nil
}

// memImages is a Source of encoded images held in memory.
type memImages struct {
	name    string
	data    [][]byte
	labels  []int
	classes []string
}

func (m *memImages) Len() int                         { return len(m.data) }
func (m *memImages) Classes() []string                { return m.classes }
func (m *memImages) Label(i int) int                  { return m.labels[i] }
func (m *memImages) Name(i int) string                { return fmt.Sprintf("%s#%d", m.name, i) }
func (m *memImages) Image(i int) (image.Image, error) { return decodeBytes(m.data[i], m.Name(i)) }
