// Command pulumi-language-go is this repository's Go language host for the engine suite
// (Pulumi's own is published only at untagged pseudo-versions, which the Go module proxy
// reachable here refuses; see cmd/pulumi-language-nodejs). It runs a program the way Pulumi's
// host does, `go build` of the program's directory, then the binary with the Go SDK's
// environment (PULUMI_MONITOR, PULUMI_CONFIG, ...), and it generates Go SDKs with Pulumi's code
// generator. It leaves out prebuilt binaries (`runtime.options.binary`), dependency
// installation and debugging.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/mod/modfile"

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
	return langhost.RunProgram(ctx, h.Base, cmd), nil
}

// module is what `go list -m -json` / `go mod download -json` tell of a dependency.
type module struct {
	Path, Version, Dir string
}

// goJSON runs `go <args>` in dir (no workspace: only the program's own module) and decodes the
// stream of JSON objects it prints.
func goJSON(ctx context.Context, gobin, dir string, args ...string) ([]module, error) {
	cmd := exec.CommandContext(ctx, gobin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %w", strings.Join(args[:2], " "), err)
	}
	var mods []module
	for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
		var m module
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		mods = append(mods, m)
	}
	return mods, nil
}

// GetRequiredPackages reports the program's required modules that carry a pulumi-plugin.json
// with `resource: true`, looked for where Pulumi's Go host looks: the module's folder, its go/
// folder, and their subfolders (a generated SDK has it in its package folder). Modules not in the
// module cache are downloaded first (`go mod download`), as Pulumi's host does. A program that is
// not a Go module requires nothing, as there.
func (h *goHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("couldn't find go binary: %w", err)
	}
	dir := req.GetInfo().GetProgramDirectory()
	which := exec.CommandContext(ctx, gobin, "env", "GOMOD")
	which.Dir, which.Env = dir, append(os.Environ(), "GOWORK=off")
	gomod, err := which.Output()
	if err != nil || len(bytes.TrimSpace(gomod)) == 0 || string(bytes.TrimSpace(gomod)) == os.DevNull {
		return &pulumirpc.GetRequiredPackagesResponse{}, nil
	}
	body, err := os.ReadFile(string(bytes.TrimSpace(gomod)))
	if err != nil {
		return nil, err
	}
	parsed, err := modfile.Parse("go.mod", body, nil)
	if err != nil {
		return nil, fmt.Errorf("parse go.mod: %w", err)
	}
	paths := []string{}
	for _, r := range parsed.Require {
		paths = append(paths, r.Mod.Path)
	}
	if len(paths) == 0 {
		return &pulumirpc.GetRequiredPackagesResponse{}, nil
	}
	mods, err := goJSON(ctx, gobin, dir, append([]string{"list", "-m", "-json"}, paths...)...)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, m := range mods {
		if m.Dir == "" {
			missing = append(missing, m.Path)
		}
	}
	if len(missing) > 0 {
		downloaded, err := goJSON(ctx, gobin, dir, append([]string{"mod", "download", "-json"}, missing...)...)
		if err != nil {
			return nil, err
		}
		byPath := map[string]string{}
		for _, d := range downloaded {
			byPath[d.Path] = d.Dir
		}
		for i := range mods {
			if mods[i].Dir == "" {
				mods[i].Dir = byPath[mods[i].Path]
			}
		}
	}
	packages := []*pulumirpc.PackageDependency{}
	for _, m := range mods {
		if m.Dir == "" {
			continue
		}
		p, err := pluginJSONOf(m.Dir)
		if err != nil {
			return nil, fmt.Errorf("failed to load pulumi-plugin.json of %s: %w", m.Path, err)
		}
		if pkg := langhost.PackageFromPluginJSON(p, "", m.Version); pkg != nil {
			packages = append(packages, pkg)
		}
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

// pluginJSONOf is the first pulumi-plugin.json of dir, dir/go, dir/go/*, dir/* (nil if none).
func pluginJSONOf(dir string) (*plugin.PulumiPluginJSON, error) {
	paths := []string{filepath.Join(dir, "pulumi-plugin.json"), filepath.Join(dir, "go", "pulumi-plugin.json")}
	for _, pattern := range []string{filepath.Join(dir, "go", "*", "pulumi-plugin.json"), filepath.Join(dir, "*", "pulumi-plugin.json")} {
		found, _ := filepath.Glob(pattern)
		paths = append(paths, found...)
	}
	for _, path := range paths {
		p, err := plugin.LoadPulumiPluginJSON(path)
		if os.IsNotExist(err) {
			continue
		}
		return p, err
	}
	return nil, nil
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
