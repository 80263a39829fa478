package deploy_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction with continuation lines joined.
type instruction struct{ Cmd, Args string }

// parseDockerfile is just enough of Docker's parser to check the image's
// promises without Docker (which cannot run here or in CI).
func parseDockerfile(t *testing.T, path string) []instruction {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []instruction
	var cur strings.Builder
	for _, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args)})
		cur.Reset()
	}
	return out
}

func TestDockerfile(t *testing.T) {
	ins := parseDockerfile(t, "Dockerfile")
	goVersion := toolchain(t, "../go.mod")
	var stages []string
	final := map[string][]string{} // instructions of the last stage
	var build []string             // RUN lines of the build stages
	for _, in := range ins {
		if in.Cmd == "FROM" {
			stages = append(stages, in.Args)
			final = map[string][]string{}
			continue
		}
		final[in.Cmd] = append(final[in.Cmd], in.Args)
		if in.Cmd == "RUN" {
			build = append(build, in.Args)
		}
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{name: "multi-stage: a golang:" + goVersion + " builder (go.mod's toolchain), then a runtime image", ok: len(stages) >= 2 && strings.HasPrefix(stages[0], "golang:"+goVersion+" ")},
		{name: "runtime image is distroless static (CA certificates, no shell)", ok: len(stages) > 0 && strings.HasPrefix(stages[len(stages)-1], "gcr.io/distroless/static")},
		{name: "static binary: CGO_ENABLED=0, -trimpath", ok: anyMatch(build, `CGO_ENABLED=0 go build -trimpath`)},
		{name: "version stamped by the linker", ok: anyMatch(build, regexp.QuoteMeta(`-X github.com/cohortbot/cohortbot/internal/server.Version=${VERSION}`))},
		{name: "runs as a non-root USER", ok: len(final["USER"]) == 1 && !regexp.MustCompile(`^(root|0)(:|$)`).MatchString(final["USER"][0])},
		{name: "HEALTHCHECK runs the binary's healthcheck", ok: anyMatch(final["HEALTHCHECK"], `CMD \["/cohortbot", "healthcheck"\]`)},
		{name: "listens on 0.0.0.0:8080", ok: anyMatch(final["ENV"], `COHORTBOT_ADDRESS=0\.0\.0\.0:8080`) && anyMatch(final["EXPOSE"], `^8080$`)},
		{name: "SQLite on the /data volume", ok: anyMatch(final["ENV"], `COHORTBOT_DATABASE_URL=sqlite:///data/cohortbot\.db`) && anyMatch(final["VOLUME"], `^/data$`)},
		{name: "/data owned by the runtime user", ok: anyMatch(final["COPY"], `--chown=65532:65532 .* /data$`) && anyMatch(final["USER"], `^65532`)},
		{name: "serve by default", ok: anyMatch(final["ENTRYPOINT"], `\["/cohortbot"\]`) && anyMatch(final["CMD"], `\["serve"\]`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ok {
				t.Errorf("deploy/Dockerfile does not satisfy: %s", tc.name)
			}
		})
	}
}

// toolchain is the Go release the main module pins (its toolchain line, else
// its go line), which the image must be built with too.
func toolchain(t *testing.T, gomod string) string {
	t.Helper()
	b, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	for _, re := range []string{`(?m)^toolchain go(\S+)$`, `(?m)^go (\S+)$`} {
		if m := regexp.MustCompile(re).FindSubmatch(b); m != nil {
			return string(m[1])
		}
	}
	t.Fatalf("%s has neither a toolchain nor a go line", gomod)
	return ""
}

func anyMatch(lines []string, pattern string) bool {
	re := regexp.MustCompile(pattern)
	for _, l := range lines {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}
