// Package bot is the composition root of cohortbot's flows: the command
// registry's one table (commands.go), registered into internal/bot/command,
// and HandleComment, the entry of every comment command. The flows live in
// the packages below it (docs/ARCHITECTURE.md).
package bot
