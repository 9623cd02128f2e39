// Package examples bundles the example definitions into the binary, so
// that `pista serve` works on a fresh machine with nothing else.
package examples

import "embed"

// Definitions holds definitions/*.yaml.
//
//go:embed definitions/*.yaml
var Definitions embed.FS

// DefaultDefinition is the one `pista serve` activates on an empty
// database: seed 002's instrument maker.
const DefaultDefinition = "definitions/instrumentos.yaml"
