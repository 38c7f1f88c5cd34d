package rtcschema

// Small constructors that keep the version files readable.

func cols(names ...string) []string { return names }

// intCols declares int NOT NULL columns: the key and owner columns of the
// non-contact tables (reconstructed types).
func intCols(names ...string) []Column {
	out := make([]Column, len(names))
	for i, n := range names {
		out[i] = Column{Name: n, Type: "int"}
	}
	return out
}

func run(p Procedure) Step { return Step{Kind: StepProcedure, Procedure: p.Name} }

func del(table, column string) Step {
	return Step{Kind: StepDelete, Delete: Touch{Table: table, Column: column}}
}
