package gh

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/google/go-github/v62/github"
)

// A refusal for good is an answer that will be the same however often the
// request is repeated (SPEC §8): retrying it for 15 hours only delays the
// rest of the delivery's work. Which answers are, per call class:
//
//   - 422 (validation failed: a body over 65,536 characters, a bad field),
//     on any request, except the code already_exists (creating what is
//     there, e.g. a label: the effect is done; callers treat it so);
//   - 410 Gone, on any request (an issue deleted, issues turned off);
//   - 404 on a comment's own routes — editing or deleting a comment,
//     reacting to it or removing a reaction
//     (/repos/{o}/{r}/issues/comments/{id}[/reactions[/{rid}]]): the
//     comment was deleted meanwhile.
//
// Not refusals for good: a 404 anywhere else (a repository renamed,
// transferred or out of the App's reach, or read just after it was created)
// is retried with backoff, like a 5xx; a 403 rate limit, primary or
// secondary, is a pause (Pacer, RateLimited), never a failure; a 403
// without a rate limit (a permission missing) is retried, as an operator
// may grant it. A repository that is gone makes a comment route answer 404
// too; the effect on that comment is then recorded as failed, and the
// delivery's next request, to any other route, fails and is retried.
var commentRoute = regexp.MustCompile(`^/(?:api/v3/)?repos/[^/]+/[^/]+/issues/comments/\d+(?:/reactions(?:/\d+)?)?/?$`)

// permanent classifies an answer to method path (see above); codes are a
// 422's error codes.
func permanent(method, path string, status int, codes []string) bool {
	switch status {
	case http.StatusUnprocessableEntity:
		for _, c := range codes {
			if c == "already_exists" {
				return false
			}
		}
		return true
	case http.StatusGone:
		return true
	case http.StatusNotFound:
		return commentRoute.MatchString(path)
	}
	return false
}

// Refusal reports whether err is GitHub refusing a request for good, and
// GitHub's message (with the validation errors' details), for the log and
// the effect's record.
func Refusal(err error) (string, bool) {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return "", false
	}
	method, path := "", ""
	if r := er.Response.Request; r != nil {
		method, path = r.Method, r.URL.Path
	}
	codes := make([]string, 0, len(er.Errors))
	details := []string{}
	for _, e := range er.Errors {
		codes = append(codes, e.Code)
		if d := strings.TrimSpace(strings.Join(nonEmpty(e.Resource, e.Field, e.Code, e.Message), " ")); d != "" {
			details = append(details, d)
		}
	}
	if !permanent(method, path, er.Response.StatusCode, codes) {
		return "", false
	}
	msg := fmt.Sprintf("%d %s", er.Response.StatusCode, er.Message)
	if len(details) > 0 {
		msg += " (" + strings.Join(details, "; ") + ")"
	}
	return msg, true
}

// IsRefusal reports a refusal for good (Refusal).
func IsRefusal(err error) bool {
	_, ok := Refusal(err)
	return ok
}

func nonEmpty(ss ...string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
