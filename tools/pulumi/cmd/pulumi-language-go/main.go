// Command pulumi-language-go is this repository's Go language host for the engine suite
// (Pulumi's own is published only at untagged pseudo-versions, which the Go module proxy
// reachable here refuses; see cmd/pulumi-language-nodejs). It runs a program the way Pulumi's
// host does, `go build` of the program's directory, then the binary with the Go SDK's
// environment (PULUMI_MONITOR, PULUMI_CONFIG, ...), and it generates Go SDKs with Pulumi's code
// generator. It leaves out prebuilt binaries (`runtime.options.binary`), dependency
// installation and debugging.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-hwddm/tools/pulumi/internal/langhost"
)

var version = "3.0.0-dev"

func main() {
	langhost.Main("pulumi-language-go", version, func(base *langhost.Base) pulumirpc.LanguageRuntimeServer {
		return &goHost{Base: base}
	})
}

type goHost struct {
	*langhost.Base
}

func (h *goHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	gobin, err := exec.LookPath("go")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find go on the $PATH: " + err.Error()}, nil
	}
	tmp, err := os.MkdirTemp("", "pulumi-go-program-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	program := filepath.Join(tmp, "program")
	build := exec.CommandContext(ctx, gobin, "build", "-buildvcs=false", "-o", program, ".")
	build.Dir = info.GetProgramDirectory()
	build.Stdout, build.Stderr = struct{ io.Writer }{os.Stderr}, struct{ io.Writer }{os.Stderr}
	if err := build.Run(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("unable to build the Go program in %s: %v", build.Dir, err)}, nil
	}

	cfgEnv, err := langhost.ConfigEnv(req, func(key string) (string, error) { return key, nil })
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env := append(os.Environ(), cfgEnv...)
	set := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	set(pulumi.EnvOrganization, req.GetOrganization())
	set(pulumi.EnvProject, req.GetProject())
	set(pulumi.EnvPulumiRootDirectory, info.GetRootDirectory())
	set(pulumi.EnvStack, req.GetStack())
	set(pulumi.EnvDryRun, strconv.FormatBool(req.GetDryRun()))
	set(pulumi.EnvParallel, strconv.Itoa(int(req.GetParallel())))
	set(pulumi.EnvMonitor, req.GetMonitorAddress())
	set(pulumi.EnvEngine, h.EngineAddress())

	cmd := exec.Command(program, req.GetArgs()...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	return langhost.RunProgram(ctx, h.Base, cmd, 0), nil
}

func (h *goHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, err
	}
	out, _ := exec.CommandContext(ctx, gobin, "env", "GOVERSION").Output()
	return &pulumirpc.AboutResponse{Executable: gobin, Version: string(out)}, nil
}

// GeneratePackage writes a Go SDK for a schema (`pulumi package gen-sdk --language go`) with
// Pulumi's own Go code generator.
func (h *goHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(
		pkg *schema.Package, _ schema.ReferenceLoader, req *pulumirpc.GeneratePackageRequest,
	) (map[string][]byte, error) {
		return codegen.GeneratePackage("pulumi-language-go", pkg, req.GetLocalDependencies())
	})
}
