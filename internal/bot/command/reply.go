package command

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/cohortbot/cohortbot/internal/bot/kernel"
	"github.com/cohortbot/cohortbot/internal/cohort"
	"github.com/cohortbot/cohortbot/internal/store"
	"github.com/rs/zerolog"
)

// floodSlot is the part index of the "slow down" answer, ahead of the
// commands' own.
const floodSlot = -1

// maxReply keeps a reply within GitHub's 65,536 characters (counted in
// bytes here, which is never fewer), with room for the marker.
const maxReply = 60000

// maxIgnoredNamed is how many ignored commands a reply names one by one.
const maxIgnoredNamed = 10

// replyPart is one command's answer in the comment's reply.
type replyPart struct {
	raw, why string
}

// reply records this command's answer; the comment's reply is written when
// its handling ends (flushReply).
func (x *Call) Reply(ctx context.Context, why string) error {
	return x.Env.Store.PutEffect(ctx, x.Key("reply"), store.EffectDone, why)
}

// replyDoc is everything the comment's one reply says.
type replyDoc struct {
	author  string
	url     string
	body    string // the triggering comment
	parts   []replyPart
	ignored []cohort.Command
	allowed []string // who the reply may mention: the author and the roster
}

// flushReply writes (or updates) the comment's one reply from the parts
// recorded by the commands of slots, plus the commands ignored over the
// limit. Nothing is written when there is nothing to say.
func FlushReply(ctx context.Context, e *kernel.Env, g kernel.Commenter, ev CommentEvent, slots []Slot, ignored []cohort.Command, roster []store.Member) error {
	d := replyDoc{author: ev.Author, url: ev.URL, body: ev.Body, ignored: ignored}
	for _, s := range append([]Slot{{Idx: floodSlot}}, slots...) {
		p, err := e.Store.GetEffect(ctx, kernel.PartKey(ev.CommentID, s.Idx))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		d.parts = append(d.parts, replyPart{raw: s.Cmd.Raw, why: p.Value})
	}
	if len(d.parts) == 0 && len(d.ignored) == 0 {
		return nil
	}
	d.allowed = []string{ev.Author}
	for _, m := range roster {
		d.allowed = append(d.allowed, m.Handle)
	}
	body := d.text()
	marker := fmt.Sprintf("<!-- cohortbot:reply comment=%d -->", ev.CommentID)
	_, err := e.UpsertComment(ctx, g, kernel.ReplyKey(ev.CommentID), ev.Repo, ev.Number, marker, body+"\n"+marker)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Int("parts", len(d.parts)).Msg("could not write the comment's reply")
	}
	return err
}

// render writes the reply in Prow's style: "@author: why", one bullet per
// command when several answer, the ignored commands named, and the comment
// quoted in a collapsed block. The result mentions nobody but the allowed
// handles and stays within maxReply, whatever the parts say.
func (d replyDoc) render() string {
	var b strings.Builder
	b.WriteString("@" + d.author + ": ")
	parts, times := d.merged()
	whys := make([]string, len(parts))
	for i, p := range parts {
		whys[i] = d.safe(cohort.Clip(p.why, maxReply/(len(parts)+1)))
	}
	switch {
	case len(d.parts) == 1 && len(d.ignored) == 0:
		b.WriteString(whys[0])
	case len(parts) > 0:
		b.WriteString("cohortbot's answers to the commands of this comment:\n")
		for i, p := range parts {
			b.WriteString("\n- " + cohort.Echo(p.raw))
			if times[i] > 1 {
				fmt.Fprintf(&b, " (%d times)", times[i])
			}
			b.WriteString(": " + indent(whys[i]))
		}
		b.WriteString("\n")
	}
	if len(d.ignored) > 0 {
		if len(d.parts) > 0 {
			b.WriteString("\n")
		}
		b.WriteString(d.ignoredText())
	}
	b.WriteString("\n\n<details>\n\nIn response to [this](" + d.url + "):\n\n")
	for _, l := range strings.Split(strings.TrimSpace(cohort.Clip(d.body, cohort.MaxEcho)), "\n") {
		if strings.TrimSpace(l) != "" {
			b.WriteString("> " + cohort.Echo(l) + "\n")
		}
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

// merged gathers the same command answered the same way (a flood of one
// refused command) into one answer, counted, in first-seen order.
func (d replyDoc) merged() (parts []replyPart, times []int) {
	seen := map[replyPart]int{}
	for _, p := range d.parts {
		if i, ok := seen[p]; ok {
			times[i]++
			continue
		}
		seen[p] = len(parts)
		parts, times = append(parts, p), append(times, 1)
	}
	return parts, times
}

// text is the reply as posted: render's, checked as a whole for mentions
// beyond the allowed ones (parts joined may pair backticks differently than
// each alone); if any, every "@" after the leading "@author" becomes "＠".
func (d replyDoc) text() string {
	s := d.render()
	for _, h := range cohort.Mentions(s) {
		if !containsFold(d.allowed, h) {
			head := "@" + d.author + ": "
			return head + unmention.Replace(strings.TrimPrefix(s, head))
		}
	}
	return s
}

// ignoredText names the commands over the per-comment limit.
func (d replyDoc) ignoredText() string {
	names := make([]string, 0, maxIgnoredNamed)
	for i, c := range d.ignored {
		if i == maxIgnoredNamed {
			break
		}
		names = append(names, cohort.Echo(c.Raw))
	}
	more := ""
	if n := len(d.ignored) - len(names); n > 0 {
		more = fmt.Sprintf(" and %d more", n)
	}
	return fmt.Sprintf("cohortbot acts on at most %d commands of one comment, so these were ignored: %s%s. "+
		"Post them in a new comment if you meant them.", cohort.MaxCommands, strings.Join(names, ", "), more)
}

// safe returns why with its mentions of anyone but the allowed handles
// turned into "＠handle", which GitHub does not read as a mention (a
// refusal naming a stranger: "@vera is already a mentee elsewhere"). When
// that is not enough (user text that reached the prose without
// cohort.Echo), every "@" of it is.
func (d replyDoc) safe(why string) string {
	for _, h := range cohort.Mentions(why) {
		if !containsFold(d.allowed, h) {
			re := regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_])@(` + regexp.QuoteMeta(h) + `)`)
			why = re.ReplaceAllString(why, "${1}\uff20${2}")
		}
	}
	for _, h := range cohort.Mentions(why) {
		if !containsFold(d.allowed, h) {
			return unmention.Replace(why)
		}
	}
	return why
}

// unmention turns every "@" into a full-width "＠", which GitHub does not
// read as a mention, and keeps HTML entities of "@" from becoming one.
var unmention = strings.NewReplacer("@", "\uff20", "&#", "&amp;#", "&commat;", "&amp;commat;")

// indent makes a multi-line answer continue its bullet.
func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
