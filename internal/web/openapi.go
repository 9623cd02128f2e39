package web

import (
	_ "embed"
	"net/http"
)

// openAPISpec documents /api/v1 as OpenAPI 3.1; TestOpenAPIMatchesRoutes
// keeps it true to the routes.
//
//go:embed openapi.json
var openAPISpec []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPISpec)
}
