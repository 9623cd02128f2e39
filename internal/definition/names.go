package definition

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
)

// nameCheck walks a parsed expression before expr type-checks it, so that a
// misspelt field gets a message a marketing-ops person can act on
// ("unknown field person.senority (did you mean seniority?)") and a name
// computed later in the evaluation ("total" in a fit rule) is explained
// instead of reported as unknown.
type nameCheck struct {
	kind    kind
	allowed []string
	signals []string
	lets    []string
	errs    []string
	facts   map[string]bool // facts.<name> read; "*" for the whole object
	used    map[string]bool // top-level names read
	// paths and pathList are the field paths read (person.attributes.visits,
	// fit), in order of appearance, for a formula's explanation.
	paths    map[string]bool
	pathList []string
}

func (c *nameCheck) addPath(p string) {
	if c.paths != nil && !c.paths[p] {
		c.paths[p] = true
		c.pathList = append(c.pathList, p)
	}
}

var envType = reflect.TypeFor[Env]()

func (c *nameCheck) fail(format string, args ...any) {
	if len(c.errs) < 5 {
		c.errs = append(c.errs, fmt.Sprintf(format, args...))
	}
}

func (c *nameCheck) walk(n ast.Node) {
	switch n := n.(type) {
	case nil:
	case *ast.IdentifierNode:
		if n.Value == "facts" {
			c.facts["*"] = true
		}
		if c.root(n.Value) != nil {
			c.addPath(n.Value)
		}
	case *ast.MemberNode:
		c.member(n)
	case *ast.UnaryNode:
		c.walk(n.Node)
	case *ast.BinaryNode:
		c.walk(n.Left)
		c.walk(n.Right)
	case *ast.ChainNode:
		c.walk(n.Node)
	case *ast.SliceNode:
		c.walk(n.Node)
		c.walk(n.From)
		c.walk(n.To)
	case *ast.CallNode:
		// The callee of a call is a function name, not a variable.
		if _, ok := n.Callee.(*ast.IdentifierNode); !ok {
			c.walk(n.Callee)
		}
		for _, a := range n.Arguments {
			c.walk(a)
		}
	case *ast.BuiltinNode:
		for _, a := range n.Arguments {
			c.walk(a)
		}
	case *ast.PredicateNode:
		c.walk(n.Node)
	case *ast.VariableDeclaratorNode:
		c.walk(n.Value)
		c.lets = append(c.lets, n.Name)
		c.walk(n.Expr)
		c.lets = c.lets[:len(c.lets)-1]
	case *ast.SequenceNode:
		for _, x := range n.Nodes {
			c.walk(x)
		}
	case *ast.ConditionalNode:
		c.walk(n.Cond)
		c.walk(n.Exp1)
		c.walk(n.Exp2)
	case *ast.ArrayNode:
		for _, x := range n.Nodes {
			c.walk(x)
		}
	case *ast.MapNode:
		for _, x := range n.Pairs {
			c.walk(x)
		}
	case *ast.PairNode:
		c.walk(n.Key)
		c.walk(n.Value)
	}
}

// root checks a top-level name and returns its Go type (nil if unknown).
func (c *nameCheck) root(name string) reflect.Type {
	if slices.Contains(c.lets, name) {
		return nil
	}
	if slices.Contains(c.allowed, name) {
		c.used[name] = true
		f, _ := fieldByTag(envType, name)
		return f.Type
	}
	if slices.Contains(allNames, name) || name == "event" {
		c.fail("%q is not available in %s (%s)", name, c.kind.where(), c.kind.why(name))
		return nil
	}
	c.fail("unknown name %q%s", name, didYouMean(name, c.allowed))
	return nil
}

func (c *nameCheck) member(n *ast.MemberNode) {
	// Collect the chain a.b.c from the outside in.
	var props []string
	var cur ast.Node = n
	for {
		m, ok := cur.(*ast.MemberNode)
		if !ok {
			break
		}
		if s, ok := m.Property.(*ast.StringNode); ok {
			props = append(props, s.Value)
		} else {
			c.walk(m.Property)
			props = props[:0] // what follows a computed index cannot be resolved
		}
		cur = m.Node
	}
	id, ok := cur.(*ast.IdentifierNode)
	if !ok {
		c.walk(cur)
		return
	}
	t := c.root(id.Value)
	if t == nil {
		return
	}
	slices.Reverse(props)
	if len(props) > 0 && len(props) == chainLength(n) {
		c.addPath(id.Value + "." + strings.Join(props, "."))
	}
	if id.Value == "facts" {
		if len(props) > 0 {
			c.facts[props[0]] = true
		} else {
			c.facts["*"] = true
		}
	}
	path := id.Value
	for i, p := range props {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case id.Value == "signals" && i == 0:
			if !slices.Contains(c.signals, p) {
				if len(c.signals) == 0 {
					c.fail("unknown signal %q: the definition declares no signals", p)
				} else {
					c.fail("unknown signal %q%s", p, didYouMean(p, c.signals))
				}
			}
			return
		case t == reflect.TypeFor[time.Time]():
			return // its methods (Year, Hour, ...) are checked by expr
		case t.Kind() == reflect.Struct:
			f, ok := fieldByTag(t, p)
			if !ok {
				if _, isMethod := reflect.PointerTo(t).MethodByName(p); isMethod {
					return
				}
				c.fail("unknown field %s.%s%s", path, p, didYouMean(p, tagsOf(t)))
				return
			}
			t = f.Type
			path += "." + p
		default:
			return // maps (attributes, props) take any key
		}
	}
}

func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get("expr") == tag {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tagsOf(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("expr"); tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

func (k kind) where() string {
	switch k {
	case kindInquiry:
		return "the inquiry rule"
	case kindQuality:
		return "quality rules"
	case kindFit:
		return "fit rules"
	case kindEventWhere:
		return "an event filter (where)"
	case kindLeadPart:
		return "lead format/characteristics/behaviour"
	case kindLeadWhen:
		return "lead.when"
	case kindTotal:
		return "score.total"
	case kindBand:
		return "bands"
	case kindStage:
		return "stage gates"
	case kindRoute:
		return "routing rules"
	default:
		return "SLA policies"
	}
}

func (k kind) why(name string) string {
	if k == kindEventWhere {
		return "an event filter sees only event and now"
	}
	if name == "event" {
		return "event exists only in signal and engagement filters"
	}
	order := []string{"quality", "bant", "fit", "grade", "engagement", "format", "characteristics", "behaviour", "lead", "total", "band", "stage", "team"}
	if slices.Contains(order, name) {
		return fmt.Sprintf("%s is computed after %s; the order is %s", name, k.where(), strings.Join(order, ", "))
	}
	return "see docs/definition.md"
}

// chainLength counts the members of a chain a.b.c (2 for a.b.c).
func chainLength(n ast.Node) int {
	k := 0
	for m, ok := n.(*ast.MemberNode); ok; m, ok = m.Node.(*ast.MemberNode) {
		k++
	}
	return k
}
