package main

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPackagesInNodeModules(t *testing.T) {
	dir := t.TempDir()
	server := "github://api.github.com/pulumi-hwddm/pulumi-hwddm"
	// The program's own package.json is not a dependency.
	write(t, filepath.Join(dir, "package.json"), `{"name":"me","version":"1.0.0","pulumi":{"resource":true,"name":"me"}}`)
	write(t, filepath.Join(dir, "node_modules", "pulumi-hwddm", "package.json"),
		`{"name":"pulumi-hwddm","version":"0.1.0","pulumi":{"resource":true,"name":"hwddm","version":"0.1.0","server":"`+server+`"}}`)
	write(t, filepath.Join(dir, "node_modules", "@pulumi", "random", "package.json"),
		`{"name":"@pulumi/random","version":"4.16.0","pulumi":{"resource":true}}`)
	write(t, filepath.Join(dir, "node_modules", "third", "package.json"),
		`{"name":"third","version":"1.0.0","pulumi":{"resource":true}}`)
	write(t, filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "package.json"),
		`{"name":"@pulumi/pulumi","version":"3.248.0"}`)
	write(t, filepath.Join(dir, "node_modules", "nested", "node_modules", "deep", "package.json"),
		`{"name":"deep","version":"2.0.0","pulumi":{"resource":true,"name":"deep"}}`)
	// A link back up: each folder is read once.
	if err := os.Symlink(dir, filepath.Join(dir, "node_modules", "loop")); err != nil {
		t.Fatal(err)
	}

	var got []string
	for _, p := range packagesIn(dir, false, map[string]bool{}) {
		got = append(got, p.GetName()+" "+p.GetVersion()+" "+p.GetServer())
	}
	sort.Strings(got)
	want := []string{"deep v2.0.0 ", "hwddm v0.1.0 " + server, "random v4.16.0 "}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}
