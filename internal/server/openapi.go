package server

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3 document of the JSON API, written by hand.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(openAPI)
}
