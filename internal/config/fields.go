package config

import (
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// field is a struct field reachable by a YAML key, with its index path
// (more than one index when it comes through an inline struct).
type field struct {
	key   string
	index []int
}

// fields lists the YAML keys of struct type t in declaration order, as
// yaml.v3 maps them: the tag's name, or the lower-cased field name; ",inline"
// structs contribute their own keys; "-" and unexported fields are skipped.
func fields(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if slices.Contains(strings.Split(opts, ","), "inline") && f.Type.Kind() == reflect.Struct {
			for _, sub := range fields(f.Type) {
				out = append(out, field{sub.key, append([]int{i}, sub.index...)})
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out = append(out, field{name, []int{i}})
	}
	return out
}

// lookup finds the field with YAML key key in struct type t.
func lookup(t reflect.Type, key string) (field, bool) {
	for _, f := range fields(t) {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

// keyList is the comma-separated YAML keys of struct type t, for errors.
func keyList(t reflect.Type) string {
	var keys []string
	for _, f := range fields(t) {
		keys = append(keys, f.key)
	}
	return strings.Join(keys, ", ")
}

// unmarshalerType is yaml.Unmarshaler: such types decode themselves and are
// treated as leaves.
var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// isLeaf reports whether values of type t are single config values rather
// than sections: anything but a struct, unless it decodes itself.
func isLeaf(t reflect.Type) bool {
	return t.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(unmarshalerType)
}

// join appends a key to a dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
