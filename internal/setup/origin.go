package setup

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// origin is the scheme and host the browser used, as Probot derives them:
// X-Forwarded-Proto and X-Forwarded-Host from a proxy in front (the first
// value when proxies appended several; an empty one counts as absent), else
// TLS and Host. The values end up
// in the manifest GitHub registers, so anything but a plain host (with an
// optional port) and http/https is refused rather than passed on.
func origin(r *http.Request) (scheme, host string, err error) {
	scheme = "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := firstValue(r.Header.Values("X-Forwarded-Proto")); p != "" {
		if lp := strings.ToLower(p); lp == "http" || lp == "https" {
			scheme = lp
		} else {
			return "", "", fmt.Errorf("the X-Forwarded-Proto header %s is neither http nor https", quote(p))
		}
	}
	host = r.Host
	what := "Host header"
	if fh := firstValue(r.Header.Values("X-Forwarded-Host")); fh != "" {
		host, what = fh, "X-Forwarded-Host header"
	}
	if !validHost(host) {
		return "", "", fmt.Errorf("the %s %s is not a host name with an optional port", what, quote(host))
	}
	return scheme, strings.ToLower(host), nil
}

// firstValue is the first of a header's comma-separated values.
func firstValue(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	v, _, _ := strings.Cut(lines[0], ",")
	return strings.TrimSpace(v)
}

// quote shows an untrusted value in a message: escaped, and cut short.
func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strconv.Quote(s)
}

// validHost accepts name[:port], IPv4[:port] and [IPv6][:port], nothing else:
// no spaces, paths, user info or control characters.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 || net.ParseIP(h[1:end]) == nil {
			return false
		}
		rest := h[end+1:]
		return rest == "" || strings.HasPrefix(rest, ":") && validPort(rest[1:])
	}
	name := h
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		if !validPort(h[i+1:]) {
			return false
		}
		name = h[:i]
	}
	if name == "" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "-") {
		return false
	}
	for _, c := range name {
		if !(c == '-' || c == '.' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && len(p) <= 5 && n > 0 && n <= 65535 && p[0] != '+'
}
