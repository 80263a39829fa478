package command

// OnAny is where a command of the mentoring repository works: on any of
// its issues, a cohort's or not.
const OnAny = "any issue"

// anywhere reports whether c works on any issue of the repository, so an
// ended cohort's issues take it too.
func (c Command) anywhere() bool {
	for _, w := range c.Where {
		if w == OnAny {
			return true
		}
	}
	return false
}

// roleAny is the role of an issue that belongs to no cohort.
const RoleAny = "any"
