// Command pulumi-language-python is this repository's Python language host for the engine suite
// (Pulumi's own is published only at untagged pseudo-versions, which the Go module proxy
// reachable here refuses; see cmd/pulumi-language-nodejs). It runs a program the way Pulumi's
// host does: the project's virtual environment's python (`runtime.options.virtualenv`, else
// python3 on PATH) on Pulumi's own exec shim, `pulumi-language-python-exec` (installed beside
// this host from the sdk/v3 module), with the same arguments and environment; and it generates
// Python SDKs with Pulumi's code generator. It leaves out installing dependencies, poetry and uv
// toolchains, type checkers, policy packs and debugging.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-hwddm/tools/pulumi/internal/langhost"
)

var version = "3.0.0-dev"

func main() {
	langhost.Main("pulumi-language-python", version, func(base *langhost.Base) pulumirpc.LanguageRuntimeServer {
		return &pythonHost{Base: base}
	})
}

type pythonHost struct {
	*langhost.Base
}

// python is the interpreter for a project: its virtualenv's, else python3 (or PULUMI_PYTHON_CMD).
func python(info *pulumirpc.ProgramInfo) (bin string, env []string, err error) {
	opts := map[string]any{}
	if info.GetOptions() != nil {
		opts = info.GetOptions().AsMap()
	}
	if venv, ok := opts["virtualenv"].(string); ok && venv != "" {
		if !filepath.IsAbs(venv) {
			venv = filepath.Join(info.GetRootDirectory(), venv)
		}
		bin = filepath.Join(venv, "bin", "python")
		if _, err := os.Stat(bin); err != nil {
			return "", nil, fmt.Errorf("the virtual environment %s has no python: create it and install the requirements", venv)
		}
		return bin, []string{"VIRTUAL_ENV=" + venv, "PATH=" + filepath.Join(venv, "bin") + string(os.PathListSeparator) + os.Getenv("PATH")}, nil
	}
	name := os.Getenv("PULUMI_PYTHON_CMD")
	if name == "" {
		name = "python3"
	}
	bin, err = exec.LookPath(name)
	if err != nil {
		return "", nil, fmt.Errorf("could not find %s on the $PATH: %w", name, err)
	}
	return bin, nil, nil
}

func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	bin, venvEnv, err := python(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	shim := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")

	args := []string{"-u", shim}
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.EngineAddress())
	flagArg("project", req.GetProject())
	flagArg("root_directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", req.GetPwd())
	flagArg("dry_run", strconv.FormatBool(req.GetDryRun()))
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	flagArg("organization", req.GetOrganization())
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cfgEnv, err := langhost.ConfigEnv(req, func(key string) (string, error) { return key, nil })
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = append(append(os.Environ(), venvEnv...), cfgEnv...)
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	return langhost.RunProgram(ctx, h.Base, cmd), nil
}

// pluginJSONScript lists the installed distributions, each with the pulumi-plugin.json of its
// package folder (the distribution's name with - as _), found as Pulumi's Python host finds it.
const pluginJSONScript = `import importlib.metadata, importlib.util, json, os
out = []
for dist in importlib.metadata.distributions():
    name = dist.metadata['Name']
    try:
        spec = importlib.util.find_spec(name.replace('-', '_'))
    except Exception:
        spec = None
    locs = list(spec.submodule_search_locations or []) if spec else []
    found = [p for l in locs for p in [os.path.join(str(l), 'pulumi-plugin.json')] if os.path.isfile(p)]
    out.append({'name': name, 'version': dist.version, 'plugin': found[0] if found else ''})
print(json.dumps(out))`

// GetRequiredPackages reports the packages installed in the program's Python environment that
// carry a pulumi-plugin.json with `resource: true` (Pulumi's host also guesses a plugin for a
// `pulumi-*` distribution without one; generated SDKs all have the file).
func (h *pythonHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	bin, venvEnv, err := python(req.GetInfo())
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, "-c", pluginJSONScript)
	cmd.Env = append(os.Environ(), venvEnv...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing the packages of %s: %w", bin, err)
	}
	var dists []struct{ Name, Version, Plugin string }
	if err := json.Unmarshal(out, &dists); err != nil {
		return nil, fmt.Errorf("listing the packages of %s: %w", bin, err)
	}
	packages := []*pulumirpc.PackageDependency{}
	for _, d := range dists {
		if d.Plugin == "" {
			continue
		}
		p, err := plugin.LoadPulumiPluginJSON(d.Plugin)
		if err != nil {
			return nil, fmt.Errorf("failed to parse pulumi-plugin.json for %s: %w", d.Name, err)
		}
		if pkg := langhost.PackageFromPluginJSON(p, strings.TrimPrefix(d.Name, "pulumi-"), d.Version); pkg != nil {
			packages = append(packages, pkg)
		}
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

func (h *pythonHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	bin, _, err := python(req.GetInfo())
	if err != nil {
		return nil, err
	}
	out, _ := exec.CommandContext(ctx, bin, "--version").Output()
	return &pulumirpc.AboutResponse{Executable: bin, Version: string(out)}, nil
}

// GeneratePackage writes a Python SDK for a schema (`pulumi package gen-sdk --language python`)
// with Pulumi's own Python code generator.
func (h *pythonHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(
		pkg *schema.Package, loader schema.ReferenceLoader, req *pulumirpc.GeneratePackageRequest,
	) (map[string][]byte, error) {
		return codegen.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), loader)
	})
}
