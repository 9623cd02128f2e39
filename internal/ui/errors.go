package ui

import "github.com/pistahq/pista/internal/problem"

// notFoundPage is an address that is no page of the app.
func notFoundPage(rq *request) error {
	return problem.Coded(problem.NotFound, "page_not_found", nil, "there is no page at this address")
}
