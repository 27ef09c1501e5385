// Package config loads, overrides and prints configuration structs of any
// shape, keyed by their yaml tags: strict YAML loading (an unknown key is an
// error naming the file, line and key path), `--set a.b.c=value` overrides,
// and the resolved config as aligned `section.key  value` lines or YAML.
// It knows nothing of cocotrain's sections: callers pass their own structs.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Load reads the YAML file at path into dst (a pointer to a struct already
// holding the defaults: keys absent from the file keep their value). Unknown
// keys, values of the wrong type and syntax errors are errors naming the file,
// the line and the key path.
func Load(path string, dst any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return Decode(b, path, dst)
}

// Decode is Load for YAML already in memory; name labels errors.
func Decode(data []byte, name string, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("config: Decode needs a non-nil pointer, got %T", dst)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 { // empty file: nothing to change
		return nil
	}
	if err := check(doc.Content[0], rv.Elem().Type(), ""); err != nil {
		return fmt.Errorf("%s:%w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: more than one YAML document", name)
	}
	return nil
}

// lineError is an error at a YAML line; it formats as "LINE: msg" so that
// the caller's "FILE:" prefix makes "FILE:LINE: msg".
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("%d: %s", e.line, e.msg) }

// check walks node against type t (the value at key path) and reports the
// first unknown key or value that does not decode into its field's type.
func check(n *yaml.Node, t reflect.Type, path string) error {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	where := path
	if where == "" {
		where = "the top level"
	}
	switch {
	case t.Kind() == reflect.Interface:
		return nil
	case !isLeaf(t):
		if n.Kind != yaml.MappingNode {
			return &lineError{n.Line, fmt.Sprintf("%s must be a mapping of keys (%s)", where, keyList(t))}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.ShortTag() == "!!merge" { // "<<: *base" merges a mapping (or a list of them) here
				if err := checkMerge(v, t, path); err != nil {
					return err
				}
				continue
			}
			f, ok := lookup(t, k.Value)
			if !ok {
				return &lineError{k.Line, fmt.Sprintf("unknown key %q (valid keys in %s: %s)", join(path, k.Value), where, keyList(t))}
			}
			if err := check(v, t.FieldByIndex(f.index).Type, join(path, k.Value)); err != nil {
				return err
			}
		}
		return nil
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := check(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value)); err != nil {
				return err
			}
		}
		return nil
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && n.Kind == yaml.SequenceNode:
		for i, e := range n.Content {
			if err := check(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	}
	if isInt(t) && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!int" {
		// yaml.v3 would truncate 1.5 into an int silently.
		return &lineError{n.Line, fmt.Sprintf("%s: want %s, got %s `%s`", path, t, n.ShortTag(), n.Value)}
	}
	if err := n.Decode(reflect.New(t).Interface()); err != nil {
		return &lineError{n.Line, fmt.Sprintf("%s: %s", path, decodeMessage(err, t))}
	}
	return nil
}

// checkMerge checks the value of a YAML merge key "<<" against the section
// type t it is merged into.
func checkMerge(v *yaml.Node, t reflect.Type, path string) error {
	for v.Kind == yaml.AliasNode {
		v = v.Alias
	}
	if v.Kind == yaml.SequenceNode {
		for _, e := range v.Content {
			if err := check(e, t, path); err != nil {
				return err
			}
		}
		return nil
	}
	return check(v, t, path)
}

// isInt reports whether t is an integer type read from YAML integers
// (time.Duration, an int64 read from "90s", is not).
func isInt(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return t != reflect.TypeFor[time.Duration]() && !reflect.PointerTo(t).Implements(unmarshalerType)
	}
	return false
}

// decodeMessage rewrites a yaml.v3 decode error ("yaml: unmarshal errors:\n
// line 3: cannot unmarshal !!str `x` into float64") as "want float64, got
// !!str `x`".
func decodeMessage(err error, t reflect.Type) string {
	msg := err.Error()
	if i := strings.Index(msg, "cannot unmarshal "); i >= 0 {
		got, _, _ := strings.Cut(msg[i+len("cannot unmarshal "):], " into ")
		return fmt.Sprintf("want %s, got %s", t, got)
	}
	return strings.TrimPrefix(msg, "yaml: ")
}
