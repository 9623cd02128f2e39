package quality

import "strings"

// newSet builds a lookup table from its entries. The tables built with it
// are package variables that nothing writes after start-up. Entries are
// written in the form lookups use: folded words (see appendFolded) or
// normalised domains. TestTablesAreFolded keeps them that way.
func newSet(entries ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(entries))
	for _, e := range entries {
		m[e] = struct{}{}
	}
	return m
}

// wordClass says which word tables a folded word is in. The tables stay
// separate where they are written, so each can be read and argued about on
// its own. The hot path looks a word up once in wordClasses instead of
// once per table: a name's words were otherwise looked up some twenty
// times per Compute.
type wordClass uint16

const (
	classTestStrong wordClass = 1 << iota
	classTestWeak
	classTestFiller
	classTestLocal
	classPlaceholderStrong
	classPlaceholderWeak
	classParticle
	classFictional
	// classFictionalStart and classExactStart mark the first word of an
	// entry of fictionalNames and testExact, so those whole-name tables
	// are only consulted when a value could be in them.
	classFictionalStart
	classExactStart
)

const classTest = classTestStrong | classTestWeak

var wordClasses = func() map[string]wordClass {
	m := map[string]wordClass{}
	for _, t := range []struct {
		set   map[string]struct{}
		class wordClass
	}{
		{testWordsStrong, classTestStrong},
		{testWordsWeak, classTestWeak},
		{testFiller, classTestFiller},
		{testLocals, classTestLocal},
		{placeholderStrong, classPlaceholderStrong},
		{placeholderWeak, classPlaceholderWeak},
		{nameParticles, classParticle},
		{fictionalSingles, classFictional},
	} {
		for w := range t.set {
			m[w] |= t.class
		}
	}
	for _, t := range []struct {
		set   map[string]struct{}
		class wordClass
	}{
		{fictionalNames, classFictionalStart},
		{testExact, classExactStart},
	} {
		for e := range t.set {
			first, _, _ := strings.Cut(e, " ")
			m[first] |= t.class
		}
	}
	return m
}()

// classOf returns the classes of a folded word, 0 for an ordinary word.
func classOf(w []byte) wordClass {
	return wordClasses[string(w)]
}
