// Package langhost is what this repository's language hosts share (see
// cmd/pulumi-language-nodejs for why they exist): the command line and gRPC serving every
// Pulumi language plugin has, the calls whose answers do not depend on the language, the
// environment a program gets its stack config from, and SDK generation through Pulumi's own
// code generators.
package langhost

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// ExitUserActionable is the exit code the Node.js, Python and Go SDKs use after they have already
// shown the user an actionable message (Go: constant.ExitStatusLoggedError): the engine should
// stop without adding its own.
const ExitUserActionable = 32

// Base answers the LanguageRuntime calls that are the same for every language.
type Base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	Version   string
	CancelCtx context.Context

	mu            sync.Mutex
	engineAddress string
	// runs is cancelled by the engine's Cancel: every program RunProgram started is stopped.
	runs       context.Context
	cancelRuns context.CancelFunc
}

// EngineAddress is the engine's address, from the command line or Handshake.
func (b *Base) EngineAddress() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.engineAddress
}

func (b *Base) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if req.GetEngineAddress() != "" && b.engineAddress == "" {
		b.engineAddress = req.GetEngineAddress()
		if err := rpcutil.Healthcheck(b.CancelCtx, b.engineAddress, 5*time.Minute, func() {}); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (b *Base) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: b.Version}, nil
}

// PackageFromPluginJSON is the package a dependency stands for, read as Pulumi's hosts read a
// `pulumi-plugin.json` (or package.json's `pulumi` key): nil when `resource` is false; the name
// and version, when the file has none, are the dependency's own; the version gets its `v`.
func PackageFromPluginJSON(p *plugin.PulumiPluginJSON, name, version string) *pulumirpc.PackageDependency {
	if p == nil || !p.Resource {
		return nil
	}
	if p.Name != "" {
		name = p.Name
	}
	if p.Version != "" {
		version = p.Version
	}
	if name == "" || version == "" {
		return nil
	}
	if !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	return &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: version, Server: p.Server}
}

// GetRequiredPlugins is the deprecated form of GetRequiredPackages; Pulumi's hosts no longer
// implement it either.
//
//nolint:staticcheck // the deprecated call, refused as Pulumi's hosts refuse it
func (b *Base) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return nil, status.Errorf(codes.Unimplemented, "method GetRequiredPlugins not implemented")
}

// Cancel stops the running program, as Pulumi's hosts do (SIGINT, then killed after 5 s).
func (b *Base) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	b.cancelRuns()
	return &emptypb.Empty{}, nil
}

// NewBase is the shared part of a host whose programs stop when ctx ends or the engine cancels.
func NewBase(ctx context.Context, version string) *Base {
	b := &Base{Version: version, CancelCtx: ctx}
	b.runs, b.cancelRuns = context.WithCancel(ctx)
	return b
}

// Main is a language plugin's main: `-version`, the engine address as the one argument, a
// health check on it, then serve `newServer(base)` on a free port and print the port.
func Main(name, version string, newServer func(base *Base) pulumirpc.LanguageRuntimeServer) {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.String("tracing", "", "ignored: tracing endpoint")
	flag.String("runtime", "", "ignored")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	fail := func(err error) {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancel := make(chan bool)
	go func() { <-ctx.Done(); close(cancel) }()

	base := NewBase(ctx, version)
	if args := flag.Args(); len(args) > 0 {
		base.engineAddress = args[0]
		if err := rpcutil.Healthcheck(ctx, base.engineAddress, 5*time.Minute, stop); err != nil {
			fail(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	server := newServer(base)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, server)
			return nil
		},
	})
	if err != nil {
		fail(fmt.Errorf("could not start the language host: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(fmt.Errorf("language host stopped serving: %w", err))
	}
}

// ConfigEnv is the stack config for the program's environment: PULUMI_CONFIG (keys mapped by
// `key`) and PULUMI_CONFIG_SECRET_KEYS.
func ConfigEnv(req *pulumirpc.RunRequest, key func(string) (string, error)) ([]string, error) {
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		mapped, err := key(k)
		if err != nil {
			return nil, err
		}
		cfg[mapped] = v
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS=" + string(secretJSON)}, nil
}

// RunProgram runs a program's process to its end: stopped (SIGINT, then killed after 5 s) when
// the engine cancels or the Run call ends. Exit code 32 (ExitUserActionable) means the program
// has already reported its error (the Node.js, Python and Go SDKs all use it): the engine is told
// to stop without a second message.
func RunProgram(ctx context.Context, b *Base, cmd *exec.Cmd) *pulumirpc.RunResponse {
	runCtx, cancel := context.WithCancel(b.runs)
	defer cancel()
	stopAfter := context.AfterFunc(ctx, cancel)
	defer stopAfter()
	done := make(chan struct{})
	defer close(done)
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run %s): %v", cmd.Path, err)}
	}
	go func() {
		select {
		case <-runCtx.Done():
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
			}
		case <-done:
		}
	}()
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == ExitUserActionable {
				return &pulumirpc.RunResponse{Bail: true}
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program: %v", err)}
	}
	return &pulumirpc.RunResponse{}
}

// Generator writes a language's SDK files for a bound schema.
type Generator func(pkg *schema.Package, loader schema.ReferenceLoader, req *pulumirpc.GeneratePackageRequest) (
	map[string][]byte, error)

// GeneratePackage binds the request's schema and writes what `generate` makes of it into the
// request's directory (`pulumi package gen-sdk`).
func GeneratePackage(req *pulumirpc.GeneratePackageRequest, generate Generator) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, err
	}
	cached := schema.NewCachedLoader(loader)
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
	}
	files, err := generate(pkg, cached, req)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		path := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
}
