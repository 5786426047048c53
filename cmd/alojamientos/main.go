// Command alojamientos is the server and its administration commands:
// configuration is read and validated here, once, and the program is
// assembled by internal/app (app.Build), the one composition root.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // stays are dated in the property's timezone, on any host

	"alojamientos/internal/platform"
)

const usage = `alojamientos <command> [flags]

commands:
  serve                     run the HTTP server and the job workers
  migrate                   apply database migrations (ours and River's)
  seed --demo               create a demo account with 5 properties, one in USD (once) and print its login
  user create --email E --password P [--name N] [--account A] [--role owner|staff]
  properties --json         list properties with their export feed URL
  feeds add --property SLUG --channel airbnb|booking|vrbo|other --url URL [--interval MIN]
  feeds sync [--property SLUG]   sync channel calendars now and print what changed
  whatsapp assign --account A --phone-number-id N   give an account a WhatsApp number (installation admin)
  whatsapp list             which account holds which WhatsApp number
  rates set CURRENCY RATE [--account A]   store a manual exchange rate to pesos (rates set USD 1185,50)
  rates show [--account A]  today's exchange rate per currency, its age and whether it is stale
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cfg, err := platform.LoadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "configuration error:\n%v\n", err)
		return 2
	}
	log := platform.NewLogger(stderr, cfg.LogLevel)
	var cmdErr error
	switch args[0] {
	case "serve":
		cmdErr = serve(ctx, cfg, log, platform.SystemClock{})
	case "migrate":
		cmdErr = migrate(ctx, cfg, log)
	case "seed":
		cmdErr = seed(ctx, cfg, log, args[1:], stdout)
	case "user":
		cmdErr = user(ctx, cfg, log, args[1:], stdout)
	case "properties":
		cmdErr = properties(ctx, cfg, log, args[1:], stdout)
	case "feeds":
		cmdErr = feeds(ctx, cfg, log, args[1:], stdout)
	case "whatsapp":
		cmdErr = whatsappCmd(ctx, cfg, log, args[1:], stdout)
	case "rates":
		cmdErr = ratesCmd(ctx, cfg, log, args[1:], stdout)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if cmdErr != nil {
		fmt.Fprintf(stderr, "alojamientos %s: %v\n", args[0], cmdErr)
		return 1
	}
	return 0
}
