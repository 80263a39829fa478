package main

import "github.com/spf13/cobra"

func demoCmd() *cobra.Command {
	return &cobra.Command{Use: "demo", Short: "Run a whole cohort against a simulated GitHub", Args: cobra.NoArgs}
}
