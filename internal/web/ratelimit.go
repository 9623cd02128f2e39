package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/webform"
)

// DefaultTokenRate is the requests a second one API token may make when
// Config.TokenRate is 0; a token may burst to twice that at once.
const DefaultTokenRate = 100

// Failed authentications from one address: after badTokenBurst tokens that
// are not valid, one more every badTokenEvery; beyond that the address is
// answered 429 without a lookup (valid tokens it used before still work).
const (
	badTokenBurst = 20
	badTokenEvery = 3 * time.Second
)

// limits are the API's rate limits, kept per server instance: with N
// instances behind a load balancer a token may make up to N times its rate.
type limits struct {
	perToken *webform.Limiter // nil: no limit
	rate     int
	badAuth  *webform.Limiter

	// known holds the tokens that authenticated lately, by hash. An
	// address slowed down for bad tokens still gets through with one of
	// them (isKnown only lets a token be looked up), and the routes that
	// store what they are sent take the token from here (cached) without
	// reading it: the transaction that stores the request checks it still
	// works (intake.Inquiry.Token). Other routes look it up every time.
	mu    sync.Mutex
	known map[string]*store.Token
}

func newLimits(rate int) *limits {
	l := &limits{badAuth: webform.NewLimiter(int(time.Minute/badTokenEvery), badTokenBurst, 100_000), known: map[string]*store.Token{}}
	if rate == 0 {
		rate = DefaultTokenRate
	}
	if rate > 0 {
		l.rate, l.perToken = rate, webform.NewLimiter(rate*60, rate*2, 100_000)
	}
	return l
}

func (l *limits) isKnown(hash string) bool {
	return l.cached(hash) != nil
}

// cached is the token last found with the hash, or nil.
func (l *limits) cached(hash string) *store.Token {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.known[hash]
}

func (l *limits) remember(hash string, tok *store.Token) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.known) > 10_000 {
		clear(l.known)
	}
	l.known[hash] = tok
}

// forget drops a token found revoked.
func (l *limits) forget(hash string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.known, hash)
}

// retryError is a 429: too many requests, and when to try again.
type retryError struct {
	err   *problem.Error
	after time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// tooMany says what was too many and when to try again.
func tooMany(after time.Duration, format string, args ...any) error {
	secs := retrySeconds(after)
	return &retryError{err: problem.New(problem.TooMany, "%s; try again in %d s", fmt.Sprintf(format, args...), secs), after: after}
}

// retrySeconds rounds a wait up to whole seconds, at least 1.
func retrySeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// setRetryAfter sets the Retry-After header of a 429.
func setRetryAfter(w http.ResponseWriter, err error) {
	var re *retryError
	if errors.As(err, &re) {
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(re.after)))
	}
}
