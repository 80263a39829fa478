package kernel

// webURL is GitHub's web host for search links.
func (e *Env) WebBase() string {
	if e.WebURL != "" {
		return e.WebURL
	}
	return "https://github.com"
}
