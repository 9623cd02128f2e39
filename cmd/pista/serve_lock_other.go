//go:build !unix

package main

import "os"

// Elsewhere (Windows) no lock is taken: run one server per database file.
func tryLock(*os.File) error { return nil }

func unlock(*os.File) {}
