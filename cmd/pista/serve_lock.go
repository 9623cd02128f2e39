package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// serverLock keeps a second pista serve off a SQLite file that one already
// serves: two servers would each run timers, routing and the group-commit
// writer on the same file, assigning leads twice. (Several servers share
// PostgreSQL safely; they take no lock.) The lock is an exclusive advisory
// lock on a file beside the database, held while the process lives, so a
// server that crashed leaves nothing to clean up.
type serverLock struct {
	f    *os.File
	path string
}

// lockServer takes the lock of the SQLite database target, or says which
// server holds it.
func lockServer(target string) (*serverLock, error) {
	if isPostgres(target) {
		return nil, nil
	}
	path := target + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if !errors.Is(err, errLocked) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		holder, _ := os.ReadFile(path)
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "another process"
		}
		return nil, fmt.Errorf("another pista serve is already using the database %s (%s); stop it first, or give this server its own --db", dbName(target), who)
	}
	l := &serverLock{f: f, path: path}
	l.note(fmt.Sprintf("pid %d, started %s", os.Getpid(), time.Now().UTC().Format(time.RFC3339)))
	return l, nil
}

// note writes who holds the lock, for the message the next server shows.
func (l *serverLock) note(s string) {
	if l == nil {
		return
	}
	l.f.Truncate(0)
	l.f.WriteAt([]byte(s+"\n"), 0)
}

// release gives the lock back (the process ending does too).
func (l *serverLock) release() {
	if l == nil {
		return
	}
	l.f.Truncate(0)
	unlock(l.f)
	l.f.Close()
}

var errLocked = errors.New("locked")
