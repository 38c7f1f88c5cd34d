//go:build !linux

package lab

import "syscall"

func launchAttr() *syscall.SysProcAttr { return nil }
