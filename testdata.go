// Package lyncmigrate is not the product (that is cmd/lyncmigrate and the job
// packages): it only embeds the test fixtures that Go test servers serve by
// name, because go:embed reaches only files below the embedding package and
// the go tool ignores packages inside testdata/. The product never imports
// it (internal/rtcsim's independence test checks).
package lyncmigrate

import "embed"

// RTCFiles holds testdata/rtc/*.sql: rtcsim's schemas (written from the SPEC
// and the public evidence, never from the product) and its seeds.
//
//go:embed testdata/rtc/*.sql
var RTCFiles embed.FS

// RTCDir is the folder of RTCFiles.
const RTCDir = "testdata/rtc"
