package intake

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/jsonappend/jsonappendtest"
	"github.com/pistahq/pista/internal/store"
)

// TestInquiryEntryEncoding: an inquiry's timeline entry encoded without
// the map is the bytes json.Marshal writes for the map, for inquiries and
// evaluations filled at random (every field, by reflection), with and
// without an evaluation, a human stage, or suspicion.
func TestInquiryEntryEncoding(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for i := range 2000 {
		var in Inquiry
		jsonappendtest.Fill(rng, reflect.ValueOf(&in).Elem(), i%10 == 0)
		in.Suspicious = nil
		if rng.IntN(3) == 0 {
			in.Suspicious = []string{"honeypot", "<fast> & \"odd\""}[:1+rng.IntN(2)]
		}
		l := &store.Lead{CreatedAt: time.Now()}
		if rng.IntN(4) > 0 {
			var r engine.Result
			jsonappendtest.Fill(rng, reflect.ValueOf(&r).Elem(), false)
			l.Eval = &r
		}
		if rng.IntN(3) == 0 {
			l.HumanStage = "sal"
		}
		got, err := encodeInquiryEntry(&in, l)
		jsonappendtest.SameAsMarshal(t, fmt.Sprintf("entry %d", i), inquiryEntry(&in, l), got, err)

		// The same inquiry merged into a known lead, from a source that
		// does not vouch for it: what it reported, and whether it was held.
		var reported map[string]any
		if rng.IntN(2) == 0 {
			jsonappendtest.Fill(rng, reflect.ValueOf(&reported).Elem(), false)
		}
		held := rng.IntN(2) == 0
		got, err = encodeMergedEntry(&in, l, reported, held)
		jsonappendtest.SameAsMarshal(t, fmt.Sprintf("merged entry %d", i), withReported(inquiryEntry(&in, l), reported, held), got, err)
	}
}

// TestMergeSnapshotEncoding: a merge's record encoded without reflection
// is the bytes json.Marshal writes, for snapshots filled at random (every
// field, by reflection: the lead before, the inquiry, what it reported).
func TestMergeSnapshotEncoding(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	for i := range 2000 {
		var snap mergeSnapshot
		jsonappendtest.Fill(rng, reflect.ValueOf(&snap).Elem(), i%10 == 0)
		got, err := snap.encode()
		jsonappendtest.SameAsMarshal(t, fmt.Sprintf("snapshot %d", i), &snap, got, err)
	}
}
