package e2e

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs up to sixteen tests at once unless -parallel says otherwise:
// the tests wait on loopback HTTP and the queue far more than they compute,
// and go test's default (GOMAXPROCS, two on a small CI machine) would leave
// the package's wall time at the sum of its waits.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		flag.Set("test.parallel", "16")
	}
	os.Exit(m.Run())
}
