package main

import (
	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// The defaults that depend on the OS (SPEC 3.7): on Windows the logged-on
// user, as Cisco's tools did; elsewhere an explicit identity.

func defaultLDAPAuth(goos, bindDN string) string {
	if goos == "windows" && bindDN == "" {
		return string(adclient.AuthSSPI)
	}
	return string(adclient.AuthSimple)
}

func defaultSQLAuth(goos string) string {
	if goos == "windows" {
		return string(rtcclient.AuthWindows)
	}
	return string(rtcclient.AuthSQL)
}
