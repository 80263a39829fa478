package ghsim

import (
	"net/http"
	"strconv"
	"strings"
)

var reactionContents = []string{"+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"}

// reactionTarget is the reaction list of the comment {id} or issue {number} in the path.
func (s *Sim) reactionTarget(c *ctx) *[]*Reaction {
	if c.param("id") != "" {
		if cm := s.commentOf(c); cm != nil {
			return &cm.reactions
		}
		return nil
	}
	if is := s.issueOf(c); is != nil {
		return &is.reactions
	}
	return nil
}

// addReaction adds content by u to the list; it returns the reaction and
// whether it is new (an existing identical reaction is returned as is).
func (s *Sim) addReaction(list *[]*Reaction, u *user, content string) (*Reaction, bool) {
	for _, r := range *list {
		if strings.EqualFold(r.User, u.login) && r.Content == content {
			return r, false
		}
	}
	r := &Reaction{ID: s.st.newID(), User: u.login, Content: content, CreatedAt: s.now()}
	*list = append(*list, r)
	return r, true
}

// POST /repos/{owner}/{repo}/issues/comments/{id}/reactions and …/issues/{number}/reactions
func (s *Sim) postReaction(c *ctx) (int, any) {
	list := s.reactionTarget(c)
	if list == nil {
		return notFound()
	}
	var req struct {
		Content string `json:"content"`
	}
	if !c.decode(&req) {
		return badJSON()
	}
	if !containsFold(reactionContents, req.Content) {
		return validation("Reaction", "content", "invalid")
	}
	r, isNew := s.addReaction(list, s.st.bot, req.Content)
	if isNew {
		return http.StatusCreated, s.renderReaction(r)
	}
	return http.StatusOK, s.renderReaction(r)
}

// GET …/reactions (content filter, pagination)
func (s *Sim) listReactions(c *ctx) (int, any) {
	list := s.reactionTarget(c)
	if list == nil {
		return notFound()
	}
	want := c.r.URL.Query().Get("content")
	out := []any{}
	for _, r := range *list {
		if want == "" || want == r.Content {
			out = append(out, s.renderReaction(r))
		}
	}
	return http.StatusOK, c.paginate(out)
}

// DELETE …/reactions/{reaction_id}
func (s *Sim) deleteReaction(c *ctx) (int, any) {
	list := s.reactionTarget(c)
	if list == nil {
		return notFound()
	}
	id, _ := strconv.ParseInt(c.param("reaction_id"), 10, 64)
	for i, r := range *list {
		if r.ID == id {
			*list = append((*list)[:i:i], (*list)[i+1:]...)
			return http.StatusNoContent, nil
		}
	}
	return notFound()
}
