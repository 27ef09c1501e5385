package main

//go:generate go test -run TestCLIReference -update-cli-reference

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// cliReferencePath is the generated flag reference, from this directory.
const cliReferencePath = "../../docs/cli.md"

var updateCLIReference = flag.Bool("update-cli-reference", false, "rewrite "+cliReferencePath+" from the commands (what go generate runs)")

// cliReference renders the reference of every command of cocotrain, one
// section each in tree order, from the cobra commands themselves (cobra/doc:
// the help text, usage line, examples and flags that --help prints), under
// a header with the exit codes.
func cliReference() ([]byte, error) {
	root := newRootCmd(io.Discard, io.Discard)
	root.InitDefaultCompletionCmd()
	var cmds []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.DisableAutoGenTag = true // no date: the file must not change unless the commands do
		cmds = append(cmds, c)
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() && !sub.IsAdditionalHelpTopicCommand() {
				walk(sub)
			}
		}
	}
	walk(root)
	var b bytes.Buffer
	fmt.Fprintf(&b, `# Command-line reference

<!-- Generated from the cobra commands by go generate ./cmd/cocotrain
(cmd/cocotrain/clidoc_test.go); edit the commands' help, not this file. -->

Every section is what the command's --help prints. Exit codes: %d done, %d
error (the message names the file, line or key), %d command-line mistake
(usage printed), %d interrupted (SIGINT/SIGTERM; train writes a checkpoint
first). Output files are written to a temporary file beside the destination
and renamed over it when complete (checkpoints and packs also fsynced), so a
failed or interrupted write never leaves a partial file.

`, exitOK, exitError, exitUsage, exitInterrupted)
	for _, c := range cmds {
		fmt.Fprintf(&b, "- [%s](#%s): %s\n", c.CommandPath(), anchor(c.CommandPath()), c.Short)
	}
	b.WriteString("\n")
	link := func(file string) string { // "cocotrain_eval-lfw.md" → "#cocotrain-eval-lfw"
		return "#" + anchor(strings.ReplaceAll(strings.TrimSuffix(file, ".md"), "_", " "))
	}
	for _, c := range cmds {
		if err := doc.GenMarkdownCustom(c, &b, link); err != nil {
			return nil, err
		}
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// anchor is the GitHub heading anchor of a command path: "cocotrain
// model summary" → "cocotrain-model-summary".
func anchor(path string) string { return strings.ReplaceAll(path, " ", "-") }

// TestCLIReference fails when docs/cli.md is not what the commands generate
// (run go generate ./cmd/cocotrain); with -update-cli-reference it rewrites
// the file.
func TestCLIReference(t *testing.T) {
	got, err := cliReference()
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *updateCLIReference {
		if err := os.WriteFile(cliReferencePath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(cliReferencePath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/cli.md is stale: run go generate ./cmd/cocotrain (first difference at byte %d)", firstDiff(got, want))
	}
}

// firstDiff is the offset of the first byte where a and b differ.
func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
