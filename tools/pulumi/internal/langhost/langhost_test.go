package langhost

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// started is a writer that reports the program's first output: the program is running.
type started chan struct{}

func (s started) Write(p []byte) (int, error) {
	select {
	case s <- struct{}{}:
	default:
	}
	return len(p), nil
}

func TestCancelStopsTheRunningProgram(t *testing.T) {
	b := NewBase(context.Background(), "test")
	cmd := exec.Command("sh", "-c", "echo up; exec sleep 600")
	up := make(started, 1)
	cmd.Stdout = up
	done := make(chan *pulumirpc.RunResponse, 1)
	go func() { done <- RunProgram(context.Background(), b, cmd) }()
	<-up
	if _, err := b.Cancel(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	select {
	case res := <-done:
		if res.GetError() == "" {
			t.Fatalf("a cancelled program reported success: %v", res)
		}
	case <-time.After(60 * time.Second): // a bound for a hung test, not a pass condition
		_ = cmd.Process.Kill()
		t.Fatal("the program still runs after Cancel")
	}
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		script    string
		bail      bool
		wantError string
	}{
		{"exit 0", false, ""},
		{"exit 32", true, ""},
		{"exit 3", false, "Program exited with non-zero exit code: 3"},
	} {
		res := RunProgram(context.Background(), NewBase(context.Background(), "test"), exec.Command("sh", "-c", tc.script))
		if res.GetBail() != tc.bail || res.GetError() != tc.wantError {
			t.Errorf("%s: got bail=%v error=%q, want bail=%v error=%q", tc.script, res.GetBail(), res.GetError(), tc.bail, tc.wantError)
		}
	}
}

func TestPackageFromPluginJSON(t *testing.T) {
	server := "github://api.github.com/pulumi-hwddm/pulumi-hwddm"
	got := PackageFromPluginJSON(&plugin.PulumiPluginJSON{Resource: true, Name: "hwddm", Version: "0.1.0", Server: server}, "x", "9.9.9")
	if got.GetName() != "hwddm" || got.GetVersion() != "v0.1.0" || got.GetServer() != server || got.GetKind() != "resource" {
		t.Errorf("from a full file: %v", got)
	}
	got = PackageFromPluginJSON(&plugin.PulumiPluginJSON{Resource: true}, "aws", "v6.1.0")
	if got.GetName() != "aws" || got.GetVersion() != "v6.1.0" || got.GetServer() != "" {
		t.Errorf("name and version from the dependency: %v", got)
	}
	if got := PackageFromPluginJSON(&plugin.PulumiPluginJSON{Resource: false, Name: "x", Version: "1.0.0"}, "", ""); got != nil {
		t.Errorf("resource: false gives no package, got %v", got)
	}
	if got := PackageFromPluginJSON(nil, "x", "1.0.0"); got != nil {
		t.Errorf("no file gives no package, got %v", got)
	}
}
