package cli

import "github.com/spf13/cobra"

func (a *app) benchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure throughput and memory on the shared corpora",
	}
	return cmd
}
