package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/app/apptest"
)

// webClientDocument is the web app's copy of the document, from which its
// API client is generated; make api-client writes it with --version dev.
const webClientDocument = "../../web/src/api/openapi.json"

// The command needs no database, yet prints the document a server on a
// real one serves: the services it makes without a store describe the
// same API.
func TestOpenAPICommandPrintsTheServedDocument(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), func() {}, []string{"openapi", "--version", "test"}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("openapi: %v\n%s", err, stderr.String())
	}
	s := apptest.Start(t, "sqlite", apptest.Options{})
	served := s.Expect(t, http.StatusOK, apptest.Request{Method: http.MethodGet, Path: "/v1/openapi.json"})
	if !bytes.Equal(compact(t, stdout.Bytes()), compact(t, served.Body)) {
		t.Error("dharmaplans openapi prints another document than the server serves at /v1/openapi.json")
	}
}

// The web app's client is generated from its copy of the document; a copy
// older than the API would let the app compile against routes and fields
// that are not served.
func TestWebClientDocumentIsCurrent(t *testing.T) {
	want, err := openAPIDocument("dev")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(webClientDocument)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("web/src/api/openapi.json is not the API's current document: run make api-client (and commit what it changes)")
	}
}

func compact(t *testing.T, doc []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := json.Compact(&out, doc); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
