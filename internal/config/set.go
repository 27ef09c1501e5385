package config

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// Set applies one override "a.b.c=value" to dst (a pointer to a struct): the
// dotted path follows yaml keys through nested structs (and string-keyed
// maps), and value is parsed as YAML into the field's type ("0.1", "true",
// "[8, 14]", "{kind: cosine}" merging into a section, "'quoted: string'").
// Errors name the unknown key path or the bad value.
func Set(dst any, assignment string) error {
	key, value, ok := strings.Cut(assignment, "=")
	if !ok || key == "" {
		return fmt.Errorf("--set %q: want key=value", assignment)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("--set %s: %s", assignment, fmt.Sprintf(format, args...))
	}
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("config: Set needs a non-nil pointer, got %T", dst)
	}
	v, path := rv.Elem(), ""
	segs := strings.Split(key, ".")
	for i, seg := range segs {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		where := path
		if where == "" {
			where = "the top level"
		}
		switch {
		case v.Kind() == reflect.Struct && !isLeaf(v.Type()):
			f, ok := lookup(v.Type(), seg)
			if !ok {
				return fail("unknown key %q (valid keys in %s: %s)", join(path, seg), where, keyList(v.Type()))
			}
			v = v.FieldByIndex(f.index)
		case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String && i == len(segs)-1:
			if v.IsNil() {
				v.Set(reflect.MakeMap(v.Type()))
			}
			elem := reflect.New(v.Type().Elem())
			if old := v.MapIndex(reflect.ValueOf(seg).Convert(v.Type().Key())); old.IsValid() {
				elem.Elem().Set(old)
			}
			if err := parseInto(elem, value, join(path, seg)); err != nil {
				return fail("%s", err)
			}
			v.SetMapIndex(reflect.ValueOf(seg).Convert(v.Type().Key()), elem.Elem())
			return nil
		default:
			return fail("%q is a value, not a section with key %q", path, seg)
		}
		path = join(path, seg)
	}
	nv := reflect.New(v.Type())
	nv.Elem().Set(v)
	if err := parseInto(nv, value, path); err != nil {
		return fail("%s", err)
	}
	v.Set(nv.Elem())
	return nil
}

// parseInto decodes the YAML value for key path into the value ptr points
// to (keeping what it does not mention, for sections and maps). An empty
// value sets an empty string and is an error for any other type; null
// clears a list, map or optional section and is an error for anything else.
func parseInto(ptr reflect.Value, value, path string) error {
	t := ptr.Type().Elem()
	var node yaml.Node
	if err := yaml.Unmarshal([]byte(value), &node); err != nil {
		return fmt.Errorf("%s: value %q is not YAML: %s", path, value, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(node.Content) == 0 { // blank, or only a comment
		if t.Kind() == reflect.String && strings.TrimSpace(value) == "" {
			ptr.Elem().SetString("")
			return nil
		}
		return fmt.Errorf("%s: empty value %q, want a %s", path, value, t)
	}
	if n := node.Content[0]; n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			ptr.Elem().SetZero()
			return nil
		}
		return fmt.Errorf("%s: null value %q, want a %s", path, value, t)
	}
	if err := check(node.Content[0], t, path); err != nil {
		var le *lineError
		if errors.As(err, &le) {
			return errors.New(le.msg)
		}
		return err
	}
	dec := yaml.NewDecoder(strings.NewReader(value))
	dec.KnownFields(true)
	if err := dec.Decode(ptr.Interface()); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return nil
}
