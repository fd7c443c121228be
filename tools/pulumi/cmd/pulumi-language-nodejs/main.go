// Command pulumi-language-nodejs is this repository's Node.js language host for the Pulumi
// engine. Pulumi's own host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// is published only at untagged pseudo-versions, which the Go module proxy reachable from these
// machines refuses; the CLI (pkg/v3) and the SDK's Go packages (sdk/v3) are served at tagged
// releases. So the engine suite builds this host instead: it speaks the same LanguageRuntime
// protocol and runs a program the way Pulumi's host does (node, `@pulumi/pulumi/cmd/run` from the
// program's own node_modules, the same arguments and environment), and it runs Node.js plugins
// (`PulumiPlugin.yaml`, `runtime: nodejs`) through `@pulumi/pulumi/cmd/run-plugin`. It leaves out
// what the engine suite never needs (debugger attachment, bun, policy packs, program conversion).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/google/shlex"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"pulumi-hwddm/tools/pulumi/internal/langhost"
)

// version is stamped by the install script (-ldflags -X main.version=...).
var version = "3.0.0-dev"

func main() {
	langhost.Main("pulumi-language-nodejs", version, func(base *langhost.Base) pulumirpc.LanguageRuntimeServer {
		return &nodeHost{Base: base}
	})
}

type nodeHost struct {
	*langhost.Base
}

// options are the `runtime.options` of a nodejs project, with Pulumi's defaults.
type options struct {
	typescript     bool
	tsconfig       string
	nodeargs       []string
	packageManager npm.PackageManagerType
	production     bool
}

func parseOptions(info *pulumirpc.ProgramInfo) (options, error) {
	o := options{typescript: true, packageManager: npm.AutoPackageManager}
	raw := map[string]any{}
	if info != nil && info.GetOptions() != nil {
		raw = info.GetOptions().AsMap()
	}
	for key, value := range raw {
		var ok bool
		switch key {
		case "typescript":
			o.typescript, ok = value.(bool)
		case "production":
			o.production, ok = value.(bool)
		case "tsconfig":
			o.tsconfig, ok = value.(string)
		case "nodeargs":
			var s string
			if s, ok = value.(string); ok {
				args, err := shlex.Split(s)
				if err != nil {
					return o, fmt.Errorf("runtime option nodeargs: %w", err)
				}
				o.nodeargs = args
			}
		case "packagemanager":
			var s string
			if s, ok = value.(string); ok {
				switch s {
				case "auto", "npm", "yarn", "pnpm", "bun":
					o.packageManager = npm.PackageManagerType(s)
				default:
					return o, fmt.Errorf("runtime option packagemanager must be one of auto, npm, yarn, pnpm or bun, got %q", s)
				}
			}
		default:
			ok = true // options of Pulumi's host this one has no use for
		}
		if !ok {
			return o, fmt.Errorf("runtime option %s has the wrong type (%T)", key, value)
		}
	}
	return o, nil
}

func (o options) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolve finds a module the way the program itself would: require.resolve from its directory.
func resolve(ctx context.Context, module, dir, hint string) (string, error) {
	script := fmt.Sprintf("try { console.log(require.resolve(%q)) } catch (e) { "+
		"console.error(e.code === 'MODULE_NOT_FOUND' ? %q : e.message); process.exit(1) }",
		module, "It looks like the Pulumi SDK has not been installed. Have you run "+hint+"?")
	cmd := exec.CommandContext(ctx, "node", "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", errors.New(strings.TrimSpace(string(exit.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	opts, err := parseOptions(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if _, err := exec.LookPath("node"); err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	runPath, err := resolve(ctx, "@pulumi/pulumi/cmd/run", info.GetProgramDirectory(), "pulumi install")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.EngineAddress())
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	// @pulumi/pulumi reads config keys in the `<namespace>:config:<name>` form.
	cfgEnv, err := langhost.ConfigEnv(req, func(key string) (string, error) {
		parsed, err := config.ParseKey(key)
		if err != nil {
			return "", err
		}
		return parsed.Namespace() + ":config:" + parsed.Name(), nil
	})
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	cmd := exec.Command("node", args...)
	cmd.Env = append(append(os.Environ(), cfgEnv...), opts.env()...)
	// Node may switch its stdio to non-blocking mode; never hand it this process's own files.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	return langhost.RunProgram(ctx, h.Base, cmd), nil
}

// GetRequiredPackages reports the packages the program's dependencies provide, as Pulumi's
// Node.js host finds them: every package.json under a node_modules folder of the program's
// directory (symlinks followed, each folder once) whose `pulumi` key says `resource: true`. The
// engine installs each reported plugin (from its `server`) before the program runs.
func (h *nodeHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	packages := packagesIn(req.GetInfo().GetProgramDirectory(), false, map[string]bool{})
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

// packageJSON is what a dependency's package.json says about its plugin.
type packageJSON struct {
	Name    string                  `json:"name"`
	Version string                  `json:"version"`
	Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
}

// packagesIn walks dir; unreadable folders and files are skipped, as Pulumi's host only logs them.
func packagesIn(dir string, inNodeModules bool, visited map[string]bool) []*pulumirpc.PackageDependency {
	dir, err := filepath.Abs(dir)
	if err != nil || visited[dir] {
		return nil
	}
	visited[dir] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var packages []*pulumirpc.PackageDependency
	for _, entry := range entries {
		path := filepath.Join(dir, entry.Name())
		isDir := entry.IsDir()
		if entry.Type()&fs.ModeSymlink != 0 {
			if path, err = filepath.EvalSymlinks(path); err != nil {
				continue
			}
			fi, err := os.Stat(path)
			if err != nil {
				continue
			}
			isDir = fi.IsDir()
		}
		switch {
		case isDir:
			packages = append(packages, packagesIn(path, inNodeModules || filepath.Base(dir) == "node_modules", visited)...)
		case inNodeModules && entry.Name() == "package.json":
			body, err := os.ReadFile(path)
			if err != nil {
				continue
			}
			var info packageJSON
			if json.Unmarshal(body, &info) != nil {
				continue
			}
			name := info.Pulumi.Name
			if name == "" && strings.HasPrefix(info.Name, "@pulumi/") {
				name = strings.TrimPrefix(info.Name, "@pulumi/")
			}
			if pkg := langhost.PackageFromPluginJSON(&info.Pulumi, name, info.Version); pkg != nil {
				packages = append(packages, pkg)
			}
		}
	}
	return packages
}

// RunPlugin runs a Node.js plugin folder (PulumiPlugin.yaml with `runtime: nodejs`).
func (h *nodeHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	ctx := server.Context()
	if req.GetKind() == "analyzer" {
		return status.Error(codes.Unimplemented, "policy packs are not supported by this language host")
	}
	info := req.GetInfo()
	opts, err := parseOptions(info)
	if err != nil {
		return err
	}
	runPath, err := resolve(ctx, "@pulumi/pulumi/cmd/run-plugin", info.GetProgramDirectory(),
		"npm install in "+info.GetProgramDirectory())
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	args := append([]string{runPath}, opts.nodeargs...)
	args = append(args, info.GetProgramDirectory())
	args = append(args, req.GetArgs()...)
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(append([]string{}, req.GetEnv()...), opts.env()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exit.ExitCode())
		}
		return fmt.Errorf("Problem executing plugin program (could not run node): %w", err)
	}
	return closer.Close()
}

func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	opts, err := parseOptions(req.GetInfo())
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory() //nolint:staticcheck // older engines
	}
	if _, err := npm.Install(server.Context(), opts.packageManager, dir, opts.production, stdout, stderr); err != nil {
		return fmt.Errorf("installing dependencies in %s: %w", dir, err)
	}
	return closer.Close()
}

func (h *nodeHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, _ := exec.CommandContext(ctx, node, "--version").Output()
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

func (h *nodeHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	opts, err := parseOptions(req.GetInfo())
	if err != nil {
		return nil, err
	}
	dir := req.GetInfo().GetProgramDirectory()
	manager, err := npm.ResolvePackageManager(opts.packageManager, dir)
	if err != nil {
		return nil, err
	}
	packages, err := manager.ListPackages(ctx, dir, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(packages))
	for _, p := range packages {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// GeneratePackage writes a TypeScript SDK for a schema (`pulumi package gen-sdk --language
// nodejs`) with Pulumi's own Node.js code generator.
func (h *nodeHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(
		pkg *schema.Package, loader schema.ReferenceLoader, req *pulumirpc.GeneratePackageRequest,
	) (map[string][]byte, error) {
		return codegen.GeneratePackage("pulumi-language-nodejs", pkg, req.GetExtraFiles(),
			req.GetLocalDependencies(), req.GetLocal(), loader)
	})
}
