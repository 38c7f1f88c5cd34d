package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// Examples shown by each command's --help; Cisco's own runbook lines first.
var examples = map[string]string{
	cmdExport: `   # Cisco's syntax, unchanged (Lync 2013 Standard Edition, on the front end):
   lyncmigrate exportcontacts -s/dc1.corp.local -f/users.txt -l/info -r/NORMAL -i/localhost\rtclocal
   ExportContacts.exe -s/ dc1.corp.local -f/ALL -l/debug -r/STATSONLY -i/ sqlbe.corp.local\rtc
   # IM and Presence user export as the input (needs the presence domain):
   ExportContacts.exe -s/dc1.corp.local -f/impusers.csv -d/corp.local -l/info -r/NORMAL -i/localhost\rtclocal
   # Offline, from Export-CsUserData (no database needed; AD optional):
   lyncmigrate exportcontacts --from-export ExportUserData.zip -f users.txt --out-dir C:\migration
   # Check the rtc database schema only:
   lyncmigrate exportcontacts --check --sql-server sqlbe.corp.local\rtc`,
	cmdDisable: `   # Cisco's syntax, unchanged:
   lyncmigrate disableaccount -s/dc1.corp.local -f/UserList20240105_101500.txt -l/info
   DisableAccount.exe -s/ dc1.corp.local -f/ UserList.txt -l/debug
   # Preview first, then run (password from $LYNCMIGRATE_LDAP_PASSWORD, a file or the prompt):
   lyncmigrate disableaccount --ldap-server dc1.corp.local --ldap-bind-dn admin@corp.local -f users.txt --dry-run
   lyncmigrate disableaccount --ldap-server dc1.corp.local --ldap-bind-dn admin@corp.local -f users.txt
   # Put back what a run changed:
   lyncmigrate disableaccount --ldap-server dc1.corp.local --undo DisableAccountBackup20240105_101500.ldif`,
	cmdDelete: `   # Cisco's syntax, unchanged (Lync 2013 front end):
   lyncmigrate deleteaccount -s/localhost\rtclocal -f/UserList.txt -l/info
   DeleteAccount.exe -s/ sqlbe.corp.local\rtc -f/UserList.txt -l/debug
   # Check every server's schema and print the plan, touching nothing:
   lyncmigrate deleteaccount --check --sql-server sqlbe.corp.local\rtc --sql-server fe1.corp.local\rtclocal
   # Every back end and front end in one run, with the AD gate, preview first:
   lyncmigrate deleteaccount --sql-server sqlbe.corp.local\rtc --sql-server fe1.corp.local\rtclocal \
       --ldap-server dc1.corp.local -f UserList.txt --dry-run
   # From Linux, SQL login on a fixed port:
   lyncmigrate deleteaccount --sql-server sqlbe.corp.local,1433 --sql-auth sql --sql-user lyncmig \
       --sql-password-file ~/.sqlpw -f UserList.txt
   # Re-insert what a run deleted:
   lyncmigrate deleteaccount --undo DeleteAccountBackup20240105_110000.jsonl`,
	cmdVerify: `   # After a batch (and the morning after): where each user stands, on every pool, with a page for the change board:
   lyncmigrate verify --ldap-server dc1.corp.local --sql-server sqlbe.corp.local\rtc --sql-server fe1.corp.local\rtclocal \
       -f UserList20240105_101500.txt --report C:\Migration\verify-batch1.html
   # From Linux, one JSON object per user for a script (exit 0 only when every user is migrated):
   lyncmigrate verify --ldap-server dc1.corp.local --ldap-bind-dn admin@corp.local --sql-server sqlbe.corp.local,1433 \
       --sql-auth sql --sql-user lyncmig --sql-password-file ~/.sqlpw -f users.txt --json`,
}

func exitCodesText() string {
	return fmt.Sprintf(`   %d    every user processed or skipped (nothing to do)
   %d    some users not found or in error (see the log)
   %d    usage or input error; nothing was connected to or changed
   %d    fatal: cannot connect, unknown database version, schema check failed, server lost
   %d  interrupted (Ctrl-C): users in flight finished, the rest not attempted`,
		result.ExitOK, result.ExitPartial, result.ExitUsage, result.ExitFatal, result.ExitInterrupted)
}

func environmentText() string {
	var names []string
	for f := range envFlags {
		e, _ := envVarFor(f)
		names = append(names, e+" (--"+f+")")
	}
	sort.Strings(names)
	names = append(names, envLDAPPassword+" (the LDAP password)", envSQLPassword+" (the SQL password)")
	return "   Connection and authentication settings only; a flag wins over its variable.\n   " +
		strings.Join(names, "\n   ")
}

// rootExamples is one Cisco line and one long-flag line per command; each
// command's --help has the rest.
const rootExamples = `   ExportContacts.exe -s/dc1.corp.local -f/users.txt -l/info -r/NORMAL -i/localhost\rtclocal
   lyncmigrate exportcontacts --from-export ExportUserData.zip -f users.txt
   DisableAccount.exe -s/dc1.corp.local -f/UserList.txt -l/info
   lyncmigrate disableaccount --ldap-server dc1.corp.local --ldap-bind-dn admin@corp.local -f users.txt --dry-run
   DeleteAccount.exe -s/localhost\rtclocal -f/UserList.txt -l/info
   lyncmigrate deleteaccount --sql-server sqlbe.corp.local\rtc --ldap-server dc1.corp.local -f users.txt --dry-run
   lyncmigrate verify --ldap-server dc1.corp.local --sql-server sqlbe.corp.local\rtc -f users.txt --report verify.html
   lyncmigrate <command> --help shows every flag and more examples.`

func appHelpTemplate() string {
	return cli.AppHelpTemplate + `
EXAMPLES:
` + escapeTemplate(rootExamples) + `

CISCO COMPATIBILITY:
   Cisco's flags -s/ -f/ -l/ -r/ -i/ -d/ are accepted as -s/value or -s/ value.
   Named ExportContacts.exe, DisableAccount.exe or DeleteAccount.exe, the binary runs that command.

EXIT CODES:
` + exitCodesText() + `

ENVIRONMENT:
` + escapeTemplate(environmentText()) + "\n"
}

func commandHelpTemplate(command string) string {
	return cli.CommandHelpTemplate + `
CISCO FLAGS:
   ` + ciscoHelp(command) + `

EXAMPLES:
` + escapeTemplate(examples[command]) + `

EXIT CODES:
` + exitCodesText() + "\n"
}

func ciscoHelp(command string) string {
	var parts []string
	for _, letter := range strings.Fields(ciscoForms(command)) {
		parts = append(parts, letter+" = --"+ciscoFlags[command][letter[1:2]])
	}
	return strings.Join(parts, ", ") + " (as -x/value or -x/ value)"
}

// escapeTemplate keeps literal text literal inside a text/template.
func escapeTemplate(s string) string {
	return strings.ReplaceAll(s, "{{", `{{"{{"}}`)
}
