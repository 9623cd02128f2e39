// Package testenv is what tests of several packages share: the real
// public datasets beside the repository (Require), a clock the test moves
// (Clock) and a logger that stays quiet unless the test runs with -v
// (Logger). Only tests import it.
package testenv
