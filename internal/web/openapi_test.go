package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/pistahq/pista/internal/access"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
	"github.com/pistahq/pista/internal/webform"
	"github.com/pistahq/pista/internal/webhook"
)

// These tests keep openapi.json true to the code: the routes, roles and
// body limits registered in Handler (read from server.go's source, so no
// database is needed), the handlers that honour Idempotency-Key, and the
// JSON field names of the Go types behind every documented schema.

func oasLoadSpec(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

func TestOpenAPIDocument(t *testing.T) {
	doc := oasLoadSpec(t)
	if v := doc["openapi"]; v != "3.1.0" {
		t.Errorf(`"openapi" is %v, want "3.1.0"`, v)
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] == nil || info["version"] == nil {
		t.Error("info needs title and version")
	}
	schemes := oasDig(doc, "components", "securitySchemes", "bearerAuth")
	if m, _ := schemes.(map[string]any); m["type"] != "http" || m["scheme"] != "bearer" {
		t.Errorf("components.securitySchemes.bearerAuth = %v, want an http bearer scheme", schemes)
	}
	ids := map[string]string{}
	for _, o := range oasOperations(doc) {
		id, _ := o.op["operationId"].(string)
		if id == "" {
			t.Errorf("%s %s has no operationId", o.method, o.path)
		} else if prev, dup := ids[id]; dup {
			t.Errorf("operationId %q is used by %s and %s %s", id, prev, o.method, o.path)
		}
		ids[id] = o.method + " " + o.path
		if resp, _ := o.op["responses"].(map[string]any); len(resp) == 0 {
			t.Errorf("%s %s documents no responses", o.method, o.path)
		}
	}
}

// TestOpenAPIServed checks that the server answers with the file itself.
func TestOpenAPIServed(t *testing.T) {
	want, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	(&Server{}).openAPI(w, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if !bytes.Equal(w.Body.Bytes(), want) {
		t.Error("GET /api/v1/openapi.json does not serve openapi.json")
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
}

// oasRoute is one pattern registered in Server.Handler.
type oasRoute struct {
	method, path string
	// For api(...) routes: the roleSet variable, the body limit, the handler.
	authenticated bool
	roles         []string
	limit         int64
	handler       string
	// fn is the function that answers (inside s.keyed(...) for keyed
	// routes), for every route.
	fn string
}

func (r oasRoute) key() string { return r.method + " " + r.path }

// oasDocumented reports whether the spec must cover a route.
func oasDocumented(path string) bool {
	return strings.HasPrefix(path, "/api/v1/") || strings.HasPrefix(path, "/f/") || path == "/healthz"
}

// oasHandlerRoutes reads the route patterns from server.go: calls
// api("METHOD /path", roles, limit, s.handler) and mux.HandleFunc /
// mux.Handle("METHOD /path", ...) inside (*Server).Handler.
func oasHandlerRoutes(t *testing.T) []oasRoute {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "server.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	roleSets := oasPermissions()
	var handler *ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "Handler" && fd.Recv != nil {
			handler = fd
		}
	}
	if handler == nil {
		t.Fatal("server.go has no (*Server).Handler")
	}
	var routes []oasRoute
	ast.Inspect(handler.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		var isAPI bool
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			if fn.Name != "api" && fn.Name != "storing" {
				return true
			}
			isAPI = true
		case *ast.SelectorExpr:
			recv, ok := fn.X.(*ast.Ident)
			if !ok || recv.Name != "mux" || (fn.Sel.Name != "HandleFunc" && fn.Sel.Name != "Handle") {
				return true
			}
		default:
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true // mux.Handle(pattern, ...) inside the api helper itself
		}
		pattern, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
		}
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			method, path = "", pattern // a pattern for every method, e.g. "/"
		}
		r := oasRoute{method: method, path: strings.TrimSpace(path)}
		if isAPI {
			if len(call.Args) != 4 {
				t.Fatalf("%s: api(...) with %d arguments, want 4", fset.Position(call.Pos()), len(call.Args))
			}
			r.authenticated = true
			sel, ok := call.Args[1].(*ast.SelectorExpr)
			if !ok || roleSets[sel.Sel.Name] == nil {
				t.Fatalf("%s: the roles of %s are not an access permission", fset.Position(call.Args[1].Pos()), pattern)
			}
			r.roles = roleSets[sel.Sel.Name]
			v, err := oasConstInt(call.Args[2])
			if err != nil {
				t.Fatalf("%s: body limit of %s: %v", fset.Position(call.Args[2].Pos()), pattern, err)
			}
			r.limit = v
			if sel, ok := call.Args[3].(*ast.SelectorExpr); ok {
				r.handler = sel.Sel.Name
			}
			// s.keyed(s.handler): the wrapper honours Idempotency-Key.
			if wrap, ok := call.Args[3].(*ast.CallExpr); ok {
				if sel, ok := wrap.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "keyed" {
					r.handler = "keyed"
				}
			}
		}
		last := call.Args[len(call.Args)-1]
		if wrap, ok := last.(*ast.CallExpr); ok && len(wrap.Args) == 1 {
			last = wrap.Args[0] // s.keyed(s.handler)
		}
		if sel, ok := last.(*ast.SelectorExpr); ok {
			r.fn = sel.Sel.Name
		}
		routes = append(routes, r)
		return true
	})
	if len(routes) < 10 {
		t.Fatalf("found only %d routes in Handler; has the way routes are registered changed?", len(routes))
	}
	return routes
}

// oasPermissions maps the access permissions server.go names to their
// roles.
func oasPermissions() map[string][]string {
	out := map[string][]string{}
	for name, p := range map[string]access.Permission{"Read": access.Read, "Send": access.Send, "Qualify": access.Qualify,
		"Define": access.Define, "Undo": access.Undo, "Webhooks": access.Webhooks, "ManagePeople": access.ManagePeople, "ManageLeads": access.ManageLeads, "Configure": access.Configure, "Report": access.Report} {
		out[name] = access.Granted(p)
	}
	return out
}

// oasConstInt evaluates an integer constant expression such as 16<<20.
func oasConstInt(e ast.Expr) (int64, error) {
	v, err := oasConstExpr(e)
	if err != nil {
		return 0, err
	}
	n, ok := constant.Int64Val(constant.ToInt(v))
	if !ok {
		return 0, fmt.Errorf("not an integer: %v", v)
	}
	return n, nil
}

func oasConstExpr(e ast.Expr) (constant.Value, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		return constant.MakeFromLiteral(e.Value, e.Kind, 0), nil
	case *ast.ParenExpr:
		return oasConstExpr(e.X)
	case *ast.BinaryExpr:
		x, err := oasConstExpr(e.X)
		if err != nil {
			return nil, err
		}
		y, err := oasConstExpr(e.Y)
		if err != nil {
			return nil, err
		}
		if e.Op == token.SHL || e.Op == token.SHR {
			s, ok := constant.Uint64Val(y)
			if !ok {
				return nil, fmt.Errorf("bad shift %v", y)
			}
			return constant.Shift(x, e.Op, uint(s)), nil
		}
		return constant.BinaryOp(x, e.Op, y), nil
	}
	return nil, fmt.Errorf("write it as a literal expression (like 1<<20) or teach oasConstExpr about %T", e)
}

// oasIdempotentHandlers lists the package's methods that call idempotency(),
// i.e. the handlers that honour the Idempotency-Key header.
func oasIdempotentHandlers(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Body == nil {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "idempotency" {
						out[fd.Name.Name] = true
					}
				}
				return true
			})
		}
	}
	return out
}

type oasOperation struct {
	method, path string
	op           map[string]any
}

var oasHttpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func oasOperations(doc map[string]any) []oasOperation {
	paths, _ := doc["paths"].(map[string]any)
	var out []oasOperation
	for path, item := range paths {
		m, _ := item.(map[string]any)
		for _, method := range oasHttpMethods {
			if op, ok := m[method].(map[string]any); ok {
				out = append(out, oasOperation{strings.ToUpper(method), path, op})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path+out[i].method < out[j].path+out[j].method })
	return out
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := oasLoadSpec(t)
	ops := map[string]oasOperation{}
	for _, o := range oasOperations(doc) {
		ops[o.method+" "+o.path] = o
	}
	idem := oasIdempotentHandlers(t)
	code := map[string]oasRoute{}
	for _, r := range oasHandlerRoutes(t) {
		if !oasDocumented(r.path) {
			continue
		}
		if r.method == "" {
			t.Errorf("route %q has no method; the spec cannot describe it", r.path)
			continue
		}
		code[r.key()] = r
	}
	for k, r := range code {
		o, ok := ops[k]
		if !ok {
			t.Errorf("route %s is registered in Handler but not documented in openapi.json", k)
			continue
		}
		sec, hasSec := o.op["security"].([]any)
		public := hasSec && len(sec) == 0
		if r.authenticated == public {
			t.Errorf("%s: needs a token is %v in Handler, but the spec's security says otherwise (public: %v)", k, r.authenticated, public)
		}
		if r.authenticated {
			var roles []string
			for _, v := range oasAsSlice(o.op["x-pista-roles"]) {
				s, _ := v.(string)
				roles = append(roles, s)
			}
			if !slices.Equal(roles, r.roles) {
				t.Errorf("%s: x-pista-roles = %v, Handler allows %v", k, roles, r.roles)
			}
			for _, role := range r.roles {
				if !strings.Contains(o.op["description"].(string), role) {
					t.Errorf("%s: the description does not name role %s", k, role)
				}
			}
			if !oasHasResponse(o, "401") {
				t.Errorf("%s: needs a token but documents no 401", k)
			}
			if len(r.roles) < len(access.Roles) && !oasHasResponse(o, "403") {
				t.Errorf("%s: not every role may call it, but it documents no 403", k)
			}
			var limit int64
			if v, ok := o.op["x-pista-max-body-bytes"].(float64); ok {
				limit = int64(v)
			}
			if limit != r.limit {
				t.Errorf("%s: x-pista-max-body-bytes = %d, Handler limits the body to %d", k, limit, r.limit)
			}
			if got, want := oasHasIdempotencyKey(o), idem[r.handler]; got != want {
				t.Errorf("%s: documents Idempotency-Key: %v; handler %s honours it: %v", k, got, r.handler, want)
			}
		}
	}
	for k := range ops {
		if _, ok := code[k]; !ok {
			t.Errorf("openapi.json documents %s, which Handler does not register", k)
		}
	}
}

func oasAsSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func oasHasResponse(o oasOperation, status string) bool {
	r, _ := o.op["responses"].(map[string]any)
	_, ok := r[status]
	return ok
}

func oasHasIdempotencyKey(o oasOperation) bool {
	for _, p := range oasAsSlice(o.op["parameters"]) {
		m, _ := p.(map[string]any)
		if m["$ref"] == "#/components/parameters/IdempotencyKey" || m["name"] == "Idempotency-Key" {
			return true
		}
	}
	return false
}

// TestOpenAPIRefsResolve checks that every $ref points into the document.
func TestOpenAPIRefsResolve(t *testing.T) {
	doc := oasLoadSpec(t)
	n := 0
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				n++
				if _, err := oasResolve(doc, r); err != nil {
					t.Errorf("%s: $ref %q: %v", at, r, err)
				}
			}
			for k, x := range v {
				walk(x, at+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, at+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(doc, "#")
	if n == 0 {
		t.Error("no $ref at all")
	}
}

func oasResolve(doc map[string]any, ref string) (any, error) {
	ptr, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("only local references (#/...) are used here")
	}
	var cur any = doc
	for _, part := range strings.Split(ptr, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q is not inside an object", part)
		}
		if cur, ok = m[part]; !ok {
			return nil, fmt.Errorf("no %q", part)
		}
	}
	return cur, nil
}

func oasDig(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// oasJSONNames are the JSON field names of a struct type, as encoding/json
// writes and reads them.
func oasJSONNames(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, oasJSONNames(f.Type)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// oasObjectSchema returns the schema's object form: itself, or the object
// branch of a oneOf/anyOf (Money and Budget also take text and numbers).
func oasObjectSchema(t *testing.T, doc map[string]any, name string) map[string]any {
	t.Helper()
	s, _ := oasDig(doc, "components", "schemas", name).(map[string]any)
	if s == nil {
		t.Fatalf("components.schemas has no %s", name)
	}
	if _, ok := s["properties"]; ok {
		return s
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		for _, b := range oasAsSlice(s[key]) {
			if m, _ := b.(map[string]any); m["properties"] != nil {
				return m
			}
		}
	}
	t.Fatalf("schema %s has no object form with properties", name)
	return nil
}

func oasPropertyNames(s map[string]any) []string {
	props, _ := s["properties"].(map[string]any)
	var out []string
	for k := range props {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestOpenAPISchemasMatchGoTypes checks that each documented schema has
// exactly the JSON fields of the Go type behind it, so that adding a field
// to a request or response type without documenting it fails here.
func TestOpenAPISchemasMatchGoTypes(t *testing.T) {
	doc := oasLoadSpec(t)
	cases := []struct {
		schema string
		typ    any
		// request: the server decodes it strictly, so the schema must
		// say additionalProperties: false.
		request bool
		// extra: property names the schema may have beyond the Go
		// fields (input forms a custom UnmarshalJSON accepts).
		extra []string
	}{
		// Request bodies.
		{schema: "Inquiry", typ: intake.Inquiry{}, request: true},
		{schema: "Person", typ: lead.Person{}, request: true},
		{schema: "Company", typ: lead.Company{}, request: true},
		{schema: "Source", typ: lead.Source{}, request: true},
		{schema: "Action", typ: lead.Action{}, request: true},
		{schema: "Money", typ: lead.Money{}, request: true},
		{schema: "Event", typ: intake.EventIn{}, request: true},
		{schema: "Qualification", typ: lead.Qualification{}, request: true},
		{schema: "Budget", typ: lead.Budget{}, request: true, extra: []string{"amount"}},
		{schema: "FormConfig", typ: webform.Config{}, request: true},
		{schema: "WebhookInput", typ: webhookInput{}, request: true},
		{schema: "WebhookPatch", typ: webhookPatch{}, request: true},
		{schema: "UserInput", typ: userInput{}, request: true},
		{schema: "UserPatch", typ: userPatch{}, request: true},
		{schema: "TeamInput", typ: waterfall.TeamInput{}, request: true},
		{schema: "TeamCalendar", typ: waterfall.CalendarInput{}, request: true},
		{schema: "TeamMemberInput", typ: waterfall.MemberInput{}, request: true},
		// Responses.
		{schema: "InquiryResult", typ: intake.InquiryResult{}},
		{schema: "EventsResult", typ: intake.EventsResult{}},
		{schema: "QualificationResult", typ: intake.Qualified{}},
		{schema: "EvaluationResult", typ: engine.Result{}},
		{schema: "DefinitionRef", typ: engine.DefinitionRef{}},
		{schema: "BANTResult", typ: engine.BANTResult{}},
		{schema: "SLAResult", typ: engine.SLAResult{}},
		{schema: "Step", typ: engine.Step{}},
		{schema: "Lead", typ: leadView{}},
		{schema: "TimelineEntry", typ: store.TimelineEntry{}},
		{schema: "Definition", typ: store.Definition{}},
		{schema: "Reevaluation", typ: store.Reevaluation{}},
		{schema: "DefinitionResult", typ: intake.DefinitionResult{}},
		{schema: "UndoResult", typ: intake.UndoResult{}},
		{schema: "Webhook", typ: store.Webhook{}},
		{schema: "WebhookCreated", typ: webhookCreated{}},
		{schema: "WebhookDelivery", typ: store.WebhookDelivery{}},
		{schema: "WebhookAttempt", typ: store.Attempt{}},
		{schema: "WebhookEvent", typ: webhook.Event{}},
		{schema: "User", typ: store.User{}},
		{schema: "Team", typ: teamView{}},
		{schema: "TeamMember", typ: memberView{}},
		{schema: "UserBrief", typ: userBrief{}},
		{schema: "Me", typ: meView{}},
		{schema: "TokenRef", typ: tokenView{}},
		{schema: "ActInput", typ: actBody{}, request: true},
		{schema: "ReasonInput", typ: rejectBody{}, request: true},
		{schema: "TouchInput", typ: touchBody{}, request: true},
		{schema: "OpportunityInput", typ: opportunityBody{}, request: true},
		{schema: "AssignInput", typ: assignBody{}, request: true},
		{schema: "PauseInput", typ: pauseBody{}, request: true},
		{schema: "LeadFlow", typ: waterfall.View{}},
		{schema: "Flow", typ: waterfall.Flow{}},
		{schema: "Rejected", typ: waterfall.Rejected{}},
		{schema: "Opportunity", typ: waterfall.Opportunity{}},
		{schema: "Assignment", typ: store.Assignment{}},
		{schema: "Clock", typ: store.Clock{}},
		{schema: "SLAReport", typ: slaReport{}},
		{schema: "SLALine", typ: waterfall.SLALine{}},
		{schema: "RejectionReport", typ: rejectionReport{}},
		{schema: "RejectionCount", typ: store.RejectionCount{}},
		{schema: "Funnel", typ: report.Funnel{}},
		{schema: "FunnelLine", typ: report.Line{}},
		{schema: "FunnelRejected", typ: report.Rejected{}},
		{schema: "FunnelRecycled", typ: report.Recycled{}},
		{schema: "FollowUp", typ: report.FollowUp{}},
		{schema: "FollowLine", typ: report.FollowLine{}},
		{schema: "Bands", typ: report.Bands{}},
		{schema: "BandLine", typ: report.BandLine{}},
		{schema: "Problem", typ: problemBody{}},
		{schema: "ProblemField", typ: problem.Field{}},
	}
	for _, c := range cases {
		s := oasObjectSchema(t, doc, c.schema)
		got := oasPropertyNames(s)
		want := append(oasJSONNames(reflect.TypeOf(c.typ)), c.extra...)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("schema %s has properties %v; the Go type %T has JSON fields %v (plus %v accepted on input)",
				c.schema, got, c.typ, oasJSONNames(reflect.TypeOf(c.typ)), c.extra)
		}
		if c.request && s["additionalProperties"] != false {
			t.Errorf("schema %s: the server rejects unknown fields, so say additionalProperties: false", c.schema)
		}
	}

	// The request bodies use those schemas.
	bodies := map[string]string{
		"/api/v1/inquiries post":                "#/components/schemas/Inquiry",
		"/api/v1/events post":                   "#/components/schemas/EventBatch",
		"/api/v1/leads/{id}/qualification post": "#/components/schemas/Qualification",
		"/api/v1/forms/{name} put":              "#/components/schemas/FormConfig",
		"/api/v1/definitions post":              "#/components/schemas/DefinitionInput",
		"/api/v1/webhooks post":                 "#/components/schemas/WebhookInput",
		"/api/v1/webhooks/{id} patch":           "#/components/schemas/WebhookPatch",
		"/api/v1/users post":                    "#/components/schemas/UserInput",
		"/api/v1/users/{id} patch":              "#/components/schemas/UserPatch",
		"/api/v1/teams/{name} put":              "#/components/schemas/TeamInput",
		"/api/v1/leads/{id}/reject post":        "#/components/schemas/ReasonInput",
		"/api/v1/leads/{id}/touches post":       "#/components/schemas/TouchInput",
		"/api/v1/leads/{id}/opportunity post":   "#/components/schemas/OpportunityInput",
		"/api/v1/leads/{id}/assign post":        "#/components/schemas/AssignInput",
	}
	for at, want := range bodies {
		path, method, _ := strings.Cut(at, " ")
		got := oasDig(doc, "paths", path, method, "requestBody", "content", "application/json", "schema", "$ref")
		if got != want {
			t.Errorf("%s: request body schema is %v, want %s", at, got, want)
		}
	}
	batch := oasObjectSchema(t, doc, "EventBatch")
	if got := oasPropertyNames(batch); !slices.Equal(got, []string{"events"}) || batch["additionalProperties"] != false {
		t.Errorf("EventBatch has properties %v; POST /api/v1/events decodes exactly {\"events\": [...]}", got)
	}
	if got := oasDig(batch, "properties", "events", "items", "$ref"); got != "#/components/schemas/Event" {
		t.Errorf("EventBatch.events items are %v, want Event", got)
	}
	if got := oasDig(batch, "properties", "events", "maxItems"); got != float64(intake.MaxEventBatch) {
		t.Errorf("EventBatch.events maxItems = %v, intake.MaxEventBatch = %d", got, intake.MaxEventBatch)
	}
	// The report dimensions are exactly the store's.
	var dims []string
	for _, v := range oasAsSlice(oasDig(doc, "components", "schemas", "Funnel", "properties", "group_by", "items", "enum")) {
		dims = append(dims, v.(string))
	}
	if !slices.Equal(dims, store.ReportDimensions) {
		t.Errorf("Funnel.group_by enum = %v, store.ReportDimensions = %v", dims, store.ReportDimensions)
	}
	// Source.format lists exactly lead.Formats.
	var formats []string
	for _, v := range oasAsSlice(oasDig(doc, "components", "schemas", "Source", "properties", "format", "enum")) {
		formats = append(formats, v.(string))
	}
	if !slices.Equal(formats, lead.Formats) {
		t.Errorf("Source.format enum = %v, lead.Formats = %v", formats, lead.Formats)
	}
	// Every list of webhook event types is exactly store.EventTypes.
	for _, at := range [][]string{
		{"WebhookInput", "properties", "types", "items", "enum"},
		{"WebhookList", "properties", "event_types", "items", "enum"},
		{"WebhookDelivery", "properties", "event_type", "enum"},
		{"WebhookEvent", "properties", "type", "enum"},
	} {
		var types []string
		for _, v := range oasAsSlice(oasDig(doc, append([]string{"components", "schemas"}, at...)...)) {
			types = append(types, v.(string))
		}
		if !slices.Equal(types, store.EventTypes) {
			t.Errorf("%s = %v, store.EventTypes = %v", strings.Join(at, "."), types, store.EventTypes)
		}
	}
}

// oasCalls is the package's call graph by name: for each function and
// method of package web (tests left out), the functions and methods it
// calls by name (f(...), s.f(...), and s.f passed as a value).
func oasCalls(t *testing.T) map[string]map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			calls := map[string]bool{}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.Ident:
					calls[n.Name] = true
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok && x.Name == "s" {
						calls[n.Sel.Name] = true
					}
				}
				return true
			})
			out[fd.Name.Name] = calls
		}
	}
	return out
}

// oasReaches reports whether fn calls target, directly or through the
// package's own functions.
func oasReaches(calls map[string]map[string]bool, fn, target string) bool {
	seen := map[string]bool{}
	var walk func(string) bool
	walk = func(f string) bool {
		if f == target {
			return true
		}
		if seen[f] {
			return false
		}
		seen[f] = true
		for c := range calls[f] {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(fn)
}

// TestOpenAPIDocuments429WhereLimited checks that every route that can
// answer 429 (its handler, or the token check in front of every API
// route, reaches tooMany: the per-token rate, the slow-down after bad
// tokens, the form-flood limit) documents a 429 with Retry-After, and no
// other route does.
func TestOpenAPIDocuments429WhereLimited(t *testing.T) {
	doc := oasLoadSpec(t)
	ops := map[string]oasOperation{}
	for _, o := range oasOperations(doc) {
		ops[o.method+" "+o.path] = o
	}
	calls := oasCalls(t)
	if !oasReaches(calls, "apiHandler", "tooMany") || !oasReaches(calls, "postForm", "tooMany") {
		t.Fatal("the token check or the form post no longer reach tooMany: has the way limits answer changed?")
	}
	limited := 0
	for _, r := range oasHandlerRoutes(t) {
		o, ok := ops[r.key()]
		if !ok || !oasDocumented(r.path) {
			continue // TestOpenAPIMatchesRoutes reports it
		}
		if r.fn == "" {
			t.Errorf("%s: cannot tell which function answers it", r.key())
			continue
		}
		limits := oasReaches(calls, r.fn, "tooMany") || (r.authenticated && oasReaches(calls, "apiHandler", "tooMany"))
		documents := oasHasResponse(o, "429")
		if limits != documents {
			t.Errorf("%s: can answer 429: %v; documents 429: %v", r.key(), limits, documents)
			continue
		}
		if !limits {
			continue
		}
		limited++
		resp := o.op["responses"].(map[string]any)["429"]
		if m, _ := resp.(map[string]any); m["$ref"] != nil {
			var err error
			if resp, err = oasResolve(doc, m["$ref"].(string)); err != nil {
				t.Fatalf("%s: 429: %v", r.key(), err)
			}
		}
		if oasDig(resp, "headers", "Retry-After") == nil {
			t.Errorf("%s: its 429 does not document Retry-After", r.key())
		}
	}
	if limited < 50 {
		t.Errorf("only %d routes can answer 429; every API route can", limited)
	}
}
