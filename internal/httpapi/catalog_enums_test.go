package httpapi

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dharmaplans/dharmaplans/internal/catalog"
)

// The enum tags of the catalogue's request and response shapes are what
// the OpenAPI document tells clients; they must list exactly the values
// the catalog package accepts.
func TestCatalogEnumsMatchTheCatalog(t *testing.T) {
	join := func(vals any) string {
		v := reflect.ValueOf(vals)
		s := make([]string, v.Len())
		for i := range s {
			s[i] = v.Index(i).String()
		}
		return strings.Join(s, ",")
	}
	types := []any{AuthorBody{}, PlanCard{}, PlanBody{}, ItemBody{}, TaskBody{}, StudioPlanBody{}, StudioPlanCard{},
		RevisionBody{}, planFields{}, authorFields{}, itemFields{}, taskFields{}, listPlansInput{}, listStudioInput{}, UserBody{}}
	want := map[string]string{
		"tradition": join(catalog.Traditions),
		"level":     join(catalog.Levels),
		// The onboarding answers take the catalogue's values too.
		"preferred_traditions": join(catalog.Traditions),
		"experience_level":     join(catalog.Levels),
	}
	kinds := map[string]string{"ItemBody": join(catalog.ItemKinds), "itemFields": join(catalog.ItemKinds),
		"TaskBody": join(catalog.TaskKinds), "taskFields": join(catalog.TaskKinds)}
	checked := 0
	for _, v := range types {
		typ := reflect.TypeOf(v)
		for _, f := range reflect.VisibleFields(typ) {
			enum, ok := f.Tag.Lookup("enum")
			if !ok {
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "" {
				name = f.Tag.Get("query")
			}
			w, known := want[name]
			if name == "kind" {
				w, known = kinds[typ.Name()]
			}
			if name == "status" && typ.Name() != "PlanBody" {
				w, known = join(catalog.Statuses), true
			}
			if !known {
				continue
			}
			checked++
			if enum != w {
				t.Errorf("%s.%s: enum %q, want %q", typ.Name(), f.Name, enum, w)
			}
		}
	}
	if checked < 14 {
		t.Errorf("checked only %d enum tags; the test no longer finds them", checked)
	}
}
