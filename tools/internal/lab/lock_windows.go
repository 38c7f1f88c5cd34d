package lab

// Lock does nothing on Windows: the bench and the demo run on Linux, beside Samba.
func Lock(string, func(string)) (func(), error) { return func() {}, nil }
