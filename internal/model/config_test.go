package model

import "testing"

// TestDefaultConfig checks that the embedded default run's model section
// reads into a valid network configuration.
func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig %+v: %v", c, err)
	}
	if c != DefaultConfig() {
		t.Error("DefaultConfig is not the same on a second call")
	}
}
