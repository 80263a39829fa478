// Package command is the comment-command machinery: the registry's types, Call (one
// command of one comment being handled), the gate that decides where and who, the
// run loop that acts once per comment line, and the one reply per comment. The
// table itself is declared in package bot and registered here at start.
package command
