package lab

import (
	"errors"
	"os"
)

// askStats: Windows has no SIGUSR1; rtcsim writes its --stats file when it stops (FinalStats).
func askStats(*os.Process) error {
	return errors.New("rtcsim: live counters need SIGUSR1 (not on Windows); read FinalStats after Stop")
}
