// Package app is the server's wiring: it opens the database, cache, job
// queue and mail, builds the feature services and the HTTP API, and serves
// it. The dharmaplans command and the end-to-end tests start the same Main.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/riverqueue/river"

	"github.com/dharmaplans/dharmaplans/internal/analytics"
	"github.com/dharmaplans/dharmaplans/internal/audit"
	"github.com/dharmaplans/dharmaplans/internal/blob"
	"github.com/dharmaplans/dharmaplans/internal/cache"
	"github.com/dharmaplans/dharmaplans/internal/catalog"
	"github.com/dharmaplans/dharmaplans/internal/config"
	"github.com/dharmaplans/dharmaplans/internal/errs"
	"github.com/dharmaplans/dharmaplans/internal/httpapi"
	"github.com/dharmaplans/dharmaplans/internal/identity"
	"github.com/dharmaplans/dharmaplans/internal/jobs"
	"github.com/dharmaplans/dharmaplans/internal/media"
	"github.com/dharmaplans/dharmaplans/internal/practice"
	"github.com/dharmaplans/dharmaplans/internal/pubsub"
	"github.com/dharmaplans/dharmaplans/internal/ratelimit"
	"github.com/dharmaplans/dharmaplans/internal/recommend"
	"github.com/dharmaplans/dharmaplans/internal/redisclient"
	"github.com/dharmaplans/dharmaplans/internal/settings"
	"github.com/dharmaplans/dharmaplans/internal/store"
	"github.com/dharmaplans/dharmaplans/internal/store/postgres"
	"github.com/dharmaplans/dharmaplans/internal/store/sqlite"
	"github.com/dharmaplans/dharmaplans/web"
)

// Main is the server's wiring: it opens the database, cache and job queue,
// builds the HTTP API and serves it. Tests start the same wiring the binary
// uses.
type Main struct {
	Config *config.Config
	Logger *slog.Logger
	// Version is reported by the API and in logs.
	Version string
	// ExtraRoutes lets builds for end-to-end tests add routes.
	ExtraRoutes []func(api huma.API)
	// Limits overrides identity's abuse limits (tests); nil: the defaults.
	Limits *identity.Limits
	// StateTTL overrides how long a replica trusts cached session state
	// (tests); zero: the default.
	StateTTL time.Duration
	// Notice receives what the operator must see even with logs off, such
	// as the one-time link to create the first admin; nil: os.Stderr.
	Notice io.Writer
	// Now is the clock; nil: time.Now.
	Now func() time.Time

	identity  *identity.Service
	audit     *audit.Service
	catalog   *catalog.Service
	practice  *practice.Service
	recommend *recommend.Service
	settings  *settings.Service
	media     *media.Service
	blobs     blob.Store
	limiter   ratelimit.Limiter
	stopKeys  context.CancelFunc

	db       *store.DB
	pg       *postgres.DB
	cache    cache.Cache
	broker   practice.Broker
	queue    *jobs.Queue
	server   *http.Server
	listener net.Listener
	served   chan error

	// settingsBroker tells the other replicas the settings changed.
	settingsBroker pubsub.Broker
}

// NewMain returns an unstarted Main.
func NewMain(cfg *config.Config, logger *slog.Logger, version string) *Main {
	return &Main{Config: cfg, Logger: logger, Version: version}
}

// Run opens every dependency, migrates unless told not to, starts the job
// queue and begins serving. It returns once the server listens.
func (m *Main) Run(ctx context.Context) error {
	cfg := m.Config
	start := time.Now()
	db, err := OpenDB(ctx, cfg, m.Logger)
	if err != nil {
		return err
	}
	m.db = db.DB
	m.pg = db.pg
	if cfg.Migrate {
		if err := MigrateUp(ctx, db, m.Logger); err != nil {
			return err
		}
	}
	if err := m.openCache(); err != nil {
		return err
	}
	if m.blobs, err = openBlobs(ctx, cfg); err != nil {
		return err
	}

	m.listener, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("DHARMAPLANS_ADDR: cannot listen on %s: %v", cfg.Addr, err)
	}
	// Links in emails name the port actually bound, which matters when the
	// configured one is 0. (The token issuer keeps the configured address,
	// which replicas share.)
	links := cfg.BaseURL
	if links == "" {
		links = "http://" + displayAddr(m.listener.Addr())
	}

	st := store.New(m.db)
	m.audit = audit.NewService(audit.Deps{Store: st, Now: m.Now, Logger: m.Logger})
	if m.settings, err = m.newSettings(ctx, st, links); err != nil {
		return err
	}
	ids, err := m.newIdentity(ctx, st, links)
	if err != nil {
		return err
	}
	m.identity = ids
	m.catalog = catalog.NewService(catalog.Deps{Store: st, Cache: m.cache, Audit: m.audit, Now: m.Now, Logger: m.Logger})
	ids.AddExportSection(identity.ExportSection{Name: "catalog", Data: m.catalog.PersonalData})
	broker, err := m.openBroker()
	if err != nil {
		return err
	}
	m.practice = practice.NewService(practice.Deps{Store: st, Catalog: m.catalog, Broker: broker, Site: practiceSite{m.settings}, Now: m.Now, Logger: m.Logger})
	m.catalog.SetReader(m.practice)
	ids.AddExportSection(identity.ExportSection{Name: "practice", Data: m.practice.PersonalData})
	m.recommend = recommend.NewService(recommend.Deps{Store: st, Now: m.Now, Logger: m.Logger})
	m.media = media.NewService(media.Deps{Store: st, Blobs: m.blobs, Limits: mediaLimits(cfg), BaseURL: links,
		CDNBaseURL: cfg.MediaCDNURL, Now: m.Now, Logger: m.Logger})
	m.catalog.SetMedia(m.media)
	ids.AddExportSection(identity.ExportSection{Name: "media", Data: m.media.PersonalData})
	ids.AddExportSection(identity.ExportSection{Name: "audit", Data: m.audit.PersonalData})
	if cfg.Demo {
		if err := LoadDemo(ctx, m.catalog, st, m.Logger, true); err != nil {
			return err
		}
	}
	workers := river.NewWorkers()
	ids.AddWorkers(workers)
	m.media.AddWorkers(workers)
	jobCfg := jobs.Config{
		Logger:  m.Logger,
		Workers: workers,
		Periodic: []jobs.Periodic{
			{Name: "prune_expired_sessions", Every: time.Hour, RunOnStart: true, Run: ids.PruneExpiredSessions},
			{Name: "prune_live_update_events", Every: time.Hour, RunOnStart: true, Run: m.practice.PruneEvents},
			{Name: "refresh_recommendations", Every: recommend.RefreshEvery, RunOnStart: true, Run: m.recommend.Refresh},
			{Name: "prune_abandoned_uploads", Every: time.Hour, RunOnStart: true, Run: m.media.PruneAbandonedUploads},
		},
	}
	if m.pg != nil {
		m.queue, err = jobs.NewPostgres(m.pg.Pool, jobCfg)
	} else {
		m.queue, err = jobs.NewSQLite(m.db.Write, jobCfg)
	}
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if err := m.queue.Start(ctx); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	ids.SetQueue(m.queue)
	m.media.SetQueue(m.queue)

	api := httpapi.New(httpapi.Options{
		Logger:         m.Logger,
		Version:        m.Version,
		CORSOrigins:    cfg.CORSOrigins,
		MaxBodyBytes:   cfg.MaxBodyBytes,
		Identity:       ids,
		Catalog:        m.catalog,
		Practice:       m.practice,
		Recommend:      m.recommend,
		Media:          m.media,
		Audit:          m.audit,
		Settings:       m.settings,
		TrustedProxies: cfg.TrustedProxies,
		Web:            web.Handler(web.WithMeta(m.planPageMeta(links)), web.WithLogger(m.Logger)),
		Checks: []httpapi.Check{
			{Name: "database", Run: m.db.Ping},
			{Name: "cache", Run: m.cache.Ping},
			{Name: "media", Run: m.checkMedia},
		},
		Analytics:       analytics.NewService(analytics.Deps{Store: st, Now: m.Now, Logger: m.Logger}),
		MaxPlanZipBytes: httpapi.PlanZipLimit(mediaLimits(cfg)),
	})
	for _, add := range m.ExtraRoutes {
		add(api.Huma())
	}

	m.server = &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if err := m.announceSetup(ctx); err != nil {
		return err
	}
	// Log before serving, so that whoever sees the first answer has already
	// seen the line; connections made meanwhile wait in the listen backlog.
	m.Logger.Info("serving", "url", "http://"+displayAddr(m.listener.Addr()), "engine", m.db.Dialect.Name(),
		"cache", cacheKind(cfg), "version", m.Version, "started_in", time.Since(start).Round(time.Millisecond).String())
	m.served = make(chan error, 1)
	go func() { m.served <- m.server.Serve(m.listener) }()
	return nil
}

// Addr is the address the server listens on (useful with port 0).
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Close shuts down gracefully: stop accepting, let in-flight requests
// finish, drain running jobs, then close the cache and the database. ctx
// bounds the whole shutdown.
func (m *Main) Close(ctx context.Context) error {
	var errList []error
	if m.served != nil {
		if err := m.server.Shutdown(ctx); err != nil {
			errList = append(errList, fmt.Errorf("http: %w", err))
		}
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errList = append(errList, fmt.Errorf("http: %w", err))
		}
	} else if m.listener != nil {
		m.listener.Close()
	}
	if m.queue != nil {
		if err := m.queue.Stop(ctx); err != nil {
			errList = append(errList, fmt.Errorf("jobs: %w", err))
		}
	}
	if m.practice != nil {
		errList = append(errList, m.practice.Close())
	}
	if m.stopKeys != nil {
		m.stopKeys()
	}
	if m.settings != nil {
		errList = append(errList, m.settings.Close())
	}
	if m.settingsBroker != nil {
		errList = append(errList, m.settingsBroker.Close())
	}
	if m.broker != nil {
		errList = append(errList, m.broker.Close())
	}
	if closer, ok := m.blobs.(io.Closer); ok {
		errList = append(errList, closer.Close())
	}
	if m.cache != nil {
		errList = append(errList, m.cache.Close())
	}
	if m.limiter != nil {
		errList = append(errList, m.limiter.Close())
	}
	if m.db != nil {
		errList = append(errList, m.db.Close())
	}
	return errors.Join(errList...)
}

func (m *Main) openCache() error {
	if m.Config.RedisURL == "" {
		m.cache = cache.NewMemory(m.Config.CacheEntries)
		return nil
	}
	redisclient.RouteLogs(m.Logger)
	c, err := cache.NewRedis(cache.RedisOptions{URL: m.Config.RedisURL, Prefix: m.Config.CachePrefix, Logger: m.Logger})
	if err != nil {
		return fmt.Errorf("REDIS_URL: %v", err)
	}
	m.cache = c
	return nil
}

// openBroker returns the pub/sub that carries live updates between
// replicas: Redis when configured, else in process (a single server).
func (m *Main) openBroker() (practice.Broker, error) {
	if m.Config.RedisURL == "" {
		return practice.NewLocalBroker(), nil
	}
	b, err := pubsub.NewRedis(redisclient.Options{URL: m.Config.RedisURL, Prefix: m.Config.CachePrefix, Logger: m.Logger}, "practice")
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %v", err)
	}
	m.broker = b
	return b, nil
}

// Practice returns the practice service (after Run).
func (m *Main) Practice() *practice.Service { return m.practice }

// Recommend returns the recommendation service (after Run).
func (m *Main) Recommend() *recommend.Service { return m.recommend }

// Store returns the store every service uses (after Run), for tests that
// write many rows faster than the API would.
func (m *Main) Store() *store.Store { return store.New(m.db) }

// EngineDB is an open database and, on PostgreSQL, its pgx pool.
type EngineDB struct {
	*store.DB
	pg *postgres.DB
}

// OpenDB opens the database the configuration names.
func OpenDB(ctx context.Context, cfg *config.Config, logger *slog.Logger) (EngineDB, error) {
	if cfg.Engine() == store.Postgres {
		pg, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{ConnectTimeout: cfg.DBConnectTimeout, Logger: logger})
		if err != nil {
			return EngineDB{}, err
		}
		return EngineDB{DB: pg.DB, pg: pg}, nil
	}
	db, err := sqlite.Open(ctx, cfg.SQLitePath())
	if err != nil {
		return EngineDB{}, fmt.Errorf("DHARMAPLANS_DATA_DIR: %v", err)
	}
	return EngineDB{DB: db}, nil
}

// MigrateUp applies the application's migrations and River's, and indexes
// for search any published plan that has no search document yet.
func MigrateUp(ctx context.Context, db EngineDB, logger *slog.Logger) error {
	m, err := store.NewMigrator(db.DB, logger)
	if err != nil {
		return err
	}
	applied, err := m.Up(ctx)
	if err != nil {
		return err
	}
	for _, a := range applied {
		logger.Info("applied migration", "version", a.Version, "name", a.Name)
	}
	if db.pg != nil {
		err = jobs.MigratePostgres(ctx, db.pg.Pool)
	} else {
		err = jobs.MigrateSQLite(ctx, db.Write)
	}
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	// Published plans without a search document get theirs: those
	// published before the index existed, or whose documents a migration
	// removed to write them anew.
	n, err := store.New(db.DB).IndexPublished(ctx, false)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if n > 0 {
		logger.Info("indexed published plans for search", "plans", n)
	}
	return nil
}

// checkWritable is the media store's readiness check on local disk.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".ready-*")
	if err != nil {
		return fmt.Errorf("media folder not writable: %w", err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(filepath.Clean(name))
}

func cacheKind(cfg *config.Config) string {
	if cfg.RedisURL == "" {
		return "memory"
	}
	return "redis"
}

// displayAddr turns ":8080" into "localhost:8080" for a clickable log line.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// openBlobs opens the media store: the S3 bucket when one is configured,
// the local media folder otherwise.
func openBlobs(ctx context.Context, cfg *config.Config) (blob.Store, error) {
	if cfg.S3.Bucket != "" {
		s, err := blob.NewS3(ctx, blob.S3Config{Endpoint: cfg.S3.Endpoint, Region: cfg.S3.Region, Bucket: cfg.S3.Bucket,
			AccessKeyID: cfg.S3.AccessKeyID, SecretAccessKey: cfg.S3.SecretAccessKey, PathStyle: cfg.S3.PathStyle})
		if err != nil {
			return nil, fmt.Errorf("DHARMAPLANS_S3_*: %w", err)
		}
		return s, nil
	}
	l, err := blob.NewLocal(cfg.Media())
	if err != nil {
		return nil, fmt.Errorf("DHARMAPLANS_MEDIA_DIR: cannot use %s: %v", cfg.Media(), err)
	}
	return l, nil
}

// checkMedia is the media store's readiness check: the local folder is
// writable, or the bucket answers (a key that is never written is not
// found).
func (m *Main) checkMedia(ctx context.Context) error {
	if m.Config.S3.Bucket == "" {
		return checkWritable(m.Config.Media())
	}
	if _, err := m.blobs.Stat(ctx, "health/ready"); err != nil && !errs.Is(err, errs.NotFound) {
		return fmt.Errorf("media bucket: %w", err)
	}
	return nil
}

// mediaLimits are the configured upload limits.
func mediaLimits(cfg *config.Config) media.Limits {
	l := media.DefaultLimits()
	for kind, n := range cfg.MediaMaxSize {
		l.MaxSize[media.Kind(kind)] = n
	}
	l.Quota = cfg.MediaQuota
	return l
}

// OpenMedia returns the media service of a command that stores or reads
// media outside the server (plan folders): the configured media store, and
// a job queue that only enqueues, so that the servers process what the
// command stores.
func OpenMedia(ctx context.Context, cfg *config.Config, db EngineDB, logger *slog.Logger) (*media.Service, error) {
	blobs, err := openBlobs(ctx, cfg)
	if err != nil {
		return nil, err
	}
	svc := media.NewService(media.Deps{Store: store.New(db.DB), Blobs: blobs, Limits: mediaLimits(cfg), BaseURL: cfg.BaseURL,
		CDNBaseURL: cfg.MediaCDNURL, Logger: logger})
	workers := river.NewWorkers()
	svc.AddWorkers(workers)
	var q *jobs.Queue
	if db.pg != nil {
		q, err = jobs.NewPostgres(db.pg.Pool, jobs.Config{Logger: logger, Workers: workers})
	} else {
		q, err = jobs.NewSQLite(db.Write, jobs.Config{Logger: logger, Workers: workers})
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	svc.SetQueue(q)
	return svc, nil
}
