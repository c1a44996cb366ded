// Command storyline is the news story intelligence engine's one binary.
// It only wires: the commands live in internal/cli.
package main

import (
	"os"

	"github.com/storyline-news/storyline/internal/cli"
)

func main() { os.Exit(cli.Execute()) }
