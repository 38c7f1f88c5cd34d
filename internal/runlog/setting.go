package runlog

// Source says where an effective setting came from, for the audit header.
type Source string

const (
	SourceFlag        Source = "flag"
	SourceCisco       Source = "cisco flag"
	SourceEnvironment Source = "environment"
	SourceDefault     Source = "default"
)

// Setting is one effective setting. Secret values are never written anywhere.
type Setting struct {
	Name   string
	Value  string
	Source Source
	Secret bool
}
