package templates

import (
	"net/url"
	"regexp"
)

// issuePath is the path of an issue or pull request page on GitHub (or a
// GitHub Enterprise Server): /owner/repo/pull/N or /owner/repo/issues/N.
var issuePath = regexp.MustCompile(`^/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+)/(?:pull|issues)/([0-9]+)/?$`)

// Ref shortens a link to an issue or pull request to owner/repo#N, which
// GitHub renders as a link with the item's title on hover; any other text is
// returned unchanged.
func Ref(link string) string {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" {
		return link
	}
	m := issuePath.FindStringSubmatch(u.Path)
	if m == nil {
		return link
	}
	return m[1] + "/" + m[2] + "#" + m[3]
}
