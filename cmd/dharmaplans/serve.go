package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/dharmaplans/dharmaplans/internal/app"
	"github.com/dharmaplans/dharmaplans/internal/config"
)

const serveSummary = `Usage: dharmaplans serve [options]

Starts the API server: /v1 (JSON API), /docs (interactive API docs), /healthz, /readyz, /metrics.
On SIGTERM or Ctrl-C it stops accepting connections, lets in-flight requests and jobs finish
(up to --shutdown-timeout), and exits 0.`

func serve(ctx context.Context, stop func(), args, environ []string, stdout, stderr io.Writer) error {
	cfg, rest, err := config.Load("serve", serveSummary, config.Database|config.Server, args, environ, stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", rest)
	}
	m := app.NewMain(cfg, newLogger(cfg, stderr), Version())
	m.ExtraRoutes = extraRoutes
	if err := m.Run(ctx); err != nil {
		closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = m.Close(closeCtx)
		return err
	}
	<-ctx.Done()
	stop()
	m.Logger.Info("shutting down", "grace", cfg.ShutdownTimeout.String())
	closeCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := m.Close(closeCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	m.Logger.Info("stopped")
	return nil
}
