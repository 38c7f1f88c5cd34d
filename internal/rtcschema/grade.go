package rtcschema

import "fmt"

// Grade says how much a fact rests on: public evidence, or our reconstruction
// (SPEC 7.1). No column TYPE is confirmed anywhere; grades are about names,
// the plan and the procedures.
type Grade string

const (
	Confirmed     Grade = "confirmed"     // a public script or document shows it
	Reconstructed Grade = "reconstructed" // our best guess: correct it here when a real server says otherwise
)

// Fact is the grade of one piece of knowledge and where it comes from: the
// public source (one short line) when confirmed, the reasoning when
// reconstructed.
type Fact struct {
	Grade  Grade
	Source string
}

func (f Fact) String() string {
	if f.Source == "" {
		return string(f.Grade)
	}
	return fmt.Sprintf("%s: %s", f.Grade, f.Source)
}

func confirmed(source string) Fact  { return Fact{Grade: Confirmed, Source: source} }
func reconstructed(why string) Fact { return Fact{Grade: Reconstructed, Source: why} }

// The public sources of research/rtc-evidence.md, one short line each. The
// scripts are others' work: only what they show is kept here.
const (
	srcContactList   = "Get-CsUserContactList.ps1 (G. Bachar, Lync 2013)"
	srcDuplicateSIP  = "Remove-DuplicateSipAddress.ps1 (JeffBrownTech)"
	srcUserReports   = `"New Lync Users Report" (G. Bachar); Generate-LyncUserReport.ps1 (RobWolsky)`
	srcRtcSetContact = "a C# tool calling dbo.RtcSetContact"
	srcDeletedObject = "FindDeletedObjects.ps1 (A. Berns)"
	srcPresence      = "masteringlync.com, 2014-05-19"
	srcCiscoLog      = "Cisco's DeleteAccount log (Lync 2013)"
)
