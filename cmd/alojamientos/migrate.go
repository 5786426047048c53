package main

import (
	"context"
	"log/slog"

	"alojamientos/db"
	"alojamientos/internal/app"
	"alojamientos/internal/platform"
)

func migrate(ctx context.Context, cfg platform.Config, log *slog.Logger) error {
	pool, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := db.Migrate(ctx, pool, log); err != nil {
		return err
	}
	log.Info("database is up to date")
	return nil
}
