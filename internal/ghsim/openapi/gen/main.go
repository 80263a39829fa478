// Command gen trims GitHub's OpenAPI description (api.github.com.json from
// the npm package @octokit/openapi) to the operations the simulated GitHub
// serves, so that the sim can validate every request against GitHub's own
// description without shipping its 13 MB. gen.sh runs it; see there.
//
// Kept per operation: summary, operationId, externalDocs, parameters and the
// request body's schema, with every $ref they need copied from components
// (refs are kept, not inlined). Dropped: responses (replaced by a one-line
// default, as OpenAPI requires one), examples and x-github metadata, which
// the validation does not read.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	in := flag.String("in", "", "the full api.github.com.json")
	ops := flag.String("ops", "operations.txt", "the operations to keep, one \"METHOD /path\" a line")
	version := flag.String("version", "", "the @octokit/openapi version the input came from")
	out := flag.String("out", "api.github.com.json", "where to write the trimmed description")
	flag.Parse()
	if err := run(*in, *ops, *version, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type obj = map[string]any

func run(in, opsFile, version, out string) error {
	if in == "" || version == "" {
		return fmt.Errorf("-in and -version are required")
	}
	var full obj
	if err := readJSON(in, &full); err != nil {
		return err
	}
	ops, err := readOps(opsFile)
	if err != nil {
		return err
	}
	paths, err := trimPaths(full, ops)
	if err != nil {
		return err
	}
	info, _ := full["info"].(obj)
	trimmed := obj{
		"openapi": full["openapi"],
		"info": obj{
			"title":   info["title"],
			"version": info["version"],
			"description": fmt.Sprintf("Trimmed by internal/ghsim/openapi/gen from @octokit/openapi@%s "+
				"generated/api.github.com.json: only the operations in operations.txt, responses dropped.", version),
			"x-octokit-openapi-version": version,
		},
		"paths":      paths,
		"components": neededComponents(full, paths),
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(trimmed); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// readOps reads "METHOD /path" lines, skipping blanks and # comments.
func readOps(path string) ([][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ops [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m, p, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("%s: bad line %q", path, line)
		}
		ops = append(ops, [2]string{strings.ToLower(m), strings.TrimSpace(p)})
	}
	return ops, sc.Err()
}

// trimPaths copies the listed operations, without their responses.
func trimPaths(full obj, ops [][2]string) (obj, error) {
	all, _ := full["paths"].(obj)
	paths := obj{}
	for _, op := range ops {
		item, _ := all[op[1]].(obj)
		o, _ := item[op[0]].(obj)
		if o == nil {
			return nil, fmt.Errorf("%s %s is not in the description", op[0], op[1])
		}
		kept := obj{"responses": obj{"default": obj{"description": "(responses trimmed)"}}}
		for _, k := range []string{"summary", "operationId", "externalDocs", "parameters"} {
			if v, ok := o[k]; ok {
				kept[k] = v
			}
		}
		if rb, ok := o["requestBody"].(obj); ok {
			kept["requestBody"] = trimBody(rb)
		}
		dst, _ := paths[op[1]].(obj)
		if dst == nil {
			dst = obj{}
			if ps, ok := item["parameters"]; ok {
				dst["parameters"] = ps
			}
			paths[op[1]] = dst
		}
		dst[op[0]] = kept
	}
	return paths, nil
}

// trimBody keeps a request body's required flag and its media types' schemas.
func trimBody(rb obj) obj {
	out := obj{}
	if r, ok := rb["required"]; ok {
		out["required"] = r
	}
	content := obj{}
	for mt, v := range rb["content"].(obj) {
		if m, ok := v.(obj); ok {
			content[mt] = obj{"schema": m["schema"]}
		}
	}
	out["content"] = content
	return out
}

// neededComponents copies every component reachable through $refs from the
// kept paths.
func neededComponents(full obj, paths obj) obj {
	comps, _ := full["components"].(obj)
	out := obj{}
	seen := map[string]bool{}
	queue := refs(paths)
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if seen[ref] {
			continue
		}
		seen[ref] = true
		parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
		if len(parts) != 2 {
			continue
		}
		src, _ := comps[parts[0]].(obj)
		v := src[parts[1]]
		dst, _ := out[parts[0]].(obj)
		if dst == nil {
			dst = obj{}
			out[parts[0]] = dst
		}
		if m, ok := v.(obj); ok && parts[0] == "parameters" {
			delete(m, "examples")
		}
		dst[parts[1]] = v
		queue = append(queue, refs(v)...)
	}
	return out
}

// refs lists the $ref values in v, sorted.
func refs(v any) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case obj:
			if r, ok := t["$ref"].(string); ok {
				out = append(out, r)
			}
			for _, c := range t {
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	walk(v)
	sort.Strings(out)
	return out
}
