package definition

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/pistahq/pista/internal/lead"
)

// Limits that keep any file, however hostile, cheap to load and evaluate.
const (
	MaxFileSize   = 1 << 20 // bytes
	MaxRules      = 1000    // rules of all kinds in one file
	MaxExprLength = 4000    // bytes in one expression
	MaxExprNodes  = 1000    // syntax nodes in one expression
	// exprMemoryBudget caps what one expression may allocate while it runs
	// (expr counts array and map sizes against it).
	exprMemoryBudget = 100_000
)

// Program is one compiled expression of the definition.
type Program struct {
	Src  string
	Line int
	Rule string // e.g. `fit rule "vp_plus"`, for messages
	prog *vm.Program
	uses map[string]bool // top-level names it reads
	// Inputs are the fields a formula reads (person.attributes.visits),
	// each compiled on its own so the explanation can show their values.
	Inputs []*Program
}

// Uses reports whether the expression reads a top-level name.
func (p *Program) Uses(name string) bool { return p != nil && p.uses[name] }

// Bool runs a condition. m is reused between runs to avoid allocations; it
// must not be shared between goroutines.
func (p *Program) Bool(m *vm.VM, env *Env) (bool, error) {
	out, err := m.Run(p.prog, env)
	if err != nil {
		return false, p.runError(err)
	}
	b, _ := out.(bool)
	return b, nil
}

// Value runs an expression of any type (a table's field).
func (p *Program) Value(m *vm.VM, env *Env) (any, error) {
	out, err := m.Run(p.prog, env)
	if err != nil {
		return nil, p.runError(err)
	}
	return out, nil
}

// Float runs a numeric expression.
func (p *Program) Float(m *vm.VM, env *Env) (float64, error) {
	out, err := m.Run(p.prog, env)
	if err != nil {
		return 0, p.runError(err)
	}
	switch v := out.(type) {
	case float64:
		return v, nil
	case int:
		return float64(v), nil
	}
	return 0, fmt.Errorf("%s (line %d): result %v is not a number", p.Rule, p.Line, out)
}

// runError says which rule failed for this lead and why.
func (p *Program) runError(err error) error {
	msg := firstLine(err.Error())
	if m := posSuffix.FindStringSubmatch(msg); m != nil {
		msg = strings.TrimSuffix(msg, m[0])
	}
	return fmt.Errorf("%s (line %d): %s", p.Rule, p.Line, msg)
}

// NewVM returns a VM for running programs with a memory budget.
func NewVM() *vm.VM {
	return &vm.VM{MemoryBudget: exprMemoryBudget}
}

// exprCompiler compiles expressions of one definition.
type exprCompiler struct {
	p       *problems
	signals []string
	opts    []expr.Option
	facts   map[string]bool // facts.<name> referenced anywhere
	rates   map[string]float64
	base    string
	// literals gathers the values rules compare vocabulary fields with.
	literals literalCollector
}

func newExprCompiler(p *problems, rates map[string]float64, base string) *exprCompiler {
	c := &exprCompiler{p: p, facts: map[string]bool{}, rates: rates, base: base, literals: literalCollector{out: map[string]map[string]bool{}}}
	money := func(params ...any) (any, error) {
		s, _ := params[0].(string)
		m, err := lead.ParseMoney(s)
		if err != nil {
			return nil, err
		}
		v, ok := toBase(m, rates, base)
		if !ok {
			return nil, fmt.Errorf("money %q: no exchange rate for %s in exchange_rates", s, m.Currency)
		}
		return v, nil
	}
	c.opts = []expr.Option{
		expr.Env(Env{}),
		expr.MaxNodes(MaxExprNodes),
		expr.Function("money", money, new(func(string) float64)),
	}
	return c
}

// moneyFolder replaces money("3300M USD") with its value at compile time,
// so that rules compare plain numbers when they run.
type moneyFolder struct {
	rates map[string]float64
	base  string
	err   error
}

func (f *moneyFolder) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok || len(call.Arguments) != 1 {
		return
	}
	if id, ok := call.Callee.(*ast.IdentifierNode); !ok || id.Value != "money" {
		return
	}
	arg, ok := call.Arguments[0].(*ast.StringNode)
	if !ok {
		return
	}
	m, err := lead.ParseMoney(arg.Value)
	if err != nil {
		f.err = err
		return
	}
	v, ok := toBase(m, f.rates, f.base)
	if !ok {
		f.err = fmt.Errorf("money(%q): no exchange rate for %s in exchange_rates", arg.Value, m.Currency)
		return
	}
	ast.Patch(node, &ast.FloatNode{Value: v})
}

// toBase converts m to the base currency; an amount without a currency is
// taken to be in the base currency already.
func toBase(m lead.Money, rates map[string]float64, base string) (float64, bool) {
	if m.Currency == "" || m.Currency == base {
		return m.Amount, true
	}
	r, ok := rates[m.Currency]
	return m.Amount * r, ok
}

var posSuffix = regexp.MustCompile(` \((\d+):(\d+)\)$`)

// compile type-checks one expression. want is reflect.Bool,
// reflect.Float64 or reflect.Interface (any value: a table's field). It returns nil and records a problem when it fails.
func (c *exprCompiler) compile(s src, k kind, want reflect.Kind, rule string) *Program {
	text := strings.TrimSpace(s.Text)
	switch {
	case text == "":
		c.p.add(s.Line, rule, "the expression is empty")
		return nil
	case len(text) > MaxExprLength:
		c.p.add(s.Line, rule, "the expression is %d bytes long; the limit is %d", len(text), MaxExprLength)
		return nil
	}
	tree, err := parser.ParseWithConfig(text, nil)
	if err != nil {
		c.p.add(s.Line, rule, "%s", exprMessage(err, text))
		return nil
	}
	nc := &nameCheck{kind: k, allowed: k.names(), signals: c.signals, facts: map[string]bool{}, used: map[string]bool{}, paths: map[string]bool{}}
	nc.walk(tree.Node)
	if len(nc.errs) > 0 {
		for _, e := range nc.errs {
			c.p.add(s.Line, rule, "%s", e)
		}
		return nil
	}
	folder := &moneyFolder{rates: c.rates, base: c.base}
	opts := append(c.opts[:len(c.opts):len(c.opts)], expr.Patch(folder), expr.Patch(&c.literals))
	switch want {
	case reflect.Bool:
		opts = append(opts[:len(opts):len(opts)], expr.AsBool())
	case reflect.Float64:
		opts = append(opts[:len(opts):len(opts)], expr.AsFloat64())
	}
	prog, err := expr.Compile(text, opts...)
	if err == nil && folder.err != nil {
		err = folder.err
	}
	if err != nil {
		c.p.add(s.Line, rule, "%s", exprMessage(err, text))
		return nil
	}
	for f := range nc.facts {
		c.facts[f] = true
	}
	p := &Program{Src: text, Line: s.Line, Rule: rule, prog: prog, uses: nc.used}
	if want == reflect.Float64 {
		// A formula's explanation shows the values it read: compile each
		// field path it names as an expression of its own.
		// A path that is no value of its own (a method such as
		// action.at.Year) fails to compile and is left out quietly.
		saved := c.p
		c.p = &problems{}
		defer func() { c.p = saved }()
		for _, path := range nc.pathList {
			if len(p.Inputs) == maxFormulaInputs {
				break
			}
			if in := c.compile(src{Text: path, Line: s.Line, Col: s.Col}, k, reflect.Interface, rule); in != nil {
				p.Inputs = append(p.Inputs, in)
			}
		}
	}
	return p
}

// maxFormulaInputs bounds the values one explanation step lists.
const maxFormulaInputs = 6

// exprMessage turns expr's error into one line that quotes the expression.
func exprMessage(err error, text string) string {
	msg := firstLine(err.Error())
	if m := posSuffix.FindStringSubmatch(msg); m != nil {
		msg = strings.TrimSuffix(msg, m[0]) + fmt.Sprintf(" (column %s)", m[2])
	}
	msg = strings.ReplaceAll(msg, "expected bool, but got", "the condition must be true or false, but it is")
	msg = strings.ReplaceAll(msg, "expected float64, but got", "the expression must be a number, but it is")
	if len(text) > 60 {
		text = text[:57] + "..."
	}
	return fmt.Sprintf("%s in `%s`", msg, text)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
