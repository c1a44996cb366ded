package cli

import "github.com/spf13/cobra"

func (a *app) evalCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure quality on the shared corpora (../shared/data)",
	}
	return cmd
}
