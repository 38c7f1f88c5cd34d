package exportcontacts

import "testing"

// lockE2E: the AD tests need the Samba DC, which runs on Linux only.
func lockE2E(testing.TB) {}
