package config

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// Format returns the config v (a struct or pointer to one) as aligned lines
// "section.key  value", one per leaf value in declaration order, each value
// in YAML flow syntax so that `--set section.key=value` reproduces it.
func Format(v any) string {
	var keys, vals []string
	flatten(reflect.ValueOf(v), "", &keys, &vals)
	width := 0
	for _, k := range keys {
		width = max(width, len(k))
	}
	var b strings.Builder
	for i, k := range keys {
		fmt.Fprintf(&b, "%-*s  %s\n", width, k, vals[i])
	}
	return b.String()
}

// flatten appends the dotted key and YAML value of every leaf under v.
func flatten(v reflect.Value, path string, keys, vals *[]string) {
	for v.Kind() == reflect.Pointer && !v.IsNil() && !isLeaf(v.Type().Elem()) {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct && !isLeaf(v.Type()) {
		for _, f := range fields(v.Type()) {
			flatten(v.FieldByIndex(f.index), join(path, f.key), keys, vals)
		}
		return
	}
	*keys = append(*keys, path)
	*vals = append(*vals, flowValue(v))
}

// flowValue renders v as one line of YAML (flow style for lists and maps,
// double quotes for multi-line strings).
func flowValue(v reflect.Value) string {
	var n yaml.Node
	if err := n.Encode(v.Interface()); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	setFlow(&n)
	out, err := yaml.Marshal(&n)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// setFlow makes a node tree print on one line.
func setFlow(n *yaml.Node) {
	switch n.Kind {
	case yaml.ScalarNode:
		if strings.Contains(n.Value, "\n") {
			n.Style = yaml.DoubleQuotedStyle
		}
	case yaml.SequenceNode, yaml.MappingNode:
		n.Style = yaml.FlowStyle
	}
	for _, c := range n.Content {
		setFlow(c)
	}
}

// Marshal returns v as a YAML document (two-space indent), the form saved
// as RUNDIR/config.yaml; Load reads it back to the same value.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return buf.Bytes(), nil
}

// WriteFile writes v as YAML to path (mode 0644).
func WriteFile(path string, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}
