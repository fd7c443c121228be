package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPluginJSONOf(t *testing.T) {
	dir := t.TempDir()
	if p, err := pluginJSONOf(dir); p != nil || err != nil {
		t.Fatalf("an SDK without pulumi-plugin.json: %v, %v", p, err)
	}
	// A generated SDK module has it in its package folder (sdk/go/hwddm/pulumi-plugin.json).
	if err := os.MkdirAll(filepath.Join(dir, "hwddm"), 0o755); err != nil {
		t.Fatal(err)
	}
	body := `{"resource":true,"name":"hwddm","version":"0.1.0","server":"github://api.github.com/pulumi-hwddm/pulumi-hwddm"}`
	if err := os.WriteFile(filepath.Join(dir, "hwddm", "pulumi-plugin.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := pluginJSONOf(dir)
	if err != nil || p == nil || p.Name != "hwddm" || p.Version != "0.1.0" || p.Server == "" {
		t.Fatalf("got %+v, %v", p, err)
	}
}
