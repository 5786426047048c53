package webtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium, which `make test` installs.
const ChromiumPath = "/usr/bin/chromium"

// Browser starts a headless chromium for the test and returns a chromedp
// context bound to one tab with the given viewport. It fails (never skips)
// when chromium is missing: browser tests are part of every run.
func Browser(t testing.TB, width, height int) context.Context {
	t.Helper()
	path := ChromiumPath
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		path = p
	}
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("webtest: chromium not found at %s (run `bash scripts/services.sh --chromium` or `make test`)", path)
	}
	// The flags keep chromium off the network beyond loopback: this machine
	// refuses other connections and chromium would otherwise keep trying.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelCtx := chromedp.NewContext(actx)
	// The first call starts the browser and must have no deadline (it would
	// bound the browser's life); the test's steps get one, so a hung page
	// fails instead of blocking CI.
	if err := chromedp.Do(bctx); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("webtest: start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(bctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// Screenshot saves a full-page PNG of the current page under the system temp
// folder (alojamientos-screenshots/<test>/<name>.png) and returns its path,
// so people can look at what the test saw.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("webtest: screenshot %s: %v", name, err)
	}
	dir := filepath.Join(os.TempDir(), "alojamientos-screenshots", unsafeName.ReplaceAllString(t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, unsafeName.ReplaceAllString(name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// HTMXIdle waits until htmx has no request in flight and nothing swapping or
// settling, and the document has loaded: an action on an element that a swap
// is about to replace fails ("could not find node") or is lost on a loaded
// machine, so browser tests wait for this before acting after a swap.
func HTMXIdle() chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`document.readyState === 'complete' &&
		!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')`)
}
