package exportcontacts

import (
	"context"
	"fmt"
)

// Run is replaced by the job's implementation (its issue); until then it refuses.
func Run(ctx context.Context, cfg Config) int {
	fmt.Fprintln(cfg.Common.Stderr, "exportcontacts: not implemented yet")
	return 3
}
