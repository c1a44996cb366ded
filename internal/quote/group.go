package quote

// Group sets SameAs on the statements of one statement, as Find does
// after extracting them: for statements of several calls of Find (each
// over other articles) put together in article order, Group gives what
// Find over all those articles at once gives. Statements of one speaker
// entity are only compared with each other, so Group over the statements
// of one speaker gives them the SameAs of Group over all. It clears the
// SameAs the statements had.
func Group(qs []Statement) {
	for i := range qs {
		qs[i].SameAs = nil
	}
	group(qs)
}
