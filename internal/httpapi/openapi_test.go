package httpapi_test

import (
	"net/http/httptest"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// The served document must be valid OpenAPI 3.1, checked by a real
// validator against the specification's schema, and real responses must
// match what it promises.
func TestOpenAPIDocumentIsValid31(t *testing.T) {
	api := newAPI(t, nil)
	rec := scenario{path: "/v1/openapi.json", wantStatus: 200}.run(t, api)
	doc, err := libopenapi.NewDocument(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); v[:3] != "3.1" {
		t.Fatalf("OpenAPI version %s, want 3.1", v)
	}
	v, errList := validator.NewValidator(doc)
	if len(errList) > 0 {
		t.Fatalf("validator: %v", errList)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("%s: %s", e.Message, e.Reason)
		}
	}

	t.Run("responses match the document", func(t *testing.T) {
		for _, path := range []string{"/healthz", "/readyz", "/v1", "/v1/test/fail/not-found", "/v1/test/fail/fields"} {
			req := httptest.NewRequest("GET", path, nil)
			rec := httptest.NewRecorder()
			api.ServeHTTP(rec, req)
			if ok, verrs := v.ValidateHttpResponse(req, rec.Result()); !ok {
				for _, e := range verrs {
					t.Errorf("%s: %s: %s", path, e.Message, e.Reason)
				}
			}
		}
	})
}
