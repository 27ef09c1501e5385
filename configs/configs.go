// Package configs holds cocotrain's bundled training configurations, one YAML
// file per architecture and recipe, embedded into the binary so that
// `cocotrain train` runs the default one from any directory.
package configs

import "embed"

// FS holds every *.yaml file of this directory.
//
//go:embed *.yaml
var FS embed.FS

// Default is the file `cocotrain train` uses without --config: the tiny
// network on the built-in synthetic faces.
const Default = "tiny-synth.yaml"
