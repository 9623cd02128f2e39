package stage

import (
	"strings"
	"testing"
)

func TestEffective(t *testing.T) {
	cases := []struct{ engine, human, want string }{
		{Inquiry, "", Inquiry},
		{MQL, "", MQL},
		{Nurture, "", Nurture},
		{MQL, SAL, SAL},
		{Inquiry, SAL, SAL}, // the definition changed its mind; acceptance holds
		{SQL, SAL, SQL},     // a human BANT at the threshold lifts a SAL to SQL
		{SQL, Opportunity, Opportunity},
		{Inquiry, Won, Won},
		{MQL, Lost, Lost},
		{MQL, Nurture, Nurture}, // rejected: holds until the re-contact
		{Nurture, Recycled, Inquiry},
		{Inquiry, Recycled, Inquiry},
		{MQL, Recycled, MQL},
		{Disqualified, Recycled, Disqualified},
		{MQL, Disqualified, Disqualified},
	}
	for _, c := range cases {
		if got := Effective(c.engine, c.human); got != c.want {
			t.Errorf("Effective(%q, %q) = %q, want %q", c.engine, c.human, got, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		act, from string
		ok        bool
		hint      string
	}{
		{ActAccept, MQL, true, ""},
		{ActAccept, Inquiry, false, "BANT call first"},
		{ActAccept, SAL, false, "only an MQL"},
		{ActReject, Inquiry, true, ""},
		{ActReject, SAL, true, ""},
		{ActReject, SQL, false, "only an inquiry"},
		{ActOpportunity, SQL, true, ""},
		{ActOpportunity, SAL, false, "human BANT"},
		{ActWon, Opportunity, true, ""},
		{ActWon, SQL, false, "only an opportunity"},
		{ActLost, Opportunity, true, ""},
		{ActLost, MQL, false, "reject an inquiry or MQL"},
		{ActLost, Won, false, "cannot mark as lost a lead in stage won"},
	}
	for _, c := range cases {
		err := Check(c.act, c.from)
		if (err == nil) != c.ok {
			t.Errorf("Check(%s, %s) = %v, want ok=%v", c.act, c.from, err, c.ok)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), c.hint) {
			t.Errorf("Check(%s, %s) = %q, want it to say %q", c.act, c.from, err, c.hint)
		}
	}
	if Check("fly", MQL) == nil {
		t.Error("an unknown act passed")
	}
}

func TestAfterQualification(t *testing.T) {
	for human, want := range map[string]string{Nurture: "", Recycled: "", SAL: SAL, "": "", Opportunity: Opportunity} {
		if got := AfterQualification(human); got != want {
			t.Errorf("AfterQualification(%q) = %q, want %q", human, got, want)
		}
	}
}

// OpenStages lists exactly the stages Open holds.
func TestOpenStages(t *testing.T) {
	var want []string
	for _, s := range []string{None, Inquiry, MQL, SAL, SQL, Opportunity, Won, Lost, Nurture, Disqualified, Recycled} {
		if Open(s) {
			want = append(want, s)
		}
	}
	if got := OpenStages(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("OpenStages() = %v, Open holds %v", got, want)
	}
}
