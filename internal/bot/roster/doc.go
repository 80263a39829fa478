// Package roster is the roster commands: /graduate, /withdraw, /extend and adding or
// removing mentees and mentors.
package roster
