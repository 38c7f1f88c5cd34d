// Command lyncmigrate replaces Cisco's three Lync/OCS user-migration tools
// (ExportContacts, DisableAccount, DeleteAccount) with one binary.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(realMain(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// realMain runs one command and returns its exit code; it never exits
// itself, so that deferred code (the log's summary) always runs.
func realMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return execute(args, newSystem(stdin, stdout, stderr))
}
